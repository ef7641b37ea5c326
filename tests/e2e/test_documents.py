"""A CESF adds a document in a real browser (a phone-sized window), finds it in the case
journal and downloads it."""

import time

import pytest
from django.urls import reverse

from households.models import Household
from tests.documents import samples
from tests.e2e.conftest import log_in, submit_and_wait

pytestmark = pytest.mark.e2e


def test_a_cesf_uploads_a_document_finds_it_in_the_journal_and_downloads_it(
    live_server, browser, demo, tmp_path
):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    paper = tmp_path / "Bail signé Martin.pdf"
    paper.write_bytes(samples.pdf("Bail de M. Martin"))
    downloads = tmp_path / "telechargements"
    downloads.mkdir()
    browser.execute_cdp_cmd(
        "Browser.setDownloadBehavior", {"behavior": "allow", "downloadPath": str(downloads)}
    )
    browser.set_window_size(390, 844)  # a phone
    martin = Household.objects.get(name="Martin")
    log_in(browser, live_server, "cesf.actis")

    browser.get(live_server.url + reverse("households:detail", args=[martin.pk]))
    browser.find_element(By.LINK_TEXT, "Ajouter des documents").click()
    photo = browser.find_element(By.NAME, "photo")
    assert photo.get_attribute("capture") == "environment" and photo.is_displayed()
    browser.find_element(By.NAME, "files").send_keys(str(paper))
    assert "Bail signé Martin.pdf" in browser.find_element(By.CSS_SELECTOR, ".dropped-files").text
    Select(browser.find_element(By.NAME, "kind")).select_by_visible_text("Bail")
    browser.find_element(By.NAME, "title").send_keys("Bail signé « Martin »")
    submit_and_wait(browser, "main form button[type=submit]")
    assert "Le document est enregistré." in browser.page_source

    browser.get(live_server.url + reverse("households:detail", args=[martin.pk]))
    journal = browser.find_element(By.CSS_SELECTOR, "ol.history")
    link = journal.find_element(By.PARTIAL_LINK_TEXT, "Document « Bail signé « Martin » »")
    link.click()
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        done = [p for p in downloads.iterdir() if not p.name.endswith(".crdownload")]
        if done:
            break
        time.sleep(0.2)
    assert [p.name for p in downloads.iterdir()] == ["Bail_signe_Martin.pdf"]
    assert (downloads / "Bail_signe_Martin.pdf").read_bytes() == samples.pdf("Bail de M. Martin")
