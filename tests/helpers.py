"""Helpers the tests of several apps share."""

import html
import io
import json
import re
import zipfile
from datetime import date, datetime, time
from pathlib import Path

import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader
from rest_framework.test import APIClient

from actions.models import Action, MeasureObjective, SupportMeasure
from codecision.models import CoDecision
from core.states import allowed
from households.models import Household
from partners.models import ApiToken
from tests.documents import samples

# The day the agenda's cases (tests.factories.busy_case) are as of, and the name their next
# steps and appointments carry.
TODAY = date(2026, 2, 16)  # a Monday
NAME = "Dupont-Éléonore"


def pdf_text(response) -> tuple[list[str], str]:
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    # Words as a reader sees them: line breaks and (narrow) no-break spaces as spaces, long
    # words whole (core.pdf.breakable's invisible break opportunities removed).
    pages = [" ".join(page.extract_text().replace("\u200b", "").split()) for page in reader.pages]
    return pages, " ".join(pages)


def archive_of(response) -> zipfile.ZipFile:
    """The zip a download answered (right of access)."""
    assert response["Content-Type"] == "application/zip"
    return zipfile.ZipFile(io.BytesIO(response.content))


def exported_data(response) -> dict:
    """The JSON of a right-of-access archive."""
    return json.loads(archive_of(response).read("donnees.json"))


def page_text(response) -> str:
    """The page's HTML as a reader meets it: entities (&#x27;, &nbsp;…) decoded."""
    return html.unescape(response.content.decode())


def form_token(page: str, action: str) -> str | None:
    """The one-time token (core.idempotency) of the page's form that posts to `action`."""
    pattern = f'action="{re.escape(action)}"[^>]*>.*?name="submit_token" value="([0-9a-f]{{32}})"'
    found = re.search(pattern, page)
    return found[1] if found else None


def api_for(user) -> APIClient:
    """An API client authenticated by a new token of `user`."""
    _, secret = ApiToken.objects.create_for(user=user, name="test")
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {secret}")
    return api


def sees(user, household) -> bool:
    """Whether `user` finds `household` among the households it may read."""
    return Household.objects.visible_to(user).filter(pk=household.pk).exists()


def at(day: date, hour: int = 10):
    """The clock stopped on `day` at `hour` o'clock (Paris time)."""
    return time_machine.travel(timezone.make_aware(datetime.combine(day, time(hour))), tick=False)


def summary_pdf(client, user, household, version=None):
    """The PDF summary of `household` as `user` downloads it (its `version`, if given)."""
    client.force_login(user)
    params = {"version": version} if version else {}
    return client.get(reverse("households:summary_pdf", args=[household.pk]), params)


def upload_judgement(api, household, **fields):
    """A judgement (a PDF) sent to the documents API for `household`."""
    data = {"household": household.pk, "kind": "judgement", "dated_on": "2026-02-01", **fields}
    files = [SimpleUploadedFile("jugement.pdf", samples.pdf("jugement"))]
    return api.post("/api/documents/", {**data, "files": files}, format="multipart")


def stored_files(location) -> list[Path]:
    """Every file under `location` (a storage's root), at any depth."""
    return [path for path in Path(location).rglob("*") if path.is_file()]


def household_form_data(**overrides) -> dict:
    """The household form as posted for a new tenant with one member, `overrides` applied."""
    data = {
        "name": "Lambert",
        "housing_status": "tenant",
        "landlord": "",
        "address": "3 rue du Drac",
        "postcode": "38000",
        "city": "Grenoble",
        "contact_phone": "06 11 22 33 44",
        "contact_email": "",
        "consent_given_on": "2026-02-01",
        "members-TOTAL_FORMS": "1",
        "members-INITIAL_FORMS": "0",
        "members-0-first_name": "Alice",
        "members-0-last_name": "LAMBERT",
        "members-0-relationship": "head",
        "members-0-birth_date": "1980-04-02",
        "members-0-occupation": "",
        "members-0-left_on": "",
    }
    data.update(overrides)
    return data


# The models whose status moves through a table of core.states.
STATEFUL = [Action, CoDecision, SupportMeasure, MeasureObjective]


def recorded_moves(model, since: int = 0) -> list[tuple[int, str | None, str]]:
    """Each status change in `model`'s history (rows whose id is above `since`): (row, from,
    to), from None for the creation."""
    moves, previous = [], {}
    # In the order the rows were written (history dates follow the clock, which tests move).
    rows = (
        model.history.filter(id__gt=since)
        .order_by("id", "history_id")
        .values_list("id", "status", "history_type")
    )
    for pk, status, kind in rows:
        if kind == "-":
            continue
        if pk not in previous or previous[pk] != status:
            moves.append((pk, previous.get(pk), status))
        previous[pk] = status
    return moves


def assert_every_recorded_move_is_allowed(since: dict | None = None) -> None:
    """Every recorded move is in its table (of the rows created after `since[model]`)."""
    for model in STATEFUL:
        moves = recorded_moves(model, (since or {}).get(model, 0))
        refused = [m for m in moves if not allowed(model, m[1], m[2])]
        assert refused == [], f"{model.__name__}: moves outside the table {refused}"
