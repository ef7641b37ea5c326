"""Headless Chromium from Debian's packages, and how a test logs in through the pages."""

import os
import shutil
import time

import pytest
from django.conf import settings
from django.urls import reverse

from logement_toujours.demo import load_all

CHROMIUM = shutil.which("chromium")
CHROMEDRIVER = shutil.which("chromedriver")


def chromium(profile_dir, *, width: int = 1280, height: int = 900):
    """A headless Chromium from Debian's packages (skipped without it, failed under CI)."""
    if not (CHROMIUM and CHROMEDRIVER):
        if os.environ.get("CI"):
            pytest.fail("chromium and chromedriver are missing: scripts/install-test-deps.sh")
        pytest.skip("chromium and chromium-driver are not installed")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    os.environ["SE_AVOID_STATS"] = "true"
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--hide-scrollbars",
        f"--user-data-dir={profile_dir}",
        f"--window-size={width},{height}",
    ):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(executable_path=CHROMEDRIVER), options=options)
    driver.implicitly_wait(5)
    driver.set_script_timeout(60)  # axe-core on a long page, on a busy machine
    driver.console = []
    return driver


def csp_violations(driver) -> list[str]:
    """The page console's Content-Security-Policy violations since the last look."""
    console = driver.console + driver.get_log("browser")
    driver.console = []
    return [entry["message"] for entry in console if "Content Security Policy" in entry["message"]]


@pytest.fixture
def demo(transactional_db):
    """The demo users by username: the browser's server reads committed rows, so each test
    loads the demo itself (the database is emptied after each)."""
    users, _ = load_all(documents=False)
    return users


@pytest.fixture(scope="session")
def chromium_session(tmp_path_factory):
    """One headless Chromium for the whole session: starting one costs seconds on 2 cores."""
    driver = chromium(tmp_path_factory.mktemp("chromium") / "profile")
    yield driver
    driver.quit()


@pytest.fixture
def browser(chromium_session):
    """The session's Chromium, as new: no cookie, a blank page, a desktop window; after the
    test, no message of the page's console may be a Content-Security-Policy violation."""
    driver = chromium_session
    driver.get("about:blank")
    driver.execute_cdp_cmd("Network.clearBrowserCookies", {})
    driver.set_window_size(1280, 900)
    driver.console = []
    driver.get_log("browser")  # what the previous test left
    yield driver
    violations = csp_violations(driver)
    assert violations == []


def totp_code(secret_base32: str, *, steps_ahead: int = 0) -> str:
    """The code an authenticator app shows for this key (`steps_ahead` periods of 30 s
    later: a code already used is refused)."""
    from base64 import b32decode

    from django_otp.oath import TOTP

    totp = TOTP(b32decode(secret_base32.replace(" ", "")))
    totp.time = time.time() + 30 * steps_ahead
    return f"{totp.token():06d}"


def log_in(browser, live_server, username: str, password: str = "", *, totp_secret=None, code=None):
    """Through the login page; then, when asked, the second factor: `code` if given (a
    recovery code), else the app's code, computed from DEMO_TOTP_SECRET for a demo
    coordinator (README), from `totp_secret` for anyone else."""
    from selenium.webdriver.common.by import By

    browser.get(live_server.url + reverse("login"))
    browser.find_element(By.NAME, "username").send_keys(username)
    browser.find_element(By.NAME, "password").send_keys(password or settings.DEMO_PASSWORD)
    submit_and_wait(browser, "main button[type=submit]")
    if browser.current_url.split("?")[0].endswith(reverse("second_factor_verify")):
        secret = totp_secret or settings.DEMO_TOTP_SECRET
        code = code or totp_code(secret, steps_ahead=1)
        browser.find_element(By.NAME, "token").send_keys(code)
        submit_and_wait(browser, "main form button[type=submit]")


def page_replaced(page):
    """A wait condition: the page that held `page` (its root element) has been replaced.

    While Chromium swaps documents, asking about the old root may answer "stale element"
    or, for a moment, an inspector error saying the node no longer belongs to the
    document: both mean the old page is gone."""
    from selenium.common.exceptions import StaleElementReferenceException, WebDriverException

    def replaced(_driver) -> bool:
        try:
            page.is_enabled()
        except StaleElementReferenceException:
            return True
        except WebDriverException as error:
            if "does not belong to the document" in (error.msg or ""):
                return True
            raise
        return False

    return replaced


def submit_and_wait(browser, selector: str) -> None:
    """Click and wait for the next page to replace this one."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    page = browser.find_element(By.TAG_NAME, "html")
    browser.find_element(By.CSS_SELECTOR, selector).click()
    WebDriverWait(browser, 10).until(page_replaced(page))
    # The next page whole before anything is looked up in it: an element found while it
    # still loads may belong to a document about to be replaced.
    WebDriverWait(browser, 10).until(
        lambda b: b.execute_script("return document.readyState") == "complete"
    )


def log_out(browser):
    browser.console.extend(browser.get_log("browser"))
    submit_and_wait(browser, ".who button[type=submit]")


@pytest.fixture(scope="session", autouse=True)
def live_server_closes_its_connections():
    """Chromium keeps its connections to the live server open, and each holds the thread
    serving it: with persistent database connections (CONN_MAX_AGE), those threads would
    still hold a session when the test database is dropped. Each request closes its own."""
    from django.db import connections

    connections.settings["default"]["CONN_MAX_AGE"] = 0
    yield
