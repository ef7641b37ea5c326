"""Action and measure pages as social workers use them, and their access matrix."""

import html
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from actions.models import Action, FollowUp, MeasureStatus, SupportMeasure
from actions.services import SECOND_RENEWAL_MESSAGE
from codecision.models import CoDecision
from households.models import Household
from tests.demo_access import FUNDERS, SEES_MARTIN, SEES_NGUYEN, USERS
from tests.factories import diagnostic_create, household_create, user_create
from tests.helpers import page_text


def answer(client, user, codecision, **data):
    client.force_login(user)
    return client.post(reverse("codecision:answer", args=[codecision.pk]), data)


def test_the_whole_case_through_the_pages(client, flow):
    today = timezone.localdate()
    household = household_create(by=flow.cesf)
    diagnostic = diagnostic_create(household=household, by=flow.cesf, made_on=today)
    client.force_login(flow.cesf)
    response = client.post(
        reverse("actions:orientation_create", args=[household.pk]),
        {
            "kind": "energy",
            "diagnostic": diagnostic.pk,
            "association": flow.association.pk,
            "reason": "Logement énergivore, factures impayées.",
        },
    )
    codecision = CoDecision.objects.get(household=household)
    assert response.url == reverse("codecision:detail", args=[codecision.pk])
    # Opened two weeks ago: a measure starts no earlier than its co-decision's opening.
    CoDecision.objects.filter(pk=codecision.pk).update(
        opened_at=timezone.now() - timedelta(days=14)
    )
    answer(client, flow.cesf, codecision, answer="approve")
    answer(
        client,
        flow.caseworker,
        codecision,
        answer="approve",
        referent=flow.caseworker.pk,
        starts_on=(today - timedelta(days=10)).isoformat(),
    )
    measure = SupportMeasure.objects.get(action__household=household)
    measure_url = reverse("actions:measure_detail", args=[measure.pk])

    # Follow-ups, one of them confidential, and an objective.
    follow_up_url = reverse("actions:follow_up_create", args=[household.pk])
    for summary, confidential in (("Visite au domicile.", ""), ("Note interne.", "on")):
        response = client.post(
            f"{follow_up_url}?mesure={measure.pk}",
            {
                "happened_on": today.isoformat(),
                "kind": "home_visit",
                "duration_minutes": 45,
                "summary": summary,
                "confidential": confidential,
            },
        )
        assert response.url == measure_url
    client.post(reverse("actions:objective_add", args=[measure.pk]), {"text": "Mutation"})
    page = page_text(client.get(measure_url))
    assert "Visite au domicile." in page and "Note interne." in page and "Mutation" in page
    client.force_login(flow.cesf)
    page = page_text(client.get(measure_url))
    assert "Visite au domicile." in page and "Note interne." not in page

    # Renewal asked from the measure page, approved by both sides.
    client.force_login(flow.caseworker)
    response = client.post(
        reverse("actions:renewal_request", args=[measure.pk]), {"comment": "Mutation en cours."}
    )
    renewal = measure.renewal_codecisions.get()
    assert response.url == reverse("codecision:detail", args=[renewal.pk])
    answer(client, flow.cesf, renewal, answer="approve")
    answer(client, flow.caseworker, renewal, answer="approve")
    measure.refresh_from_db()
    assert measure.renewal_count == 1
    page = page_text(client.get(measure_url))
    assert "déjà renouvelée une fois : pas de second renouvellement" in page
    assert "Demander le renouvellement" not in page
    response = client.post(
        reverse("actions:renewal_request", args=[measure.pk]), {"comment": "Encore six mois."}
    )
    assert response.status_code == 400
    assert SECOND_RENEWAL_MESSAGE in page_text(response)

    # Closure with an outcome; the measure and action stay readable.
    response = client.post(
        reverse("actions:measure_close", args=[measure.pk]),
        {"outcome": "other", "outcome_detail": "", "version": measure.version, "confirm": "1"},
    )
    assert response.status_code == 400
    assert "Précisez l'issue « autre »" in page_text(response)
    response = client.post(
        reverse("actions:measure_close", args=[measure.pk]),
        {"outcome": "stayed", "version": measure.version, "confirm": "1"},
    )
    assert response.url == measure_url
    page = page_text(client.get(measure_url))
    assert "Maintien dans le logement" in page and "Visite au domicile." in page
    assert Action.objects.get(household=household).status == "closed"
    household_page = page_text(client.get(reverse("households:detail", args=[household.pk])))
    assert "accompagnement clôturé" in household_page


def test_a_follow_up_in_the_future_is_refused_and_nothing_is_saved(client, flow):
    from tests.factories import both_approve, orientation_create

    orientation = orientation_create(cesf=flow.cesf, association=flow.association)
    both_approve(
        orientation.action.codecisions.get(), landlord_user=flow.cesf, caseworker=flow.caseworker
    )
    household = orientation.household
    measure = orientation.action.measures.get()
    client.force_login(flow.caseworker)
    response = client.post(
        reverse("actions:follow_up_create", args=[household.pk]) + f"?mesure={measure.pk}",
        {
            "happened_on": (timezone.localdate() + timedelta(days=3)).isoformat(),
            "kind": "phone",
            "summary": "Appel prévu.",
        },
    )
    assert response.status_code == 200
    assert "ne peut pas être daté dans le futur" in page_text(response)
    assert not FollowUp.objects.filter(summary="Appel prévu.").exists()


def test_orientation_form_errors_are_in_french(client, flow):
    household = household_create(by=flow.cesf)
    diagnostic_create(household=household, by=flow.cesf)  # the form is offered with one
    client.force_login(flow.cesf)
    response = client.post(
        reverse("actions:orientation_create", args=[household.pk]),
        {"kind": "energy", "association": flow.association.pk, "reason": "Motif"},
    )
    assert "Ce champ est obligatoire" in page_text(response)
    assert not Action.objects.filter(household=household).exists()


def test_two_people_editing_the_procedure_do_not_overwrite_each_other(client, flow):
    from tests.factories import both_approve, orientation_create

    orientation = orientation_create(
        cesf=flow.cesf, association=flow.association, kind="sliding_lease_eviction"
    )
    both_approve(
        orientation.action.codecisions.get(), landlord_user=flow.cesf, caseworker=flow.caseworker
    )
    procedure = orientation.action.household.procedure
    url = reverse("actions:procedure_section", args=[orientation.action.household_id, "update"])
    client.force_login(flow.cesf)
    first = client.post(url, {"court": "Tribunal de Grenoble", "version": procedure.version})
    assert first.status_code == 302
    client.force_login(flow.caseworker)
    stale = client.post(url, {"court": "Tribunal de Vienne", "version": procedure.version})
    assert stale.status_code == 400
    assert "modifiée par quelqu'un d'autre" in page_text(stale)
    procedure.refresh_from_db()
    assert procedure.court == "Tribunal de Grenoble"


def test_action_page_shows_the_next_legal_deadlines(client, flow):
    from tests.factories import both_approve, orientation_create

    orientation = orientation_create(
        cesf=flow.cesf, association=flow.association, kind="sliding_lease_eviction"
    )
    both_approve(
        orientation.action.codecisions.get(), landlord_user=flow.cesf, caseworker=flow.caseworker
    )
    hearing = timezone.localdate() + timedelta(days=40)
    client.force_login(flow.caseworker)
    url = reverse("actions:procedure_section", args=[orientation.action.household_id, "update"])
    client.post(
        url,
        {
            "summons_on": (hearing - timedelta(days=60)).isoformat(),
            "hearing_on": hearing.isoformat(),
            "version": orientation.action.household.procedure.version,
        },
    )
    household_id = orientation.action.household_id
    page = page_text(client.get(reverse("actions:procedure_detail", args=[household_id])))
    assert hearing.strftime("%d/%m/%Y") in page
    assert "Audience" in page
    page = page_text(client.get(reverse("actions:action_detail", args=[orientation.action.pk])))
    assert "Prochaine échéance" in page

    procedure = orientation.action.household.procedure
    procedure.refresh_from_db()
    response = client.post(
        url,
        {
            "summons_on": (hearing - timedelta(days=60)).isoformat(),
            "hearing_on": hearing.isoformat(),
            "court": "Tribunal de Grenoble",
            "order_to_leave_extra_months": "4",
            "version": procedure.version,
        },
    )
    assert "au plus 3 mois de délai supplémentaire" in page_text(response)
    procedure.refresh_from_db()
    assert procedure.court == "" and procedure.order_to_leave_extra_months == 0


def test_overview_puts_overdue_measures_first_with_constant_queries(
    client, flow, django_assert_max_num_queries, django_assert_num_queries
):
    from tests.factories import both_approve, orientation_create

    today = timezone.localdate()

    def start(days_ago: int):
        orientation = orientation_create(cesf=flow.cesf, association=flow.association)
        both_approve(
            orientation.action.codecisions.get(),
            landlord_user=flow.cesf,
            caseworker=flow.caseworker,
            starts_on=today - timedelta(days=days_ago),
        )
        return orientation.household

    late = start(200)
    start(10)
    client.force_login(flow.coordinator)
    url = reverse("actions:measure_overview") + f"?association={flow.association.pk}"
    client.get(url)
    with django_assert_max_num_queries(12) as first:
        page = page_text(client.get(url))
    assert "2 mesures en cours" in page
    first_row = page.split("<tbody>")[1].split("</tr>")[0]
    assert late.reference in first_row and "échéance dépassée" in first_row
    # Each row names the household, the action, the association and the referent.
    measure = SupportMeasure.objects.select_related("referent").get(action__household=late)
    kind = measure.action.get_kind_display()
    for shown in (late.name, kind, flow.association.name, str(measure.referent)):
        assert shown in first_row, shown
    for days in (20, 30, 40):
        start(days)
    with django_assert_num_queries(len(first.captured_queries)):
        page = page_text(client.get(url))
    assert "5 mesures en cours" in page


def test_overview_pages_by_keyset_and_caps_its_count(client, flow, settings):
    """The coordinator's measures page: most urgent first, page after page by keyset (no
    OFFSET), counted exactly up to CASELOAD_COUNT_CAP and « plus de » beyond."""
    import re

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.factories import both_approve, orientation_create

    settings.HOUSEHOLDS_PER_PAGE = 2
    today = timezone.localdate()
    references = []
    for days_ago in (10, 200, 50, 100, 20):
        orientation = orientation_create(cesf=flow.cesf, association=flow.association)
        both_approve(
            orientation.action.codecisions.get(),
            landlord_user=flow.cesf,
            caseworker=flow.caseworker,
            starts_on=today - timedelta(days=days_ago),
        )
        references.append((days_ago, orientation.household.reference))
    urgent_first = [ref for _, ref in sorted(references, reverse=True)]
    client.force_login(flow.coordinator)
    first = reverse("actions:measure_overview") + f"?association={flow.association.pk}"
    url, seen = first, []
    while url:
        with CaptureQueriesContext(connection) as queries:
            page = page_text(client.get(url))
        assert not any("OFFSET" in q["sql"] for q in queries.captured_queries)
        assert "5 mesures en cours" in page
        seen += re.findall(r"(LT-\d{4}-\d{4}) — ", page)
        more = re.search(r'href="(\?[^"]*)">Suivants', page)
        url = reverse("actions:measure_overview") + html.unescape(more[1]) if more else ""
    assert seen == urgent_first
    settings.CASELOAD_COUNT_CAP = 3
    assert "Plus de 3 mesures en cours" in page_text(client.get(first))


# --- Access matrix of the action and measure pages (demo cases) -----------------------------

LOGS_NGUYEN = {"cesf.opac38", "caseworker.oiseaubleu"}


def expected(username: str, page: str) -> int:
    if page == "measure_overview":
        return 403 if username in FUNDERS else 200
    if page in ("action_detail", "measure_detail"):
        return 200 if username in SEES_NGUYEN else 404
    if page == "follow_up_create":
        if username not in SEES_NGUYEN:
            return 404
        return 200 if username in LOGS_NGUYEN else 403
    if page == "orientation_create":
        if username not in SEES_MARTIN:
            return 404
        return 200 if username == "cesf.actis" else 403
    raise AssertionError(page)


@pytest.mark.parametrize("username", USERS)
def test_access_matrix_of_action_and_measure_pages(client, demo, username):
    client.force_login(demo[username])
    nguyen = Action.objects.get(household__name="Nguyen")
    measure = nguyen.measures.get()
    martin = Household.objects.get(name="Martin")
    pages = {
        "measure_overview": reverse("actions:measure_overview"),
        "action_detail": reverse("actions:action_detail", args=[nguyen.pk]),
        "measure_detail": reverse("actions:measure_detail", args=[measure.pk]),
        "follow_up_create": reverse("actions:follow_up_create", args=[nguyen.household_id]),
        "orientation_create": reverse("actions:orientation_create", args=[martin.pk]),
    }
    outcomes = {name: client.get(url).status_code for name, url in pages.items()}
    assert outcomes == {name: expected(username, name) for name in pages}


@pytest.mark.parametrize("username", USERS)
def test_who_may_post_on_nguyens_measure_and_action(client, demo, username):
    """Objectives: the association's caseworker; rent reduction: the landlord's CESF."""
    client.force_login(demo[username])
    nguyen = Action.objects.get(household__name="Nguyen")
    measure = nguyen.measures.get()
    objective = client.post(
        reverse("actions:objective_add", args=[measure.pk]), {"text": "Nouvel objectif"}
    )
    today = timezone.localdate().replace(day=1)
    reduction = client.post(
        reverse("actions:action_section", args=[nguyen.pk, "reduction"]),
        {"monthly_amount": "30", "starts_on": today.isoformat(), "ends_on": today.isoformat()},
    )
    if username not in SEES_NGUYEN:
        assert (objective.status_code, reduction.status_code) == (404, 404)
    else:
        assert objective.status_code == (302 if username == "caseworker.oiseaubleu" else 403)
        assert reduction.status_code == (302 if username == "cesf.opac38" else 403)


def test_grants_follow_the_workflow(client, flow, other_association):
    """Before the orientation the association sees nothing; after it, the household is in
    its « Mes ménages »; another association never sees it."""
    household = household_create(by=flow.cesf)
    diagnostic = diagnostic_create(household=household, by=flow.cesf)
    detail = reverse("households:detail", args=[household.pk])
    outsider = user_create("caseworker", partner=other_association)

    def caseload(user) -> str:
        client.force_login(user)
        return page_text(client.get(reverse("households:list")))

    assert household.reference not in caseload(flow.caseworker)
    assert client.get(detail).status_code == 404
    client.force_login(flow.cesf)
    client.post(
        reverse("actions:orientation_create", args=[household.pk]),
        {
            "kind": "solvency",
            "diagnostic": diagnostic.pk,
            "association": flow.association.pk,
            "reason": "Impayés.",
        },
    )
    assert household.reference in caseload(flow.caseworker)
    assert client.get(detail).status_code == 200
    assert household.reference not in caseload(outsider)
    assert client.get(detail).status_code == 404


def test_both_sides_answering_from_pages_opened_at_once_keep_both_answers(client, flow):
    from tests.factories import orientation_create

    orientation = orientation_create(cesf=flow.cesf, association=flow.association)
    codecision = orientation.action.codecisions.get()
    url = reverse("codecision:detail", args=[codecision.pk])
    # Both open the page before either answers.
    for user in (flow.cesf, flow.caseworker):
        client.force_login(user)
        assert client.get(url).status_code == 200
    answer(client, flow.cesf, codecision, answer="approve", comment="Accord bailleur")
    answer(
        client,
        flow.caseworker,
        codecision,
        answer="approve",
        comment="Accord association",
        referent=flow.caseworker.pk,
    )
    codecision.refresh_from_db()
    assert (codecision.landlord_answer, codecision.association_answer) == ("approve", "approve")
    assert codecision.status == "approved"
    page = page_text(client.get(url))
    assert "Accord bailleur" in page and "Accord association" in page


def test_reading_an_action_a_measure_or_a_codecision_is_in_the_access_log(client, demo):
    from households.models import AccessLogEntry

    nguyen = SupportMeasure.objects.select_related("action").get(action__household__name="Nguyen")
    user = demo["cesf.opac38"]
    client.force_login(user)
    pages = [
        reverse("actions:action_detail", args=[nguyen.action_id]),
        reverse("actions:measure_detail", args=[nguyen.pk]),
        reverse("codecision:detail", args=[nguyen.action.codecisions.first().pk]),
    ]
    for page in pages:
        assert client.get(page).status_code == 200
        entry = AccessLogEntry.objects.filter(user=user, path=page).get()
        assert (entry.household_id, entry.action) == (nguyen.action.household_id, "view")


def test_the_household_page_shows_a_confidential_follow_up_to_its_authors_partner_only(
    client, demo
):
    nguyen = Household.objects.get(name="Nguyen")
    url = reverse("households:detail", args=[nguyen.pk])
    for username, shown in (
        ("caseworker.oiseaubleu", True),
        ("manager.oiseaubleu", True),
        ("cesf.opac38", False),
        ("coordinator.lt", False),
    ):
        client.force_login(demo[username])
        page = page_text(client.get(url))
        assert ("Situation familiale difficile" in page) is shown, username
        assert "relevé des consommations" in page


SEES_DUPONT = {"coordinator.lt", "cesf.opac38", "manager.opac38", "caseworker.ozanam"} | {
    "manager.ozanam"
}
SEES_ROUSSEAU = {"coordinator.lt", "cesf.opac38", "manager.opac38", "caseworker.ulisse"} | {
    "manager.ulisse"
}


def posted(username: str, sees: set, allowed: set) -> int:
    if username not in sees:
        return 404
    return 302 if username in allowed else 403


@pytest.mark.parametrize("username", USERS)
def test_who_may_take_each_step_from_the_pages(client, demo, username):
    """Every POST page of the workflow, for every demo user: done (302), refused (403) or
    not found (404), as the roles of docs/DESIGN.md say."""
    from codecision.models import CommitteeSession

    client.force_login(demo[username])
    today = timezone.localdate()
    nguyen = Action.objects.get(household__name="Nguyen")
    dupont = Action.objects.get(household__name="Dupont")
    rousseau = Action.objects.get(household__name="Rousseau")
    measure = nguyen.measures.get()
    lefevre = CoDecision.objects.get(household__name="Lefèvre")
    session = CommitteeSession.objects.get()
    procedure, lease = dupont.household.procedure.version, dupont.sliding_lease.version

    def section(action, name, data):
        url = reverse("actions:action_section", args=[action.pk, name])
        return client.post(url, data).status_code

    outcomes = {
        "tracking": section(nguyen, "tracking", {"energy_label": "F", "version": nguyen.version}),
        "procedure": client.post(
            reverse("actions:procedure_section", args=[dupont.household_id, "update"]),
            {"court": "Tribunal de Grenoble", "version": procedure},
        ).status_code,
        "lease": section(
            dupont,
            "lease",
            {"sublease_signed_on": (today - timedelta(days=30)).isoformat(), "version": lease},
        ),
        "arrears": section(rousseau, "arrears", {"read_on": today.isoformat(), "amount": "1500"}),
        "objective status": client.post(
            reverse("actions:objective_status", args=[measure.pk]),
            {"objective": measure.objectives.first().pk, "status": "achieved"},
        ).status_code,
        "renewal request": client.post(
            reverse("actions:renewal_request", args=[measure.pk]), {"comment": "À poursuivre."}
        ).status_code,
        "arbitration": client.post(
            reverse("codecision:arbitrate", args=[lefevre.pk]),
            {"decision": "reject", "comment": "Arbitrage du comité."},
        ).status_code,
        "committee sign-off": client.post(
            reverse("codecision:session_sign_off", args=[session.pk]), {"notes": "Relevé."}
        ).status_code,
    }
    measure.refresh_from_db()
    outcomes["closure"] = client.post(
        reverse("actions:measure_close", args=[measure.pk]),
        {"outcome": "stayed", "version": measure.version, "confirm": "1"},
    ).status_code
    lefevre_sides = SEES_ROUSSEAU  # the same landlord and association as Rousseau
    assert outcomes == {
        "tracking": posted(username, SEES_NGUYEN, {"cesf.opac38", "caseworker.oiseaubleu"}),
        "procedure": posted(username, SEES_DUPONT, {"cesf.opac38", "caseworker.ozanam"}),
        "lease": posted(username, SEES_DUPONT, {"cesf.opac38", "caseworker.ozanam"}),
        "arrears": posted(username, SEES_ROUSSEAU, {"cesf.opac38", "caseworker.ulisse"}),
        "objective status": posted(username, SEES_NGUYEN, {"caseworker.oiseaubleu"}),
        "renewal request": posted(username, SEES_NGUYEN, {"caseworker.oiseaubleu"}),
        "arbitration": posted(username, lefevre_sides, {"coordinator.lt"}),
        "committee sign-off": 302 if username == "coordinator.lt" else 403,
        "closure": posted(username, SEES_NGUYEN, {"caseworker.oiseaubleu", "coordinator.lt"}),
    }


ACTIVE = {"Nguyen", "Dupont", "Diallo", "Rousseau"}


@pytest.mark.parametrize(
    ("username", "listed"),
    [
        ("coordinator.lt", ACTIVE),
        ("cesf.opac38", {"Nguyen", "Dupont", "Rousseau"}),
        ("manager.actis", {"Diallo"}),
        ("caseworker.oiseaubleu", {"Nguyen", "Diallo"}),
        ("caseworker.ulisse", {"Rousseau"}),
        ("cesf.pluralis", set()),
    ],
)
def test_the_overview_lists_only_the_measures_of_households_one_may_see(
    client, demo, username, listed
):
    client.force_login(demo[username])
    page = page_text(client.get(reverse("actions:measure_overview")))
    shown = {name for name in ACTIVE if name.upper() in page.upper()}
    assert shown == listed


def test_the_measure_overview_pages_keep_their_filters_without_a_context_of_their_own(
    client, demo, settings
):
    """The links to the other pages keep the filters through {% querystring %}; the view
    computes no query string of its own."""
    settings.HOUSEHOLDS_PER_PAGE = 1
    client.force_login(demo["coordinator.lt"])
    assert SupportMeasure.objects.filter(status=MeasureStatus.ACTIVE).count() > 1
    response = client.get(reverse("actions:measure_overview"), {"kind": ""})
    assert "querystring" not in response.context
    assert 'href="?kind=&amp;apres=' in response.content.decode()


def test_the_landlord_writes_to_the_measure_s_referent_from_the_measure_page(client, flow):
    from tests.factories import MeasureFactory

    flow.caseworker.email = email = "camille.referente@example.fr"
    flow.caseworker.save(update_fields=["email"])
    measure = MeasureFactory(cesf=flow.cesf, caseworker=flow.caseworker)
    assert measure.referent == flow.caseworker
    client.force_login(flow.cesf)
    page = page_text(client.get(reverse("actions:measure_detail", args=[measure.pk])))
    assert f'<a href="mailto:{email}">{email}</a>' in page
