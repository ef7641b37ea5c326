"""Helpers the tests of several apps share."""

import io
import json
import zipfile

from pypdf import PdfReader


def pdf_text(response) -> tuple[list[str], str]:
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    # Words as a reader sees them: line breaks and (narrow) no-break spaces as spaces, long
    # words whole (core.pdf.breakable's invisible break opportunities removed).
    pages = [" ".join(page.extract_text().replace("\u200b", "").split()) for page in reader.pages]
    return pages, " ".join(pages)


def archive_of(response) -> zipfile.ZipFile:
    """The zip a download answered (right of access)."""
    assert response["Content-Type"] == "application/zip"
    return zipfile.ZipFile(io.BytesIO(response.content))


def exported_data(response) -> dict:
    """The JSON of a right-of-access archive."""
    return json.loads(archive_of(response).read("donnees.json"))
