"""The committee's answers in one form: one row per co-decision of its agenda and per side
represented; all recorded or none; participants shown with their organisation."""

import re

from django.urls import reverse
from django.utils import timezone

from codecision import services
from codecision.models import CoDecisionStatus
from tests.factories import orientation_create
from tests.helpers import page_text


def agenda(flow, count=2, participants=None):
    codecisions = [
        orientation_create(cesf=flow.cesf, association=flow.association).action.codecisions.get()
        for _ in range(count)
    ]
    session = services.committee_session_create(
        by=flow.coordinator,
        held_on=timezone.localdate(),
        codecisions=codecisions,
        participants=participants if participants is not None else [flow.cesf, flow.caseworker],
    )
    return session, codecisions


def test_the_coordinator_records_every_answer_of_the_committee_at_once(client, flow):
    session, (first, second) = agenda(flow)
    client.force_login(flow.coordinator)
    url = reverse("codecision:session_answers", args=[session.pk])
    page = page_text(client.get(url))
    for codecision in (first, second):
        for side in ("landlord", "association"):
            assert f'name="cd{codecision.pk}-{side}-answer"' in page
        assert f'name="cd{codecision.pk}-association-referent"' in page
        assert f'name="cd{codecision.pk}-landlord-referent"' not in page
    assert f"{flow.cesf} — {flow.landlord}" in page  # participants with their organisation
    ids = re.findall(r'\sid="([^"]+)"', page)
    assert len(ids) == len(set(ids))
    response = client.post(
        url,
        {
            f"cd{first.pk}-landlord-answer": "approve",
            f"cd{first.pk}-association-answer": "approve",
            f"cd{first.pk}-association-referent": str(flow.caseworker.pk),
            f"cd{second.pk}-landlord-answer": "reject",
            f"cd{second.pk}-landlord-comment": "Le ménage a déménagé 🙂",
            f"cd{second.pk}-association-answer": "",
        },
    )
    assert response.status_code == 302
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == CoDecisionStatus.APPROVED and first.session == session
    assert second.landlord_answer == "reject" and second.association_answer == ""
    assert second.answers.get().comment == "Le ménage a déménagé 🙂"
    page = page_text(client.get(url))
    assert f'name="cd{first.pk}-landlord-answer"' not in page  # decided: no row left
    assert f'name="cd{second.pk}-landlord-answer"' not in page  # answered: waits for the other
    assert f'name="cd{second.pk}-association-answer"' in page


def test_one_refused_answer_records_none_and_says_which_row(client, flow):
    session, (first, second) = agenda(flow)
    client.force_login(flow.coordinator)
    url = reverse("codecision:session_answers", args=[session.pk])
    response = client.post(
        url,
        {
            f"cd{first.pk}-landlord-answer": "approve",
            f"cd{second.pk}-landlord-answer": "reject",  # a refusal needs its reason
        },
    )
    page = page_text(response)
    assert response.status_code == 400
    assert "Motivez le refus" in page and "data-error-summary" in page
    assert f'href="#id_cd{second.pk}-landlord-comment"' in page
    first.refresh_from_db()
    assert first.landlord_answer == "" and not first.answers.exists()


def test_a_side_not_represented_has_no_row(client, flow):
    session, (codecision,) = agenda(flow, count=1, participants=[flow.cesf])
    client.force_login(flow.coordinator)
    page = page_text(client.get(reverse("codecision:session_answers", args=[session.pk])))
    assert f'name="cd{codecision.pk}-landlord-answer"' in page
    assert f'name="cd{codecision.pk}-association-answer"' not in page
    assert f"{flow.association} n'est pas représenté au comité" in page


def test_only_the_coordination_records_a_committee_s_answers(client, flow):
    session, _ = agenda(flow, count=1)
    client.force_login(flow.cesf)
    url = reverse("codecision:session_answers", args=[session.pk])
    assert client.get(url).status_code == 403
    assert client.post(url, {}).status_code == 403


def test_the_committee_page_leads_to_the_answers_page(client, flow):
    session, _ = agenda(flow, count=1)
    client.force_login(flow.coordinator)
    page = page_text(client.get(reverse("codecision:session_detail", args=[session.pk])))
    assert reverse("codecision:session_answers", args=[session.pk]) in page


def test_the_participant_picker_names_each_organisation(client, flow):
    client.force_login(flow.coordinator)
    page = page_text(client.get(reverse("codecision:session_create")))
    assert f"{flow.caseworker} — {flow.association} (" in page


def test_on_a_co_decision_of_the_agenda_the_committee_is_already_named(client, flow):
    session, (codecision,) = agenda(flow, count=1)
    client.force_login(flow.coordinator)
    page = page_text(client.get(reverse("codecision:detail", args=[codecision.pk])))
    assert f'<option value="{session.pk}" selected>' in page
