"""Schemathesis against the published OpenAPI schema: no 5xx, and every answer is one the
schema documents: its status (404 for page=0 or an unknown id included), its content type
(application/pdf without a charset) and its body.

A bounded, seeded profile (SCHEMATHESIS_MAX_EXAMPLES examples per operation, 8 by default);
`make fuzz` runs a longer one against a live gunicorn. Requests go through the WSGI
application in this process (the test's database), with the personal token of a demo user of
each kind of role, so that every endpoint answers with data for at least one of them."""

import json
import os

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.renderers import OpenApiJsonRenderer
from hypothesis import HealthCheck, settings
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

from logement_toujours.wsgi import application
from partners.models import ApiToken, User

# /api/schema/ is for signed-in users only: the schema it serves is generated here, the same
# way, without a database; the requests then go through the WSGI application.
schema = schemathesis.openapi.from_dict(
    json.loads(OpenApiJsonRenderer().render(SchemaGenerator().get_schema(public=True)))
)
schema.app = application
schema.location = "/api/schema/"


@pytest.fixture
def keep_test_connection():
    """Requests go through the WSGI handler, which closes the database connection at the end
    of each request; keep the test's connection (and transaction), as Django's test client
    does."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture(params=["coordinator.lt", "manager.actis", "cesf.opac38", "caseworker.oiseaubleu"])
def token_header(request, db, keep_test_connection):
    user = User.objects.get(username=request.param)
    _, secret = ApiToken.objects.create_for(user=user, name="schemathesis")
    return {"Authorization": f"Token {secret}"}


@schema.parametrize()
@settings(
    max_examples=int(os.environ.get("SCHEMATHESIS_MAX_EXAMPLES", "8")),
    deadline=None,
    suppress_health_check=list(HealthCheck),
    derandomize=True,
)
def test_api_conforms_to_its_schema(case, token_header):
    case.call_and_validate(
        headers=token_header,
        checks=[
            not_a_server_error,
            status_code_conformance,
            content_type_conformance,
            response_schema_conformance,
        ],
    )
