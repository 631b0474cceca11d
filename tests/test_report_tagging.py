"""The report PDF's tags (PDF/UA): table headers carry their scope, running headers and footers stay out of the
structure tree (WeasyPrint 70 leaves page-margin boxes unlinked from it)."""
import io
import re
from pathlib import Path

from pypdf import PdfReader

from tests.test_reports import october, render  # noqa: F401  (october is a fixture)


def structure(pdf: bytes) -> list[tuple[str, object, list[str]]]:
    """(tag, ID, headers it names) for every element reachable from the StructTreeRoot."""
    root = PdfReader(io.BytesIO(pdf)).trailer["/Root"]["/StructTreeRoot"].get_object()
    found = []

    def walk(node):
        node = node.get_object()
        if isinstance(node, list):
            for kid in node:
                walk(kid)
            return
        if not hasattr(node, "get"):
            return
        tag = node.get("/S")
        if tag is not None:
            attributes = node.get("/A")
            attributes = attributes.get_object() if attributes is not None else {}
            if isinstance(attributes, list):
                attributes = {k: v for a in attributes for k, v in a.get_object().items()}
            headers = attributes.get("/Headers")
            found.append((str(tag), node.get("/ID"), [str(h) for h in headers] if headers is not None else []))
        if "/K" in node:
            walk(node["/K"])

    walk(root["/K"])
    return found


def test_table_headers_are_tagged_th_and_every_cell_names_its_headers(october):
    """WeasyPrint 70 writes scope as /Headers on each cell (ids of its column's th, or its row's th scope="row")."""
    elements = structure(render(october["agreement"]))
    header_ids = {str(i) for tag, i, _h in elements if tag == "/TH"}
    assert any(tag == "/Table" for tag, _i, _h in elements)
    assert len(header_ids) == sum(1 for tag, _i, _h in elements if tag == "/TH") > 10
    cells = [headers for tag, _i, headers in elements if tag == "/TD"]
    assert cells and all(headers and set(headers) <= header_ids for headers in cells)


def test_every_header_cell_of_the_report_template_says_its_scope():
    template = (Path(__file__).parent.parent / "tracker/reports/templates/reports/report.html").read_text()
    cells = re.findall(r"<th\b[^>]*>", template)
    assert cells and all(re.search(r'scope="(col|row)"', cell) for cell in cells)


def test_running_headers_and_footers_are_not_in_the_structure_tree(october):
    pdf = render(october["agreement"])
    reader = PdfReader(io.BytesIO(pdf))
    text = reader.pages[1].extract_text()
    assert "Samverka" in text and "Tidiga insatser i Järva" in text  # drawn in the margins of page 2
    tags = [tag for tag, _s, _t in structure(pdf)]
    assert tags.count("/H1") == 1  # the title once, in the body; the running title adds no element
    assert "/Document" not in tags[1:]
