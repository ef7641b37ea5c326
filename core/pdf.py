"""PDF rendering with WeasyPrint from Django templates, with no network access.

The only resources a document may load are the application's own static files (as
`static:/<path>`) and inline data: URLs; any other URL (http, https, ftp, other files) is
refused, so rendering never reaches the network.

A long word (a pasted link, a key held down: up to a text's whole limit) gets an invisible
break opportunity (a zero-width space) every LONG_WORD characters before it is laid out:
WeasyPrint cuts a word wider than its column character by character, a cost that grows with
the square of its length (a 50,000-character word took minutes, a gunicorn worker's whole
timeout), while pieces narrower than a column lay out in linear time (a few seconds)."""

import re
from pathlib import Path

from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from weasyprint import CSS, HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

STATIC_PREFIX = "static:/"
MIME_TYPES = {".css": "text/css", ".png": "image/png", ".svg": "image/svg+xml"}


# Every this many characters without a space, a word may be cut: narrower than any column.
LONG_WORD = 20
ZERO_WIDTH_SPACE = "\u200b"
# Text between two tags; a run of characters that are neither spaces nor an entity's.
_TEXT_NODE = re.compile(r">([^<]+)<")
_LONG_RUN = re.compile(rf"[^\s&;]{{{LONG_WORD}}}(?=[^\s&;<])")


def breakable(html: str) -> str:
    """`html` with a break opportunity in every word longer than LONG_WORD characters
    (text nodes only: tags, attributes and entities are left whole)."""

    def text_node(match: re.Match) -> str:
        text = match.group(1)
        if len(text) <= LONG_WORD:
            return match.group(0)
        return ">" + _LONG_RUN.sub(lambda run: run.group(0) + ZERO_WIDTH_SPACE, text) + "<"

    return _TEXT_NODE.sub(text_node, html)


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
    html = breakable(render_to_string(template, context))
    fetcher = LocalOnlyURLFetcher()
    stylesheet = CSS(filename=finders.find("css/print.css"), url_fetcher=fetcher)
    document = HTML(string=html, base_url=STATIC_PREFIX, url_fetcher=fetcher)
    return document.write_pdf(stylesheets=[stylesheet])
