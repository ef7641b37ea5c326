"""The household and measure pages show the latest follow-ups and say how many there are in
all, the whole journal one link away: a case with years of follow-ups stays readable, and
costs its page what a young one does."""

from datetime import timedelta

import pytest
from django.urls import reverse

from tests.factories import FollowUpFactory, MeasureFactory, household_create
from tests.helpers import page_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def measure_with_journal(settings):
    settings.FOLLOW_UPS_SHOWN = 3
    measure = MeasureFactory()
    today = measure.starts_on + timedelta(days=10)
    for day in range(5):
        FollowUpFactory(
            measure=measure, happened_on=today - timedelta(days=day), summary=f"Visite n° {day}"
        )
    return measure


def shown(text: str) -> list[str]:
    return [f"Visite n° {day}" for day in range(5) if f"Visite n° {day}" in text]


@pytest.mark.parametrize("page", ["household", "measure"])
def test_a_page_shows_the_latest_follow_ups_and_the_whole_journal_on_demand(
    client, measure_with_journal, page
):
    measure = measure_with_journal
    url = (
        reverse("households:detail", args=[measure.action.household_id])
        if page == "household"
        else reverse("actions:measure_detail", args=[measure.pk])
    )
    client.force_login(measure.referent)
    text = page_text(client.get(url))
    assert shown(text) == ["Visite n° 0", "Visite n° 1", "Visite n° 2"]  # the newest first
    assert "Suivis (5)" in text and "Afficher les 5 suivis" in text
    everything = page_text(client.get(url, {"suivis": "tous"}))
    assert shown(everything) == [f"Visite n° {day}" for day in range(5)]
    assert "Afficher les 5 suivis" not in everything


def test_a_journal_that_fits_is_shown_whole_with_no_link(client, measure_with_journal, settings):
    settings.FOLLOW_UPS_SHOWN = 5
    measure = measure_with_journal
    client.force_login(measure.referent)
    text = page_text(client.get(reverse("households:detail", args=[measure.action.household_id])))
    assert len(shown(text)) == 5 and "Afficher les" not in text


def test_the_history_shows_its_latest_events_and_everything_on_demand(logged_in, cesf, settings):
    settings.HISTORY_SHOWN = 2
    household = household_create(by=cesf, name="Morel")
    for phone in ("06 11 11 11 11", "06 22 22 22 22", "06 33 33 33 33"):
        household.contact_phone = phone
        household.save()
    url = reverse("households:detail", args=[household.pk])
    history = page_text(logged_in.get(url)).split("Historique du dossier")[1]
    # The newest first: the last two changes, not the first one.
    assert "→ 06 33 33 33 33" in history and "→ 06 22 22 22 22" in history
    assert "→ 06 11 11 11 11" not in history
    assert "Les 2 événements les plus récents sur 5" in history  # creations and changes
    everything = page_text(logged_in.get(url, {"historique": "tout"}))
    everything = everything.split("Historique du dossier")[1]
    assert "→ 06 11 11 11 11" in everything and "création" in everything
    assert "Afficher tout l'historique" not in everything
