"""A document about the eviction procedure names one of the household's stages
(households.models.ProcedureStage, one list for the whole application) and is tied to the
household's one procedure, whatever its action."""

import documents.models
from documents.forms import DocumentUploadForm
from documents.models import Document
from households.models import Household, ProcedureStage
from tests.helpers import api_for, upload_judgement

STAGES_OF_A_DOCUMENT = [c for c in ProcedureStage.choices if c[0] != ProcedureStage.NONE]


def test_one_list_of_stages_for_households_and_documents(demo):
    assert not hasattr(documents.models, "ProcedureStep")
    assert Document._meta.get_field("procedure_step").choices == STAGES_OF_A_DOCUMENT
    household = Household.objects.get(name="Rousseau")
    form = DocumentUploadForm(household=household, user=demo["caseworker.ulisse"])
    assert form.fields["procedure_step"].choices == [("", "Aucune"), *STAGES_OF_A_DOCUMENT]


def test_a_stage_ties_the_document_to_the_households_procedure(demo):
    rousseau = Household.objects.get(name="Rousseau")
    api = api_for(demo["cesf.opac38"])
    response = upload_judgement(
        api, rousseau, procedure_step="unpaid_rent", title="Relevé d'impayés"
    )
    assert response.status_code == 201, response.content
    document = Document.objects.get(pk=response.json()[0]["id"])
    assert document.procedure == rousseau.procedure
    assert document.get_procedure_step_display() == "Impayés (avant commandement)"


def test_a_stage_without_a_procedure_is_a_400_in_french(demo):
    nguyen = Household.objects.get(name="Nguyen")
    assert not hasattr(nguyen, "procedure")
    response = upload_judgement(
        api_for(demo["caseworker.oiseaubleu"]), nguyen, procedure_step="hearing"
    )
    assert response.status_code == 400
    assert "pas de procédure d'expulsion" in str(response.json()["procedure_step"])
    assert not Document.objects.filter(household=nguyen).exists()
