"""Document pages as a social worker uses them: several files at once, a photo, from a
measure's page, the tab and its filter, the journal, the download's headers, a new version,
deletion; bad input answered in French with nothing saved."""

from datetime import date
from html import unescape
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from actions.models import SupportMeasure
from documents import services
from documents.models import Document
from households.models import AccessLogEntry, Household
from tests.documents import samples
from tests.helpers import form_token


def text(response) -> str:
    return unescape(response.content.decode())


def stored(location) -> list[Path]:
    return [path for path in Path(location).rglob("*") if path.is_file()]


def read(response) -> bytes:
    return b"".join(response.streaming_content)


@pytest.fixture
def nguyen(demo):
    return Household.objects.get(name="Nguyen")


@pytest.fixture
def caseworker(client, demo):
    client.force_login(demo["caseworker.oiseaubleu"])
    return demo["caseworker.oiseaubleu"]


def post_upload(client, household, **data):
    fields = {"kind": "income_proof", "dated_on": "2026-03-04", "title": "", **data}
    return client.post(reverse("documents:create", args=[household.pk]), fields)


def test_several_files_and_a_photo_at_once_from_the_household(client, nguyen, caseworker):
    form = text(client.get(reverse("documents:create", args=[nguyen.pk])))
    assert "multiple" in form and 'capture="environment"' in form
    assert 'enctype="multipart/form-data"' in form and "js/dropzone.js" in form
    response = post_upload(
        client,
        nguyen,
        files=[
            SimpleUploadedFile("avis d'impôt 2025.pdf", samples.pdf()),
            SimpleUploadedFile("bulletin.docx", samples.docx()),
        ],
        photo=SimpleUploadedFile("IMG_0042.HEIC", samples.heic_with_location()),
        title="Ressources « 2025 » 💶",
        confidential="on",
    )
    assert response.status_code == 302
    titles = set(Document.objects.filter(household=nguyen).values_list("title", flat=True))
    assert titles == {f"Ressources « 2025 » 💶 ({i}/3)" for i in (1, 2, 3)}
    assert set(Document.objects.values_list("confidential", flat=True)) == {True}
    page = text(client.get(response["Location"]))
    assert "3 documents sont enregistrés." in page
    assert page.count("(confidentiel, L'Oiseau Bleu)") == 3
    assert "IMG_0042.jpg" in page and "avis_d_impot_2025.pdf" in page


def test_the_upload_from_a_measure_links_the_document_and_returns_there(client, nguyen, caseworker):
    measure = SupportMeasure.objects.get(action__household=nguyen)
    measure_page = text(client.get(reverse("actions:measure_detail", args=[measure.pk])))
    link = f"{reverse('documents:create', args=[nguyen.pk])}?mesure={measure.pk}"
    assert link in measure_page and "Aucun document." in measure_page
    form = text(client.get(link))
    assert f'<option value="{measure.pk}" selected>' in form
    response = client.post(
        link,
        {
            "files": [SimpleUploadedFile("plan.pdf", samples.pdf())],
            "kind": "repayment_plan",
            "dated_on": "2026-03-04",
            "title": "Plan d'apurement",
            "measure": measure.pk,
            "action": measure.action_id,
        },
    )
    assert response["Location"] == reverse("actions:measure_detail", args=[measure.pk])
    document = Document.objects.get(title="Plan d'apurement")
    assert document.measure == measure and document.action == measure.action
    assert "Plan d'apurement" in text(client.get(response["Location"]))
    action_page = text(client.get(reverse("actions:action_detail", args=[measure.action_id])))
    assert "Plan d'apurement" in action_page


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (
            SimpleUploadedFile("jugement.pdf", samples.windows_executable()),
            "« jugement.pdf » n'est pas d'un type accepté",
        ),
        (SimpleUploadedFile("vide.pdf", b""), "Le fichier soumis est vide."),
        (None, "Choisissez au moins un fichier, ou prenez une photo."),
    ],
)
def test_a_refused_file_is_said_in_french_and_nothing_is_kept(
    client, nguyen, caseworker, documents_storage, upload, message
):
    data = {"files": [upload]} if upload else {}
    response = post_upload(client, nguyen, title="Jugement du 3 mars", **data)
    assert response.status_code == 400
    page = text(response)
    assert message in page
    assert 'value="Jugement du 3 mars"' in page  # what was typed is kept
    assert not Document.objects.exists()
    assert stored(documents_storage) == []


def test_a_file_over_the_limit_is_skipped_while_it_streams_in(
    client, nguyen, caseworker, settings, documents_storage
):
    settings.DOCUMENTS_MAX_UPLOAD_MB = 1
    big = SimpleUploadedFile("scan énorme.pdf", samples.pdf() + b"0" * (1024 * 1024 + 1))
    small = SimpleUploadedFile("petit.pdf", samples.pdf())
    response = post_upload(client, nguyen, files=[big, small])
    assert response.status_code == 400
    assert "« scan énorme.pdf » dépasse la taille maximale de 1 Mo" in text(response)
    assert not Document.objects.exists() and stored(documents_storage) == []


def test_a_date_in_the_future_is_refused_on_the_form(client, nguyen, caseworker):
    response = post_upload(
        client,
        nguyen,
        files=[SimpleUploadedFile("a.pdf", samples.pdf())],
        dated_on="2999-01-01",
    )
    assert response.status_code == 400
    assert "La date du document ne peut pas être dans le futur." in text(response)


def test_the_upload_checks_the_csrf_token(demo, nguyen):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(demo["caseworker.oiseaubleu"])
    response = post_upload(browser, nguyen, files=[SimpleUploadedFile("a.pdf", samples.pdf())])
    assert response.status_code == 403
    assert not Document.objects.exists()


def add(household, user, title, kind="lease", confidential=False, content=None):
    [document] = services.document_create(
        household=household,
        by=user,
        uploads=[SimpleUploadedFile("papier.pdf", content or samples.pdf(title))],
        kind=kind,
        title=title,
        dated_on=date(2026, 1, 15),
        confidential=confidential,
    )
    return document


def test_the_tab_filters_by_type(client, nguyen, caseworker):
    add(nguyen, caseworker, "Bail signé")
    add(nguyen, caseworker, "Jugement du TJ", kind="judgement")
    url = reverse("documents:list", args=[nguyen.pk])
    page = text(client.get(url))
    assert "Bail signé" in page and "Jugement du TJ" in page
    filtered = text(client.get(url, {"kind": "judgement"}))
    assert "Jugement du TJ" in filtered and "Bail signé" not in filtered
    assert "Documents (1)" in filtered
    assert "Bail signé" in text(client.get(url, {"kind": "nonsense"}))


def test_the_download_is_an_attachment_never_sniffed_nor_cached_and_logged(
    client, nguyen, caseworker
):
    document = add(nguyen, caseworker, "Bail « signé »")
    url = reverse("documents:download", args=[document.pk])
    response = client.get(url)
    assert response.status_code == 200
    assert read(response) == samples.pdf("Bail « signé »")
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="papier.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in response["Cache-Control"]
    assert AccessLogEntry.objects.filter(
        user=caseworker, household=nguyen, action="export", path=url
    ).exists()


def test_a_new_version_keeps_the_first_downloadable(client, nguyen, caseworker):
    document = add(nguyen, caseworker, "Bail", content=samples.pdf("première"))
    response = client.post(
        reverse("documents:version_create", args=[document.pk]),
        {"file": SimpleUploadedFile("bail-v2.pdf", samples.pdf("seconde"))},
    )
    assert response.status_code == 302
    latest = client.get(reverse("documents:download", args=[document.pk]))
    assert read(latest) == samples.pdf("seconde")
    first = client.get(reverse("documents:download_version", args=[document.pk, 1]))
    assert read(first) == samples.pdf("première")
    refused = client.post(
        reverse("documents:version_create", args=[document.pk]),
        {"file": SimpleUploadedFile("bail-v3.pdf", samples.plain_zip())},
    )
    assert refused.status_code == 400
    assert "n'est pas d'un type accepté" in text(refused)
    assert document.versions.count() == 2


def test_a_new_version_sent_twice_with_its_form_token_is_stored_once(client, nguyen, caseworker):
    document = add(nguyen, caseworker, "Bail", content=samples.pdf("première"))
    url = reverse("documents:version_create", args=[document.pk])
    listing = client.get(reverse("documents:list", args=[nguyen.pk])).content.decode()
    token = form_token(listing, url)
    assert token, "the form of a new version carries its one-time token"
    for _ in range(2):  # a double click
        upload = SimpleUploadedFile("bail-v2.pdf", samples.pdf("seconde"))
        response = client.post(url, {"file": upload, "submit_token": token})
        assert response.status_code == 302
    assert document.versions.count() == 2
    assert "n'a été enregistré qu'une fois" in text(client.get(response["Location"]))


def test_documents_are_in_the_journal_with_their_link(client, demo, nguyen, caseworker):
    shared = add(nguyen, caseworker, "Décision FSL", kind="fsl_decision")
    add(nguyen, caseworker, "Note interne", confidential=True)
    page = text(client.get(reverse("households:detail", args=[nguyen.pk])))
    assert "Document « Décision FSL » (décision fsl)" in page
    assert reverse("documents:download_version", args=[shared.pk, 1]) in page
    assert "Document « Note interne »" in page
    client.force_login(demo["cesf.opac38"])
    other = text(client.get(reverse("households:detail", args=[nguyen.pk])))
    assert "Document « Décision FSL »" in other
    assert "Note interne" not in other


def test_deletion_hides_the_document_at_once(client, demo, nguyen, caseworker):
    document = add(nguyen, caseworker, "Copie en double")
    response = client.post(reverse("documents:delete", args=[document.pk]))
    assert response.status_code == 302
    page = text(client.get(response["Location"]))
    assert "Le document « Copie en double » est supprimé." in page
    assert "Aucun document." in page
    assert client.get(reverse("documents:download", args=[document.pk])).status_code == 404
    assert Document.objects.filter(pk=document.pk).exists()  # until the purge


def test_the_tab_costs_the_same_queries_for_one_document_or_many(client, nguyen, caseworker):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    url = reverse("documents:list", args=[nguyen.pk])
    add(nguyen, caseworker, "Premier")
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    for number in range(5):
        add(nguyen, caseworker, f"Pièce {number}")
    with CaptureQueriesContext(connection) as six:
        page = text(client.get(url))
    assert "Documents (6)" in page
    assert len(six) == len(one)
