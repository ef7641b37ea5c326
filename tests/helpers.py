"""Helpers the tests of several apps share."""

import html
import io
import json
import zipfile

from pypdf import PdfReader
from rest_framework.test import APIClient

from households.models import Household
from partners.models import ApiToken


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


def page_text(response) -> str:
    """The page's HTML as a reader meets it: entities (&#x27;, &nbsp;…) decoded."""
    return html.unescape(response.content.decode())


def api_for(user) -> APIClient:
    """An API client authenticated by a new token of `user`."""
    _, secret = ApiToken.objects.create_for(user=user, name="test")
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {secret}")
    return api


def sees(user, household) -> bool:
    """Whether `user` finds `household` among the households it may read."""
    return Household.objects.visible_to(user).filter(pk=household.pk).exists()
