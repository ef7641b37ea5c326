"""« Aide »: every role reads how the programme works and what its own role does; the
profile puts the password and notifications before the API tokens."""

import pytest
from django.conf import settings
from django.urls import reverse

from logement_toujours.demo.partners import demo_users

ROLE_TEXT = {
    "cesf.actis": "Vous êtes <strong>CESF d'un bailleur</strong>",
    "caseworker.ozanam": "Vous êtes <strong>travailleur social d'une association</strong>",
    "manager.pluralis": "Vous êtes <strong>responsable</strong>",
    "coordinator.lt": "Vous êtes à la <strong>coordination</strong>",
    "funder.fondation": "Vous êtes <strong>financeur</strong>",
}


@pytest.mark.parametrize("username", [username for username, _, _ in demo_users()])
def test_every_demo_user_reads_the_help_from_the_menu(client, demo, username):
    client.force_login(demo[username])
    menu = client.get(reverse("profile")).content.decode()
    assert f'href="{reverse("help")}"' in menu
    page = client.get(reverse("help"))
    assert page.status_code == 200
    text = page.content.decode()
    for heading in ("Les quatre actions", "La co-décision", "renouvellement", "Confidentialité"):
        assert heading in text
    assert f"{settings.MEASURE_DURATION_MONTHS} mois" in text
    own = [role for name, role in ROLE_TEXT.items() if name.split(".")[0] == username.split(".")[0]]
    assert own and own[0] in text
    others = [role for role in ROLE_TEXT.values() if role != own[0]]
    assert not [role for role in others if role in text]


def test_the_help_needs_a_login(client, db):
    response = client.get(reverse("help"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_the_profile_shows_password_and_notifications_before_the_tokens(client, demo):
    client.force_login(demo["caseworker.ulisse"])
    page = client.get(reverse("profile")).content.decode()
    password = page.index(reverse("password_change"))
    preferences = page.index(reverse("notifications:preferences"))
    tokens = page.index("jetons d'API personnels")
    assert password < tokens and preferences < tokens
    # The tokens are folded away in an advanced section, unless one was just created.
    assert '<details class="card advanced">' in page
