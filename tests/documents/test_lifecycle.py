"""Documents through the life of a case: by title only in the PDF summary, with their files
in the right-of-access archive, and the production storage chosen from the environment."""

import json
import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from cases import services as case_services
from documents import services
from households.models import Household
from tests.documents import samples
from tests.helpers import archive_of, pdf_text

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def nguyen(demo):
    return Household.objects.get(name="Nguyen")


def add(household, user, title, confidential=False, content=None):
    [document] = services.document_create(
        household=household,
        by=user,
        uploads=[SimpleUploadedFile("papier.pdf", content or samples.pdf(title))],
        kind="fsl_decision",
        title=title,
        dated_on=date(2026, 2, 10),
        confidential=confidential,
    )
    return document


def test_the_pdf_summary_lists_documents_by_title_only(client, demo, nguyen):
    add(nguyen, demo["caseworker.oiseaubleu"], "Décision FSL du 10 février")
    add(nguyen, demo["caseworker.oiseaubleu"], "Note Oiseau Bleu", confidential=True)
    client.force_login(demo["cesf.opac38"])
    _, content = pdf_text(client.get(reverse("households:summary_pdf", args=[nguyen.pk])))
    assert "Documents (1)" in content
    assert "Décision FSL du 10 février" in content
    assert "Note Oiseau Bleu" not in content
    assert "papier.pdf" not in content  # the title, not the file
    client.force_login(demo["caseworker.oiseaubleu"])
    url = reverse("households:summary_pdf", args=[nguyen.pk])
    _, for_partners = pdf_text(client.get(url))
    assert "Documents (1)" in for_partners and "Note Oiseau Bleu" not in for_partners
    _, internal = pdf_text(client.get(url, {"version": "interne"}))
    assert "Documents (2)" in internal and "Note Oiseau Bleu" in internal


def test_the_right_of_access_zips_the_json_and_every_file(client, demo, nguyen):
    caseworker = demo["caseworker.oiseaubleu"]
    shared = add(nguyen, caseworker, "Bail", content=samples.pdf("v1"))
    services.document_add_version(
        document=shared, by=caseworker, upload=SimpleUploadedFile("b.pdf", samples.pdf("v2"))
    )
    secret = add(nguyen, demo["cesf.opac38"], "Note Opac38", confidential=True)
    coordinator = demo["coordinator.lt"]
    access_request = case_services.subject_access_request_create(
        household=nguyen,
        by=coordinator,
        requester="Mme Nguyen",
        basis="household",
        received_on=timezone.localdate(),
    )
    client.force_login(coordinator)
    response = client.get(reverse("households:subject_access", args=[nguyen.pk, access_request.pk]))
    archive = archive_of(response)
    data = json.loads(archive.read("donnees.json"))
    assert {d["title"] for d in data["données"]["documents"]} == {"Bail", "Note Opac38"}
    assert len(data["données"]["versions des documents"]) == 3
    names = data["fichiers des documents"]
    assert sorted(names) == sorted(archive.namelist()[1:])
    assert archive.read(f"documents/{shared.pk}-v1-papier.pdf") == samples.pdf("v1")
    assert archive.read(f"documents/{shared.pk}-v2-b.pdf") == samples.pdf("v2")
    # The household is entitled to a confidential document, as to a confidential note.
    assert archive.read(f"documents/{secret.pk}-v1-papier.pdf") == samples.pdf("Note Opac38")


def _storage_with(env: dict) -> dict:
    code = (
        "import json, django; django.setup()\n"
        "from django.conf import settings\n"
        "print(json.dumps(settings.STORAGES['documents'], default=str))\n"
    )
    clean = {k: v for k, v in os.environ.items() if not k.startswith("DOCUMENTS_")}
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**clean, "DJANGO_SETTINGS_MODULE": "logement_toujours.settings", **env},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_the_storage_is_local_by_default_and_a_bucket_when_named(tmp_path):
    local = _storage_with({"VAR_DIR": str(tmp_path)})
    assert local["BACKEND"] == "django.core.files.storage.FileSystemStorage"
    assert local["OPTIONS"] == {"location": str(tmp_path / "documents"), "base_url": None}
    bucket = _storage_with(
        {
            "DOCUMENTS_S3_BUCKET": "documents-prod",
            "DOCUMENTS_S3_ENDPOINT_URL": "https://s3.example.org",
            "DOCUMENTS_S3_ENCRYPTION": "aws:kms",
        }
    )
    assert bucket["BACKEND"] == "storages.backends.s3.S3Storage"
    assert bucket["OPTIONS"]["bucket_name"] == "documents-prod"
    assert bucket["OPTIONS"]["endpoint_url"] == "https://s3.example.org"
    assert bucket["OPTIONS"]["default_acl"] == "private"
    assert bucket["OPTIONS"]["object_parameters"] == {"ServerSideEncryption": "aws:kms"}
