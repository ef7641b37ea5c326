"""Helpers the tests of several apps share."""

import io

from pypdf import PdfReader


def pdf_text(response) -> tuple[list[str], str]:
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    # Words as a reader sees them: line breaks and (narrow) no-break spaces as spaces.
    pages = [" ".join(page.extract_text().split()) for page in reader.pages]
    return pages, " ".join(pages)
