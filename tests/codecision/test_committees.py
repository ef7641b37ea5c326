"""Committees: answers only for the partners represented, on or after the committee's date;
a signed committee changes through no route; no signature with an item still pending unless
it is adjourned; the partners represented read the minutes."""

import html
from datetime import date, timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from codecision import services
from codecision.models import Answer, CoDecisionAnswer, CoDecisionStatus, CommitteeItem
from core.errors import DomainError
from partners.models import Role
from tests.factories import orientation_create, user_create
from tests.helpers import api_for, pdf_text


@pytest.fixture
def codecision(flow):
    orientation = orientation_create(cesf=flow.cesf, association=flow.association)
    return orientation.action.codecisions.get()


@pytest.fixture
def session(flow, codecision):
    """A committee held today where only the landlord is represented."""
    return services.committee_session_create(
        by=flow.coordinator,
        held_on=timezone.localdate(),
        codecisions=[codecision],
        participants=[flow.cesf],
    )


def record(flow, codecision, session, side, answer=Answer.ADJOURN, **extra):
    return services.codecision_answer(
        codecision=codecision,
        by=flow.coordinator,
        answer=answer,
        side=side,
        session=session,
        comment="Réponse donnée en séance — « à revoir » 🙂",
        **extra,
    )


def minutes_table(client, session) -> str:
    page = client.get(reverse("codecision:session_detail", args=[session.pk])).content.decode()
    return page.split("Ordre du jour et décisions")[1].split("</table>")[0]


def test_an_answer_for_a_partner_not_represented_is_refused(flow, codecision, session):
    with pytest.raises(DomainError, match="n'est pas représenté au Comité du"):
        record(flow, codecision, session, "association")
    record(flow, codecision, session, "landlord")
    assert [a.side for a in CoDecisionAnswer.objects.filter(codecision=codecision)] == ["landlord"]


def test_an_answer_for_a_partner_not_represented_is_refused_on_the_page_and_in_the_api(
    client, flow, codecision, session
):
    client.force_login(flow.coordinator)
    response = client.post(
        reverse("codecision:answer", args=[codecision.pk]),
        {"answer": Answer.ADJOURN, "side": "association", "session": session.pk},
    )
    assert response.status_code == 400
    assert "n'est pas représenté" in html.unescape(response.content.decode())
    response = api_for(flow.coordinator).post(
        f"/api/codecisions/{codecision.pk}/adjourn/",
        {"side": "association", "session": session.pk},
        format="json",
    )
    assert response.status_code == 400
    assert not codecision.answers.exists()


def test_answers_are_recorded_on_or_after_the_committee_date(flow, codecision):
    held_on = timezone.localdate() + timedelta(days=3)
    session = services.committee_session_create(
        by=flow.coordinator, held_on=held_on, codecisions=[codecision], participants=[flow.cesf]
    )
    with pytest.raises(DomainError, match="n'a pas encore eu lieu"):
        record(flow, codecision, session, "landlord")
    with time_machine.travel(held_on):
        record(flow, codecision, session, "landlord")
    assert codecision.answers.get().session == session


def test_a_partner_cannot_write_into_a_committee_through_the_api(flow, codecision, session):
    response = api_for(flow.caseworker).post(
        f"/api/codecisions/{codecision.pk}/adjourn/", {"session": session.pk}, format="json"
    )
    assert response.status_code == 400
    assert "Seule la coordination" in str(response.data)
    assert not codecision.answers.exists()


def test_nothing_changes_in_a_signed_committee_through_any_route(client, flow, codecision):
    session = services.committee_session_create(
        by=flow.coordinator,
        held_on=timezone.localdate(),
        codecisions=[codecision],
        participants=[flow.cesf, flow.caseworker],
    )
    record(flow, codecision, session, "landlord", Answer.APPROVE)
    record(flow, codecision, session, "association", Answer.ADJOURN)
    services.committee_session_sign_off(session=session, by=flow.coordinator, notes="Relevé")
    client.force_login(flow.coordinator)
    before = minutes_table(client, session)
    for user, payload in (
        (flow.caseworker, {"session": session.pk}),
        (flow.coordinator, {"session": session.pk, "side": "association"}),
    ):
        response = api_for(user).post(
            f"/api/codecisions/{codecision.pk}/adjourn/", payload, format="json"
        )
        assert response.status_code == 400
    with pytest.raises(DomainError, match="signé"):
        record(flow, codecision, session, "association", Answer.REJECT)
    with pytest.raises(DomainError, match="déjà validé"):
        services.committee_session_sign_off(session=session, by=flow.coordinator, notes="Autre")
    assert codecision.answers.filter(session=session).count() == 2
    # The adjourned item leaves the agenda: the partners' later answers do not rewrite it.
    services.codecision_answer(
        codecision=codecision, by=flow.caseworker, answer=Answer.REJECT, comment="Hors critères."
    )
    codecision.refresh_from_db()
    assert codecision.status == CoDecisionStatus.DISAGREEMENT
    after = minutes_table(client, session)
    assert after == before
    assert "Ajournée à un prochain comité" in after
    session.refresh_from_db()
    assert session.notes == "Relevé"


def test_signing_with_an_item_still_pending_is_refused_unless_it_is_adjourned(
    client, flow, codecision, session
):
    with pytest.raises(DomainError, match="attendent encore une décision"):
        services.committee_session_sign_off(session=session, by=flow.coordinator)
    client.force_login(flow.coordinator)
    url = reverse("codecision:session_sign_off", args=[session.pk])
    response = client.post(url, {"notes": "Relevé"})
    assert response.status_code == 400
    assert "ajournez-les explicitement" in response.content.decode()
    session.refresh_from_db()
    assert session.signed_off_at is None
    response = client.post(url, {"notes": "Relevé", "adjourned": [codecision.pk]})
    assert response.status_code == 302
    [item] = CommitteeItem.objects.filter(session=session)
    assert (item.codecision, item.adjourned) == (codecision, True)
    codecision.refresh_from_db()
    assert codecision.session is None and codecision.is_open
    assert "Ajournée par le Comité" in codecision.history.latest().history_change_reason
    # Free for the next committee's agenda.
    later = services.committee_session_create(
        by=flow.coordinator, held_on=timezone.localdate(), codecisions=[codecision]
    )
    assert later.codecisions.get() == codecision


def test_an_item_on_another_committees_agenda_is_refused(flow, codecision, session):
    with pytest.raises(DomainError, match="déjà à l'ordre du jour"):
        services.committee_session_create(
            by=flow.coordinator, held_on=date(2026, 12, 1), codecisions=[codecision]
        )


def test_the_partners_represented_read_the_minutes_and_no_one_else(
    client, flow, codecision, session
):
    services.committee_session_sign_off(
        session=session, by=flow.coordinator, adjourned=[codecision]
    )
    household = codecision.household
    client.force_login(flow.cesf)
    response = client.get(reverse("codecision:session_detail", args=[session.pk]))
    assert response.status_code == 200
    assert household.reference in response.content.decode()
    assert "Valider le compte rendu" not in response.content.decode()
    _, text = pdf_text(client.get(reverse("codecision:minutes_pdf", args=[session.pk])))
    assert household.reference in text
    for outsider in (flow.caseworker, user_create(Role.CESF), user_create(Role.FUNDER_VIEWER)):
        client.force_login(outsider)
        for name in ("codecision:session_detail", "codecision:minutes_pdf"):
            assert client.get(reverse(name, args=[session.pk])).status_code == 403
