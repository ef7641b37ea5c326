"""A CESF orients; the association and her landlord answer; she reads the outcome in her
notifications and in « Mes échéances », and her « en attente » badge goes to zero when her
side's answer is given."""

import pytest
from django.urls import reverse

from tests.e2e.conftest import log_in, log_out, submit_and_wait

pytestmark = pytest.mark.e2e


def badge(browser) -> str:
    from selenium.webdriver.common.by import By

    found = browser.find_elements(By.CSS_SELECTOR, ".notifications-link .badge.tasks")
    return found[0].text if found else ""


def agenda_of(browser, live_server, household) -> str:
    """« Mes échéances », reached from the header and filtered to `household`: its rows."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    browser.get(live_server.url + reverse("home"))
    browser.find_element(By.LINK_TEXT, "Mes échéances").click()
    Select(browser.find_element(By.NAME, "menage")).select_by_value(str(household.pk))
    submit_and_wait(browser, "form.filters button[type=submit]")
    return " ".join(e.text for e in browser.find_elements(By.CSS_SELECTOR, "section.agenda-group"))


def test_a_cesf_orients_and_hears_the_outcome(live_server, browser, demo):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    from codecision.models import CoDecision
    from notifications.models import Notification
    from tests.factories import diagnostic_create, household_create

    cesf, caseworker, manager = demo["cesf.actis"], demo["caseworker.ozanam"], demo["manager.actis"]
    household = household_create(by=cesf, name="Lefèvre-Óscar")
    diagnostic_create(household=household, by=cesf)
    Notification.objects.filter(recipient__in=[cesf, caseworker, manager]).delete()

    # The CESF orients.
    log_in(browser, live_server, "cesf.actis")
    assert badge(browser) == ""
    browser.get(live_server.url + reverse("actions:orientation_create", args=[household.pk]))
    Select(browser.find_element(By.NAME, "kind")).select_by_value("energy")
    Select(browser.find_element(By.NAME, "association")).select_by_visible_text("Relais Ozanam")
    browser.find_element(By.NAME, "reason").send_keys("Factures d'énergie impayées ⚡")
    submit_and_wait(browser, "main form button[type=submit]")
    codecision = CoDecision.objects.get(household=household)
    browser.get(live_server.url + reverse("notifications:list"))
    assert badge(browser) == "1 en attente"
    assert "À faire" in browser.find_element(By.TAG_NAME, "main").text
    # Her agenda shows the co-decision waiting for her structure's answer.
    agenda = agenda_of(browser, live_server, household)
    assert "réponse de votre structure attendue" in agenda
    assert "Fin de la mesure" not in agenda
    log_out(browser)

    # The association answers, from its notice.
    log_in(browser, live_server, "caseworker.ozanam")
    browser.get(live_server.url + reverse("notifications:list"))
    assert badge(browser) == "1 en attente"
    browser.get(live_server.url + reverse("codecision:detail", args=[codecision.pk]))
    browser.find_element(By.CSS_SELECTOR, "input[name=answer][value=approve]").click()
    Select(browser.find_element(By.NAME, "referent")).select_by_index(1)
    submit_and_wait(browser, "main form button[type=submit]")
    assert badge(browser) == ""
    log_out(browser)

    # The association's answer asks nothing less of her: her side has still to answer.
    log_in(browser, live_server, "cesf.actis")
    assert badge(browser) == "1 en attente"
    log_out(browser)

    # The landlord answers: her manager, for Actis.
    log_in(browser, live_server, "manager.actis")
    browser.get(live_server.url + reverse("codecision:detail", args=[codecision.pk]))
    browser.find_element(By.CSS_SELECTOR, "input[name=answer][value=approve]").click()
    submit_and_wait(browser, "main form button[type=submit]")
    log_out(browser)

    # The CESF reads the outcome; nothing waits for her any more.
    log_in(browser, live_server, "cesf.actis")
    browser.get(live_server.url + reverse("notifications:list"))
    notices = browser.find_element(By.CSS_SELECTOR, "ul.notifications").text
    assert f"{household.reference} : la pré-orientation" in notices and "approuvée" in notices
    assert "mesure d'accompagnement" in notices and "démarre" in notices
    assert "Fait le" in notices
    assert badge(browser) == ""
    # Her agenda shows the measure that started (its end, the window to renew it), and no
    # co-decision waits any more.
    agenda = agenda_of(browser, live_server, household)
    assert household.reference in agenda
    assert "Fin de la mesure d'accompagnement" in agenda
    assert "Renouvellement de la mesure à décider" in agenda
    assert "attendue" not in agenda
