"""PDFs are rendered from our templates without ever reaching the network."""

import pytest
from weasyprint.urls import URLFetcher

from core.pdf import ExternalResourceRefused, LocalOnlyURLFetcher, render_pdf


def test_the_fetcher_refuses_external_addresses():
    fetcher = LocalOnlyURLFetcher()
    for url in ("http://example.com/x.css", "https://example.com/", "file:///etc/passwd"):
        with pytest.raises(ExternalResourceRefused):
            fetcher.fetch(url)
    assert fetcher.fetch("static:/css/print.css").status == 200


def test_a_pdf_never_loads_an_outside_address(settings, tmp_path, monkeypatch):
    """The renderer itself goes through the local-only fetcher: an image from the web is
    refused there (WeasyPrint then leaves it out) and never reaches the network."""
    asked, reached = [], []
    own_fetch, base_fetch = LocalOnlyURLFetcher.fetch, URLFetcher.fetch

    def spy(self, url, headers=None):
        try:
            return own_fetch(self, url, headers)
        except ExternalResourceRefused:
            asked.append(url)
            raise

    def network(self, url, headers=None):
        reached.append(url)
        return base_fetch(self, url, headers)

    monkeypatch.setattr(LocalOnlyURLFetcher, "fetch", spy)
    monkeypatch.setattr(URLFetcher, "fetch", network)
    template = tmp_path / "outside.html"
    template.write_text('<p>Logo</p><img src="http://example.com/logo.png">')
    settings.TEMPLATES = [
        {**settings.TEMPLATES[0], "DIRS": [tmp_path, *settings.TEMPLATES[0]["DIRS"]]}
    ]
    assert render_pdf("outside.html", {}).startswith(b"%PDF")
    assert asked == ["http://example.com/logo.png"]
    assert not any(url.startswith("http") for url in reached)
