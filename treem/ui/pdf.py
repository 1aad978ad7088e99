"""Pages made into PDF files on the server, with WeasyPrint.

A PDF is the page's own template rendered as for the browser and laid out for print (the
`@media print` rules of treem.css), so the printed form and the downloaded file stay one layout.
WeasyPrint reads nothing but the project's static files: the forms carry a child's personal
data, and a template that named an outside address must not make the server call it.

WeasyPrint loads Pango when imported (Debian: libpango-1.0-0, libpangoft2-1.0-0, and
fonts-dejavu-core for the Vietnamese glyphs); callers import this module when a PDF is asked
for, so a machine without Pango still serves every other page.
"""

import mimetypes
import posixpath
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urljoin, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

from treem.ui.downloads import PDF, attachment


class OnlyStaticFiles(URLFetcher):
    """WeasyPrint's fetcher for a page: the project's static files, read from disk; any other
    address (another site, a file outside the static files, data: or file: URLs) is refused."""

    def __init__(self, base_url: str) -> None:
        super().__init__(allowed_protocols=("http", "https"), allow_redirects=False)
        self.prefix = urljoin(base_url, settings.STATIC_URL)

    def fetch(self, url: str, headers: Any = None) -> URLFetcherResponse:
        path = static_file(url[len(self.prefix):]) if url.startswith(self.prefix) else None
        if path is None:
            raise ValueError(f"not a static file of treem: {url}")
        content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return URLFetcherResponse(url, path.read_bytes(), {"Content-Type": content_type})


def static_file(name: str) -> Path | None:
    """The file on disk of a static file's name (as `{% static %}` writes it), or None."""
    name = unquote(urlsplit(name).path)
    clean = posixpath.normpath(name)
    if name != clean or clean.startswith(("/", "..")) or clean == ".":
        return None
    # Collected files first: in production `{% static %}` names the hashed copy that only the
    # collected directory holds; elsewhere the finders read the apps' static directories.
    found = (staticfiles_storage.path(clean) if staticfiles_storage.exists(clean)
             else finders.find(clean))
    return Path(found) if isinstance(found, str) and Path(found).is_file() else None


def render_pdf(request: HttpRequest, template: str, context: dict[str, Any], *,
               filename: str) -> HttpResponse:
    """`template` as a PDF download named `filename`, which must hold no personal data."""
    html = render_to_string(template, context, request=request)
    base_url = request.build_absolute_uri("/")
    document = HTML(string=html, base_url=base_url, url_fetcher=OnlyStaticFiles(base_url),
                    media_type="print").render()
    return attachment(document.write_pdf(), filename=filename, content_type=PDF)
