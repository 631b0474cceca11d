"""HTML to PDF with WeasyPrint, which may fetch nothing: no files, no network, only data: URLs.

WeasyPrint is imported here, inside the functions, and nowhere else: it takes most of a second to import, and
every `flask` command (and every web worker start) would otherwise pay for it without making a PDF.
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
    """Render a self-contained HTML document (styles inline) to a tagged PDF."""
    import weasyprint

    return weasyprint.HTML(string=html, url_fetcher=safe_fetcher(), base_url=None).write_pdf(pdf_variant="pdf/ua-1")
