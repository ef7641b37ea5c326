"""The six journeys of the programme, end to end in one headless Chromium, with the demo
users: every page a journey visits is checked by axe-core (0 violations of any impact) and
photographed into SCREENSHOT_DIR (var/screenshots/ by default), which CI keeps.

Forms are driven by their fields' `name`, never by their layout."""

import os
import re
import unicodedata
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from actions.models import Action, SupportMeasure
from households.models import Household
from partners.models import User
from tests.e2e.conftest import csp_violations, page_replaced, totp_code

pytestmark = pytest.mark.e2e

ROOT = Path(settings.BASE_DIR)
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
PHONE = (390, 844)


def screenshot_dir() -> Path:
    return Path(os.environ.get("SCREENSHOT_DIR") or ROOT / "var" / "screenshots")


@pytest.fixture(scope="module")
def axe_source() -> str:
    if not AXE.exists():
        missing = f"{AXE.relative_to(ROOT)} is missing: `make npm-deps` installs it (npm ci)"
        if os.environ.get("CI"):
            pytest.fail(missing)
        pytest.skip(missing)
    return AXE.read_text()


class Journey:
    """A person's way through the pages: each page reached is photographed and checked."""

    def __init__(self, driver, live_server, name: str, axe_source: str):
        self.driver = driver
        self.url = live_server.url
        self.name = name
        self.axe_source = axe_source
        self.step = 0
        self.violations: list[str] = []
        self.folder = screenshot_dir() / name
        self.folder.mkdir(parents=True, exist_ok=True)
        for old in self.folder.glob("*.png"):
            old.unlink()

    # What a person does.
    def get(self, path: str, label: str) -> None:
        self.driver.get(self.url + path)
        self.check(label)

    def click(self, link_text: str, label: str) -> None:
        from selenium.webdriver.common.by import By

        self._and_wait(lambda: self.find(By.PARTIAL_LINK_TEXT, link_text).click())
        self.check(label)

    def submit(self, label: str, button: str = "Enregistrer", *, form=None) -> None:
        """Press the submit button whose text starts with `button` (in `form` if given)."""
        from selenium.webdriver.common.by import By

        scope = form or self.driver
        buttons = [
            element
            for element in scope.find_elements(By.CSS_SELECTOR, "main button[type=submit]")
            if element.text.strip().startswith(button)
        ] or [
            element
            for element in scope.find_elements(By.CSS_SELECTOR, "button[type=submit]")
            if element.text.strip().startswith(button)
        ]
        assert buttons, f"no button « {button} » on {self.driver.current_url}"
        self._and_wait(lambda: self.driver.execute_script("arguments[0].click()", buttons[0]))
        self.check(label)

    def fill(self, scope=None, **values) -> None:
        """Fill fields by their name: text, textarea, select (visible text or value), date
        (ISO), checkbox (bool), radio (value)."""
        from selenium.webdriver.common.by import By
        from selenium.webdriver.support.ui import Select

        scope = scope or self.driver
        for name, value in values.items():
            element = scope.find_element(By.NAME, name)
            kind = element.get_attribute("type")
            if element.tag_name == "select":
                select = Select(element)
                labels = [option.text for option in select.options]
                if value in labels:
                    select.select_by_visible_text(value)
                else:
                    select.select_by_value(str(value))
            elif kind == "checkbox":
                if element.is_selected() != bool(value):
                    self.driver.execute_script("arguments[0].click()", element)
            elif kind == "radio":
                radio = scope.find_element(By.CSS_SELECTOR, f"input[name={name}][value={value}]")
                self.driver.execute_script("arguments[0].click()", radio)
            elif kind in ("date", "time"):
                self.driver.execute_script(
                    "arguments[0].value = arguments[1];"
                    "arguments[0].dispatchEvent(new Event('change', {bubbles: true}))",
                    element,
                    value.isoformat() if hasattr(value, "isoformat") else value,
                )
            else:
                element.clear()
                element.send_keys(str(value))

    def first_choice(self, name: str) -> str:
        """The value of the first non-empty option of a select."""
        from selenium.webdriver.common.by import By

        options = self.find(By.NAME, name).find_elements(By.TAG_NAME, "option")
        return next(o.get_attribute("value") for o in options if o.get_attribute("value"))

    def confirm_if_asked(self, label: str) -> None:
        """A step that asks for a confirmation on a page of its own gets it."""
        from selenium.webdriver.common.by import By

        if any(
            b.text.strip().startswith("Confirmer")
            for b in self.driver.find_elements(By.CSS_SELECTOR, "main button[type=submit]")
        ):
            self.submit(label, "Confirmer")

    def fetch(self, path: str) -> tuple[int, str, bytes]:
        """GET `path` from the page, with its session (a PDF, a spreadsheet): status, type,
        first bytes."""
        status, kind, head = self.driver.execute_async_script(
            "const done = arguments[arguments.length - 1];"
            "fetch(arguments[0]).then(r => r.arrayBuffer().then(b => done([r.status,"
            " r.headers.get('content-type'), Array.from(new Uint8Array(b.slice(0, 8)))])))",
            self.url + path,
        )
        return status, kind, bytes(head)

    def find(self, by, value):
        return self.driver.find_element(by, value)

    def heading(self) -> str:
        from selenium.webdriver.common.by import By

        return self.find(By.TAG_NAME, "h1").text

    def text(self) -> str:
        from selenium.webdriver.common.by import By

        return self.find(By.TAG_NAME, "main").text

    def log_in(self, username: str) -> None:
        self.driver.execute_cdp_cmd("Network.clearBrowserCookies", {})
        self.get(reverse("login"), f"connexion {username}")
        self.fill(username=username, password=settings.DEMO_PASSWORD)
        self.submit(f"accueil {username}", "Se connecter")
        if self.driver.current_url.split("?")[0].endswith(reverse("second_factor_verify")):
            self.fill(token=totp_code(settings.DEMO_TOTP_SECRET, steps_ahead=1))
            self.submit(f"second facteur {username}", "")

    def log_out(self) -> None:
        button = self.driver.find_element("css selector", ".who button")
        self._and_wait(lambda: self.driver.execute_script("arguments[0].click()", button))

    # What is checked on every page.
    def check(self, label: str) -> None:
        self.photograph(label)
        self.violations.extend(
            f"{label} ({self.driver.current_url}): {fault}" for fault in self.markup_faults()
        )
        for violation in self.axe():
            targets = "; ".join(
                ", ".join(node["target"][0:1]) if isinstance(node["target"][0], str) else ""
                for node in violation["nodes"][:5]
            )
            self.violations.append(
                f"{label} ({self.driver.current_url}): {violation['id']} "
                f"[{violation['impact']}] {violation['help']} — {targets}"
            )

    def photograph(self, label: str) -> None:
        """The whole page, into the journey's folder, numbered in order."""
        from base64 import b64decode

        self.step += 1
        ascii_label = unicodedata.normalize("NFKD", label).encode("ascii", "ignore").decode()
        slug = re.sub(r"[^a-z0-9]+", "-", ascii_label.lower()).strip("-")
        png = self.driver.execute_cdp_cmd(
            "Page.captureScreenshot", {"format": "png", "captureBeyondViewport": True}
        )
        (self.folder / f"{self.step:02d}-{slug}.png").write_bytes(b64decode(png["data"]))

    def markup_faults(self) -> list[str]:
        """What axe-core no longer checks (its duplicate-id rules are deprecated, off by
        default): an id given twice in the page, a label for no field."""
        return self.driver.execute_script(
            "const ids = [...document.querySelectorAll('[id]')].map(e => e.id);"
            "const twice = [...new Set(ids.filter((id, i) => ids.indexOf(id) !== i))]"
            "  .map(id => 'id « ' + id + ' » en double');"
            "const orphans = [...document.querySelectorAll('label[for]')]"
            "  .filter(l => !l.htmlFor || !document.getElementById(l.htmlFor))"
            "  .map(l => 'label for=\"' + l.htmlFor + '\" sans champ : '"
            "    + l.textContent.trim().slice(0, 40));"
            "return twice.concat(orphans);"
        )

    def axe(self) -> list[dict]:
        self.driver.execute_script(self.axe_source)
        return self.driver.execute_async_script(
            "const done = arguments[arguments.length - 1];"
            "axe.run(document, {resultTypes: ['violations']})"
            ".then(results => done(results.violations), error => done([{id: 'axe-error',"
            " impact: 'critical', help: String(error), nodes: []}]));"
        )

    def assert_accessible(self) -> None:
        csp = csp_violations(self.driver)
        assert self.violations == [], "\n".join(self.violations)
        assert csp == []

    def _and_wait(self, action) -> None:
        from selenium.webdriver.support.ui import WebDriverWait

        page = self.driver.find_element("tag name", "html")
        action()
        WebDriverWait(self.driver, 15).until(page_replaced(page))


@pytest.fixture
def journey(browser, live_server, demo, axe_source, request):
    name = request.node.name.removeprefix("test_")
    walk = Journey(browser, live_server, name, axe_source)
    yield walk
    walk.photograph("fin")  # what the page showed when the journey ended, or stopped
    if walk.violations:  # shown even when the journey stopped before its end
        print("\n".join(walk.violations))


def test_cesf_opens_a_file_writes_the_diagnostic_and_orients(journey):
    from selenium.webdriver.common.by import By

    today = timezone.localdate()
    journey.log_in("cesf.actis")
    assert journey.heading() == "Mes ménages"
    journey.click("Ouvrir un dossier", "nouveau dossier")
    # Sent empty: the errors' summary at the top takes the focus, its links lead to the fields.
    journey.submit("nouveau dossier : erreurs")
    summary = journey.driver.switch_to.active_element
    assert summary.get_attribute("data-error-summary") is not None, summary.tag_name
    links = summary.find_elements(By.CSS_SELECTOR, "a[href='#id_name']")
    assert links and links[0].text.startswith("Nom")
    journey.fill(
        name="Élodie-Nguyễn Fabre",
        landlord="Actis",
        housing_status="tenant",
        city="Échirolles",
        consent_given_on=today - timedelta(days=1),
        **{
            "members-0-first_name": "Élodie",
            "members-0-last_name": "FABRE",
            "members-0-relationship": "head",
        },
    )
    # Three blank lines are offered; « Ajouter une ligne » gives a fourth.
    journey.find(By.CSS_SELECTOR, "button[data-formset-add]").click()
    journey.fill(
        **{
            "members-3-first_name": "Noé",
            "members-3-last_name": "FABRE",
            "members-3-relationship": "child",
        }
    )
    journey.submit("dossier ouvert")
    assert "Fabre" in journey.heading()
    household = Household.objects.get(name="Élodie-Nguyễn Fabre")
    assert sorted(household.members.values_list("first_name", flat=True)) == ["Noé", "Élodie"]

    journey.click("Écrire un diagnostic", "diagnostic")
    journey.fill(
        made_on=today,
        persons=1,
        income_work="1450",
        rent="610",
        housing_aid="120",
        energy_costs="95",
        rent_arrears="1220",
        rent_arrears_since=today - timedelta(days=70),
        conclusion="Impayés récents après un arrêt maladie 🙂 ; reprise du loyer possible.",
        proposed_action="solvency",
    )
    # The figures follow the typing, computed by the server (htmx): (610 − 120) ÷ 1 450.
    from selenium.webdriver.support.ui import WebDriverWait

    # Read in one go, once htmx is idle: the panel is swapped at each answer.
    WebDriverWait(journey.driver, 15).until(
        lambda driver: driver.execute_script(
            "const rate = document.querySelector("
            "  '#diagnostic-figures [data-figure=effort_rate]');"
            "return !document.querySelector('.htmx-request') && rate !== null"
            "  && rate.textContent.trim().startsWith('33,8 % au-dessus de 30 %')"
            "  && rate.classList.contains('above-threshold');"
        )
    )
    journey.check("diagnostic : chiffres calculés")
    journey.submit("diagnostic enregistré")
    assert household.diagnostics.count() == 1

    journey.get(reverse("households:detail", args=[household.pk]), "dossier avec diagnostic")
    journey.click("Orienter", "orientation")
    journey.fill(
        kind="solvency",
        association="Ulisse Energie",
        reason="Dette de loyer de deux mois ; accompagnement budgétaire proposé.",
    )
    diagnostic = journey.find(By.NAME, "diagnostic")
    if diagnostic.get_attribute("value") == "":
        journey.fill(diagnostic=str(household.diagnostics.get().pk))
    journey.submit("orientation enregistrée", "")
    action = Action.objects.get(household=household)
    assert action.get_kind_display() in journey.text() or "co-décision" in journey.text().lower()

    # A first appointment, then what is coming in « Mes échéances » and the calendar feed.
    journey.get(reverse("households:detail", args=[household.pk]), "dossier orienté")
    journey.click("Prévoir un rendez-vous", "nouveau rendez-vous")
    journey.fill(
        kind="office",
        on=today + timedelta(days=6),
        at="14:30",
        duration_minutes=45,
        place="Permanence d'Échirolles, 2ᵉ étage",
        notes="Apporter les trois derniers avis d'échéance.",
        reminder_days_before=journey.first_choice("reminder_days_before"),
    )
    journey.submit("rendez-vous prévu", "Prévoir le rendez-vous")
    assert household.appointments.get().on == today + timedelta(days=6)
    journey.click("Mes échéances", "mes échéances")
    assert "Mes échéances" in journey.heading()
    assert household.reference in journey.text()
    journey.click("Dans mon calendrier", "profil : agenda")
    journey.submit("adresse d'agenda créée", "Générer l'adresse de mon agenda")
    assert "copiez-la maintenant" in journey.text()
    journey.get(reverse("households:list"), "mes ménages")
    assert household.reference in journey.text()
    journey.assert_accessible()


def codecision_of(household_name: str, **filters):
    from codecision.models import CoDecision

    return CoDecision.objects.filter(household__name=household_name, **filters).latest("pk")


def test_association_and_landlord_decide_follow_renew_once_and_close(journey):
    from selenium.webdriver.common.by import By

    today = timezone.localdate()
    codecision = codecision_of("Lemaire")
    lemaire = codecision.household

    # The landlord's CESF answers first.
    journey.log_in("cesf.actis")
    journey.click("Décisions en attente", "décisions en attente (bailleur)")
    journey.get(reverse("codecision:detail", args=[codecision.pk]), "co-décision (bailleur)")
    journey.fill(answer="approve", comment="D'accord pour l'accompagnement « énergie ».")
    journey.submit("réponse du bailleur")
    journey.log_out()

    # The association approves, names the referent: the measure starts.
    journey.log_in("caseworker.ozanam")
    journey.get(reverse("codecision:detail", args=[codecision.pk]), "co-décision (association)")
    journey.fill(answer="approve", referent=journey.first_choice("referent"), starts_on=today)
    journey.submit("réponse de l'association")
    measure = SupportMeasure.objects.get(action__household=lemaire)
    assert measure.starts_on == today

    journey.get(reverse("actions:measure_overview"), "mesures en cours")
    journey.get(reverse("actions:measure_detail", args=[measure.pk]), "mesure ouverte")
    for summary, confidential in (
        ("Visite à domicile : relevé des compteurs, éco-gestes 💡.", False),
        ("Difficultés de santé évoquées par Mme Lemaire, à garder en interne.", True),
    ):
        journey.click("Noter un suivi", "formulaire de suivi")
        # « Confidentiel » is a checkbox of its own size beside its label, not a 640 px bar.
        box = journey.find(By.CSS_SELECTOR, "input[name=confidential]")
        assert box.size["width"] <= 32, box.size
        journey.fill(
            happened_on=today,
            kind="home_visit",
            summary=summary,
            next_step="Rappeler le fournisseur d'énergie.",
            confidential=confidential,
        )
        journey.submit("suivi enregistré")
    assert measure.follow_ups.filter(confidential=True).count() == 1

    journey.get(reverse("actions:measure_detail", args=[measure.pk]), "mesure avec suivis")
    journey.fill(comment="Les factures baissent ; six mois de plus pour la mutation.")
    journey.submit("renouvellement demandé", "Demander le renouvellement")
    renewal = codecision_of("Lemaire", purpose="renewal")
    journey.get(reverse("codecision:detail", args=[renewal.pk]), "renouvellement (association)")
    journey.fill(answer="approve")
    journey.submit("renouvellement : réponse de l'association")
    journey.log_out()

    # The landlord approves the renewal; it cannot see the confidential note.
    journey.log_in("cesf.actis")
    journey.get(reverse("codecision:detail", args=[renewal.pk]), "renouvellement (bailleur)")
    journey.fill(answer="approve")
    journey.submit("renouvellement : réponse du bailleur")
    measure.refresh_from_db()
    assert measure.renewal_count == 1
    journey.get(reverse("households:detail", args=[lemaire.pk]), "dossier vu du bailleur")
    assert "relevé des compteurs" in journey.text()
    assert "Difficultés de santé" not in journey.text()
    journey.log_out()

    # No second renewal; the closure.
    journey.log_in("caseworker.ozanam")
    journey.get(reverse("actions:measure_detail", args=[measure.pk]), "mesure renouvelée")
    assert "Demander le renouvellement" not in journey.text()
    assert "second renouvellement" in journey.text()
    journey.fill(
        outcome="stayed",
        closed_on=today,
        outcome_detail="Factures maîtrisées, le ménage reste dans son logement.",
    )
    journey.submit("clôture", "Clôturer")
    journey.confirm_if_asked("clôture confirmée")
    measure.refresh_from_db()
    assert measure.status == "closed" and measure.closed_on == today
    assert "Clôture" in journey.text()
    journey.assert_accessible()


def test_an_association_proposes_scattered_housing_and_the_landlord_agrees(journey):
    today = timezone.localdate()
    journey.log_in("caseworker.ulisse")
    journey.click("Ouvrir un dossier", "nouveau dossier (association)")
    journey.fill(
        name="Oulad-Müller",
        housing_status="applicant",
        city="Saint-Martin-d'Hères",
        consent_given_on=today,
        **{
            "members-0-first_name": "Aïcha",
            "members-0-last_name": "OULAD-MÜLLER",
            "members-0-relationship": "head",
        },
    )
    journey.submit("dossier de demandeur ouvert")
    household = Household.objects.get(name="Oulad-Müller")
    journey.click("Orienter", "orientation action 4")
    journey.fill(
        kind="scattered_housing",
        association="Ulisse Energie",
        landlord="Opac38",
        reason="Famille hébergée chez des tiers ; logement en diffus avec bail glissant.",
    )
    journey.submit("action 4 proposée", "")
    codecision = codecision_of("Oulad-Müller")
    journey.get(reverse("codecision:detail", args=[codecision.pk]), "co-décision action 4")
    journey.fill(answer="approve", referent=journey.first_choice("referent"), starts_on=today)
    journey.submit("l'association approuve")
    journey.log_out()

    journey.log_in("cesf.opac38")
    journey.click("Décisions en attente", "décisions en attente de l'Opac38")
    journey.get(reverse("codecision:detail", args=[codecision.pk]), "action 4 vue du bailleur")
    journey.fill(answer="approve", comment="Un T3 est disponible à Échirolles.")
    journey.submit("le bailleur approuve")
    action = Action.objects.get(household=household)
    assert action.kind == "scattered_housing"
    assert SupportMeasure.objects.filter(action=action).exists()
    journey.get(reverse("actions:action_detail", args=[action.pk]), "action 4 en cours")
    journey.assert_accessible()


def test_the_coordination_arbitrates_and_holds_a_committee_with_minutes(journey):
    from selenium.webdriver.common.by import By

    today = timezone.localdate()
    journey.log_in("coordinator.lt")
    journey.click("Décisions en attente", "décisions en attente (coordination)")
    disagreement = codecision_of("Lefèvre")
    journey.get(reverse("codecision:detail", args=[disagreement.pk]), "désaccord à arbitrer")
    form = journey.find(
        By.CSS_SELECTOR, f"form[action='{reverse('codecision:arbitrate', args=[disagreement.pk])}']"
    )
    journey.fill(form, decision="reject", comment="Dette trop ancienne : orienter vers le FSL.")
    journey.submit("arbitrage enregistré", "Enregistrer l'arbitrage", form=form)
    disagreement.refresh_from_db()
    assert disagreement.arbitrated_by is not None

    # Benali waits for its association (Ulisse Energie): Ulisse sits on the committee.
    benali = codecision_of("Benali")
    ulisse, actis = (
        User.objects.get(username=name) for name in ("caseworker.ulisse", "cesf.actis")
    )
    journey.get(reverse("codecision:session_list"), "comités")
    journey.click("Préparer un comité", "nouveau comité")
    journey.fill(held_on=today, other_participants="Mme Roux, CCAPEX de l'Isère")
    for participant in (ulisse, actis):
        journey.driver.execute_script(
            "arguments[0].click()",
            journey.find(By.CSS_SELECTOR, f"input[name=participants][value='{participant.pk}']"),
        )
    journey.driver.execute_script(
        "arguments[0].click()",
        journey.find(By.CSS_SELECTOR, f"input[name=codecisions][value='{benali.pk}']"),
    )
    journey.submit("comité créé", "Créer le comité")
    benali.refresh_from_db()
    session = benali.session
    assert session is not None and session.held_on == today
    journey.get(reverse("codecision:session_detail", args=[session.pk]), "ordre du jour")

    # The committee's answers, in one form: Ulisse approves and names the referent.
    journey.click("Enregistrer les réponses du comité", "réponses du comité")
    row = f"cd{benali.pk}-association"
    journey.fill(
        **{
            f"{row}-answer": "approve",
            f"{row}-comment": "Accord en comité : visite faite, reprise du loyer courant.",
            f"{row}-referent": journey.first_choice(f"{row}-referent"),
            f"{row}-starts_on": today,
        }
    )
    journey.submit("réponses enregistrées", "Enregistrer les réponses du comité")
    benali.refresh_from_db()
    assert benali.association_answer == "approve"
    assert SupportMeasure.objects.filter(action__household=benali.household).exists()
    assert "réponse enregistrée" in journey.text()

    journey.fill(notes="Benali : accord des deux parties, accompagnement budgétaire engagé.")
    journey.submit("compte rendu validé", "Valider le compte rendu")
    session.refresh_from_db()
    assert session.signed_off_at is not None
    status, kind, head = journey.fetch(reverse("codecision:minutes_pdf", args=[session.pk]))
    assert (status, kind, head[:5]) == (200, "application/pdf", b"%PDF-")
    journey.assert_accessible()


def test_a_cesf_exports_the_pdf_summary_of_a_case(journey):
    from selenium.webdriver.common.by import By

    rousseau = Household.objects.get(name="Rousseau")
    journey.log_in("cesf.opac38")
    journey.get(reverse("households:detail", args=[rousseau.pk]), "dossier à exporter")
    form = journey.find(By.CSS_SELECTOR, "form.export-summary")
    version = form.find_elements(By.CSS_SELECTOR, "select option")[0].get_attribute("value")
    status, kind, head = journey.fetch(
        reverse("households:summary_pdf", args=[rousseau.pk]) + f"?version={version}"
    )
    assert (status, kind, head[:5]) == (200, "application/pdf", b"%PDF-")
    journey.assert_accessible()


def test_a_funder_reads_the_figures(journey):
    year = timezone.localdate().year
    journey.log_in("funder.fondation")
    assert "Statistiques" in journey.heading()
    journey.driver.set_window_size(*PHONE)  # read on a phone: the tables scroll on their own
    journey.get(reverse("stats:page", args=[year]), "statistiques de l'année")
    assert "Chiffres clés" in journey.text()
    assert journey.driver.execute_script(
        "return document.documentElement.scrollWidth <= window.innerWidth"
    )
    status, _, head = journey.fetch(reverse("stats:figures_export", args=[year, "xlsx"]))
    assert status == 200 and head[:2] == b"PK"
    journey.get(reverse("stats:report", args=[year]), "bilan annuel")
    journey.assert_accessible()


def test_on_a_phone_the_pages_fit_the_screen_and_the_menu_folds(journey):
    """At 390 × 844: no sideways scrolling on the household list, a household page, the
    measures page and the follow-up form; the header is compact, its menu folds; « Aller au
    contenu » is the first tab stop."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    nguyen = Household.objects.get(name="Nguyen")
    measure = SupportMeasure.objects.get(action__household=nguyen)
    caseload = reverse("households:list")
    journey.driver.set_window_size(*PHONE)
    journey.log_in("caseworker.oiseaubleu")
    pages = [
        (reverse("households:list"), "téléphone : mes ménages"),
        (reverse("households:detail", args=[nguyen.pk]), "téléphone : dossier"),
        (reverse("actions:measure_overview"), "téléphone : mesures"),
        (
            reverse("actions:follow_up_create", args=[nguyen.pk]) + f"?mesure={measure.pk}",
            "téléphone : formulaire de suivi",
        ),
    ]
    for path, label in pages:
        journey.get(path, label)
        width, scroll_width = journey.driver.execute_script(
            "return [window.innerWidth, document.documentElement.scrollWidth]"
        )
        assert width == PHONE[0]
        wider = journey.driver.execute_script(
            "return [...document.querySelectorAll('main *')]"
            ".filter(e => e.getBoundingClientRect().right > window.innerWidth)"
            ".map(e => e.tagName + '.' + e.className + ' ' + e.textContent.slice(0, 40)).slice(-8)"
        )
        assert scroll_width <= width, f"{label}: {scroll_width} px wide for {width}: {wider}"
        header = journey.find(By.CSS_SELECTOR, ".site-header")
        assert header.size["height"] < PHONE[1] * 0.12, f"{label}: header {header.size}"
        assert not journey.find(By.CSS_SELECTOR, f"nav a[href='{caseload}']").is_displayed()

    # The first tab stop jumps over the header to the form.
    journey.find(By.TAG_NAME, "body").send_keys(Keys.TAB)
    skip = journey.driver.switch_to.active_element
    assert skip.text == "Aller au contenu" and skip.is_displayed()
    outline = journey.driver.execute_script(
        "const style = getComputedStyle(arguments[0]);"
        "return [style.outlineStyle, parseFloat(style.outlineWidth)]",
        skip,
    )
    assert outline[0] == "solid" and outline[1] >= 2  # the focus is seen
    skip.send_keys(Keys.ENTER)
    journey.driver.switch_to.active_element.send_keys(Keys.TAB)
    assert journey.driver.switch_to.active_element.get_attribute("name") == "happened_on"

    # The menu opens with no script, and shows the navigation.
    journey.find(By.CSS_SELECTOR, ".site-menu > summary").click()
    assert journey.find(By.CSS_SELECTOR, f"nav a[href='{caseload}']").is_displayed()
    journey.check("téléphone : menu ouvert")
    journey.driver.set_window_size(1280, 900)
    journey.get(reverse("households:list"), "écran large : menu toujours visible")
    assert not journey.find(By.CSS_SELECTOR, ".site-menu > summary").is_displayed()
    assert journey.find(By.LINK_TEXT, "Mesures en cours").is_displayed()
    journey.assert_accessible()
