import threading
from datetime import date

import pytest
from django.db import connection

from actions.models import ActionStatus
from codecision import services
from codecision.models import CoDecision, CoDecisionAnswer, CoDecisionStatus
from core.errors import DomainError
from partners.models import Role
from tests.factories import orientation_create, user_create


@pytest.fixture
def codecision(flow):
    return orientation_create(cesf=flow.cesf, association=flow.association).action.codecisions.get()


@pytest.mark.parametrize(
    ("landlord", "association", "status"),
    [
        ("approve", "approve", CoDecisionStatus.APPROVED),
        ("reject", "reject", CoDecisionStatus.REJECTED),
        ("approve", "reject", CoDecisionStatus.DISAGREEMENT),
        ("reject", "approve", CoDecisionStatus.DISAGREEMENT),
        ("adjourn", "approve", CoDecisionStatus.ADJOURNED),
        ("approve", "", CoDecisionStatus.PENDING),
        ("", "", CoDecisionStatus.PENDING),
    ],
)
def test_status_follows_both_sides_answers(landlord, association, status):
    assert services.status_from_answers(landlord, association) == status


def test_an_outsider_partner_cannot_answer(codecision):
    with pytest.raises(DomainError, match="n'est pas partie"):
        services.codecision_answer(
            codecision=codecision, by=user_create(Role.CESF), answer="approve"
        )


def test_the_association_names_a_caseworker_of_its_own_as_referent(flow, codecision):
    with pytest.raises(DomainError, match="référent"):
        services.codecision_answer(codecision=codecision, by=flow.caseworker, answer="approve")
    other = user_create(Role.CASEWORKER)
    with pytest.raises(DomainError, match="référent"):
        services.codecision_answer(
            codecision=codecision, by=flow.caseworker, answer="approve", referent=other
        )


def test_an_adjourned_codecision_can_still_be_approved(flow, codecision):
    services.codecision_answer(
        codecision=codecision, by=flow.cesf, answer="adjourn", comment="Attendre le FSL"
    )
    services.codecision_answer(
        codecision=codecision, by=flow.caseworker, answer="approve", referent=flow.caseworker
    )
    codecision.refresh_from_db()
    assert codecision.status == CoDecisionStatus.ADJOURNED
    services.codecision_answer(codecision=codecision, by=flow.cesf, answer="approve")
    codecision.refresh_from_db()
    assert codecision.status == CoDecisionStatus.APPROVED
    assert codecision.answers.count() == 3


def test_a_closed_codecision_takes_no_more_answers(flow, codecision):
    services.codecision_answer(codecision=codecision, by=flow.cesf, answer="reject", comment="Non")
    services.codecision_answer(
        codecision=codecision, by=flow.caseworker, answer="reject", comment="Non"
    )
    with pytest.raises(DomainError, match="close"):
        services.codecision_answer(codecision=codecision, by=flow.cesf, answer="approve")


def test_a_coordinator_arbitrates_a_disagreement_by_rejecting(flow, codecision):
    services.codecision_answer(codecision=codecision, by=flow.cesf, answer="reject", comment="Non")
    services.codecision_answer(
        codecision=codecision, by=flow.caseworker, answer="approve", referent=flow.caseworker
    )
    services.codecision_arbitrate(
        codecision=codecision, by=flow.coordinator, decision="reject", comment="Hors critères"
    )
    codecision.refresh_from_db()
    assert codecision.status == CoDecisionStatus.REJECTED
    assert codecision.arbitrated_by == flow.coordinator
    assert codecision.action_link.action.status == ActionStatus.REJECTED
    assert "Arbitrage" in codecision.history.latest().history_change_reason


def test_a_reopened_arbitration_needs_both_approvals_again(flow, codecision):
    services.codecision_answer(codecision=codecision, by=flow.cesf, answer="reject", comment="Non")
    services.codecision_answer(
        codecision=codecision, by=flow.caseworker, answer="approve", referent=flow.caseworker
    )
    services.codecision_arbitrate(
        codecision=codecision, by=flow.coordinator, decision="reopen", comment="Revoir en comité"
    )
    services.codecision_answer(codecision=codecision, by=flow.cesf, answer="approve")
    codecision.refresh_from_db()
    assert codecision.status == CoDecisionStatus.PENDING
    assert not codecision.action_link.action.measures.exists()


def test_only_a_coordinator_arbitrates_and_only_a_disagreement(flow, codecision):
    with pytest.raises(DomainError, match="coordination"):
        services.codecision_arbitrate(
            codecision=codecision, by=flow.cesf, decision="reject", comment="x"
        )
    with pytest.raises(DomainError, match="désaccord"):
        services.codecision_arbitrate(
            codecision=codecision, by=flow.coordinator, decision="reject", comment="x"
        )


def test_a_committee_records_each_sides_answer(flow, codecision):
    session = services.committee_session_create(
        by=flow.coordinator,
        held_on=date(2026, 3, 3),
        codecisions=[codecision],
        participants=[flow.cesf, flow.caseworker],
    )
    with pytest.raises(DomainError, match="comité"):
        services.codecision_answer(
            codecision=codecision, by=flow.coordinator, answer="approve", side="landlord"
        )
    services.codecision_answer(
        codecision=codecision,
        by=flow.coordinator,
        answer="approve",
        side="landlord",
        session=session,
    )
    services.codecision_answer(
        codecision=codecision,
        by=flow.coordinator,
        answer="approve",
        side="association",
        session=session,
        referent=flow.caseworker,
    )
    codecision.refresh_from_db()
    assert codecision.status == CoDecisionStatus.APPROVED
    assert codecision.session == session
    assert {a.answered_by for a in codecision.answers.all()} == {flow.coordinator}
    services.committee_session_sign_off(session=session, by=flow.coordinator, notes="RAS")
    with pytest.raises(DomainError, match="déjà validé"):
        services.committee_session_sign_off(session=session, by=flow.coordinator)


def test_waiting_for_lists_what_each_partner_must_answer(flow, codecision):
    assert list(CoDecision.objects.waiting_for(flow.landlord)) == [codecision]
    assert list(CoDecision.objects.waiting_for(flow.association)) == [codecision]
    services.codecision_answer(codecision=codecision, by=flow.cesf, answer="approve")
    assert list(CoDecision.objects.waiting_for(flow.landlord)) == []
    assert list(CoDecision.objects.waiting_for(flow.association)) == [codecision]


@pytest.mark.django_db(transaction=True)
def test_two_sides_answering_at_once_both_keep_their_answer(flow):
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL (CI runs this on it)")
    codecision = orientation_create(
        cesf=flow.cesf, association=flow.association
    ).action.codecisions.get()
    barrier, errors = threading.Barrier(2), []

    def answer(user, **extra):
        try:
            barrier.wait()
            services.codecision_answer(codecision=codecision, by=user, answer="approve", **extra)
        except Exception as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [
        threading.Thread(target=answer, args=(flow.cesf,)),
        threading.Thread(
            target=answer, args=(flow.caseworker,), kwargs={"referent": flow.caseworker}
        ),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    codecision.refresh_from_db()
    assert CoDecisionAnswer.objects.filter(codecision=codecision).count() == 2
    assert (codecision.landlord_answer, codecision.association_answer) == ("approve", "approve")
    assert codecision.status == CoDecisionStatus.APPROVED
    assert codecision.action_link.action.measures.count() == 1
