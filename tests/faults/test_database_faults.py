"""While the database is out of reach, every answer says so in French (a page in the
application's look, or JSON under /api/) with 503, and the health check names what is down."""

import json

import pytest
from django.test import RequestFactory

from core.views import server_error
from tests.faults.server import get, gunicorn
from tests.faults.services import free_port, private_redis


@pytest.fixture(scope="module")
def site_without_database():
    """gunicorn whose PostgreSQL does not answer (nothing listens on its port)."""
    with (
        private_redis() as redis,
        gunicorn(
            DATABASE_URL=f"postgres://postgres@127.0.0.1:{free_port()}/gone",
            REDIS_URL=redis.url,
            DATABASE_CONN_MAX_AGE="60",
        ) as url,
    ):
        yield url


def test_the_health_check_says_the_database_is_down(site_without_database):
    status, _headers, body, _ = get(f"{site_without_database}/sante/")
    assert status == 503
    assert json.loads(body) == {"status": "unhealthy", "database": "indisponible", "broker": "ok"}


def test_pages_answer_503_in_french_while_the_database_is_down(site_without_database):
    # A signed-in user: the session is read from the database.
    status, headers, body, _ = get(
        f"{site_without_database}/menages/", {"Cookie": "sessionid=une-session-en-cours"}
    )
    assert status == 503
    assert headers["Retry-After"] == "30"
    page = body.decode()
    assert "Service momentanément indisponible" in page and "Rien de ce" in page
    assert "Server Error" not in page and 'href="/static/' in page


def test_the_api_answers_json_503_while_the_database_is_down(site_without_database):
    status, headers, body, _ = get(
        f"{site_without_database}/api/households/", {"Authorization": "Token abc"}
    )
    assert status == 503
    assert headers["Content-Type"] == "application/json"
    assert "base de données" in json.loads(body)["detail"]


def test_an_unforeseen_error_under_api_is_json_and_elsewhere_a_french_page():
    factory = RequestFactory()
    try:
        raise RecursionError("trop profond")
    except RecursionError:
        api = server_error(factory.get("/api/households/"))
        page = server_error(factory.get("/menages/"))
    assert api.status_code == 500 and api["Content-Type"] == "application/json"
    assert "Erreur interne" in json.loads(api.content)["detail"]
    assert page.status_code == 500 and "Erreur interne" in page.content.decode()


def test_the_health_check_says_the_broker_is_down(client, db, settings):
    from logement_toujours.celery import app

    saved = app.conf.broker_url
    app.conf.broker_url = f"redis://127.0.0.1:{free_port()}/0"
    app._pool = None
    try:
        response = client.get("/sante/")
    finally:
        app.conf.broker_url = saved
        app._pool = None
    assert response.status_code == 503
    assert response.json() == {"status": "unhealthy", "database": "ok", "broker": "indisponible"}
