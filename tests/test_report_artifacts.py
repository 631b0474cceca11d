"""Running headers and footers of the report PDF are pagination artifacts; everything else stays in the structure
tree (PDF/UA-1 7.1: content is either real content, tagged and reachable from the StructTreeRoot, or an artifact).
WeasyPrint 70 tags page-margin boxes but links them only from the ParentTree; tracker/reports/artifacts.py fixes it."""
import io
import subprocess

import pikepdf
import weasyprint
from pypdf import PdfReader

from tests.test_reports import october, render  # noqa: F401  (october is a fixture)
from tracker.reports.artifacts import mark_unlinked_content_as_artifacts
from tracker.reports.pdf import html_to_pdf, safe_fetcher


def marked_text(pdf: bytes) -> list[tuple[str, dict[int, str], str]]:
    """Per page: the text inside /Artifact marked content, the text of each MCID, and text in neither."""
    pages = []
    for page in PdfReader(io.BytesIO(pdf)).pages:
        stack: list[tuple[str, int | None]] = []
        artifact: list[str] = []
        by_mcid: dict[int, list[str]] = {}
        loose: list[str] = []

        def before(op, args, _cm, _tm, stack=stack):
            if op in (b"BDC", b"BMC"):
                properties = args[1] if op == b"BDC" and len(args) > 1 else None
                mcid = properties.get("/MCID") if hasattr(properties, "get") else None
                stack.append((str(args[0]), None if mcid is None else int(mcid)))
            elif op == b"EMC":
                stack.pop()

        def text(t, _cm, _tm, _font, _size, stack=stack, artifact=artifact, by_mcid=by_mcid, loose=loose):
            mcids = [m for _tag, m in stack if m is not None]
            if any(tag == "/Artifact" for tag, _m in stack):
                artifact.append(t)
            elif mcids:
                by_mcid.setdefault(mcids[-1], []).append(t)
            else:
                loose.append(t)

        page.extract_text(visitor_operand_before=before, visitor_text=text)
        pages.append((" ".join("".join(artifact).split()),
                      {m: " ".join("".join(t).split()) for m, t in by_mcid.items()}, "".join(loose).strip()))
    return pages


def content_mcids(pdf: pikepdf.Pdf) -> list[list[int]]:
    """Per page, the MCIDs of the marked-content sequences in its content stream, in drawing order."""
    return [[int(operands[1].MCID) for operands, op in pikepdf.parse_content_stream(page)
             if str(op) == "BDC" and isinstance(operands[1], pikepdf.Dictionary) and "/MCID" in operands[1]]
            for page in pdf.pages]


def reachable(pdf: pikepdf.Pdf) -> list[tuple[pikepdf.Dictionary, list[tuple[int, int]]]]:
    """Structure elements reachable from the StructTreeRoot, in tree order, with the (page, MCID) each owns."""
    page_index = {page.obj.objgen: n for n, page in enumerate(pdf.pages)}
    found = []
    seen = set()

    def walk(node, page=None):
        if isinstance(node, pikepdf.Array):
            for kid in node:
                walk(kid, page)
        elif isinstance(node, pikepdf.Dictionary) and node.get("/Type") != pikepdf.Name.MCR:
            if node.get("/Type") == pikepdf.Name.OBJR or node.objgen in seen:
                return
            seen.add(node.objgen)
            pg = page_index.get(node.Pg.objgen) if "/Pg" in node else page
            kids = node.get("/K")
            kids = list(kids) if isinstance(kids, pikepdf.Array) else [] if kids is None else [kids]
            owned = [(pg, k) for k in kids if isinstance(k, int)]
            owned += [(page_index[k.Pg.objgen] if "/Pg" in k else pg, int(k.MCID)) for k in kids
                      if isinstance(k, pikepdf.Dictionary) and k.get("/Type") == pikepdf.Name.MCR]
            found.append((node, owned))
            for kid in kids:
                walk(kid, pg)

    walk(pdf.Root.StructTreeRoot.K)
    return found


def assert_every_mcid_is_linked(pdf_bytes: bytes) -> None:
    """Every MCID drawn is owned by a reachable element, and the page's ParentTree array names exactly those owners,
    indexed by MCID, with no hole and nothing else."""
    with pikepdf.open(io.BytesIO(pdf_bytes)) as pdf:
        elements = reachable(pdf)
        owner_of = {owned: element.objgen for element, kids in elements for owned in kids}
        parent_tree = pikepdf.NumberTree(pdf.Root.StructTreeRoot.ParentTree)
        for n, (page, mcids) in enumerate(zip(pdf.pages, content_mcids(pdf), strict=True)):
            assert sorted(mcids) == list(range(len(mcids))), f"page {n + 1}: MCIDs not 0..n-1"
            assert all((n, mcid) in owner_of for mcid in mcids), f"page {n + 1}: unlinked MCID"
            array = parent_tree[int(page.obj.StructParents)]
            assert [entry.objgen for entry in array] == [owner_of[(n, mcid)] for mcid in range(len(mcids))]


def test_running_headers_and_footers_are_artifacts_on_every_page(october):
    pages = marked_text(render(october["agreement"], language="sv"))
    assert len(pages) >= 2
    for n, (artifact, by_mcid, loose) in enumerate(pages, start=1):
        assert "Samverka" in artifact and f"Sida {n} av {len(pages)}" in artifact
        if n > 1:  # the first page has no running title, its own heading says it
            assert "Tidiga insatser i Järva" in artifact and "Oktober 2026" in artifact
        tagged = " ".join(by_mcid.values())
        assert "Sida " not in tagged and "Samverka" not in tagged
        assert loose == ""  # no text is outside both the tags and the artifacts


def test_every_mcid_in_the_report_is_reachable_from_the_structure_tree_root(october):
    assert_every_mcid_is_linked(render(october["agreement"], language="sv"))


def test_the_body_is_still_tagged(october):
    pdf = render(october["agreement"], language="sv")
    with pikepdf.open(io.BytesIO(pdf)) as document:
        tags = [str(element.S) for element, _owned in reachable(document)]
    assert tags.count("/H1") == 1  # the title once, in the body; the running title adds no element
    assert tags.count("/Document") == 1
    for tag in ("/P", "/H2", "/Table", "/TH", "/TD", "/Figure"):
        assert tag in tags
    tagged = " ".join(" ".join(by_mcid.values()) for _a, by_mcid, _l in marked_text(pdf))
    assert "Tidiga insatser i Järva" in tagged and "Föräldramöten om sociala medier" in tagged


def test_pdftotext_still_reads_headers_footers_and_body(october, tmp_path):
    path = tmp_path / "report.pdf"
    path.write_bytes(render(october["agreement"], language="sv"))
    pages = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True,
                           check=True).stdout.split("\f")
    pages = [" ".join(page.split()) for page in pages if page.strip()]
    assert len(pages) >= 2
    for n, page in enumerate(pages, start=1):
        assert f"Sida {n} av {len(pages)}" in page and "Samverka" in page
    assert "Tidiga insatser i Järva" in pages[1] and "Föräldramöten om sociala medier" in " ".join(pages)


HTML = """<!doctype html><html lang="sv"><head><title>Prov</title><style>
@page { size: A6; margin: 20mm 10mm; @top-left { content: "Löpande rubrik"; }
        @bottom-right { content: "Sida " counter(page) " av " counter(pages); } }
</style></head><body><h1>Rubrik</h1><p>Ett stycke med <a href="https://example.se/">en länk</a>.</p>
<table><thead><tr><th scope="col">Åtgärd</th><th scope="col">Status</th></tr></thead><tbody>
""" + "".join(f'<tr><th scope="row">Åtgärd {i}</th><td>Pågår</td></tr>' for i in range(40)) + """
</tbody></table><ul><li>Ett</li><li>Två</li></ul></body></html>"""


def structure_signature(pdf_bytes: bytes) -> list[tuple[str, list[tuple[int, int]], str, str]]:
    with pikepdf.open(io.BytesIO(pdf_bytes)) as pdf:
        return [(str(element.S), owned, str(element.get("/ID", "")), repr(element.get("/A", "")))
                for element, owned in reachable(pdf)]


def test_the_post_processing_keeps_every_tag_weasyprint_linked():
    raw = weasyprint.HTML(string=HTML, url_fetcher=safe_fetcher(), base_url=None).write_pdf(pdf_variant="pdf/ua-1")
    ours = html_to_pdf(HTML)
    assert structure_signature(ours) == structure_signature(raw)
    assert len(PdfReader(io.BytesIO(ours)).pages) > 1
    assert_every_mcid_is_linked(ours)
    for n, (artifact, by_mcid, _loose) in enumerate(marked_text(ours), start=1):
        assert "Löpande rubrik" in artifact and f"Sida {n} av" in artifact
        assert "Löpande" not in " ".join(by_mcid.values())
    raw_text = [page.extract_text() for page in PdfReader(io.BytesIO(raw)).pages]
    assert [page.extract_text() for page in PdfReader(io.BytesIO(ours)).pages] == raw_text
    with pikepdf.open(io.BytesIO(ours)) as pdf:
        assert pdf.Root.MarkInfo.Marked and str(pdf.Root.Lang) == "sv" and "/Metadata" in pdf.Root
        assert len(pdf.Root.StructTreeRoot.ParentTree.Nums) == len(pikepdf.open(io.BytesIO(raw)).Root
                                                                    .StructTreeRoot.ParentTree.Nums)


def tagged_pdf(unlinked: int | None) -> bytes:
    """One page, four lines each in its own marked content; the element of line `unlinked` is only in the
    ParentTree, as WeasyPrint leaves margin boxes, but here in the middle of the page's MCIDs. The last line's
    element reaches its content through an MCR dictionary, the third's through an array."""
    pdf = pikepdf.new()
    pdf.add_blank_page(page_size=(200, 200))
    page = pdf.pages[0]
    font = pdf.make_indirect(pikepdf.Dictionary(Type=pikepdf.Name.Font, Subtype=pikepdf.Name.Type1,
                                                BaseFont=pikepdf.Name.Helvetica))
    page.obj.Resources = pikepdf.Dictionary(Font=pikepdf.Dictionary(F1=font))
    words = ["Alpha", "Header", "Beta", "Gamma"]
    page.obj.Contents = pdf.make_stream("".join(
        f"/P <</MCID {i}>> BDC BT /F1 10 Tf 10 {180 - 20 * i} Td ({word}) Tj ET EMC\n"
        for i, word in enumerate(words)).encode())
    root = pdf.make_indirect(pikepdf.Dictionary(Type=pikepdf.Name.StructTreeRoot))
    document = pdf.make_indirect(pikepdf.Dictionary(Type=pikepdf.Name.StructElem, S=pikepdf.Name.Document, P=root))
    elements = [pdf.make_indirect(pikepdf.Dictionary(Type=pikepdf.Name.StructElem, S=pikepdf.Name.P, P=document,
                                                     Pg=page.obj, K=i)) for i in range(len(words))]
    elements[2].K = pikepdf.Array([2])
    elements[3].K = pikepdf.Array([pikepdf.Dictionary(Type=pikepdf.Name.MCR, MCID=3, Pg=page.obj)])
    document.K = pikepdf.Array([e for i, e in enumerate(elements) if i != unlinked])
    root.K = document
    root.ParentTree = pdf.make_indirect(pikepdf.Dictionary(Nums=pikepdf.Array([0, pikepdf.Array(elements)])))
    page.obj.StructParents = 0
    pdf.Root.StructTreeRoot = root
    out = io.BytesIO()
    pdf.save(out)
    return out.getvalue()


def test_unlinked_content_in_the_middle_of_a_page_becomes_an_artifact_and_the_rest_is_renumbered():
    before = tagged_pdf(unlinked=1)
    after = mark_unlinked_content_as_artifacts(before)
    assert_every_mcid_is_linked(after)
    [(artifact, by_mcid, loose)] = marked_text(after)
    assert artifact == "Header" and loose == ""
    assert by_mcid == {0: "Alpha", 1: "Beta", 2: "Gamma"}
    with pikepdf.open(io.BytesIO(after)) as pdf:
        assert [owned for _e, owned in reachable(pdf)] == [[], [(0, 0)], [(0, 1)], [(0, 2)]]
        markers = [operands for operands, op in pikepdf.parse_content_stream(pdf.pages[0]) if str(op) == "BDC"]
        assert [str(operands[0]) for operands in markers] == ["/P", "/Artifact", "/P", "/P"]
        assert markers[1][1] == pikepdf.Dictionary(Type=pikepdf.Name.Pagination)
    assert PdfReader(io.BytesIO(after)).pages[0].extract_text() == PdfReader(io.BytesIO(before)).pages[0].extract_text()


def test_a_pdf_with_everything_linked_or_untagged_comes_back_unchanged():
    linked = tagged_pdf(unlinked=None)
    assert_every_mcid_is_linked(linked)
    assert mark_unlinked_content_as_artifacts(linked) == linked
    untagged = weasyprint.HTML(string=HTML, url_fetcher=safe_fetcher(), base_url=None).write_pdf()
    assert mark_unlinked_content_as_artifacts(untagged) == untagged
