"""The demo's papers (logement_toujours/demo/documents.py): real one-page PDFs, added through
the documents service, shown on the pages to those who may see them, loaded fast and once."""

import io
import time

from django.urls import reverse
from pypdf import PdfReader

from documents.models import Document, DocumentKind
from households.models import Household, ProcedureStage
from logement_toujours.demo import documents as documents_demo


def test_the_demo_papers_are_in_the_case_files_and_load_fast_and_once(client, demo):
    began = time.monotonic()
    assert documents_demo.load(demo) == len(documents_demo.PAPERS)
    assert time.monotonic() - began < 5
    assert documents_demo.load(demo) == 0  # idempotent
    rousseau = Household.objects.get(name="Rousseau")
    judgement = Document.objects.get(household=rousseau, kind=DocumentKind.JUDGEMENT)
    assert judgement.procedure == rousseau.procedure
    assert judgement.procedure_step == ProcedureStage.JUDGEMENT
    plan = Document.objects.get(household=rousseau, kind=DocumentKind.REPAYMENT_PLAN)
    assert plan.measure.action.household == rousseau

    client.force_login(demo["cesf.opac38"])
    page = client.get(reverse("documents:list", args=[rousseau.pk])).content.decode()
    assert "Jugement — délais de paiement de 24 mois" in page
    download = client.get(reverse("documents:download", args=[judgement.pk]))
    assert download.status_code == 200
    text = PdfReader(io.BytesIO(b"".join(download.streaming_content))).pages[0].extract_text()
    assert "Clause résolutoire suspendue" in text

    # The confidential one stays with L'Oiseau Bleu.
    nguyen = Household.objects.get(name="Nguyen")
    url = reverse("documents:list", args=[nguyen.pk])
    assert "Attestation CAF" not in client.get(url).content.decode()
    client.force_login(demo["caseworker.oiseaubleu"])
    assert "Attestation CAF" in client.get(url).content.decode()


def test_load_all_adds_the_papers_unless_told_not_to(demo):
    from logement_toujours.demo import load_all

    assert not Document.objects.exists()  # the tests' demo comes without them
    load_all()
    assert Document.objects.count() == len(documents_demo.PAPERS)
