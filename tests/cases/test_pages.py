"""The household page: the case with everything the workflow did, and its history."""

from datetime import date

from django.urls import reverse

from codecision import services as codecision_services
from households.models import AccessLogEntry
from tests.factories import diagnostic_create, household_create, orientation_create


def test_the_household_page_shows_members_diagnostic_figures_and_history(logged_in, cesf):
    household = household_create(by=cesf, name="Perrin", members=2)
    diagnostic_create(household=household, by=cesf, made_on=date(2026, 3, 2))
    page = logged_in.get(reverse("households:detail", args=[household.pk])).content.decode()
    assert "Prénom1 PERRIN" in page
    assert "Diagnostic du 02/03/2026" in page
    assert "30,0 %" in page  # effort rate
    assert "ressources − charges fixes" in page  # the remaining-income method is stated
    assert "Historique du dossier" in page and str(cesf) in page


def test_a_page_view_is_written_to_the_access_log(logged_in, cesf):
    household = household_create(by=cesf)
    logged_in.get(reverse("households:detail", args=[household.pk]))
    entry = AccessLogEntry.objects.get(household=household)
    assert (entry.user, entry.action) == (cesf, "view")


def test_the_latest_diagnostic_comes_first(logged_in, cesf):
    household = household_create(by=cesf)
    diagnostic_create(household=household, by=cesf, made_on=date(2025, 10, 6))
    diagnostic_create(household=household, by=cesf, made_on=date(2026, 3, 2))
    diagnostic_create(household=household, by=cesf, made_on=date(2026, 1, 12))
    page = logged_in.get(reverse("households:detail", args=[household.pk])).content.decode()
    dates = ["Diagnostic du 02/03/2026", "Diagnostic du 12/01/2026", "Diagnostic du 06/10/2025"]
    diagnostics = page.split("<h2>Diagnostics</h2>")[1].split("</section>")[0]
    assert [diagnostics.index(d) for d in dates] == sorted(diagnostics.index(d) for d in dates)


def test_the_history_shows_diagnostics_and_the_answers_of_a_codecision(client, flow):
    orientation = orientation_create(cesf=flow.cesf, association=flow.association)
    codecision_services.codecision_answer(
        codecision=orientation.action.codecisions.get(),
        by=flow.cesf,
        answer="approve",
        comment="D'accord.",
    )
    client.force_login(flow.cesf)
    page = client.get(reverse("households:detail", args=[orientation.household_id]))
    history = page.content.decode().split("Historique du dossier")[1]
    assert "Diagnostic du 03/11/2025" in history and "création" in history
    assert "Co-décision (démarrage de l&#x27;action)" in history
    assert "réponse du bailleur : — → Approuve" in history


def test_the_contact_s_phone_and_e_mail_are_links_a_phone_follows(logged_in, cesf):
    household = household_create(
        by=cesf, contact_phone="06 12.34 56 78", contact_email="lea.perrin@example.fr"
    )
    page = logged_in.get(reverse("households:detail", args=[household.pk])).content.decode()
    assert '<a href="tel:0612345678">06 12.34 56 78</a>' in page
    assert '<a href="mailto:lea.perrin@example.fr">lea.perrin@example.fr</a>' in page
