"""The household's eviction procedure, whatever its action (or none): its stages, its legal
deadlines and their reminders (docs/DOMAIN_RULES.md, eviction procedure)."""

from datetime import date
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse

from actions import services
from actions.deadlines import procedure_deadlines
from actions.models import EvictionProcedure
from core.errors import DomainError
from notifications.models import Notification
from notifications.sweep import sweep
from partners.models import Role
from tests.factories import both_approve, diagnostic_create, household_create, user_create
from tests.helpers import page_text


def deadlines_on(procedure, today: date) -> dict[str, date]:
    procedure.refresh_from_db()
    return {d.kind: d.on for d in procedure_deadlines(procedure, today)}


def legal(user, kind: str) -> list[str]:
    return [n.text for n in Notification.objects.filter(recipient=user, kind=f"legal_{kind}")]


def update(procedure, by, **data):
    procedure.refresh_from_db()
    return services.procedure_update(
        procedure=procedure, by=by, data=data, expected_version=procedure.version
    )


def test_action_2_from_the_commandement_to_a_payment_plan_judgement(client, flow):
    household = household_create(by=flow.cesf, name="Lefèvre-Ñúñez")
    diagnostic = diagnostic_create(
        household=household,
        by=flow.cesf,
        made_on=date(2026, 11, 12),
        procedure_stage="payment_order",
        procedure_stage_on=date(2026, 11, 10),
        rent_arrears=Decimal("2450.50"),
        rent_arrears_since=date(2026, 6, 1),
        proposed_action="solvency",
    )
    with time_machine.travel(date(2026, 11, 16), tick=False):
        orientation = services.orientation_create(
            household=household,
            by=flow.cesf,
            kind="solvency",
            association=flow.association,
            diagnostic=diagnostic,
            reason="Commandement de payer du 10/11/2026.",
        )
        both_approve(
            orientation.action.codecisions.get(),
            landlord_user=flow.cesf,
            caseworker=flow.caseworker,
            starts_on=date(2026, 11, 16),
        )
    # Action 2, not 3: the procedure comes from the diagnostic all the same.
    procedure = EvictionProcedure.objects.get(household=household)
    assert procedure.payment_order_on == date(2026, 11, 10)
    assert procedure.payment_order_delay == "six_weeks"  # lease date unknown: the shorter
    assert deadlines_on(procedure, date(2026, 11, 16)) == {"payment_order": date(2026, 12, 22)}
    sweep(date(2026, 12, 14))
    assert legal(flow.caseworker, "payment_order") == []
    sweep(date(2026, 12, 15))  # 7 days ahead
    [notice] = legal(flow.caseworker, "payment_order")
    assert "22/12/2026" in notice and household.reference in notice
    assert len(legal(flow.cesf, "payment_order")) == 1

    # A lease of 2019: the commandement's delay the CESF reads on the act, 2 months.
    update(
        procedure,
        flow.cesf,
        lease_signed_on=date(2019, 4, 1),
        payment_order_delay="two_months",
        ccapex_referred_on=date(2026, 12, 1),
    )
    assert deadlines_on(procedure, date(2026, 12, 16)) == {
        "payment_order": date(2027, 1, 10),
        "ccapex": date(2027, 2, 1),
    }
    # The summons, served 2 months and 4 days after the CCAPEX: not flagged.
    update(procedure, flow.cesf, summons_on=date(2027, 2, 5))
    assert deadlines_on(procedure, date(2027, 2, 5)) == {
        "dsf_interview": date(2027, 2, 26),  # 15 working days from Friday 5 February
    }
    # The CESF's diagnostic counts as the DSF: no interview asked for any more.
    update(
        procedure,
        flow.cesf,
        dsf_diagnostic=diagnostic,
        dsf_tenant_observations="« Je veux rester », reprise du loyer depuis janvier.",
        dsf_landlord_observations="Accord pour un échéancier.",
        dsf_rehousing_need=False,
        dsf_sent_to_ccapex_on=date(2027, 2, 15),
        hearing_on=date(2027, 4, 20),
    )
    assert deadlines_on(procedure, date(2027, 2, 16)) == {
        "summons_notice": date(2027, 3, 9),
        "dsf_to_judge": date(2027, 4, 13),  # 5 working days before Tuesday 20 April
        "hearing": date(2027, 4, 20),
    }
    sweep(date(2027, 4, 5))  # the hearing 15 days ahead
    assert len(legal(flow.caseworker, "hearing")) == 1
    update(procedure, flow.cesf, dsf_sent_on=date(2027, 4, 12))

    # The judgement, recorded by the association's caseworker from the procedure page.
    with time_machine.travel(date(2027, 5, 26), tick=False):
        client.force_login(flow.caseworker)
        url = reverse("actions:procedure_section", args=[household.pk, "update"])
        form = {
            "lease_signed_on": "2019-04-01",
            "payment_order_on": "2026-11-10",
            "payment_order_delay": "two_months",
            "ccapex_referred_on": "2026-12-01",
            "summons_on": "2027-02-05",
            "dsf_diagnostic": diagnostic.pk,
            "dsf_sent_on": "2027-04-12",
            "hearing_on": "2027-04-20",
            "judgement_on": "2027-05-11",
            "judgement_kind": "merits",
            "judgement_outcome": "payment_plan",
            "judgement_served_on": "2027-05-25",
            "payment_plan_months": "37",
            "payment_plan_monthly": "68.10",
            "court": "Tribunal judiciaire de Grenoble — pôle « protection »",
        }
        procedure.refresh_from_db()
        refused = client.post(url, {**form, "version": procedure.version})
        assert refused.status_code == 400
        assert "36 mois (3 ans) au plus" in page_text(refused)
        done = client.post(url, {**form, "payment_plan_months": "36", "version": procedure.version})
        assert done.status_code == 302
        page = page_text(client.get(reverse("actions:procedure_detail", args=[household.pk])))
    assert "délais de paiement, résiliation suspendue" in page
    assert deadlines_on(procedure, date(2027, 5, 26)) == {
        "appeal": date(2027, 6, 25),  # 1 month from the service, not from the judgement
        "payment_plan_end": date(2030, 5, 25),
    }
    assert "winter_truce_end" not in deadlines_on(procedure, date(2027, 11, 2))
    sweep(date(2027, 6, 18))
    [appeal] = legal(flow.cesf, "appeal")
    assert "25/06/2027" in appeal


def test_a_refere_order_served_on_a_given_date_leaves_15_days_to_appeal(flow):
    household = household_create(by=flow.cesf)
    procedure = services.procedure_open(household=household, by=flow.cesf)
    update(
        procedure,
        flow.cesf,
        hearing_on=date(2026, 11, 24),
        judgement_on=date(2026, 12, 1),
        judgement_kind="refere",
        judgement_outcome="eviction",
        judgement_served_on=date(2026, 12, 4),
    )
    assert deadlines_on(procedure, date(2026, 12, 4))["appeal"] == date(2026, 12, 21)
    # 15 days: Saturday 19 December, extended to Monday 21 (art. 642 CPC).
    sweep(date(2026, 12, 13))
    assert legal(flow.cesf, "appeal") == []
    sweep(date(2026, 12, 14))
    [notice] = legal(flow.cesf, "appeal")
    assert "21/12/2026" in notice and "15 jours" in notice


def test_a_long_procedure_is_reminded_of_each_truce_end_once(flow):
    """Judged on 1 June 2025 and still followed in 2027: each truce's end is reminded 30
    days ahead, once, whatever the judgement's date."""
    household = household_create(by=flow.cesf)  # no action at all
    procedure = services.procedure_open(household=household, by=flow.cesf)
    update(
        procedure,
        flow.cesf,
        hearing_on=date(2025, 5, 6),
        judgement_on=date(2025, 6, 1),
        judgement_kind="merits",
        judgement_outcome="eviction",
        judgement_served_on=date(2025, 6, 10),
        grace_period_months=6,
    )
    for day in (date(2026, 2, 28), date(2026, 3, 1), date(2026, 3, 20), date(2026, 3, 31)):
        sweep(day)
    assert legal(flow.cesf, "winter_truce_end") == [
        f"{household.reference} : Fin de la trêve hivernale le 31/03/2026."
    ]
    for day in (date(2026, 12, 1), date(2027, 2, 28), date(2027, 3, 1), date(2027, 3, 2)):
        sweep(day)
    assert sorted(legal(flow.cesf, "winter_truce_end")) == [
        f"{household.reference} : Fin de la trêve hivernale le 31/03/2026.",
        f"{household.reference} : Fin de la trêve hivernale le 31/03/2027.",
    ]


def test_withdrawal_ends_the_procedure_and_its_reminders(client, flow):
    household = household_create(by=flow.cesf)
    procedure = services.procedure_open(household=household, by=flow.cesf)
    update(procedure, flow.cesf, summons_on=date(2026, 10, 1), hearing_on=date(2026, 12, 15))
    with time_machine.travel(date(2026, 11, 20), tick=False):
        client.force_login(flow.cesf)
        procedure.refresh_from_db()
        response = client.post(
            reverse("actions:procedure_section", args=[household.pk, "end"]),
            {"ended_on": "2026-11-19", "end_reason": "withdrawn", "version": procedure.version},
        )
        assert response.status_code == 302
    sweep(date(2026, 11, 30))  # the hearing would be 15 days ahead
    assert legal(flow.cesf, "hearing") == []
    with pytest.raises(DomainError, match="terminée depuis le 19/11/2026"):
        update(procedure, flow.cesf, court="Vienne")


@pytest.mark.parametrize(
    ("granted_on", "months", "accepted"),
    [
        (date(2023, 7, 29), 12, True),
        (date(2023, 7, 29), 13, False),  # at most 1 year since the law of 2023
        (date(2023, 7, 28), 36, True),  # 3 years before it
        (date(2023, 7, 29), 0, False),
    ],
)
def test_grace_periods_within_the_law_of_their_date(flow, granted_on, months, accepted):
    procedure = services.procedure_open(household=household_create(by=flow.cesf), by=flow.cesf)
    data = {"judgement_on": granted_on, "grace_period_months": months}
    if accepted:
        update(procedure, flow.cesf, **data)
    else:
        with pytest.raises(DomainError, match="délais de grâce"):
            update(procedure, flow.cesf, **data)


def test_a_household_without_action_has_its_procedure_page(client, flow):
    """A household with no action: its landlord's CESF opens the procedure from the
    household page."""
    household = household_create(by=flow.cesf)
    url = reverse("actions:procedure_detail", args=[household.pk])
    household_page = reverse("households:detail", args=[household.pk])
    client.force_login(flow.cesf)
    assert "Procédure d'expulsion : aucune enregistrée" in page_text(client.get(household_page))
    assert "Ouvrir la procédure" in page_text(client.get(url))
    opened = client.post(reverse("actions:procedure_section", args=[household.pk, "ouvrir"]))
    assert opened.status_code == 302
    assert EvictionProcedure.objects.filter(household=household).exists()
    assert "Procédure d'expulsion : en cours" in page_text(client.get(household_page))


@pytest.mark.parametrize("role", [Role.CESF, Role.FUNDER_VIEWER, Role.CASEWORKER])
def test_the_procedure_page_of_a_household_refuses_the_partners_not_involved(client, flow, role):
    """Another landlord's CESF, a funder, an association not involved: neither read nor post."""
    household = household_create(by=flow.cesf)
    client.force_login(user_create(role))
    assert client.get(reverse("actions:procedure_detail", args=[household.pk])).status_code in (
        403,
        404,
    )
    response = client.post(reverse("actions:procedure_section", args=[household.pk, "update"]))
    assert response.status_code in (403, 404)
    assert not EvictionProcedure.objects.filter(household=household).exists()
