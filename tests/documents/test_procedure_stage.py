"""A document about the eviction procedure names one of the household's stages
(households.models.ProcedureStage, one list for the whole application) and is tied to the
household's one procedure, whatever its action."""

from django.core.files.uploadedfile import SimpleUploadedFile

import documents.models
from documents.forms import DocumentUploadForm
from documents.models import Document
from households.models import Household, ProcedureStage
from tests.documents import samples
from tests.helpers import api_for

STAGES_OF_A_DOCUMENT = [c for c in ProcedureStage.choices if c[0] != ProcedureStage.NONE]


def upload(api, household, **fields):
    data = {"household": household.pk, "kind": "judgement", "dated_on": "2026-02-01", **fields}
    files = [SimpleUploadedFile("jugement.pdf", samples.pdf("jugement"))]
    return api.post("/api/documents/", {**data, "files": files}, format="multipart")


def test_one_list_of_stages_for_households_and_documents(demo):
    assert not hasattr(documents.models, "ProcedureStep")
    assert Document._meta.get_field("procedure_step").choices == STAGES_OF_A_DOCUMENT
    household = Household.objects.get(name="Rousseau")
    form = DocumentUploadForm(household=household, user=demo["caseworker.ulisse"])
    assert form.fields["procedure_step"].choices == [("", "Aucune"), *STAGES_OF_A_DOCUMENT]


def test_a_stage_ties_the_document_to_the_households_procedure(demo):
    rousseau = Household.objects.get(name="Rousseau")
    api = api_for(demo["cesf.opac38"])
    response = upload(api, rousseau, procedure_step="unpaid_rent", title="Relevé d'impayés")
    assert response.status_code == 201, response.content
    document = Document.objects.get(pk=response.json()[0]["id"])
    assert document.procedure == rousseau.procedure
    assert document.get_procedure_step_display() == "Impayés (avant commandement)"


def test_a_stage_without_a_procedure_is_a_400_in_french(demo):
    nguyen = Household.objects.get(name="Nguyen")
    assert not hasattr(nguyen, "procedure")
    response = upload(api_for(demo["caseworker.oiseaubleu"]), nguyen, procedure_step="hearing")
    assert response.status_code == 400
    assert "pas de procédure d'expulsion" in str(response.json()["procedure_step"])
    assert not Document.objects.filter(household=nguyen).exists()
