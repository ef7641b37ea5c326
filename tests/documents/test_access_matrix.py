"""Every role of every demo partner against every document page and API endpoint, with a
confidential document and another partner's. Expectations are written out here.

Papers: on Martin (Actis only), a shared lease and a confidential note of Actis; on Fontaine
(Ulisse and Pluralis), a shared judgement and a confidential note of Ulisse."""

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from documents import services
from households.models import Household
from tests.demo_access import SEES_MARTIN, USERS
from tests.documents import samples
from tests.helpers import api_for

SEES_FONTAINE = {
    "coordinator.lt",
    "caseworker.ulisse",
    "manager.ulisse",
    "cesf.pluralis",
    "manager.pluralis",
}
ACTIS = {"cesf.actis", "manager.actis"}
ULISSE = {"caseworker.ulisse", "manager.ulisse"}
FUNDERS = {"funder.fondation", "funder.ddets"}


def within(username: str, sees: set, allowed: set, ok: int, refused: int = 403) -> int:
    if username not in sees:
        return 404
    return ok if username in allowed else refused


@pytest.fixture
def papers(demo):
    martin = Household.objects.get(name="Martin")
    fontaine = Household.objects.get(name="Fontaine")

    def add(household, username, title, confidential=False):
        [document] = services.document_create(
            household=household,
            by=demo[username],
            uploads=[SimpleUploadedFile("papier.pdf", samples.pdf(title))],
            kind="other",
            title=title,
            dated_on=date(2026, 2, 3),
            confidential=confidential,
        )
        return document

    return {
        "martin": martin,
        "fontaine": fontaine,
        "martin_shared": add(martin, "cesf.actis", "Bail Martin"),
        "martin_secret": add(martin, "cesf.actis", "Note Actis", confidential=True),
        "fontaine_shared": add(fontaine, "caseworker.ulisse", "Jugement Fontaine"),
        "fontaine_secret": add(fontaine, "caseworker.ulisse", "Note Ulisse", confidential=True),
    }


def expected_pages(username: str) -> dict[str, int]:
    return {
        "tab Martin": within(username, SEES_MARTIN, SEES_MARTIN, 200),
        "upload form Martin": within(username, SEES_MARTIN, {"cesf.actis"}, 200),
        "upload Martin": within(username, SEES_MARTIN, {"cesf.actis"}, 302),
        "download Martin shared": within(username, SEES_MARTIN, SEES_MARTIN, 200),
        "download Martin shared v1": within(username, SEES_MARTIN, SEES_MARTIN, 200),
        "download Martin confidential": 200 if username in ACTIS else 404,
        "download Fontaine shared": within(username, SEES_FONTAINE, SEES_FONTAINE, 200),
        "download Fontaine confidential": 200 if username in ULISSE else 404,
        "new version Martin shared": within(username, SEES_MARTIN, {"cesf.actis"}, 302),
        "new version Fontaine confidential": (
            302 if username == "caseworker.ulisse" else 403 if username in ULISSE else 404
        ),
        "delete Fontaine shared": within(username, SEES_FONTAINE, {"caseworker.ulisse"}, 302),
        "delete Martin confidential": (
            302 if username == "cesf.actis" else 403 if username in ACTIS else 404
        ),
    }


def status_of(response) -> int:
    if response.streaming:  # a download streams its file: read to the end, then closed
        b"".join(response.streaming_content)
    return response.status_code


def pdf_upload(name="scan.pdf"):
    return SimpleUploadedFile(name, samples.pdf())


@pytest.mark.parametrize("username", USERS)
def test_document_pages_access_matrix(client, demo, papers, username):
    client.force_login(demo[username])
    martin, fontaine = papers["martin"], papers["fontaine"]

    def download(key, *number):
        name = "documents:download_version" if number else "documents:download"
        return client.get(reverse(name, args=[papers[key].pk, *number]))

    calls = {
        "tab Martin": lambda: client.get(reverse("documents:list", args=[martin.pk])),
        "upload form Martin": lambda: client.get(reverse("documents:create", args=[martin.pk])),
        "upload Martin": lambda: client.post(
            reverse("documents:create", args=[martin.pk]),
            {"files": [pdf_upload()], "kind": "lease", "dated_on": "2026-01-02"},
        ),
        "download Martin shared": lambda: download("martin_shared"),
        "download Martin shared v1": lambda: download("martin_shared", 1),
        "download Martin confidential": lambda: download("martin_secret"),
        "download Fontaine shared": lambda: download("fontaine_shared"),
        "download Fontaine confidential": lambda: download("fontaine_secret"),
        "new version Martin shared": lambda: client.post(
            reverse("documents:version_create", args=[papers["martin_shared"].pk]),
            {"file": pdf_upload()},
        ),
        "new version Fontaine confidential": lambda: client.post(
            reverse("documents:version_create", args=[papers["fontaine_secret"].pk]),
            {"file": pdf_upload()},
        ),
        "delete Fontaine shared": lambda: client.post(
            reverse("documents:delete", args=[papers["fontaine_shared"].pk])
        ),
        "delete Martin confidential": lambda: client.post(
            reverse("documents:delete", args=[papers["martin_secret"].pk])
        ),
    }
    outcomes = {name: status_of(call()) for name, call in calls.items()}
    assert outcomes == expected_pages(username)
    assert fontaine  # both households exist in the demo


def expected_api(username: str) -> dict[str, int]:
    return {
        "GET documents": 403 if username in FUNDERS else 200,
        "POST documents Martin": within(username, SEES_MARTIN, {"cesf.actis"}, 201),
        "GET document Martin shared": within(username, SEES_MARTIN, SEES_MARTIN, 200),
        "GET document Fontaine confidential": 200 if username in ULISSE else 404,
        "GET download Martin shared": within(username, SEES_MARTIN, SEES_MARTIN, 200),
        "GET download Martin confidential": 200 if username in ACTIS else 404,
        "GET download Fontaine shared": within(username, SEES_FONTAINE, SEES_FONTAINE, 200),
        "GET download Fontaine confidential": 200 if username in ULISSE else 404,
        "DELETE document": 405,
    }


def listed_titles(username: str) -> set[str]:
    titles = set()
    if username in SEES_MARTIN:
        titles.add("Bail Martin")
    if username in ACTIS:
        titles.add("Note Actis")
    if username in SEES_FONTAINE:
        titles.add("Jugement Fontaine")
    if username in ULISSE:
        titles.add("Note Ulisse")
    return titles


@pytest.mark.parametrize("username", USERS)
def test_document_api_access_matrix(demo, papers, username):
    api = api_for(demo[username])
    martin = papers["martin"]

    def download(key):
        return api.get(f"/api/documents/{papers[key].pk}/download/")

    listing = api.get("/api/documents/", {"since": "2026-02-03", "until": "2026-02-03"})
    calls = {
        "GET documents": lambda: listing,
        "POST documents Martin": lambda: api.post(
            "/api/documents/",
            {
                "household": martin.pk,
                "kind": "lease",
                "dated_on": "2026-01-02",
                "files": [pdf_upload()],
            },
            format="multipart",
        ),
        "GET document Martin shared": lambda: api.get(
            f"/api/documents/{papers['martin_shared'].pk}/"
        ),
        "GET document Fontaine confidential": lambda: api.get(
            f"/api/documents/{papers['fontaine_secret'].pk}/"
        ),
        "GET download Martin shared": lambda: download("martin_shared"),
        "GET download Martin confidential": lambda: download("martin_secret"),
        "GET download Fontaine shared": lambda: download("fontaine_shared"),
        "GET download Fontaine confidential": lambda: download("fontaine_secret"),
        "DELETE document": lambda: api.delete(f"/api/documents/{papers['martin_shared'].pk}/"),
    }
    outcomes = {name: status_of(call()) for name, call in calls.items()}
    assert outcomes == expected_api(username)
    if username not in FUNDERS:
        assert {row["title"] for row in listing.json()["results"]} == listed_titles(username)
