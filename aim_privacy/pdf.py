"""The project's one HTML-to-PDF renderer (WeasyPrint), safe for admin-entered content.

WeasyPrint's default fetcher reads file:// URLs, follows redirects and reaches any host. This
one serves only the project's own static files (looked up through the staticfiles finders,
never from disk paths built from the URL) and `data:` URIs; any other URL — file://, another
host, a loopback address — is refused without a single byte being fetched.
"""

import io
import logging
import mimetypes
import time
from urllib.parse import unquote, urlsplit

import pikepdf
from django.conf import settings
from django.contrib.staticfiles import finders
from django.dispatch import Signal
from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

logger = logging.getLogger(__name__)

# The base URL of documents: relative and /static/ URLs resolve against it. The host is in the
# reserved .invalid domain, so it can never be a real server.
BASE_URL = "https://pdf.aim-privacy.invalid/"
STATIC_PREFIX = BASE_URL.rstrip("/") + settings.STATIC_URL

# Sent after every render: tests count renders with it, benchmarks time them.
pdf_rendered = Signal()


class RefusedURL(ValueError):
    pass


class StaticOnlyFetcher(URLFetcher):
    """Serves /static/ files of this project and data: URIs; refuses everything else."""

    def __init__(self):
        super().__init__(allowed_protocols={"https", "data"}, allow_redirects=False, timeout=1)
        self.refused = []

    def fetch(self, url, headers=None):
        if url.startswith("data:"):
            return super().fetch(url, headers)
        if url.startswith(STATIC_PREFIX):
            relative = unquote(urlsplit(url).path[len(settings.STATIC_URL) :])
            path = finders.find(relative) if ".." not in relative.split("/") else None
            if path:
                with open(path, "rb") as static_file:
                    body = static_file.read()
                content_type = mimetypes.guess_type(path)[0] or "application/octet-stream"
                return URLFetcherResponse(url, body, headers={"Content-Type": content_type})
        self.refused.append(url)
        logger.warning("PDF renderer refused to fetch a resource outside /static/")
        raise RefusedURL("only the project's static files may be fetched")


def render_pdf(
    html: str,
    *,
    title: str = "",
    language: str = "",
    purpose: str = "",
    part_languages: tuple[str, ...] = (),
) -> bytes:
    """PDF/UA-1 (tagged) bytes of a complete HTML document, metadata from <title> and <html lang>.

    `part_languages`: a document whose parts are in several languages lays each part out on
    named pages starting with its language ("nl", "nl-cover"); the structure elements drawn on
    those pages then carry that /Lang (set_part_languages). `purpose` only labels the render in
    the `pdf_rendered` signal (e.g. "notice").
    """
    fetcher = StaticOnlyFetcher()
    started = time.perf_counter()
    document = HTML(string=html, base_url=BASE_URL, url_fetcher=fetcher).render()
    pdf = document.write_pdf(pdf_variant="pdf/ua-1", uncompressed_pdf=False)
    if part_languages:
        pdf = set_part_languages(pdf, _page_languages(document, part_languages))
    pdf_rendered.send(
        sender=render_pdf,
        purpose=purpose,
        language=language,
        seconds=time.perf_counter() - started,
        refused=tuple(fetcher.refused),
    )
    return pdf


def _page_languages(document, languages) -> list[str | None]:
    """The language of each laid-out page, from the name of its named page ("nl-cover" -> nl).

    WeasyPrint does not expose a page's name publicly; tests/notices/test_pdf_layout.py fails if
    this stops finding them."""
    found = []
    for page in document.pages:
        name = getattr(getattr(getattr(page, "_page_box", None), "page_type", None), "name", "")
        code = (name or "").split("-")[0]
        found.append(code if code in languages else None)
    return found


def set_part_languages(pdf: bytes, page_languages: list[str | None]) -> bytes:
    """/Lang on each top-level structure element from the language of the page it is drawn on.

    WeasyPrint 70 writes the document's language in the catalogue only (PDF/UA-1, 7.2 asks every
    change of language to be marked): a screen reader would read the Dutch part with French
    pronunciation. WeasyPrint builds the structure tree page by page, so every top-level element
    has its page (/Pg)."""
    with pikepdf.open(io.BytesIO(pdf)) as document:
        index = {page.objgen: number for number, page in enumerate(document.pages)}
        root = document.Root.StructTreeRoot.K
        top = root[0] if isinstance(root, pikepdf.Array) else root
        for element in top.K:
            page = element.get("/Pg")
            if page is None:
                continue
            language = page_languages[index[page.objgen]]
            if language:
                element.Lang = pikepdf.String(language)
        out = io.BytesIO()
        document.save(out)
    return out.getvalue()
