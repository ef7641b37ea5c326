"""Dates and money as people type them: a measure's start, rent reductions, follow-ups,
closures. Each abuse is refused with a French message by the service, the page and the API,
and nothing already saved is lost."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from actions import services
from actions.models import FollowUp, RentReduction, SupportMeasure
from codecision import services as codecision_services
from codecision.models import CoDecisionStatus
from core.dates import add_months
from core.errors import DomainError
from tests.factories import CoDecisionFactory, MeasureFactory, both_approve, orientation_create
from tests.helpers import api_for, page_text


@pytest.fixture
def start(flow):
    """A start co-decision the landlord approved: the association's answer opens the measure."""
    return CoDecisionFactory(cesf=flow.cesf, caseworker=flow.caseworker, landlord_approved=True)


@pytest.fixture
def measure(flow):
    return MeasureFactory(cesf=flow.cesf, caseworker=flow.caseworker)


def approve(flow, codecision, starts_on):
    return codecision_services.codecision_answer(
        codecision=codecision,
        by=flow.caseworker,
        answer="approve",
        referent=flow.caseworker,
        starts_on=starts_on,
    )


# --- A measure's start --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("starts_on", "message"),
    [
        (date(1901, 3, 4), "n'est pas plausible"),
        (date(9999, 12, 31), "n'est pas plausible"),
        (timezone.localdate() - timedelta(days=3), "avant l'ouverture de sa co-décision"),
        (timezone.localdate() + timedelta(days=91), "au plus tard 90 jours"),
    ],
)
def test_a_measure_starts_within_its_codecisions_window(flow, start, starts_on, message):
    with pytest.raises(DomainError, match=message) as refused:
        approve(flow, start, starts_on)
    assert refused.value.field == "starts_on"
    start.refresh_from_db()
    assert start.status == CoDecisionStatus.PENDING and start.answers.count() == 1
    assert not SupportMeasure.objects.filter(action__household=start.household).exists()


def test_a_measure_never_starts_in_a_closed_budget_year(flow, start, settings):
    settings.BUDGET_CLOSED_YEARS = [timezone.localdate().year]
    with pytest.raises(DomainError, match=f"comptes de {timezone.localdate().year} sont clos"):
        approve(flow, start, timezone.localdate())
    settings.BUDGET_CLOSED_YEARS = []
    measure = approve(flow, start, timezone.localdate())
    assert measure.status == CoDecisionStatus.APPROVED


def test_an_implausible_start_is_refused_by_the_page_and_the_api(client, flow, start):
    client.force_login(flow.caseworker)
    for starts_on in ("1901-03-04", "9999-12-31"):
        response = client.post(
            reverse("codecision:answer", args=[start.pk]),
            {"answer": "approve", "referent": flow.caseworker.pk, "starts_on": starts_on},
        )
        assert response.status_code == 400
        assert "n'est pas plausible" in page_text(response)
    response = api_for(flow.caseworker).post(
        f"/api/codecisions/{start.pk}/approve/",
        {"referent": flow.caseworker.pk, "starts_on": "9999-12-31"},
        format="json",
    )
    assert response.status_code == 400
    assert "n'est pas plausible" in str(response.json()["starts_on"])
    before = (timezone.localdate() - timedelta(days=5)).isoformat()
    response = api_for(flow.caseworker).post(
        f"/api/codecisions/{start.pk}/approve/",
        {"referent": flow.caseworker.pk, "starts_on": before},
        format="json",
    )
    assert response.status_code == 400
    assert "avant l'ouverture de sa co-décision" in str(response.json())
    assert not SupportMeasure.objects.filter(action__household=start.household).exists()


def test_the_database_refuses_a_measure_out_of_any_plausible_date(measure):
    with pytest.raises(IntegrityError), transaction.atomic():
        SupportMeasure.objects.filter(pk=measure.pk).update(starts_on=date(1901, 3, 4))


# --- Rent reductions ------------------------------------------------------------------------


def reduce(flow, measure, amount, first, last):
    return services.rent_reduction_create(
        action=measure.action, by=flow.cesf, monthly_amount=amount, starts_on=first, ends_on=last
    )


def test_rent_reductions_lie_within_the_measure_never_overlap_and_are_capped(flow, measure):
    first = measure.starts_on.replace(day=1)
    last = measure.ends_on.replace(day=1)
    with pytest.raises(DomainError, match="n'est pas plausible"):
        reduce(flow, measure, 40, date(1990, 1, 1), date(2039, 12, 1))
    with pytest.raises(DomainError, match="porte sur les mois de la mesure"):
        reduce(flow, measure, 40, add_months(first, -1), last)
    with pytest.raises(DomainError, match="porte sur les mois de la mesure"):
        reduce(flow, measure, 40, first, add_months(last, 1))
    with pytest.raises(DomainError, match="au plus 500 € par mois"):
        reduce(flow, measure, Decimal("99999999.99"), first, last)
    reduce(flow, measure, 500, first, add_months(first, 2))
    with pytest.raises(DomainError, match="couvre déjà les mois"):
        reduce(flow, measure, 40, add_months(first, 2), last)
    reduce(flow, measure, 40, add_months(first, 3), last)
    assert measure.action.rent_reductions.count() == 2


def test_the_database_refuses_two_reductions_on_the_same_month(flow, measure):
    first = measure.starts_on.replace(day=1)
    reduction = reduce(flow, measure, 40, first, add_months(first, 2))
    with pytest.raises(IntegrityError), transaction.atomic():
        RentReduction.objects.create(
            action=measure.action,
            monthly_amount=10,
            starts_on=add_months(first, 1),
            ends_on=add_months(first, 1),
            created_by=reduction.created_by,
        )


def test_an_abusive_reduction_is_refused_on_the_page_and_the_years_figures_answer(
    client, flow, measure
):
    client.force_login(flow.cesf)
    url = reverse("actions:action_section", args=[measure.action.pk, "reduction"])
    first = measure.starts_on.replace(day=1)
    response = client.post(
        url,
        {"monthly_amount": "99999999.99", "starts_on": "1990-01-01", "ends_on": "2039-12-01"},
    )
    assert response.status_code == 400
    assert "n'est pas plausible" in page_text(response)
    response = client.post(
        url,
        {"monthly_amount": "99999999.99", "starts_on": first, "ends_on": first},
    )
    assert response.status_code == 400 and "au plus 500 € par mois" in page_text(response)
    assert not RentReduction.objects.filter(action=measure.action).exists()
    reduce(flow, measure, 500, first, measure.ends_on)
    response = api_for(flow.coordinator).get("/api/ledger/figures/")
    assert response.status_code == 200


# --- Follow-ups ------------------------------------------------------------------------------


def test_a_follow_up_on_0001_01_01_is_refused_by_service_page_and_api(client, flow, measure):
    household = measure.action.household
    with pytest.raises(DomainError, match="n'est pas plausible"):
        services.follow_up_create(
            household=household,
            by=flow.caseworker,
            measure=measure,
            data={"happened_on": date(1, 1, 1), "kind": "phone", "summary": "Appel."},
        )
    client.force_login(flow.caseworker)
    response = client.post(
        reverse("actions:follow_up_create", args=[household.pk]) + f"?mesure={measure.pk}",
        {"happened_on": "0001-01-01", "kind": "phone", "summary": "Appel."},
    )
    assert response.status_code == 200 and "n'est pas plausible" in page_text(response)
    response = api_for(flow.caseworker).post(
        "/api/follow-ups/",
        {
            "household": household.pk,
            "measure": measure.pk,
            "happened_on": "0001-01-01",
            "kind": "phone",
            "summary": "Appel.",
        },
        format="json",
    )
    assert response.status_code == 400 and "n'est pas plausible" in str(response.json())
    assert not FollowUp.objects.filter(household=household).exists()


def test_a_visit_before_the_measure_starts_is_kept_in_its_journal(client, flow):
    codecision = orientation_create(cesf=flow.cesf, association=flow.association)
    codecision = codecision.action.codecisions.get()
    both_approve(
        codecision,
        landlord_user=flow.cesf,
        caseworker=flow.caseworker,
        starts_on=timezone.localdate() + timedelta(days=10),
    )
    measure = codecision.action_link.action.measures.get()
    household = measure.action.household
    client.force_login(flow.caseworker)
    response = client.post(
        reverse("actions:follow_up_create", args=[household.pk]) + f"?mesure={measure.pk}",
        {
            "happened_on": timezone.localdate().isoformat(),
            "kind": "home_visit",
            "summary": "Première visite avant le début de la mesure.",
        },
        follow=True,
    )
    assert response.status_code == 200
    text = page_text(response)
    assert "il est noté au dossier du ménage" in text
    assert "Première visite avant le début de la mesure." in text
    assert "(avant le début de la mesure)" in text
    follow_up = FollowUp.objects.get(household=household)
    assert follow_up.household == household and follow_up.measure is None


# --- Closures --------------------------------------------------------------------------------


def test_a_closure_outcome_fits_the_action_and_its_facts(client, flow):
    codecision = orientation_create(cesf=flow.cesf, association=flow.association, kind="solvency")
    codecision = codecision.action.codecisions.get()
    both_approve(
        codecision,
        landlord_user=flow.cesf,
        caseworker=flow.caseworker,
        starts_on=timezone.localdate() - timedelta(days=20),
    )
    measure = codecision.action_link.action.measures.get()
    with pytest.raises(DomainError, match="« Bail glissé » ne correspond pas"):
        services.measure_close(measure=measure, by=flow.caseworker, outcome="lease_glided")
    with pytest.raises(DomainError, match="suppose un emménagement"):
        services.measure_close(measure=measure, by=flow.caseworker, outcome="transferred")
    client.force_login(flow.caseworker)
    response = client.post(
        reverse("actions:measure_close", args=[measure.pk]),
        {"outcome": "lease_glided", "version": measure.version, "confirm": "1"},
    )
    assert response.status_code == 400 and "ne correspond pas" in page_text(response)
    response = api_for(flow.caseworker).post(
        f"/api/measures/{measure.pk}/close/", {"outcome": "lease_glided"}, format="json"
    )
    assert response.status_code == 400 and "ne correspond pas" in str(response.json())
    measure.refresh_from_db()
    assert measure.status == "active"
    services.measure_close(measure=measure, by=flow.caseworker, outcome="eviction_avoided")


def test_a_lease_glided_only_when_the_sliding_lease_glided(flow):
    codecision = orientation_create(
        cesf=flow.cesf, association=flow.association, kind="sliding_lease_eviction"
    )
    codecision = codecision.action.codecisions.get()
    both_approve(
        codecision,
        landlord_user=flow.cesf,
        caseworker=flow.caseworker,
        starts_on=timezone.localdate() - timedelta(days=20),
    )
    measure = codecision.action_link.action.measures.get()
    with pytest.raises(DomainError, match="un bail glissant qui a glissé"):
        services.measure_close(measure=measure, by=flow.caseworker, outcome="lease_glided")
    lease = measure.action.sliding_lease
    lease = services.sliding_lease_update(
        lease=lease,
        by=flow.caseworker,
        data={"sublease_signed_on": timezone.localdate() - timedelta(days=15)},
        expected_version=lease.version,
    )
    services.lease_review_create(
        lease=lease,
        by=flow.caseworker,
        data={
            "held_on": timezone.localdate() - timedelta(days=2),
            "rent_paid_regularly": True,
            "peaceful_occupation": True,
            "dwelling_upkept": True,
            "budget_managed": True,
            "landlord_offers_lease": True,
        },
    )
    lease.refresh_from_db()
    services.sliding_lease_glide(
        lease=lease,
        by=flow.caseworker,
        glide_on=timezone.localdate() - timedelta(days=1),
        new_lease_reference="BAIL-2026-7",
        expected_version=lease.version,
    )
    closed = services.measure_close(measure=measure, by=flow.caseworker, outcome="lease_glided")
    assert closed.outcome == "lease_glided"


# --- Reductions as people type them, in any order ----------------------------------------------

months_offsets = st.integers(min_value=-30, max_value=30)
amounts = st.one_of(
    st.decimals(min_value=Decimal("-10"), max_value=Decimal("1000"), places=2),
    st.just(Decimal("99999999.99")),
)


@hypothesis_settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(tries=st.lists(st.tuples(months_offsets, months_offsets, amounts), max_size=6))
def test_accepted_reductions_never_overlap_stay_in_the_measure_and_match_the_ledger(
    flow, measure, tries
):
    from funding.models import LedgerEntry

    first_month = measure.starts_on.replace(day=1)
    with transaction.atomic():
        for start_offset, length, amount in tries:
            first = add_months(first_month, start_offset)
            last = add_months(first, length)
            try:
                reduce(flow, measure, amount, first, last)
            except DomainError as refused:
                assert refused.message  # a French message, never another exception
        kept = list(measure.action.rent_reductions.all())
        months = [month for reduction in kept for month in reduction.months()]
        assert len(months) == len(set(months))
        assert all(first_month <= month <= measure.ends_on.replace(day=1) for month in months)
        assert all(0 < r.monthly_amount <= 500 for r in kept)
        booked = LedgerEntry.objects.filter(rent_reduction__in=kept)
        assert sorted(e.on for e in booked) == sorted(months)
        assert sum(e.amount for e in booked) == sum(
            (r.monthly_amount * len(r.months()) for r in kept), Decimal(0)
        )
        transaction.set_rollback(True)
