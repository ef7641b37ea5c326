"""Accounts in a real browser: a forgotten password, an invitation, the second factor and a
lockout, each through the pages a person uses (e-mails are read from Django's locmem
outbox)."""

import re

import pytest
from django.conf import settings
from django.core import mail
from django.urls import reverse

from partners.models import SecurityEvent, SecurityEventKind, User
from tests.e2e.conftest import log_in, log_out, submit_and_wait, totp_code

pytestmark = pytest.mark.e2e

NEW_PASSWORD = "Une phrase de passe à moi, 2026 !"


def heading(browser) -> str:
    from selenium.webdriver.common.by import By

    return browser.find_element(By.TAG_NAME, "h1").text


def wait_for_heading(browser, text: str) -> None:
    from selenium.common.exceptions import StaleElementReferenceException
    from selenium.webdriver.support.ui import WebDriverWait

    WebDriverWait(browser, 10, ignored_exceptions=[StaleElementReferenceException]).until(
        lambda driver: heading(driver).startswith(text)
    )


def link_in_last_mail(live_server) -> str:
    url = re.search(r"https?://\S+", mail.outbox[-1].body).group(0)
    return live_server.url + url.split("://", 1)[1].split("/", 1)[1].join(["/", ""])


def test_a_cesf_chooses_a_new_password_from_the_login_page(live_server, browser, demo):
    from selenium.webdriver.common.by import By

    browser.get(live_server.url + reverse("login"))
    browser.find_element(By.LINK_TEXT, "Mot de passe oublié ?").click()
    browser.find_element(By.NAME, "email").send_keys("cesf.actis@demo.invalid")
    mail.outbox.clear()  # the demo's notifications
    submit_and_wait(browser, "main form button[type=submit]")
    wait_for_heading(browser, "Vérifiez votre messagerie")
    assert [message.to for message in mail.outbox] == [["cesf.actis@demo.invalid"]]

    browser.get(link_in_last_mail(live_server))
    wait_for_heading(browser, "Nouveau mot de passe")
    browser.find_element(By.NAME, "new_password1").send_keys(NEW_PASSWORD)
    browser.find_element(By.NAME, "new_password2").send_keys(NEW_PASSWORD)
    submit_and_wait(browser, "main form button[type=submit]")
    wait_for_heading(browser, "Mot de passe enregistré")

    log_in(browser, live_server, "cesf.actis", settings.DEMO_PASSWORD)
    assert "Identifiant ou mot de passe incorrect" in browser.page_source
    log_in(browser, live_server, "cesf.actis", NEW_PASSWORD)
    wait_for_heading(browser, "Mes ménages")
    # The link served once.
    browser.get(link_in_last_mail(live_server))
    assert "Ce lien n'est plus valable" in browser.page_source


def test_an_invited_manager_chooses_a_password_enrols_a_second_factor_and_logs_in_with_it(
    live_server, browser, demo, settings
):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    settings.SECOND_FACTOR_REQUIRED_FOR_ALL = True
    log_in(browser, live_server, "coordinator.lt")  # the demo's published second factor
    wait_for_heading(browser, "Mes ménages")
    browser.find_element(By.LINK_TEXT, "Comptes").click()
    browser.find_element(By.LINK_TEXT, "Ulisse Energie").click()
    wait_for_heading(browser, "Comptes de Ulisse Energie")
    browser.find_element(By.NAME, "email").send_keys("Helene.Faure@ulisse.example")
    browser.find_element(By.NAME, "first_name").send_keys("Hélène")
    browser.find_element(By.NAME, "last_name").send_keys("Faure-d'Estaing")
    Select(browser.find_element(By.NAME, "role")).select_by_visible_text("Responsable partenaire")
    submit_and_wait(browser, "main form button[type=submit]")
    assert "invitation en attente" in browser.find_element(By.ID, "accounts").text
    assert mail.outbox[-1].to == ["helene.faure@ulisse.example"]
    log_out(browser)

    browser.get(link_in_last_mail(live_server))
    wait_for_heading(browser, "Bienvenue, Hélène Faure-d'Estaing")
    browser.find_element(By.NAME, "new_password1").send_keys(NEW_PASSWORD)
    browser.find_element(By.NAME, "new_password2").send_keys(NEW_PASSWORD)
    submit_and_wait(browser, "main form button[type=submit]")

    # First login: the second factor is enrolled before anything else.
    wait_for_heading(browser, "Activer le second facteur")
    assert browser.find_element(By.CSS_SELECTOR, ".qr-code svg")
    secret = browser.find_element(By.ID, "totp-secret").text
    browser.find_element(By.NAME, "token").send_keys(totp_code(secret))
    submit_and_wait(browser, "main form button[type=submit]")
    wait_for_heading(browser, "Codes de secours")
    codes = [item.text for item in browser.find_elements(By.CSS_SELECTOR, ".recovery-codes li")]
    assert len(codes) == settings.SECOND_FACTOR_RECOVERY_CODES
    browser.find_element(By.LINK_TEXT, "J'ai noté mes codes, continuer").click()
    wait_for_heading(browser, "Mes ménages")
    log_out(browser)

    # The next login asks for the app's code.
    log_in(browser, live_server, "helene.faure@ulisse.example", NEW_PASSWORD, totp_secret=secret)
    wait_for_heading(browser, "Mes ménages")
    log_out(browser)
    # A recovery code works once.
    for attempt in range(2):
        log_in(browser, live_server, "helene.faure@ulisse.example", NEW_PASSWORD, code=codes[0])
        if attempt == 0:
            wait_for_heading(browser, "Mes ménages")
            assert "Code de secours utilisé" in browser.page_source
            log_out(browser)
    assert "Code refusé" in browser.page_source
    user = User.objects.get(username="helene.faure@ulisse.example")
    assert user.partner.name == "Ulisse Energie"


def test_repeated_failures_lock_the_login_with_a_french_message(live_server, browser, demo):
    from selenium.webdriver.common.by import By

    for _ in range(settings.AXES_FAILURE_LIMIT):
        log_in(browser, live_server, "caseworker.ozanam", "pas le bon mot de passe")
        assert "Identifiant ou mot de passe incorrect" in browser.page_source or (
            "Trop d'échecs" in browser.page_source
        )
    log_in(browser, live_server, "caseworker.ozanam", settings.DEMO_PASSWORD)
    alert = browser.find_element(By.CSS_SELECTOR, "main [role=alert]").text
    assert alert.startswith("Trop d'échecs de connexion")
    assert heading(browser) == "Connexion"
    kinds = list(
        SecurityEvent.objects.filter(username="caseworker.ozanam").values_list("kind", flat=True)
    )
    assert kinds.count(SecurityEventKind.LOGIN_FAILED) == settings.AXES_FAILURE_LIMIT
    assert kinds.count(SecurityEventKind.LOCKED_OUT) == 1
    assert SecurityEventKind.LOGIN not in kinds
