"""Every indicator on a known set of cases across 2031, 2032 and 2033 (years the demo leaves
empty), checked against values computed by hand (in the comments), and the statistical
secrecy."""

from datetime import date
from decimal import Decimal

import pytest
import time_machine

from actions import services as action_services
from codecision import services as codecision_services
from funding import services as funding_services
from funding.models import FundingKind, FundingSource
from households import services as household_services
from partners.models import Role
from stats import secrecy
from stats.indicators import Cell, Period, Row, Table, compute, funder_contribution
from tests.factories import PartnerFactory, diagnostic_data, household_create, user_create

TODAY = date(2033, 12, 31)


def orient(flow, household, kind, *, diagnosed, oriented, **diagnostic):
    with time_machine.travel(diagnosed):
        made = household_services.diagnostic_create(
            household=household, by=flow.cesf, data=diagnostic_data(made_on=diagnosed, **diagnostic)
        )
    with time_machine.travel(oriented):
        return action_services.orientation_create(
            household=household,
            by=flow.cesf,
            kind=kind,
            association=flow.association,
            diagnostic=made,
            reason="Accompagnement proposé « en urgence » 🏠",
        )


def decide(flow, orientation, *, on, starts_on=None, answer="approve"):
    codecision = orientation.action.codecisions.get()
    with time_machine.travel(on):
        codecision_services.codecision_answer(
            codecision=codecision,
            by=flow.cesf,
            answer=answer,
            comment="" if answer == "approve" else "Refus motivé par le bailleur.",
        )
        codecision_services.codecision_answer(
            codecision=codecision,
            by=flow.caseworker,
            answer=answer,
            referent=flow.caseworker if answer == "approve" else None,
            starts_on=starts_on,
            comment="" if answer == "approve" else "Refus motivé par l'association.",
        )
    return orientation.action.measures.first()


def renew(flow, measure, *, on):
    with time_machine.travel(on):
        renewal = action_services.renewal_request(
            measure=measure, by=flow.caseworker, comment="Accompagnement à poursuivre."
        )
        codecision_services.codecision_answer(codecision=renewal, by=flow.cesf, answer="approve")
        codecision_services.codecision_answer(
            codecision=renewal, by=flow.caseworker, answer="approve"
        )


def close(flow, measure, *, on, outcome):
    with time_machine.travel(on):
        action_services.measure_close(
            measure=measure, by=flow.caseworker, outcome=outcome, closed_on=on
        )


def follow_up(flow, household, measure, *, on, kind):
    with time_machine.travel(on):
        action_services.follow_up_create(
            household=household,
            by=flow.caseworker,
            measure=measure,
            data={"happened_on": on, "kind": kind, "summary": "Échange avec le ménage."},
        )


@pytest.fixture
def cases(flow):
    """A: Grenoble, energy 20/12/2031 renewed, then solvency 10/01/2033 closed early.
    B: Échirolles, solvency 01/03/2032 closed early 30/06/2032 (transfer), AVDL-financed.
    C: Vienne, action 3 from 15/11/2032, summoned 20/10/2032, renewed, glided 31/10/2033.
    D: refused in 2032. E: oriented in 2033, waiting."""
    with time_machine.travel(date(2031, 11, 20)):
        a = household_create(by=flow.cesf, name="Aubert", city="Grenoble", postcode="38000")
        b = household_create(by=flow.cesf, name="Bérénice", city="Échirolles", postcode="38130")
        c = household_create(by=flow.cesf, name="Céleste", city="Vienne", postcode="38200")
        d = household_create(by=flow.cesf, name="Dumas", city="Voiron", postcode="38500")
        e = household_create(by=flow.cesf, name="Éloi", city="Vizille", postcode="38220")

    a_orientation = orient(
        flow, a, "energy", diagnosed=date(2031, 12, 1), oriented=date(2031, 12, 5)
    )
    a1 = decide(flow, a_orientation, on=date(2031, 12, 15), starts_on=date(2031, 12, 20))
    renew(flow, a1, on=date(2032, 6, 1))

    b_orientation = orient(
        flow,
        b,
        "solvency",
        diagnosed=date(2032, 2, 1),
        oriented=date(2032, 2, 10),
        rent_arrears=Decimal(1200),
        rent_arrears_since=date(2031, 10, 1),
    )
    b1 = decide(flow, b_orientation, on=date(2032, 2, 20), starts_on=date(2032, 3, 1))
    follow_up(flow, b, b1, on=date(2032, 3, 5), kind="home_visit")
    follow_up(flow, b, b1, on=date(2032, 4, 10), kind="outreach")
    follow_up(flow, b, b1, on=date(2032, 5, 10), kind="outreach")
    with time_machine.travel(date(2032, 6, 15)):
        action_services.arrears_reading_create(
            action=b1.action, by=flow.caseworker, read_on=date(2032, 6, 15), amount=300
        )
    with time_machine.travel(date(2032, 6, 20)):
        b1.action.refresh_from_db()
        action_services.action_update_tracking(
            action=b1.action,
            by=flow.caseworker,
            data={
                "transfer_requested_on": date(2032, 3, 1),
                "dwelling_offered_on": date(2032, 4, 1),
                "offer_accepted_on": date(2032, 4, 15),
                "moved_on": date(2032, 6, 15),
            },
            expected_version=b1.action.version,
        )
    close(flow, b1, on=date(2032, 6, 30), outcome="transferred")

    d_orientation = orient(
        flow, d, "energy", diagnosed=date(2032, 4, 20), oriented=date(2032, 4, 25)
    )
    decide(flow, d_orientation, on=date(2032, 5, 5), answer="reject")

    c_orientation = orient(
        flow,
        c,
        "sliding_lease_eviction",
        diagnosed=date(2032, 10, 25),
        oriented=date(2032, 11, 1),
    )
    c1 = decide(flow, c_orientation, on=date(2032, 11, 10), starts_on=date(2032, 11, 15))
    procedure = c1.action.household.procedure
    with time_machine.travel(date(2032, 11, 16)):
        action_services.procedure_update(
            procedure=procedure,
            by=flow.cesf,
            data={"summons_on": date(2032, 10, 20)},
            expected_version=procedure.version,
        )
        lease = c1.action.sliding_lease
        lease = action_services.sliding_lease_update(
            lease=lease,
            by=flow.caseworker,
            data={"sublease_signed_on": date(2032, 11, 15)},
            expected_version=lease.version,
        )
    renew(flow, c1, on=date(2033, 4, 20))
    with time_machine.travel(date(2033, 10, 31)):
        action_services.lease_review_create(
            lease=lease,
            by=flow.caseworker,
            data={
                "held_on": date(2033, 5, 15),
                "rent_paid_regularly": True,
                "peaceful_occupation": True,
                "dwelling_upkept": True,
                "budget_managed": True,
                "landlord_offers_lease": True,
            },
        )
        lease.refresh_from_db()
        action_services.sliding_lease_glide(
            lease=lease,
            by=flow.caseworker,
            glide_on=date(2033, 10, 31),
            new_lease_reference="BAIL-2033-1",
            expected_version=lease.version,
        )
    close(flow, c1, on=date(2033, 10, 31), outcome="lease_glided")

    a2_orientation = orient(
        flow,
        a,
        "solvency",
        diagnosed=date(2032, 12, 28),
        oriented=date(2033, 1, 2),
        rent_arrears=Decimal(800),
        rent_arrears_since=date(2032, 10, 1),
    )
    a2 = decide(flow, a2_orientation, on=date(2033, 1, 5), starts_on=date(2033, 1, 10))
    with time_machine.travel(date(2033, 3, 1)):
        action_services.arrears_reading_create(
            action=a2.action, by=flow.caseworker, read_on=date(2033, 3, 1), amount=0
        )
    close(flow, a2, on=date(2033, 3, 9), outcome="stayed")

    orient(flow, e, "energy", diagnosed=date(2033, 1, 20), oriented=date(2033, 2, 1))

    # The State finances B's measure (AVDL): 10,000 € committed, 5,000 € received and paid.
    state = PartnerFactory(funder=True, name="État — DDETS de test")
    avdl = FundingSource.objects.create(
        kind=FundingKind.AVDL,
        year=2032,
        funder=state,
        amount_committed=10000,
        amount_received=5000,
    )
    with time_machine.travel(date(2032, 4, 1)):
        funding_services.entry_add(
            by=flow.coordinator,
            kind=FundingKind.AVDL,
            on=date(2032, 4, 1),
            amount=Decimal(5000),
            label="AVDL 2032",
            source=avdl,
        )
    funding_services.measure_funding_add(
        by=flow.coordinator, source=avdl, measure=b1, hours=Decimal(20)
    )
    return {"a1": a1, "a2": a2, "b1": b1, "c1": c1, "state": state}


def headlines(year: int) -> dict:
    figures = compute(Period.year(year), today=TODAY)
    return {h.key: h.cell.value for h in figures.headlines}


def test_counts_by_calendar_year_follow_what_was_active(cases):
    assert headlines(2031) == {
        "households_oriented": 1,
        "households_decided": 1,
        "households_supported": 1,
        "measures_active": 1,
        "measures_started": 1,
        "measure_months": Decimal("0.4"),  # 20–31 Dec: 12/31
        "renewals": 0,
        "measures_closed": 0,
        "successful_outcomes": 0,
    }
    assert headlines(2032) == {
        "households_oriented": 3,  # B, D, C (A's renewal is no orientation)
        "households_decided": 3,  # B and C accepted, D refused
        "households_supported": 3,  # A (renewed), B, C
        "measures_active": 3,
        "measures_started": 2,
        # A: 11 + 19/31 (to 19 Dec); B: March to June = 4; C: 16/30 + 1
        "measure_months": Decimal("17.1"),
        "renewals": 1,
        "measures_closed": 1,
        "successful_outcomes": 1,
    }
    assert headlines(2033) == {
        "households_oriented": 2,  # A again, E
        "households_decided": 1,
        "households_supported": 2,  # A (second measure), C
        "measures_active": 2,
        "measures_started": 1,
        "measure_months": Decimal("12.0"),  # A: 22/31 + 1 + 9/31 = 2; C: January to October
        "renewals": 1,
        "measures_closed": 2,
        "successful_outcomes": 2,
    }


def test_a_measure_across_two_years_adds_up_to_its_length(cases):
    months = [
        compute(Period.year(y), today=TODAY)
        .table("by_kind")
        .value("Action 1 — mutation « énergie »", "Mois-mesures")
        for y in (2031, 2032, 2033)
    ]
    assert months == [Decimal("0.4"), Decimal("11.6"), Decimal("0.0")]
    whole = compute(Period(date(2031, 1, 1), date(2033, 12, 31)), today=TODAY)
    assert whole.table("by_kind").value("Action 1 — mutation « énergie »", "Mois-mesures") == 12
    assert whole.headline("households_supported").value == 3


def test_a_period_within_the_year(cases):
    spring = compute(Period(date(2032, 4, 1), date(2032, 5, 31)), today=TODAY)
    assert spring.headline("households_supported").value == 2  # A and B
    assert spring.headline("measure_months").value == Decimal("4.0")
    assert spring.headline("households_oriented").value == 1  # D, on 25 April


def test_outcomes_renewals_and_early_closures(cases):
    y2032, y2033 = (compute(Period.year(y), today=TODAY) for y in (2032, 2033))
    outcomes = y2032.table("outcomes")
    assert outcomes.value("Action 2 — mutation « solvabilisation »", "Mutation réalisée") == 1
    assert outcomes.value("Total", "Total") == 1
    outcomes = y2033.table("outcomes")
    assert (
        outcomes.value("Action 2 — mutation « solvabilisation »", "Maintien dans le logement") == 1
    )
    assert outcomes.value("Action 3 — bail glissant à l'assignation", "Bail glissé") == 1
    assert outcomes.value("Total", "Total") == 2
    renewals = y2032.table("renewals")
    assert renewals.value("Action 1 — mutation « énergie »", "Renouvellements accordés") == 1
    assert (
        renewals.value("Action 2 — mutation « solvabilisation »", "Clôtures avant l'échéance") == 1
    )
    renewals = y2033.table("renewals")
    assert (
        renewals.value("Action 3 — bail glissant à l'assignation", "Renouvellements accordés") == 1
    )
    assert (
        renewals.value(
            "Action 3 — bail glissant à l'assignation", "Mesures closes après renouvellement"
        )
        == 1
    )
    # C closed on 31 October, two weeks before its end (15 November).
    assert (
        renewals.value("Action 3 — bail glissant à l'assignation", "Clôtures avant l'échéance") == 1
    )


def test_arrears_glides_durations_follow_ups_procedures(cases):
    y2032, y2033 = (compute(Period.year(y), today=TODAY) for y in (2032, 2033))
    arrears = y2032.table("arrears").row("Action 2 — mutation « solvabilisation »")
    assert [c.value for c in arrears.cells] == [1, Decimal(1200), Decimal(300), Decimal("-75.0")]
    arrears = y2033.table("arrears").row("Action 2 — mutation « solvabilisation »")
    assert [c.value for c in arrears.cells] == [1, Decimal(800), Decimal(0), Decimal("-100.0")]

    glides = y2033.table("glides").row("Action 3 — bail glissant à l'assignation")
    # 15/11/2032 → 31/10/2033: 350 days, 11.5 months.
    assert [c.value for c in glides.cells] == [1, 0, Decimal("100.0"), Decimal("11.5")]

    durations = y2032.table("durations")
    # Orientations of 2032: B 9 days after its diagnostic, D 5, C 7.
    assert [c.value for c in durations.row("Du diagnostic à l'orientation").cells] == [
        3,
        Decimal("7.0"),
        Decimal("7.0"),
    ]
    # Decisions of 2032: B 10 days, D 10, C 9.
    assert [c.value for c in durations.row("De l'orientation à la décision").cells] == [
        3,
        Decimal("9.7"),
        Decimal("10.0"),
    ]
    # Starts of 2032 (a leap year): B 10 days after its decision, C 5; from the diagnostic
    # 29 and 21.
    assert [c.value for c in durations.row("De la décision au début de la mesure").cells] == [
        2,
        Decimal("7.5"),
        Decimal("7.5"),
    ]
    assert durations.value("Du diagnostic au début de la mesure", "Moyenne (jours)") == Decimal(
        "25.0"
    )

    follow_ups = y2032.table("follow_ups")
    assert follow_ups.value("Visite à domicile", "Dans une mesure") == 1
    outreach = follow_ups.row("Aller-vers (locataire qui ne répond plus au bailleur)")
    assert [c.value for c in outreach.cells] == [2, 0, Decimal("0.7")]  # 2 for 3 measures
    assert follow_ups.value("Total", "Par mesure en cours") == Decimal("1.0")

    procedures = y2032.table("procedures")
    assert procedures.value("Assignations", "Ménages") == 1
    assert procedures.value("Expulsions évitées", "Ménages") == 0
    assert y2033.table("procedures").value("Expulsions évitées", "Ménages") == 1
    public = y2033.table("public_cost")
    assert public.value("Coût public évité", "Valeur") == Decimal(20000)
    assert "15 000 à 25 000 €" in public.note


def test_territories_by_commune_and_epci(cases):
    figures = compute(Period.year(2032), today=TODAY)
    epci = figures.table("epci")
    assert epci.value("Grenoble-Alpes-Métropole", "Ménages accompagnés") == 2  # A and B
    assert epci.value("CA Vienne Condrieu", "Ménages accompagnés") == 1
    communes = figures.table("communes")
    assert {r.label: r.cells[1].value for r in communes.rows} == {
        "Grenoble": 1,
        "Échirolles": 1,
        "Vienne": 1,
    }


def test_costs_per_household_and_per_success_by_funder(cases):
    costs = compute(Period.year(2032), today=TODAY).table("costs")
    state = costs.row("État — DDETS de test")
    # 5,000 € for B's measure alone: one household, one success.
    assert [c.value for c in state.cells] == [
        Decimal("10000.00"),
        Decimal("5000.00"),
        Decimal("5000.00"),
        Decimal("20.0"),
        1,
        Decimal("5000.00"),
        1,
        Decimal("5000.00"),
    ]
    landlord = costs.row(cases["b1"].action.landlord.name)
    # Flat fees of B and C (400 € each), pooled over the year's 3 households.
    assert landlord.cells[2].value == Decimal("800.00")
    assert landlord.cells[5].value == Decimal("266.67")
    total = costs.row("Total")
    assert total.cells[2].value == Decimal("5800.00")
    assert total.cells[5].value == Decimal("1933.33")
    assert total.cells[7].value == Decimal("5800.00")
    contribution = funder_contribution(Period.year(2032), cases["state"], today=TODAY)
    values = {row.label: row.cells[0].value for row in contribution.rows}
    assert values["Engagé"] == Decimal("10000.00")
    assert values["Versé (reçu par le programme)"] == Decimal("5000.00")
    assert values["Heures AVDL financées"] == Decimal("20.0")
    assert values["Mesures financées"] == values["Ménages financés"] == 1
    assert values["Mois-mesures financés"] == Decimal("4.0")


def test_a_partner_reads_its_own_share(cases, flow):
    other = user_create(Role.CESF)
    mine = compute(Period.year(2032), flow.landlord, today=TODAY)
    assert mine.headline("households_supported").value == 3
    theirs = compute(Period.year(2032), other.partner, today=TODAY)
    assert theirs.headline("households_supported").value == 0


def test_small_cells_are_hidden_for_everyone_but_the_coordination(cases, flow):
    figures = compute(Period.year(2032), today=TODAY)
    assert secrecy.for_user(figures, flow.coordinator) is figures
    manager = user_create(Role.MANAGER, partner=flow.landlord)
    hidden = secrecy.for_user(figures, manager)
    assert hidden.headline("households_supported").suppressed  # 3 < 5
    assert hidden.table("epci").rows[0].cells[0].suppressed
    assert not figures.headline("households_supported").suppressed
    # Money a funder committed rests on no household: never hidden.
    assert not hidden.table("costs").row("État — DDETS de test").cells[0].suppressed
    # With a threshold of 2, the year's 3 households show, Vienne's one is hidden, and so is
    # Grenoble's 2: from the 3 it would give Vienne's away.
    lower = secrecy.apply(figures, threshold=2)
    assert not lower.headline("households_supported").suppressed
    assert lower.table("epci").row("CA Vienne Condrieu").cells[0].suppressed
    assert lower.table("epci").row("Grenoble-Alpes-Métropole").cells[0].suppressed


def test_a_hidden_cell_cannot_be_worked_out_from_its_total():
    table = Table(
        "t",
        "Essai",
        "Ligne",
        ["A", "B", "Total"],
        ["count"] * 3,
        [
            Row("x", [Cell(6, 6), Cell(1, 1), Cell(7, 7)]),
            Row("y", [Cell(9, 9), Cell(8, 8), Cell(17, 17)]),
            Row("Total", [Cell(15, 15), Cell(9, 9), Cell(24, 24)]),
        ],
        column_groups=[(2, [0, 1])],
        row_groups=[(2, [0, 1])],
    )
    secrecy.hide_table(table, threshold=5)
    hidden = [[c.suppressed for c in row.cells] for row in table.rows]
    # x·B (1) is hidden; x·A would give it away from x's total, and y·B from B's total:
    # both go too, and then y·A so that y·B cannot be worked out from y's total.
    assert hidden == [[True, True, False], [True, True, False], [False, False, False]]


def test_the_2016_seed_counts_80_households_and_2600_euros_each(demo):
    figures = compute(Period.year(2016))
    assert figures.headline("households_supported").value == 80
    assert figures.headline("measures_active").value == 80
    assert figures.headline("measure_months").value == Decimal("480.0")
    assert figures.households_targeted == 80
    costs = figures.table("costs")
    assert costs.value("Total", "Dépensé") == Decimal("207000.00")
    assert costs.value("Total", "Coût par ménage") == Decimal("2587.50")
    by_partner = figures.table("by_partner")
    assert by_partner.value("Actis", "Ménages accompagnés") == 30
