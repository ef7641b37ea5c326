"""The co-decision page and the committee pages name people with their organisation: each
reads them at once, so that its number of queries does not grow with the number of
participants or answers (measured at two sizes)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from codecision import services
from codecision.models import Answer, CoDecisionAnswer
from partners.models import Role
from tests.factories import orientation_create, user_create

COMMITTEE_PAGES = [
    "codecision:session_detail",
    "codecision:session_answers",
    "codecision:minutes_pdf",
]


@pytest.fixture
def codecision(flow):
    orientation = orientation_create(cesf=flow.cesf, association=flow.association)
    return orientation.action.codecisions.get()


@pytest.fixture
def session(flow, codecision):
    return services.committee_session_create(
        by=flow.coordinator,
        held_on=timezone.localdate(),
        codecisions=[codecision],
        participants=[flow.cesf],
    )


def queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured.captured_queries)


@pytest.mark.parametrize("url_name", COMMITTEE_PAGES)
def test_a_committee_page_reads_its_participants_organisations_at_once(
    client, flow, session, url_name
):
    client.force_login(flow.coordinator)
    url = reverse(url_name, args=[session.pk])
    client.get(url)  # the session and the menus' first reads
    one = queries(client, url)
    # Five more people, of five other organisations and of every role that takes part.
    roles = [Role.CESF, Role.CASEWORKER, Role.MANAGER, Role.COORDINATOR, Role.CESF]
    session.participants.add(*(user_create(role) for role in roles))
    page = client.get(url)
    assert queries(client, url) == one
    if url_name != "codecision:minutes_pdf":
        text = page.content.decode()
        for participant in session.participants.all():
            assert str(participant.partner) in text


@pytest.mark.parametrize("viewer", ["coordinator", "cesf", "caseworker"])
def test_the_codecision_page_reads_the_same_queries_whatever_its_answers(
    client, flow, session, codecision, viewer
):
    """The answers' history names who gave each, for which organisation, in which committee:
    one answer, then five (recorded as the committee recorded them, by several people)."""

    rounds = iter(range(1, 10))

    def answered(by) -> None:
        CoDecisionAnswer.objects.create(
            round=next(rounds),
            codecision=codecision,
            side="landlord",
            partner=flow.landlord,
            answer=Answer.ADJOURN,
            answered_by=by,
            session=session,
            comment="À revoir en séance.",
        )

    answered(flow.coordinator)
    client.force_login(getattr(flow, viewer))
    url = reverse("codecision:detail", args=[codecision.pk])
    client.get(url)
    one = queries(client, url)
    for _ in range(4):
        answered(user_create(Role.CESF, partner=flow.landlord))
    assert queries(client, url) == one
    assert client.get(url).content.decode().count("demande l&#x27;ajournement") == 5
