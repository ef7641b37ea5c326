"""Long texts as people type them, in every form of every page every demo role reaches.

Each demo user's pages are crawled from the home page (one page per address pattern); every
form with a text area is sent back with 600 characters of French text (accents, emoji,
quotes) in each of its text areas. Whatever the form says (done, refused, to be completed),
it never answers 5xx."""

import re
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import pytest
from django.utils import timezone

from logement_toujours.demo.partners import demo_users

LONG = ("Visite au domicile : « Madame a dit qu'elle préférait l'été » 🏠 — ça s'arrange. " * 8)[
    :600
]
# Pages a crawl must not follow: leaving, downloads, the admin, the API, the account's keys.
SKIPPED = re.compile(
    r"^/(deconnexion|admin|api|sante|second-facteur|mot-de-passe|profil/jetons)|\.(pdf|csv|xlsx)$"
    r"|/export"
)
ONE_USER_PER_ROLE = list({role: username for username, _, role in demo_users()}.values())


class Page(HTMLParser):
    """The links and POST forms of a page, with what each form would send as it is."""

    def __init__(self):
        super().__init__()
        self.links: list[str] = []
        self.forms: list[dict] = []
        self._select: str | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "a" and attrs.get("href"):
            self.links.append(attrs["href"])
        elif tag == "form":
            self.forms.append(
                {
                    "action": attrs.get("action") or "",
                    "method": (attrs.get("method") or "get").lower(),
                    "fields": {},
                    "textareas": [],
                }
            )
        elif not self.forms:
            return
        form = self.forms[-1] if self.forms else None
        if tag == "input" and attrs.get("name"):
            kind = attrs.get("type", "text")
            name, value = attrs["name"], attrs.get("value") or ""
            if kind in ("checkbox", "radio"):
                if "checked" in attrs or (kind == "radio" and name not in form["fields"]):
                    form["fields"][name] = value or "on"
            elif kind == "date" and not value:
                form["fields"][name] = timezone.localdate().isoformat()
            elif kind not in ("submit", "file", "button"):
                form["fields"][name] = value
        elif tag == "textarea" and attrs.get("name"):
            form["textareas"].append(attrs["name"])
        elif tag == "select" and attrs.get("name"):
            self._select = attrs["name"]
        elif tag == "option" and self._select:
            value = attrs.get("value") or ""
            if "selected" in attrs or (value and not form["fields"].get(self._select)):
                form["fields"][self._select] = value

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None


def crawl_and_post(client) -> tuple[int, int]:
    """Visit every address pattern reachable from the home page; send back every form with
    a text area, each filled with LONG. Returns (pages seen, forms sent)."""
    queue, patterns, sent = ["/"], set(), 0
    while queue:
        url = queue.pop(0)
        path = urlsplit(url).path
        pattern = re.sub(r"\d+", "N", path)
        if pattern in patterns or SKIPPED.search(path):
            continue
        patterns.add(pattern)
        response = client.get(url)
        assert response.status_code < 500, url
        if response.status_code in (301, 302):
            queue.append(response["Location"])
        if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
            continue
        page = Page()
        page.feed(response.content.decode())
        for link in page.links:
            target = urljoin(url, link)
            if target.startswith("/") and not target.startswith("//"):
                queue.append(target.split("#")[0])
        for form in page.forms:
            if form["method"] != "post" or not form["textareas"]:
                continue
            data = dict(form["fields"]) | dict.fromkeys(form["textareas"], LONG)
            answer = client.post(urljoin(url, form["action"]) or url, data)
            sent += 1
            assert answer.status_code < 500, (url, form["action"], answer.status_code)
    return len(patterns), sent


@pytest.mark.parametrize("username", ONE_USER_PER_ROLE)
def test_600_characters_in_every_text_area_never_answer_5xx(client, demo, username):
    client.force_login(demo[username])
    pages, sent = crawl_and_post(client)
    assert pages > 5
    if not username.startswith("funder."):  # a funder only reads
        assert sent >= 1
