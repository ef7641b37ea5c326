"""PDF rendering with WeasyPrint from Django templates, with no network access.

The only resources a document may load are the application's own static files (as
`static:/<path>`) and inline data: URLs; any other URL (http, https, ftp, other files) is
refused, so rendering never reaches the network."""

from pathlib import Path

from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from weasyprint import CSS, HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

STATIC_PREFIX = "static:/"
MIME_TYPES = {".css": "text/css", ".png": "image/png", ".svg": "image/svg+xml"}


class ExternalResourceRefused(ValueError):
    pass


class LocalOnlyURLFetcher(URLFetcher):
    def fetch(self, url, headers=None):
        if url.startswith("data:"):
            return super().fetch(url, headers)
        if url.startswith(STATIC_PREFIX):
            path = finders.find(url[len(STATIC_PREFIX) :].lstrip("/"))
            if path:
                mime = MIME_TYPES.get(Path(path).suffix, "application/octet-stream")
                return URLFetcherResponse(url, Path(path).read_bytes(), {"Content-Type": mime}, 200)
        raise ExternalResourceRefused(f"Ressource externe refusée dans un PDF : {url}")


def render_pdf(template: str, context: dict) -> bytes:
    html = render_to_string(template, context)
    fetcher = LocalOnlyURLFetcher()
    stylesheet = CSS(filename=finders.find("css/print.css"), url_fetcher=fetcher)
    document = HTML(string=html, base_url=STATIC_PREFIX, url_fetcher=fetcher)
    return document.write_pdf(stylesheets=[stylesheet])
