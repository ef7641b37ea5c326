"""A confidential note stays with its author's partner: every page, PDF, API answer, committee
minutes, search and notification (e-mails included) of every other demo user is free of it;
the only way out is the right-of-access export of a recorded request."""

from html import unescape

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from actions import services
from actions.models import Action, SupportMeasure
from cases import services as case_services
from codecision.models import CoDecision, CommitteeSession
from households.models import Household
from notifications.tasks import daily_sweep, send_daily_digests
from tests.demo_access import USERS
from tests.helpers import api_for, exported_data, pdf_text

MARKER = "NOTESECRETEOISEAU"
AUTHORS_PARTNER = {"caseworker.oiseaubleu", "manager.oiseaubleu"}


@pytest.fixture
def secret(demo):
    """A confidential follow-up of L'Oiseau Bleu on Nguyen, and what the night sends."""
    nguyen = Household.objects.get(name="Nguyen")
    measure = SupportMeasure.objects.get(action__household=nguyen)
    services.follow_up_create(
        household=nguyen,
        by=demo["caseworker.oiseaubleu"],
        measure=measure,
        data={
            "happened_on": timezone.localdate(),
            "kind": "home_visit",
            "summary": f"{MARKER} : violences évoquées, « à ne pas partager » 🔒",
            "next_step": f"Rappeler {MARKER} au 06 12 34 56 78",
            "confidential": True,
        },
    )
    mail.outbox.clear()
    daily_sweep()
    send_daily_digests()
    return nguyen, measure


def reads(client, api, nguyen, measure) -> dict[str, str]:
    """What a user gets from every route that shows case content, as text."""
    action = Action.objects.get(household=nguyen)
    codecisions = CoDecision.objects.filter(household=nguyen)
    sessions = CommitteeSession.objects.all()
    pages = {
        "household page": reverse("households:detail", args=[nguyen.pk]),
        "caseload": reverse("households:list"),
        "search": reverse("households:list") + f"?q={MARKER}",
        "measure page": reverse("actions:measure_detail", args=[measure.pk]),
        "action page": reverse("actions:action_detail", args=[action.pk]),
        "measures overview": reverse("actions:measure_overview"),
        "pending co-decisions": reverse("codecision:pending"),
        "notifications": reverse("notifications:list"),
        "access log": reverse("households:access_log"),
        **{f"co-decision {c.pk}": reverse("codecision:detail", args=[c.pk]) for c in codecisions},
        **{
            f"committee {s.pk}": reverse("codecision:session_detail", args=[s.pk]) for s in sessions
        },
    }
    seen = {name: unescape(client.get(url).content.decode()) for name, url in pages.items()}
    # The search box shows what the user typed; what it finds must not.
    seen["search"] = seen["search"].replace(f'value="{MARKER}"', "")
    for name, url in {
        "summary PDF": reverse("households:summary_pdf", args=[nguyen.pk]) + "?version=interne",
        "partners' summary PDF": reverse("households:summary_pdf", args=[nguyen.pk]),
        **{f"minutes {s.pk}": reverse("codecision:minutes_pdf", args=[s.pk]) for s in sessions},
    }.items():
        response = client.get(url)
        seen[name] = pdf_text(response)[1] if response.status_code == 200 else ""
    for url in (
        "/api/follow-ups/",
        f"/api/follow-ups/?household={nguyen.pk}",
        f"/api/households/?q={MARKER}",
        f"/api/households/{nguyen.pk}/",
        f"/api/households/{nguyen.pk}/diagnostics/",
        "/api/measures/",
        f"/api/measures/{measure.pk}/",
        "/api/codecisions/",
        "/api/orientations/",
        "/api/notifications/",
    ):
        seen[f"API {url}"] = api.get(url).content.decode()
    response = api.get(f"/api/households/{nguyen.pk}/resume-pdf/?version=interne")
    seen["API summary PDF"] = pdf_text(response)[1] if response.status_code == 200 else ""
    return seen


@pytest.mark.parametrize("username", USERS)
def test_a_confidential_note_appears_nowhere_outside_its_partner(client, demo, secret, username):
    nguyen, measure = secret
    user = demo[username]
    client.force_login(user)
    seen = reads(client, api_for(user), nguyen, measure)
    found = {name for name, text in seen.items() if MARKER in text}
    if username in AUTHORS_PARTNER:
        assert {"household page", "measure page", "summary PDF", "API summary PDF"} <= found
        assert "API /api/follow-ups/" in found
        assert "partners' summary PDF" not in found
    else:
        assert found == set()
    for email in mail.outbox:
        assert MARKER not in email.body + email.subject
        # A plain message has no HTML part; a multipart one is read in each of its parts.
        assert all(MARKER not in content for content, _ in getattr(email, "alternatives", []))


def test_the_right_of_access_export_is_the_only_way_out(client, demo, secret):
    nguyen, _ = secret
    coordinator = demo["coordinator.lt"]
    client.force_login(coordinator)
    assert MARKER not in unescape(
        client.get(reverse("households:detail", args=[nguyen.pk])).content.decode()
    )
    access_request = case_services.subject_access_request_create(
        household=nguyen,
        by=coordinator,
        requester="Mme Nguyen",
        basis="household",
        received_on=timezone.localdate(),
    )
    export = client.get(reverse("households:subject_access", args=[nguyen.pk, access_request.pk]))
    notes = exported_data(export)["données"]["suivis"]
    assert any(MARKER in note["summary"] and note["confidential"] for note in notes)
