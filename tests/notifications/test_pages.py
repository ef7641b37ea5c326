"""The notification centre: unread count in the header, list, mark as read, preferences."""

import pytest
from django.urls import reverse

from notifications.models import EmailMode, Notification, NotificationPreference
from notifications.services import notify
from tests.demo_access import USERS


def test_unread_count_list_and_mark_as_read(client, demo):
    user = demo["caseworker.ulisse"]
    Notification.objects.filter(recipient=user).delete()
    first, second = (
        notify(recipients=[user], kind="test", text=f"Message {i}", link="/mesures/")[0]
        for i in (1, 2)
    )
    client.force_login(user)
    page = client.get(reverse("households:list")).content.decode()
    assert 'aria-label="2 non lues"' in page
    response = client.post(reverse("notifications:mark_read", args=[first.pk]))
    assert response.status_code == 302
    page = client.get(reverse("notifications:list")).content.decode()
    assert 'aria-label="1 non lue"' in page
    assert page.index("Message 2") < page.index("Message 1")  # unread first
    # The unread one, and only it, can be marked as read from the list.
    assert f'action="{reverse("notifications:mark_read", args=[second.pk])}"' in page
    assert reverse("notifications:mark_read", args=[first.pk]) not in page
    client.post(reverse("notifications:mark_all_read"))
    assert not Notification.objects.filter(recipient=user, read_at=None).exists()
    second.refresh_from_db()
    assert second.read_at is not None


def test_a_notification_links_to_its_household(client, demo):
    from households.models import Household

    user = demo["caseworker.ulisse"]
    benali = Household.objects.get(name="Benali")
    notify(recipients=[user], kind="test", text="Rappel", household=benali, link="/mesures/")
    client.force_login(user)
    page = client.get(reverse("notifications:list")).content.decode()
    link = reverse("households:detail", args=[benali.pk])
    assert f'href="{link}"' in page and f"Dossier {benali.reference}" in page
    assert client.get(link).status_code == 200


def test_preferences_choose_the_daily_digest(client, demo):
    user = demo["cesf.actis"]
    client.force_login(user)
    client.post(reverse("notifications:preferences"), {"email_mode": "digest"})
    assert NotificationPreference.objects.get(user=user).email_mode == EmailMode.DIGEST
    response = client.post(reverse("notifications:preferences"), {"email_mode": "souvent"})
    assert "Sélectionnez un choix valide" in response.content.decode()
    assert NotificationPreference.objects.get(user=user).email_mode == EmailMode.DIGEST


def test_notification_list_query_count_is_constant(
    client, demo, django_assert_max_num_queries, django_assert_num_queries
):
    user = demo["manager.ozanam"]
    notify(recipients=[user], kind="test", text="Un")
    client.force_login(user)
    with django_assert_max_num_queries(10) as first:
        client.get(reverse("notifications:list"))
    for index in range(10):
        notify(recipients=[user], kind="test", text=f"Autre {index}")
    with django_assert_num_queries(len(first.captured_queries)):
        client.get(reverse("notifications:list"))


@pytest.mark.parametrize("username", USERS)
def test_access_matrix_of_notification_pages(client, demo, username):
    """Everyone has a notification centre; nobody reads or marks someone else's."""
    owner = demo["coordinator.lt"] if username != "coordinator.lt" else demo["cesf.actis"]
    [foreign] = notify(recipients=[owner], kind="test", text="Pas pour vous")
    [own] = notify(recipients=[demo[username]], kind="test", text="Pour vous")
    client.force_login(demo[username])
    outcomes = {
        "list": client.get(reverse("notifications:list")).status_code,
        "preferences": client.get(reverse("notifications:preferences")).status_code,
        "mark_own": client.post(reverse("notifications:mark_read", args=[own.pk])).status_code,
        "mark_foreign": client.post(
            reverse("notifications:mark_read", args=[foreign.pk])
        ).status_code,
    }
    assert outcomes == {"list": 200, "preferences": 200, "mark_own": 302, "mark_foreign": 404}
    assert "Pas pour vous" not in client.get(reverse("notifications:list")).content.decode()
    foreign.refresh_from_db()
    assert foreign.read_at is None
