"""Documents through the API: multipart upload of several files, refusals as 400 with the
field, the size limit while the body streams in, the download with its headers."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from documents.models import Document
from households.models import AccessLogEntry, Household
from tests.documents import samples
from tests.helpers import api_for


@pytest.fixture
def nguyen(demo):
    return Household.objects.get(name="Nguyen")


@pytest.fixture
def api(demo):
    return api_for(demo["caseworker.oiseaubleu"])


def upload(api, household, *files, **fields):
    data = {"household": household.pk, "kind": "judgement", "dated_on": "2026-02-01", **fields}
    return api.post("/api/documents/", {**data, "files": list(files)}, format="multipart")


def test_several_files_in_one_upload_then_listed_and_downloaded(api, nguyen):
    response = upload(
        api,
        nguyen,
        SimpleUploadedFile("jugement p1.pdf", samples.pdf("p1")),
        SimpleUploadedFile("jugement p2.jpg", samples.jpeg_with_location()),
        title="Jugement « TJ Grenoble »",
    )
    assert response.status_code == 201, response.content
    made = response.json()
    assert [d["title"] for d in made] == [
        "Jugement « TJ Grenoble » (1/2)",
        "Jugement « TJ Grenoble » (2/2)",
    ]
    assert made[1]["versions"][0]["content_type"] == "image/jpeg"
    listing = api.get("/api/documents/", {"household": nguyen.pk, "kind": "judgement"}).json()
    assert listing["count"] == 2
    download = api.get(made[0]["download_url"])
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == samples.pdf("p1")
    assert download["Content-Disposition"] == 'attachment; filename="jugement_p1.pdf"'
    assert download["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in download["Cache-Control"]
    assert AccessLogEntry.objects.filter(household=nguyen, action="export").exists()


@pytest.mark.parametrize(
    ("files", "fields", "field", "message"),
    [
        ([("virus.pdf", samples.windows_executable())], {}, "files", "n'est pas d'un type"),
        ([("a.pdf", samples.pdf())], {"dated_on": "2999-01-01"}, "dated_on", "dans le futur"),
        ([("a.pdf", samples.pdf())], {"kind": "tract"}, "kind", "n'est pas un choix valide"),
        ([("a.pdf", samples.pdf())], {"action": 2**62}, "action", "Introuvable pour ce ménage"),
        ([], {}, "files", ""),
    ],
)
def test_bad_input_is_a_400_on_its_field_and_nothing_is_kept(
    api, nguyen, files, fields, field, message
):
    response = upload(
        api, nguyen, *[SimpleUploadedFile(name, content) for name, content in files], **fields
    )
    assert response.status_code == 400
    body = response.json()
    assert field in body, body
    assert message in str(body[field])
    assert not Document.objects.exists()


def test_a_file_over_the_limit_is_a_400_in_french(api, nguyen, settings):
    settings.DOCUMENTS_MAX_UPLOAD_MB = 1
    response = upload(
        api, nguyen, SimpleUploadedFile("gros.pdf", samples.pdf() + b"0" * (1024 * 1024 + 1))
    )
    assert response.status_code == 400
    assert "« gros.pdf » dépasse la taille maximale de 1 Mo" in str(response.json())
    assert not Document.objects.exists()


def test_an_older_version_is_downloaded_by_its_number(api, nguyen, demo):
    from documents import services

    [made] = upload(api, nguyen, SimpleUploadedFile("a.pdf", samples.pdf("1"))).json()
    document = Document.objects.get(pk=made["id"])
    services.document_add_version(
        document=document,
        by=demo["caseworker.oiseaubleu"],
        upload=SimpleUploadedFile("a.pdf", samples.pdf("2")),
    )
    first = api.get(f"/api/documents/{document.pk}/download/", {"version": 1})
    assert b"".join(first.streaming_content) == samples.pdf("1")
    latest = api.get(f"/api/documents/{document.pk}/download/")
    assert b"".join(latest.streaming_content) == samples.pdf("2")
    assert api.get(f"/api/documents/{document.pk}/download/", {"version": 9}).status_code == 404
