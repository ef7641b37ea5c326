"""Co-decision pages as the partners use them: waiting decisions, answers, arbitration,
committees, and the household page's workflow section."""

from datetime import timedelta

import pytest
from django.core.cache import caches
from django.urls import reverse
from django.utils import timezone

from actions.models import SupportMeasure
from codecision.models import CoDecision, CoDecisionAnswer, CommitteeSession
from households.models import Household
from tests.demo_access import FUNDERS, READS_DEMO_MINUTES, SEES_BENALI, USERS
from tests.factories import orientation_create
from tests.helpers import page_text


def codecision_of(name: str) -> CoDecision:
    return CoDecision.objects.get(household__name=name, purpose="start")


def page(client, user, url_name, *args, **kwargs):
    client.force_login(user)
    return client.get(reverse(url_name, args=args), **kwargs)


def test_pending_decisions_show_what_waits_for_my_partner(client, demo):
    text = page(client, demo["caseworker.ulisse"], "codecision:pending").content.decode()
    assert "Benali" in text  # Actis approved, Ulisse has not answered
    assert "Lefèvre" not in text  # Ulisse already rejected: in the coordination's hands
    text = page(client, demo["cesf.actis"], "codecision:pending").content.decode()
    assert "Benali" not in text  # Actis already approved
    text = page(client, demo["caseworker.oiseaubleu"], "codecision:pending").content.decode()
    assert "Garcia" in text  # adjourned: still waiting for a decision
    text = page(client, demo["coordinator.lt"], "codecision:pending").content.decode()
    assert "Benali" in text and "Lefèvre" in text and "Garcia" in text
    assert "Désaccord : arbitrage de la coordination" in text


def test_pending_page_query_count_does_not_grow(
    client, demo, flow, django_assert_max_num_queries, django_assert_num_queries
):
    client.force_login(flow.caseworker)
    orientation_create(cesf=flow.cesf, association=flow.association)
    client.get(reverse("codecision:pending"))
    with django_assert_max_num_queries(12) as first:
        response = client.get(reverse("codecision:pending"))
    assert "1 co-décision" in response.content.decode()
    for _ in range(5):
        orientation_create(cesf=flow.cesf, association=flow.association)
    with django_assert_num_queries(len(first.captured_queries)):
        response = client.get(reverse("codecision:pending"))
    assert "6 co-décisions" in response.content.decode()


def test_association_approves_with_a_referent_and_the_measure_starts(client, demo):
    codecision = codecision_of("Benali")
    caseworker = demo["caseworker.ulisse"]
    client.force_login(caseworker)
    starts_on = timezone.localdate() - timedelta(days=2)
    # Opened a week ago: a measure starts no earlier than its co-decision's opening.
    CoDecision.objects.filter(pk=codecision.pk).update(opened_at=timezone.now() - timedelta(days=7))
    response = client.post(
        reverse("codecision:answer", args=[codecision.pk]),
        {
            "answer": "approve",
            "comment": "Nous prenons la mesure.",
            "referent": caseworker.pk,
            "starts_on": starts_on.isoformat(),
        },
        follow=True,
    )
    assert "Co-décision : approuvée" in response.content.decode()
    measure = SupportMeasure.objects.get(action__household__name="Benali")
    assert measure.referent == caseworker and measure.starts_on == starts_on
    household_page = page(client, caseworker, "households:detail", measure.action.household_id)
    text = page_text(household_page)
    assert f"mesure en cours jusqu'au {measure.ends_on:%d/%m/%Y}" in text
    assert "renouvelable une fois" in text
    assert "Prochaine échéance" in text


def test_approving_without_a_referent_is_refused_in_french_and_nothing_is_saved(client, demo):
    codecision = codecision_of("Benali")
    client.force_login(demo["caseworker.ulisse"])
    before = CoDecisionAnswer.objects.count()
    response = client.post(
        reverse("codecision:answer", args=[codecision.pk]),
        {"answer": "approve", "comment": "Oui"},
    )
    assert response.status_code == 400
    assert "désigne le référent de la mesure" in response.content.decode()
    assert CoDecisionAnswer.objects.count() == before
    codecision.refresh_from_db()
    assert codecision.status == "pending"


def test_a_partner_outside_the_codecision_cannot_answer(client, demo):
    codecision = codecision_of("Benali")
    client.force_login(demo["caseworker.ozanam"])  # does not even see the household
    response = client.post(
        reverse("codecision:answer", args=[codecision.pk]), {"answer": "approve"}
    )
    assert response.status_code == 404
    client.force_login(demo["manager.ulisse"])  # sees it but Ulisse is not asked to decide
    response = client.post(
        reverse("codecision:answer", args=[codecision.pk]), {"answer": "adjourn"}
    )
    assert response.status_code == 302  # a manager answers for its partner


def test_coordinator_arbitrates_a_disagreement_but_never_approves(client, demo):
    codecision = codecision_of("Lefèvre")
    client.force_login(demo["coordinator.lt"])
    url = reverse("codecision:arbitrate", args=[codecision.pk])
    response = client.post(url, {"decision": "reopen", "comment": ""})
    assert response.status_code == 400
    assert "Ce champ est obligatoire" in response.content.decode()
    response = client.post(url, {"decision": "approve", "comment": "Allons-y"})
    assert response.status_code == 400
    response = client.post(url, {"decision": "reject", "comment": "Pas de place cette année."})
    assert response.status_code == 302
    codecision.refresh_from_db()
    assert codecision.status == "rejected"
    assert codecision.arbitrated_by == demo["coordinator.lt"]
    text = page(client, demo["coordinator.lt"], "codecision:detail", codecision.pk)
    assert "Pas de place cette année." in text.content.decode()


def test_only_a_coordinator_arbitrates(client, demo):
    codecision = codecision_of("Lefèvre")
    client.force_login(demo["cesf.opac38"])
    response = client.post(
        reverse("codecision:arbitrate", args=[codecision.pk]),
        {"decision": "reject", "comment": "Non"},
    )
    assert response.status_code == 403


def test_committee_records_a_side_answer_and_is_signed_off(client, demo):
    coordinator = demo["coordinator.lt"]
    client.force_login(coordinator)
    benali = codecision_of("Benali")
    response = client.post(
        reverse("codecision:session_create"),
        {
            "held_on": timezone.localdate().isoformat(),
            "participants": [demo["cesf.actis"].pk, demo["caseworker.ulisse"].pk],
            "codecisions": [benali.pk],
        },
    )
    session = CommitteeSession.objects.latest("pk")
    assert response.url == reverse("codecision:session_detail", args=[session.pk])
    response = client.post(
        reverse("codecision:answer", args=[benali.pk]),
        {
            "answer": "adjourn",
            "comment": "Revoir en comité après la visite.",
            "side": "association",
            "session": session.pk,
        },
    )
    assert response.status_code == 302
    text = page(client, coordinator, "codecision:session_detail", session.pk).content.decode()
    assert "Benali" in text and "Ajournée" in text
    response = client.post(
        reverse("codecision:session_sign_off", args=[session.pk]), {"notes": "Relevé."}
    )
    session.refresh_from_db()
    assert session.signed_off_by == coordinator
    response = client.post(reverse("codecision:session_sign_off", args=[session.pk]), {})
    assert response.status_code == 400
    assert "déjà validé" in response.content.decode()


def test_committee_without_agenda_is_refused_in_french(client, demo):
    client.force_login(demo["coordinator.lt"])
    response = client.post(
        reverse("codecision:session_create"), {"held_on": timezone.localdate().isoformat()}
    )
    assert "Inscrivez au moins une co-décision" in response.content.decode()


def test_household_page_shows_timeline_and_constant_queries(
    client, flow, django_assert_max_num_queries, django_assert_num_queries
):
    from tests.factories import both_approve

    orientation = orientation_create(cesf=flow.cesf, association=flow.association)
    household = orientation.household
    both_approve(
        orientation.action.codecisions.get(), landlord_user=flow.cesf, caseworker=flow.caseworker
    )
    client.force_login(flow.caseworker)
    url = reverse("households:detail", args=[household.pk])
    client.get(url)
    # Read afresh (what the page keeps per state of the case forgotten), as the next one is.
    caches["pages"].clear()
    with django_assert_max_num_queries(40) as first:
        text = page_text(client.get(url))
    assert "co-décision (démarrage de l'action)" in text and "approuvée" in text
    assert "Accompagnement" in text or "mesure d'accompagnement" in text
    measure = orientation.action.measures.get()
    from actions import services

    for index in range(4):
        services.objective_add(measure=measure, by=flow.caseworker, text=f"Objectif {index}")
    # The objectives added move the case's state: the page reads it afresh by itself.
    with django_assert_num_queries(len(first.captured_queries)):
        text = client.get(url).content.decode()
    assert "Objectif 3" in text


# --- Access matrix of the co-decision pages -------------------------------------------------


def expected(username: str, url_name: str) -> int:
    if url_name == "codecision:pending":
        return 403 if username in FUNDERS else 200
    if url_name == "codecision:detail":
        return 200 if username in SEES_BENALI else 404
    if url_name == "codecision:session_detail":
        return 200 if username in READS_DEMO_MINUTES else 403
    return 200 if username == "coordinator.lt" else 403


@pytest.mark.parametrize("username", USERS)
def test_access_matrix_of_codecision_pages(client, demo, username):
    client.force_login(demo[username])
    session = CommitteeSession.objects.first()
    pages = {
        "codecision:pending": [],
        "codecision:detail": [codecision_of("Benali").pk],
        "codecision:session_list": [],
        "codecision:session_create": [],
        "codecision:session_detail": [session.pk],
    }
    outcomes = {
        name: client.get(reverse(name, args=args)).status_code for name, args in pages.items()
    }
    assert outcomes == {name: expected(username, name) for name in pages}


@pytest.mark.parametrize("username", USERS)
def test_who_may_post_an_answer_on_benali(client, demo, username):
    """Actis (landlord) and Ulisse (association) answer; coordinators only with a committee;
    outsiders get 404; the rest 403."""
    client.force_login(demo[username])
    codecision = codecision_of("Benali")
    response = client.post(
        reverse("codecision:answer", args=[codecision.pk]),
        {"answer": "adjourn", "comment": "À revoir."},
    )
    answering = {"cesf.actis", "manager.actis", "caseworker.ulisse", "manager.ulisse"}
    if username in answering:
        assert response.status_code == 302
    elif username == "coordinator.lt":
        assert response.status_code == 400  # side and committee are required
    elif username in SEES_BENALI:
        assert response.status_code == 403
    else:
        assert response.status_code == 404
    assert Household.objects.filter(name="Benali").exists()


def test_a_renewal_codecision_shows_who_asked_for_it_and_why(client, demo):
    """The renewal of Dupont's measure was asked by Ozanam's caseworker, with its reason;
    the start co-decision keeps the CESF's orientation."""
    renewal = CoDecision.objects.get(household__name="Dupont", purpose="renewal")
    text = page_text(page(client, demo["cesf.opac38"], "codecision:detail", renewal.pk))
    asked = text.split("Proposée par")[1].split("Motif")[0]
    assert str(demo["caseworker.ozanam"]) in asked and "Relais Ozanam" in asked
    assert "Audience à venir : accompagnement à poursuivre." in text
    assert "Assignation reçue" not in text  # the orientation's reason is the start's
    assert "Mesure" in text and "Suivi de l'action" in text
    start = codecision_of("Dupont")
    text = page_text(page(client, demo["cesf.opac38"], "codecision:detail", start.pk))
    assert str(demo["cesf.opac38"]) in text.split("Proposée par")[1].split("Motif")[0]
    assert "Assignation reçue ; le ménage a repris le paiement du loyer." in text
