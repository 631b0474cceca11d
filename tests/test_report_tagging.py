"""The report PDF's tags (PDF/UA): table headers carry their scope. Running headers and footers: see
tests/test_report_artifacts.py."""
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
