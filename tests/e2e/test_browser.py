"""A CESF's first steps in a real browser: headless Chromium from Debian's packages."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.e2e


def test_a_cesf_logs_in_opens_a_file_and_sees_it_in_mes_menages(live_server, browser, demo):
    from selenium.common.exceptions import StaleElementReferenceException
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select, WebDriverWait

    browser.get(live_server.url + reverse("login"))
    browser.find_element(By.NAME, "username").send_keys("cesf.actis")
    browser.find_element(By.NAME, "password").send_keys("logement-demo-2026")
    browser.find_element(By.CSS_SELECTOR, "main button[type=submit]").click()
    WebDriverWait(browser, 10, ignored_exceptions=[StaleElementReferenceException]).until(
        lambda driver: driver.find_element(By.TAG_NAME, "h1").text == "Mes ménages"
    )

    browser.find_element(By.LINK_TEXT, "Ouvrir un dossier").click()
    browser.find_element(By.NAME, "name").send_keys("Chevalier")
    Select(browser.find_element(By.NAME, "landlord")).select_by_visible_text("Actis")
    browser.find_element(By.NAME, "city").send_keys("Grenoble")
    browser.execute_script("document.getElementsByName('consent_given_on')[0].value = '2026-11-02'")
    browser.find_element(By.NAME, "members-0-first_name").send_keys("Louise")
    browser.find_element(By.NAME, "members-0-last_name").send_keys("CHEVALIER")
    Select(browser.find_element(By.NAME, "members-0-relationship")).select_by_value("head")
    browser.find_element(By.CSS_SELECTOR, "main form button[type=submit]").click()
    WebDriverWait(browser, 10, ignored_exceptions=[StaleElementReferenceException]).until(
        lambda driver: "Chevalier" in driver.find_element(By.TAG_NAME, "h1").text
    )
    reference = browser.find_element(By.CSS_SELECTOR, "h1 .ref").text
    assert reference.startswith("LT-")

    browser.find_element(By.LINK_TEXT, "Mes ménages").click()
    browser.find_element(By.NAME, "q").send_keys("Chevalier")  # htmx filters as one types

    def listed_references(driver):
        links = driver.find_elements(By.CSS_SELECTOR, "#household-table tbody td:first-child a")
        try:
            return [link.text for link in links]
        except StaleElementReferenceException:
            return None

    WebDriverWait(browser, 10, ignored_exceptions=[StaleElementReferenceException]).until(
        lambda driver: listed_references(driver) == [reference]
    )
    assert "Chevalier" in browser.find_element(By.ID, "household-table").text
