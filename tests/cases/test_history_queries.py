"""The household page's history costs a constant number of queries however many edits the
case has had, and builds no manager class per request."""

from unittest import mock

from django.core.cache import caches
from django.db import connection
from django.db.models.manager import BaseManager
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from partners.models import Partner
from tests.factories import PartnerFactory, diagnostic_create, household_create


def edit(household, landlords: list[Partner], times: int) -> None:
    """Edits as people make them over months: a phone typed again, the landlord corrected
    back and forth, each saved with its history row."""
    for index in range(times):
        household.phone = f"06 12 34 {index // 100:02d} {index % 100:02d}"
        household.landlord = landlords[index % len(landlords)]
        household.save()


def page_queries(client, household, *, kept: bool = False) -> tuple[int, str]:
    """The page's queries; read afresh (the pieces kept per state of the case forgotten)
    unless `kept`."""
    if not kept:
        caches["pages"].clear()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("households:detail", args=[household.pk]))
    assert response.status_code == 200
    return len(queries), response.content.decode()


def test_the_history_costs_the_same_after_6_or_60_edits(logged_in, cesf):
    landlords = [cesf.partner, PartnerFactory(name="Bailleur Alpin"), PartnerFactory()]
    small = household_create(by=cesf, name="Petit")
    large = household_create(by=cesf, name="Grand")
    for household, edits, diagnostics in ((small, 6, 1), (large, 60, 6)):
        edit(household, landlords, edits)
        for _ in range(diagnostics):
            diagnostic_create(household=household, by=cesf)
    page_queries(logged_in, small)  # warm the session and the caches of the first request
    small_count, _ = page_queries(logged_in, small)
    large_count, content = page_queries(logged_in, large)
    assert large_count == small_count
    # Related objects are still named in the history, not shown as ids.
    assert "Bailleur Alpin" in content


def test_no_manager_class_is_built_for_the_history(logged_in, cesf):
    household = household_create(by=cesf)
    edit(household, [cesf.partner, PartnerFactory()], 3)
    page_queries(logged_in, household)
    with mock.patch.object(
        BaseManager, "_get_queryset_methods", wraps=BaseManager._get_queryset_methods
    ) as built:
        page_queries(logged_in, household)
    assert built.call_count == 0
