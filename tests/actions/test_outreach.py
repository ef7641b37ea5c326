"""Outreach requests (« demandes d'aller-vers »): a landlord asks an association to reach
its tenant; the association accepts (and is involved in the file) or declines with a reason;
its contacts are « aller-vers » follow-ups; the request is in the case journal and the PDF
(issue 19, part 6)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from actions import services
from actions.models import FollowUpKind, OutreachRequest, OutreachStatus
from cases.summary import case_summary
from cases.timeline import case_workflow
from core.errors import DomainError
from households.involvement import Access, stored_access
from households.models import Household
from notifications.models import Notification
from notifications.services import to_do_count
from partners.models import Role
from tests.demo_access import FUNDERS, USERS
from tests.factories import household_create, orientation_create, user_create
from tests.helpers import pdf_text, sees, summary_pdf

REASON = "Ne répond plus depuis mars ; courrier revenu « NPAI » 📭."


def access_of(household, partner) -> Access:
    return stored_access([household.pk]).get((household.pk, partner.group_id), Access.NONE)


def test_an_accepted_request_involves_the_association_until_it_ends(
    flow, django_capture_on_commit_callbacks
):
    household = household_create(by=flow.cesf, name="Müller-Ñúñez")
    with django_capture_on_commit_callbacks(execute=True):
        request = services.outreach_request_create(
            household=household, by=flow.cesf, association=flow.association, reason=REASON
        )
    assert request.status == OutreachStatus.PENDING
    # Asked, the association reads the request, never the file.
    assert not sees(flow.caseworker, household)
    assert to_do_count(flow.caseworker) == 1
    asked = Notification.objects.get(recipient=flow.caseworker, kind="outreach_requested")
    assert household.reference in asked.text and "Müller" not in asked.text

    with django_capture_on_commit_callbacks(execute=True):
        services.outreach_answer(request=request, by=flow.caseworker, decision="accept")
    assert sees(flow.caseworker, household)
    assert access_of(household, flow.association) == Access.CHANGE
    assert to_do_count(flow.caseworker) == 0
    answered = Notification.objects.get(recipient=flow.cesf, kind="outreach_answered")
    assert "accepte" in answered.text

    follow_up = services.follow_up_create(
        household=household,
        by=flow.caseworker,
        data={
            "happened_on": timezone.localdate(),
            "kind": FollowUpKind.OUTREACH,
            "summary": "Visite : Mme est présente, rendez-vous pris.",
        },
    )
    assert follow_up.get_kind_display().startswith("Aller-vers")

    services.outreach_close(request=request, by=flow.caseworker, reason="Contact rétabli.")
    request.refresh_from_db()
    assert request.status == OutreachStatus.CLOSED and request.closed_at
    # Ended: it reads the file for the grace period only.
    assert access_of(household, flow.association) == Access.READ

    workflow = case_workflow(household)
    assert [o.pk for o in workflow.outreach_requests] == [request.pk]
    summary = case_summary(household, flow.cesf)
    assert summary.workflow.outreach_requests[0].reason == REASON


def test_declining_needs_a_reason_and_gives_no_access(flow, django_capture_on_commit_callbacks):
    household = household_create(by=flow.cesf)
    request = services.outreach_request_create(
        household=household, by=flow.cesf, association=flow.association, reason=REASON
    )
    with pytest.raises(DomainError, match="Motivez le refus") as refused:
        services.outreach_answer(request=request, by=flow.caseworker, decision="decline")
    assert refused.value.field == "reason"
    with django_capture_on_commit_callbacks(execute=True):
        services.outreach_answer(
            request=request, by=flow.caseworker, decision="decline", reason="Équipe complète."
        )
    request.refresh_from_db()
    assert request.status == OutreachStatus.DECLINED
    assert request.answer_reason == "Équipe complète."
    assert not sees(flow.caseworker, household)
    assert "décline" in Notification.objects.get(recipient=flow.cesf, kind="outreach_answered").text
    with pytest.raises(DomainError, match="déjà reçu sa réponse"):
        services.outreach_answer(request=request, by=flow.caseworker, decision="accept")
    # Declined, the landlord may ask again.
    again = services.outreach_request_create(
        household=household, by=flow.cesf, association=flow.association, reason="Nouvelle demande."
    )
    assert again.status == OutreachStatus.PENDING


def test_only_the_current_landlord_asks_and_only_the_association_asked_answers(flow):
    household = household_create(by=flow.cesf)
    stranger = user_create(Role.CESF)
    with pytest.raises(DomainError, match="bailleur actuel"):
        services.outreach_request_create(
            household=household, by=stranger, association=flow.association, reason=REASON
        )
    with pytest.raises(DomainError) as blank:
        services.outreach_request_create(
            household=household, by=flow.cesf, association=flow.association, reason="   "
        )
    assert blank.value.field == "reason"
    with pytest.raises(DomainError, match="texte compte"):
        services.outreach_request_create(
            household=household, by=flow.cesf, association=flow.association, reason="é" * 10_001
        )
    request = services.outreach_request_create(
        household=household, by=flow.cesf, association=flow.association, reason=REASON
    )
    with pytest.raises(DomainError, match="déjà en cours"):
        services.outreach_request_create(
            household=household, by=flow.cesf, association=flow.association, reason=REASON
        )
    other = user_create(Role.CASEWORKER)
    with pytest.raises(DomainError, match="Seule l'association sollicitée"):
        services.outreach_answer(request=request, by=other, decision="accept")
    with pytest.raises(DomainError, match="accepté et en cours"):
        services.outreach_close(request=request, by=flow.cesf)


def test_the_pages_ask_answer_and_log_a_contact(client, flow):
    household = household_create(by=flow.cesf)
    client.force_login(flow.cesf)
    detail = client.get(reverse("households:detail", args=[household.pk])).content.decode()
    create_url = reverse("actions:outreach_create", args=[household.pk])
    assert create_url in detail
    response = client.post(create_url, {"association": flow.association.pk, "reason": ""})
    assert response.status_code == 200 and "Ce champ est obligatoire" in response.content.decode()
    response = client.post(create_url, {"association": flow.association.pk, "reason": REASON})
    request = OutreachRequest.objects.get(household=household)
    assert response.status_code == 302 and response.url == reverse(
        "actions:outreach_detail", args=[request.pk]
    )

    client.force_login(flow.caseworker)
    url = reverse("actions:outreach_detail", args=[request.pk])
    page = client.get(url).content.decode()
    assert household.reference in page and REASON in page.replace("&#x27;", "'")
    assert household.name not in page  # the file opens only once accepted
    response = client.post(url, {"decision": "decline", "reason": ""})
    assert "Motivez le refus" in response.content.decode()
    response = client.post(url, {"decision": "accept", "reason": ""})
    assert response.status_code == 302
    page = client.get(url).content.decode()
    follow_up_url = reverse("actions:follow_up_create", args=[household.pk]) + "?type=aller-vers"
    assert follow_up_url in page
    form = client.get(follow_up_url).content.decode()
    assert 'value="outreach" selected' in form or 'value="outreach" checked' in form
    response = client.post(
        follow_up_url,
        {
            "happened_on": timezone.localdate().isoformat(),
            "kind": "outreach",
            "summary": "Porte close, mot laissé.",
        },
    )
    assert response.status_code == 302
    assert "Porte close" in client.get(url).content.decode()
    # The case journal shows the request.
    journal = client.get(reverse("households:detail", args=[household.pk])).content.decode()
    assert "Demande d&#x27;aller-vers" in journal or "Demande d'aller-vers" in journal


def test_the_pdf_summary_has_the_request_its_answer_and_the_contacts(client, flow):
    household = household_create(by=flow.cesf)
    request = services.outreach_request_create(
        household=household, by=flow.cesf, association=flow.association, reason="Injoignable."
    )
    services.outreach_answer(request=request, by=flow.caseworker, decision="accept")
    services.follow_up_create(
        household=household,
        by=flow.caseworker,
        data={
            "happened_on": timezone.localdate(),
            "kind": FollowUpKind.OUTREACH,
            "summary": "Porte close, mot laissé.",
        },
    )
    _, text = pdf_text(summary_pdf(client, flow.cesf, household))
    after = text.split("Demandes d'aller-vers", 1)[1].strip()
    assert after.startswith(
        f"{timezone.localdate():%d/%m/%Y} — {flow.landlord} demande à {flow.association} "
        "d'aller vers le ménage : Injoignable. — acceptée : l'association va vers le ménage"
    )
    assert "Aller-vers (locataire qui ne répond plus au bailleur)" in after


def test_the_api_asks_answers_and_closes(client, flow):
    household = household_create(by=flow.cesf)
    client.force_login(flow.cesf)
    created = client.post(
        "/api/outreach-requests/",
        {"household": household.pk, "association": flow.association.pk, "reason": REASON},
        content_type="application/json",
    )
    assert created.status_code == 201, created.content
    pk = created.json()["id"]
    assert created.json()["status"] == "pending"
    blank = client.post(
        "/api/outreach-requests/",
        {"household": household.pk, "association": flow.association.pk, "reason": ""},
        content_type="application/json",
    )
    assert blank.status_code == 400 and "reason" in blank.json()
    assert (
        client.post(
            f"/api/outreach-requests/{pk}/answer/",
            {"decision": "accept"},
            content_type="application/json",
        ).status_code
        == 403
    )

    client.force_login(flow.caseworker)
    declined = client.post(
        f"/api/outreach-requests/{pk}/answer/",
        {"decision": "decline"},
        content_type="application/json",
    )
    assert declined.status_code == 400 and "reason" in declined.json()
    accepted = client.post(
        f"/api/outreach-requests/{pk}/answer/",
        {"decision": "accept"},
        content_type="application/json",
    )
    assert accepted.status_code == 200 and accepted.json()["status"] == "accepted"
    closed = client.post(f"/api/outreach-requests/{pk}/close/", {}, content_type="application/json")
    assert closed.status_code == 200 and closed.json()["status"] == "closed"
    outsider = user_create(Role.CASEWORKER)
    client.force_login(outsider)
    assert client.get(f"/api/outreach-requests/{pk}/").status_code == 404
    assert client.get("/api/outreach-requests/").json()["count"] == 0


def test_the_landlord_withdraws_a_request_still_waiting(flow, django_capture_on_commit_callbacks):
    household = household_create(by=flow.cesf)
    with django_capture_on_commit_callbacks(execute=True):
        request = services.outreach_request_create(
            household=household, by=flow.cesf, association=flow.association, reason=REASON
        )
    assert to_do_count(flow.caseworker) == 1
    with pytest.raises(DomainError, match="Seul le bailleur qui a fait la demande"):
        services.outreach_withdraw(request=request, by=flow.caseworker)
    with django_capture_on_commit_callbacks(execute=True):
        services.outreach_withdraw(request=request, by=flow.cesf, reason="Le locataire a rappelé.")
    request.refresh_from_db()
    assert request.status == OutreachStatus.WITHDRAWN and request.closed_at
    assert request.history.first().history_change_reason == (
        "Demande d'aller-vers retirée — Le locataire a rappelé."
    )
    # The association's task is done and it is told, without a word of the file.
    assert to_do_count(flow.caseworker) == 0
    task = Notification.objects.get(recipient=flow.caseworker, kind="outreach_requested")
    assert task.done_at is not None
    told = Notification.objects.get(recipient=flow.caseworker, kind="outreach_withdrawn")
    assert household.reference in told.text and "retire sa demande" in told.text
    assert told.household is None
    assert not sees(flow.caseworker, household)
    assert access_of(household, flow.association) == Access.NONE
    with pytest.raises(DomainError, match="déjà reçu sa réponse"):
        services.outreach_answer(request=request, by=flow.caseworker, decision="accept")
    # Withdrawn, the landlord may ask the same association again.
    again = services.outreach_request_create(
        household=household, by=flow.cesf, association=flow.association, reason=REASON
    )
    assert again.status == OutreachStatus.PENDING


@pytest.mark.parametrize("decision", ["accept", "decline"])
def test_an_answered_request_is_not_withdrawn(flow, decision):
    household = household_create(by=flow.cesf)
    request = services.outreach_request_create(
        household=household, by=flow.cesf, association=flow.association, reason=REASON
    )
    services.outreach_answer(
        request=request, by=flow.caseworker, decision=decision, reason="Équipe complète."
    )
    with pytest.raises(DomainError, match=r"déjà reçu sa réponse.*ne se retire plus"):
        services.outreach_withdraw(request=request, by=flow.cesf)
    request.refresh_from_db()
    assert request.status != OutreachStatus.WITHDRAWN
    if decision == "accept":
        assert access_of(household, flow.association) == Access.CHANGE


def test_withdrawing_takes_away_no_involvement_the_association_has_otherwise(flow):
    """The association already works on the household (an orientation to it): a request to
    it withdrawn leaves it that access; a request to another association leaves it too."""
    orientation = orientation_create(cesf=flow.cesf, association=flow.association)
    household = orientation.household
    before = access_of(household, flow.association)
    assert before != Access.NONE
    request = services.outreach_request_create(
        household=household, by=flow.cesf, association=flow.association, reason=REASON
    )
    services.outreach_withdraw(request=request, by=flow.cesf)
    assert access_of(household, flow.association) == before
    assert sees(flow.caseworker, household)


def test_the_page_withdraws_after_a_confirmation(client, flow):
    household = household_create(by=flow.cesf)
    request = services.outreach_request_create(
        household=household, by=flow.cesf, association=flow.association, reason=REASON
    )
    detail_url = reverse("actions:outreach_detail", args=[request.pk])
    withdraw_url = reverse("actions:outreach_withdraw", args=[request.pk])
    client.force_login(flow.caseworker)
    assert withdraw_url not in client.get(detail_url).content.decode()
    assert client.post(withdraw_url, {}).status_code == 403
    client.force_login(flow.cesf)
    assert withdraw_url in client.get(detail_url).content.decode()
    confirmation = client.get(withdraw_url)
    assert confirmation.status_code == 200
    assert "Confirmer le retrait de la demande" in confirmation.content.decode()
    request.refresh_from_db()
    assert request.status == OutreachStatus.PENDING  # nothing done before the confirmation
    response = client.post(withdraw_url, {"reason": ""}, follow=True)
    assert response.redirect_chain[-1][0] == detail_url
    page = response.content.decode()
    assert "La demande est retirée" in page and "Retirée par le bailleur" in page
    assert withdraw_url not in page
    request.refresh_from_db()
    assert request.status == OutreachStatus.WITHDRAWN
    # Twice (a second tab): the page says why, nothing changes.
    again = client.post(withdraw_url, {"reason": ""}, follow=True).content.decode()
    assert "ne se retire plus" in again


def test_the_api_withdraws_a_waiting_request_and_refuses_an_answered_one(client, flow):
    household = household_create(by=flow.cesf)
    request = services.outreach_request_create(
        household=household, by=flow.cesf, association=flow.association, reason=REASON
    )
    url = f"/api/outreach-requests/{request.pk}/withdraw/"
    client.force_login(flow.caseworker)
    assert client.post(url, {}, content_type="application/json").status_code == 403
    client.force_login(flow.cesf)
    too_long = client.post(url, {"reason": "é" * 10_001}, content_type="application/json")
    assert too_long.status_code == 400 and "reason" in too_long.json()
    withdrawn = client.post(url, {}, content_type="application/json")
    assert withdrawn.status_code == 200 and withdrawn.json()["status"] == "withdrawn"
    again = client.post(url, {}, content_type="application/json")
    assert again.status_code == 400 and "ne se retire plus" in str(again.json())
    answered = services.outreach_request_create(
        household=household, by=flow.cesf, association=flow.association, reason=REASON
    )
    services.outreach_answer(request=answered, by=flow.caseworker, decision="accept")
    refused = client.post(
        f"/api/outreach-requests/{answered.pk}/withdraw/", {}, content_type="application/json"
    )
    assert refused.status_code == 400 and "Terminez l'aller-vers" in str(refused.json())


@pytest.mark.parametrize("username", USERS)
def test_access_matrix_of_an_outreach_request(client, demo, username):
    """Martin (tenant of Actis) asked to Ozanam: Actis and Ozanam and the coordination read
    it; Ozanam answers; nobody else sees it (404)."""
    from partners.models import Partner

    martin = Household.objects.get(name="Martin")
    ozanam = Partner.objects.get(short_name="ozanam")
    request = OutreachRequest.objects.filter(household=martin, association=ozanam).first()
    if request is None:
        request = services.outreach_request_create(
            household=martin, by=demo["cesf.actis"], association=ozanam, reason=REASON
        )
    client.force_login(demo[username])
    url = reverse("actions:outreach_detail", args=[request.pk])
    readers = {
        "coordinator.lt",
        "cesf.actis",
        "manager.actis",
        "caseworker.ozanam",
        "manager.ozanam",
    }
    answerers = {"caseworker.ozanam", "manager.ozanam"}
    # Funders have no request page at all (403); other partners do not see this one (404).
    unseen = 403 if username in FUNDERS else 404
    assert client.get(url).status_code == (200 if username in readers else unseen)
    answer = client.post(url, {"decision": "decline", "reason": ""})
    expected = 200 if username in answerers else (403 if username in readers else unseen)
    assert answer.status_code == expected  # a form error for the answerers: nothing saved
    request.refresh_from_db()
    assert request.status == OutreachStatus.PENDING
    api = client.get(f"/api/outreach-requests/{request.pk}/")
    assert api.status_code == (200 if username in readers else unseen)
    # Withdrawn by Actis, the landlord that asked (its CESF or manager), page and API.
    withdrawers = {"cesf.actis", "manager.actis"}
    page = client.get(reverse("actions:outreach_withdraw", args=[request.pk]))
    expected = 200 if username in withdrawers else (403 if username in readers else unseen)
    assert page.status_code == expected
    withdrawn = client.post(f"/api/outreach-requests/{request.pk}/withdraw/")
    assert withdrawn.status_code == expected
    request.refresh_from_db()
    now = OutreachStatus.WITHDRAWN if username in withdrawers else OutreachStatus.PENDING
    assert request.status == now


def test_the_request_list_shows_what_a_partner_asked_or_received(client, flow):
    household = household_create(by=flow.cesf)
    services.outreach_request_create(
        household=household, by=flow.cesf, association=flow.association, reason=REASON
    )
    for user in (flow.cesf, flow.caseworker, flow.coordinator):
        client.force_login(user)
        page = client.get(reverse("actions:outreach_list")).content.decode()
        assert household.reference in page
    client.force_login(user_create(Role.CASEWORKER))
    assert household.reference not in client.get(reverse("actions:outreach_list")).content.decode()


def test_the_request_list_reads_a_constant_number_of_queries(
    client, flow, django_assert_num_queries
):
    def ask() -> None:
        services.outreach_request_create(
            household=household_create(by=flow.cesf),
            by=flow.cesf,
            association=flow.association,
            reason=REASON,
        )

    ask()
    client.force_login(flow.caseworker)
    url = reverse("actions:outreach_list")
    client.get(url)  # the session and the menus' first reads
    with CaptureQueriesContext(connection) as one:
        assert client.get(url).status_code == 200
    for _ in range(5):
        ask()
    with django_assert_num_queries(len(one.captured_queries)):
        page = client.get(url).content.decode()
    assert page.count("/aller-vers/") >= 6
