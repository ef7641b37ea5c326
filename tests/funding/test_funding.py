"""The programme's money: bookings fed by the workflow, corrections, totals, pages, exports."""

import csv
import io
from datetime import date
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse
from openpyxl import load_workbook

from actions import services as action_services
from core.errors import DomainError
from core.templatetags.fr_format import euros
from funding import services
from funding.models import AppendOnly, FundingKind, FundingSource, LedgerEntry, YearlyBudget
from partners.models import Partner
from tests.demo_access import USERS
from tests.factories import both_approve, orientation_create


def start(flow, on: date, household=None):
    with time_machine.travel(on):
        orientation = orientation_create(
            cesf=flow.cesf, association=flow.association, household=household
        )
        both_approve(
            orientation.action.codecisions.get(),
            landlord_user=flow.cesf,
            caseworker=flow.caseworker,
            starts_on=on,
        )
    return orientation.action.measures.get()


def fees(measure):
    return LedgerEntry.objects.filter(measure=measure, kind=FundingKind.FLAT_FEE)


def test_a_measure_start_books_one_flat_fee_for_the_landlord(flow):
    YearlyBudget.objects.create(
        year=2026, amount_engaged=100000, households_targeted=40, flat_fee=Decimal(450)
    )
    measure = start(flow, date(2026, 2, 3))
    [fee] = fees(measure)
    assert (fee.amount, fee.partner, fee.year) == (Decimal(450), flow.landlord, 2026)
    services.book_measure_fee(measure, by=flow.cesf)  # the same step seen twice
    assert fees(measure).count() == 1


@pytest.mark.parametrize("setting, expected", [(False, 1), (True, 2)])
def test_renewal_books_a_fee_only_if_the_setting_says_so(flow, settings, setting, expected):
    settings.FUNDING_RENEWAL_BOOKS_FEE = setting
    measure = start(flow, date(2026, 1, 5))
    with time_machine.travel(date(2026, 6, 20)):
        renewal = action_services.renewal_request(
            measure=measure, by=flow.caseworker, comment="Audience à venir."
        )
        both_approve(renewal, landlord_user=flow.cesf, caseworker=flow.caseworker)
    assert fees(measure).count() == expected


def test_a_rent_reduction_over_7_months_books_7_monthly_entries(flow):
    measure = start(flow, date(2026, 1, 5))
    reduction = action_services.rent_reduction_create(
        action=measure.action,
        by=flow.cesf,
        monthly_amount=Decimal("35.50"),
        starts_on=date(2026, 1, 1),
        ends_on=date(2026, 7, 1),
    )
    entries = LedgerEntry.objects.filter(rent_reduction=reduction).order_by("on")
    assert [e.on for e in entries] == [date(2026, m, 1) for m in range(1, 8)]
    assert sum(e.amount for e in entries) == Decimal("248.50")
    services.book_rent_reduction(reduction, by=flow.cesf)
    assert entries.count() == 7


def test_closing_the_action_stops_its_rent_reduction_and_reverses_the_months_beyond(flow):
    measure = start(flow, date(2026, 1, 5))
    reduction = action_services.rent_reduction_create(
        action=measure.action,
        by=flow.cesf,
        monthly_amount=Decimal(50),
        starts_on=date(2026, 2, 1),
        ends_on=date(2026, 7, 1),  # the measure's last month
    )
    with time_machine.travel(date(2026, 3, 20)):
        action_services.measure_close(
            measure=measure, by=flow.caseworker, outcome="stayed", closed_on=date(2026, 3, 15)
        )
    reduction.refresh_from_db()
    assert reduction.ends_on == date(2026, 3, 1)
    entries = LedgerEntry.objects.filter(rent_reduction=reduction)
    assert entries.count() == 6 + 4  # nothing deleted: 4 reversals for April to July
    assert sum(e.amount for e in entries) == 2 * Decimal(50)  # February and March
    figures = services.year_figures(2026, flow.landlord, today=date(2026, 12, 31))
    reductions = next(k for k in figures.by_kind if k.kind == "rent_reduction")
    assert reductions.spent == figures.forecast - fees(measure).get().amount == Decimal(100)


def test_fees_booked_stay_as_booked_and_follow_their_corrections(flow):
    """Households and measure-months are counted on activity (tests/stats); the budget
    counts the fees booked, net of reversals."""
    start(flow, date(2026, 1, 15))
    second = start(flow, date(2026, 4, 2))
    other = start(flow, date(2026, 5, 4))
    assert services.year_figures(2026, flow.landlord).fees_booked == 3
    services.entry_correct(by=flow.coordinator, entry=fees(other).get(), reason="Doublon")
    assert services.year_figures(2026, flow.landlord).fees_booked == 2
    services.entry_correct(
        by=flow.coordinator, entry=fees(second).get(), reason="Montant", amount=Decimal(350)
    )
    assert services.year_figures(2026, flow.landlord).fees_booked == 2


def test_a_correction_nets_out_and_nothing_is_edited(flow):
    entry = services.entry_add(
        by=flow.coordinator,
        kind=FundingKind.AVDL,
        on=date(2026, 4, 15),
        amount=Decimal(36000),
        label="AVDL versement 1",
    )
    with pytest.raises(AppendOnly):
        entry.amount = Decimal(1)
        entry.save()
    with pytest.raises(AppendOnly):
        entry.delete()
    with pytest.raises(AppendOnly):
        LedgerEntry.objects.filter(pk=entry.pk).update(amount=Decimal(1))
    with pytest.raises(AppendOnly):
        LedgerEntry.objects.filter(pk=entry.pk).delete()
    services.entry_correct(by=flow.coordinator, entry=entry, reason="Erreur", amount=Decimal(30000))
    year = LedgerEntry.objects.filter(
        year=2026, kind=FundingKind.AVDL, label__contains="AVDL versement 1"
    )
    assert sum(e.amount for e in year) == Decimal(30000)
    with pytest.raises(DomainError, match="déjà été corrigée"):
        services.entry_correct(by=flow.coordinator, entry=entry, reason="Encore")
    with pytest.raises(DomainError, match="coordination"):
        services.entry_add(
            by=flow.cesf, kind="avdl", on=date(2026, 1, 1), amount=Decimal(1), label="x"
        )
    with pytest.raises(DomainError, match="comptés par le suivi"):
        services.entry_add(
            by=flow.coordinator, kind="flat_fee", on=date(2026, 1, 1), amount=1, label="x"
        )


def test_the_2016_demo_reproduces_the_seed_figures(demo):
    figures = services.year_figures(2016)
    assert figures.engaged == figures.spent == Decimal(207000)
    assert figures.households_targeted == figures.fees_booked == 80
    spent = {k.kind: k.spent for k in figures.by_kind}
    assert spent["flat_fee"] == 80 * Decimal(400)
    assert all(spent[kind] > 0 for kind in ("rent_reduction", "avdl", "grant"))
    by_partner = {row.name: row for row in figures.by_partner}
    assert by_partner["Actis"].spent == 12 * Decimal(1500) + 30 * Decimal(400)
    committed = sum(
        FundingSource.objects.filter(year=2016, funder__short_name="actis").values_list(
            "amount_committed", flat=True
        )
    )
    assert by_partner["Actis"].committed == committed > 0


def test_a_manager_sees_only_its_partners_lines(client, demo):
    client.force_login(demo["manager.actis"])
    page = client.get(reverse("funding:ledger", args=[2016])).content.decode()
    rows = page.split("<tbody>")[1].split("</tbody>")[0]
    assert "(Actis)" in rows and "(Opac38)" not in rows and "AVDL" not in rows
    figures = services.year_figures(2016, demo["manager.actis"].partner)
    assert figures.spent == 12 * Decimal(1500) + 30 * Decimal(400)


def page_total(client, year: int) -> str:
    page = client.get(reverse("funding:dashboard", args=[year])).content.decode()
    return page.split('id="spent">')[1].split("</dd>")[0]


def test_exports_hold_the_same_totals_as_the_page(client, demo):
    from core.templatetags.fr_format import euros

    client.force_login(demo["funder.fondation"])
    shown = page_total(client, 2016)
    assert shown == euros(207000)
    response = client.get(reverse("funding:figures_export", args=[2016, "xlsx"]))
    sheet = load_workbook(io.BytesIO(response.content))["Budget"]
    rows = {row[0]: row for row in sheet.iter_rows(values_only=True) if row and row[0]}
    assert euros(rows["Total"][3]) == shown
    assert rows["Ménages visés"][1] == 80
    # The funder reads the ledger as totals per month, kind and partner.
    ledger = client.get(reverse("funding:ledger_export", args=[2016, "xlsx"]))
    totals = list(load_workbook(io.BytesIO(ledger.content))["Registre"].iter_rows(values_only=True))
    assert totals[0][0] == "Mois" and euros(sum(row[4] for row in totals[1:])) == shown
    client.force_login(demo["coordinator.lt"])
    ledger = client.get(reverse("funding:ledger_export", args=[2016, "xlsx"]))
    entries = list(
        load_workbook(io.BytesIO(ledger.content))["Registre"].iter_rows(values_only=True)
    )
    assert euros(sum(row[5] for row in entries[1:])) == shown
    text = client.get(reverse("funding:ledger_export", args=[2016, "csv"])).content.decode()
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff")), delimiter=";"))
    total = sum(Decimal(row[5].replace(",", ".")) for row in rows[1:])
    assert euros(total) == shown


def test_the_dashboard_draws_its_charts_and_each_year_keeps_its_own_money(client, demo):
    client.force_login(demo["coordinator.lt"])
    services.entry_add(
        by=demo["coordinator.lt"],
        kind="grant",
        on=date(2017, 2, 1),
        amount=Decimal(5000),
        label="Subvention 2017",
    )
    page = client.get(reverse("funding:dashboard", args=[2016])).content.decode()
    assert page.count("<svg") >= 2 and "Actis" in page.split("<svg", 1)[1]
    assert page_total(client, 2016) == euros(207000)
    assert services.year_figures(2016).spent == Decimal(207000)
    assert services.year_figures(2017, today=date(2017, 12, 31)).spent == Decimal(5000)
    text = client.get(reverse("funding:figures_export", args=[2016, "csv"])).content.decode()
    lines = csv.reader(io.StringIO(text.lstrip("\ufeff")), delimiter=";")
    rows = {row[0]: row for row in lines if row}
    assert Decimal(rows["Total"][3].replace(",", ".")) == Decimal(207000)
    assert rows["Ménages visés"][1] == "80" and rows["Forfaits inscrits (mesures)"][1] == "80"


def test_coordinator_enters_a_grant_and_a_correction_through_the_pages(client, demo):
    client.force_login(demo["coordinator.lt"])
    response = client.post(
        reverse("funding:entry_create", args=[2026]),
        {"kind": "grant", "on": "2026-05-02", "amount": "5000", "label": "Subvention ville"},
    )
    assert response.status_code == 302
    entry = LedgerEntry.objects.get(label="Subvention ville")
    response = client.post(reverse("funding:entry_correct", args=[entry.pk]), {"reason": ""})
    assert "Ce champ est obligatoire" in response.content.decode()
    client.post(
        reverse("funding:entry_correct", args=[entry.pk]),
        {"reason": "Montant voté : 4 500 €", "amount": "4500"},
    )
    assert (
        sum(e.amount for e in LedgerEntry.objects.filter(label__contains="Subvention ville"))
        == 4500
    )
    response = client.post(
        reverse("funding:entry_create", args=[2026]),
        {"kind": "grant", "on": "2026-05-02", "amount": "abc", "label": "X"},
    )
    assert "Saisissez un nombre" in response.content.decode()


def test_dashboard_ledger_and_api_query_counts_are_constant(
    client, demo, django_assert_max_num_queries, django_assert_num_queries
):
    client.force_login(demo["coordinator.lt"])
    for url in (
        reverse("funding:dashboard", args=[2016]),
        reverse("funding:ledger", args=[2016]),
        "/api/ledger/?year=2016",
    ):
        client.get(url)
        with django_assert_max_num_queries(20) as first:
            client.get(url)
        for index in range(5):
            services.entry_add(
                by=demo["coordinator.lt"],
                kind="other",
                on=date(2016, 3, 1 + index),
                amount=Decimal(10),
                label=f"Divers {index}",
                partner=demo["cesf.opac38"].partner,
            )
        with django_assert_num_queries(len(first.captured_queries)):
            client.get(url)


def test_the_ledger_through_the_api_matches_the_dashboard(demo):
    from tests.helpers import api_for

    funder = api_for(demo["funder.fondation"])
    figures = funder.get("/api/ledger/figures/", {"year": 2016}).json()
    assert Decimal(figures["spent"]) == Decimal(207000)
    assert figures["households_targeted"] == figures["fees_booked"] == 80
    spent = {row["kind"]: Decimal(row["spent"]) for row in figures["by_kind"]}
    assert spent["flat_fee"] == 80 * Decimal(400)
    # A funder reads totals per month, never the lines (they name households' references).
    totals = funder.get("/api/ledger/totals/", {"year": 2016}).json()
    assert sum(Decimal(row["amount"]) for row in totals) == Decimal(207000)
    assert {row["month"][:7] for row in totals} == {f"2016-{m:02d}" for m in range(1, 13)}
    assert funder.get("/api/ledger/", {"year": 2016}).status_code == 403
    funder = api_for(demo["coordinator.lt"])

    def all_entries(api, **params):
        rows, page = [], 1
        while True:
            response = api.get("/api/ledger/", {"year": 2016, "page": page, **params}).json()
            rows += response["results"]
            if not response["next"]:
                return rows
            page += 1

    entries = all_entries(funder)
    assert sum(Decimal(row["amount"]) for row in entries) == Decimal(207000)
    assert all("name" not in row and "Martin" not in row["label"] for row in entries)
    fees = all_entries(funder, kind="flat_fee")
    assert len(fees) and {row["kind"] for row in fees} == {"flat_fee"}
    actis = Partner.objects.get(short_name="actis")
    assert {row["partner"] for row in all_entries(funder, partner=actis.pk)} == {actis.pk}
    march = all_entries(funder, since="2016-03-01", until="2016-03-31")
    assert march and all("2016-03-01" <= row["on"] <= "2016-03-31" for row in march)

    manager = api_for(demo["manager.actis"])
    own = all_entries(manager)
    assert {row["partner_name"] for row in own} == {"Actis"}
    assert sum(Decimal(row["amount"]) for row in own) == 12 * Decimal(1500) + 30 * Decimal(400)
    mine = manager.get("/api/ledger/figures/", {"year": 2016}).json()
    assert Decimal(mine["spent"]) == 12 * Decimal(1500) + 30 * Decimal(400)
    opac38 = LedgerEntry.objects.filter(partner__short_name="opac38").first()
    assert manager.get(f"/api/ledger/{opac38.pk}/").status_code == 404
    assert funder.get(f"/api/ledger/{opac38.pk}/").json()["amount"] == f"{opac38.amount:.2f}"
    assert api_for(demo["funder.ddets"]).get(f"/api/ledger/{opac38.pk}/").status_code == 403


def test_coordinators_record_money_received_in_the_admin_and_only_read_the_ledger(client, demo):
    from funding.models import FundingSource

    client.force_login(demo["coordinator.lt"])
    source = FundingSource.objects.filter(year=2016, kind="avdl").first()
    url = reverse("admin:funding_fundingsource_change", args=[source.pk])
    form = client.get(url)
    assert form.status_code == 200
    response = client.post(
        url,
        {
            "kind": source.kind,
            "year": source.year,
            "funder": source.funder_id or "",
            "funder_name": source.funder_name,
            "amount_committed": source.amount_committed,
            "amount_received": "12345.67",
            "documents": "Arrêté préfectoral",
        },
    )
    assert response.status_code == 302
    figures = services.year_figures(2016)
    received = next(k for k in figures.by_kind if k.kind == "avdl").received
    assert received >= Decimal("12345.67")
    entry = LedgerEntry.objects.filter(year=2016).first()
    assert (
        client.get(reverse("admin:funding_ledgerentry_change", args=[entry.pk])).status_code == 200
    )
    assert (
        client.post(reverse("admin:funding_ledgerentry_delete", args=[entry.pk])).status_code == 403
    )
    client.force_login(demo["manager.actis"])
    assert client.get(url).status_code == 302  # not staff: sent to the admin's login


ALLOWED = {"coordinator.lt", "funder.fondation", "funder.ddets"} | {
    u for u in USERS if u.startswith("manager.")
}


@pytest.mark.parametrize("username", USERS)
def test_access_matrix_of_the_budget(client, demo, username):
    client.force_login(demo[username])
    entry = LedgerEntry.objects.filter(year=2016).first()
    pages = {
        "index": reverse("funding:index"),
        "dashboard": reverse("funding:dashboard", args=[2016]),
        "ledger": reverse("funding:ledger", args=[2016]),
        "ledger.csv": reverse("funding:ledger_export", args=[2016, "csv"]),
        "ledger.xlsx": reverse("funding:ledger_export", args=[2016, "xlsx"]),
        "figures.csv": reverse("funding:figures_export", args=[2016, "csv"]),
        "figures.xlsx": reverse("funding:figures_export", args=[2016, "xlsx"]),
        "entry_create": reverse("funding:entry_create", args=[2016]),
        "source_create": reverse("funding:source_create", args=[2016]),
        "entry_correct": reverse("funding:entry_correct", args=[entry.pk]),
        "budget_edit": reverse("funding:budget_edit", args=[2016]),
    }
    outcomes = {name: client.get(url).status_code for name, url in pages.items()}
    seen = 200 if username in ALLOWED else 403
    entering = 200 if username == "coordinator.lt" else 403
    assert outcomes == {
        "index": 302 if username in ALLOWED else 403,
        "dashboard": seen,
        "ledger": seen,
        "ledger.csv": seen,
        "ledger.xlsx": seen,
        "figures.csv": seen,
        "figures.xlsx": seen,
        "entry_create": entering,
        "source_create": entering,
        "entry_correct": entering,
        "budget_edit": entering,
    }
