"""HTML to PDF with WeasyPrint, which may fetch nothing: no files, no network, only data: URLs.

WeasyPrint and pikepdf are imported here, inside the functions, and nowhere else: they take most of a second to
import, and every `flask` command (and every web worker start) would otherwise pay for it without making a PDF.
"""
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from weasyprint.urls import URLFetcher


def safe_fetcher() -> "URLFetcher":
    # User text is escaped before it reaches the HTML; the fetcher is the last line of defence: a file:// or
    # http:// URL could otherwise read local files or call out. Refused resources are left out, with a warning.
    from weasyprint.urls import URLFetcher

    return URLFetcher(allowed_protocols=("data",), allow_redirects=False, timeout=2)


def html_to_pdf(html: str) -> bytes:
    """Render a self-contained HTML document (styles inline) to a tagged PDF (PDF/UA-1) whose running headers and
    footers are pagination artifacts: WeasyPrint 70 tags page-margin boxes without linking them into the structure
    tree, see tracker/reports/artifacts.py."""
    import weasyprint

    from tracker.reports.artifacts import mark_unlinked_content_as_artifacts

    pdf = weasyprint.HTML(string=html, url_fetcher=safe_fetcher(), base_url=None).write_pdf(pdf_variant="pdf/ua-1")
    return mark_unlinked_content_as_artifacts(pdf)
