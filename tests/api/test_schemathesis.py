"""Schemathesis against the published OpenAPI schema: no 5xx, and every answer is one the
schema documents: its status (404 for page=0 or an unknown id included), its content type
(application/pdf without a charset) and its body.

A bounded, seeded profile; `make fuzz` runs a longer one against a live gunicorn. Requests
go through the WSGI application in this process (the test's database), in two parts:

- the schema's examples and SCHEMATHESIS_MAX_EXAMPLES random cases per operation (8 by
  default), with the personal token of a demo user of each kind of role, so that every
  endpoint answers with data for at least one of them;
- the coverage phase, every boundary the schema defines (empty, longest, smallest, largest,
  each missing field: about 700 cases for a diagnostic), with the token of the two roles
  that write: the landlord's CESF and the association's caseworker (and the coordination
  for the arbitration, which only it gives). Past the access check, a boundary gives the
  same answer whoever sends it: the other roles would repeat these cases at four times the
  cost."""

import json
import os
from contextlib import contextmanager

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

from households.models import Household
from logement_toujours.wsgi import application
from partners.models import ApiToken
from tests.helpers import api_for, upload_judgement

# /api/schema/ is for signed-in users only: the schema it serves is generated here, the same
# way, without a database; the requests then go through the WSGI application.
PUBLISHED = OpenApiJsonRenderer().render(SchemaGenerator().get_schema(public=True))


def loaded(*phases: str):
    loaded = schemathesis.openapi.from_dict(json.loads(PUBLISHED))
    loaded.app = application
    loaded.location = "/api/schema/"
    loaded.config.phases.update(phases=list(phases))
    return loaded


schema = loaded("examples", "fuzzing")
boundaries = loaded("coverage")


@contextmanager
def connection_kept():
    """Requests go through the WSGI handler, which closes the database connection at the end
    of each request; keep the test's connection (and transaction), as Django's test client
    does (and undoes after each of its requests: no test client request inside)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@pytest.fixture
def keep_test_connection():
    with connection_kept():
        yield


def token_of(user) -> dict:
    _, secret = ApiToken.objects.create_for(user=user, name="schemathesis")
    return {"Authorization": f"Token {secret}"}


@pytest.fixture(params=["coordinator.lt", "manager.actis", "cesf.opac38", "caseworker.oiseaubleu"])
def token_header(request, demo, keep_test_connection):
    return token_of(demo[request.param])


@pytest.fixture(params=["cesf.opac38", "caseworker.oiseaubleu"])
def writer_token(request, demo, keep_test_connection):
    return token_of(demo[request.param])


@pytest.fixture
def coordinator_token(demo, keep_test_connection):
    return token_of(demo["coordinator.lt"])


CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
SETTINGS = settings(
    max_examples=int(os.environ.get("SCHEMATHESIS_MAX_EXAMPLES", "8")),
    deadline=None,
    suppress_health_check=list(HealthCheck),
    derandomize=True,
)


@schema.parametrize()
@SETTINGS
def test_api_conforms_to_its_schema(case, token_header):
    case.call_and_validate(headers=token_header, checks=CHECKS)


@boundaries.parametrize()
@SETTINGS
def test_api_conforms_at_every_boundary(case, writer_token):
    case.call_and_validate(headers=writer_token, checks=CHECKS)


@boundaries.include(path_regex="/arbitrate/$").parametrize()
@SETTINGS
def test_the_arbitration_conforms_at_every_boundary(case, coordinator_token):
    case.call_and_validate(headers=coordinator_token, checks=CHECKS)


def _validate(path, token, **path_parameters):
    case = schema[path]["GET"].Case(path_parameters=path_parameters, headers=token)
    response = case.call()
    assert response.status_code == 200, response.text
    case.validate_response(response, checks=[response_schema_conformance])
    return response.json()


def test_documents_with_and_without_a_stage_match_their_schema(demo):
    """The suite's demo has no documents: one about no stage of the procedure (blank) and one
    about the summons, read back through the list and the detail, match the schema."""
    rousseau = Household.objects.get(name="Rousseau")
    api = api_for(demo["cesf.opac38"])
    for step in ("", "summons"):
        response = upload_judgement(api, rousseau, procedure_step=step)
        assert response.status_code == 201, response.content
        # The documents made, a plain list (not a page of a list), as documented.
        [made] = response.json()
        assert made["procedure_step"] == step
    _, secret = ApiToken.objects.create_for(user=demo["cesf.opac38"], name="schemathesis")
    token = {"Authorization": f"Token {secret}"}
    with connection_kept():
        listed = _validate("/api/documents/", token)["results"]
        assert {d["procedure_step"] for d in listed} >= {"", "summons"}
        for document in listed:
            detail = _validate("/api/documents/{id}/", token, id=document["id"])
            assert detail["procedure_step"] == document["procedure_step"]


def test_an_address_too_long_for_the_http_server_is_documented():
    """gunicorn answers a request line past 4 094 characters itself, with an HTML 414: every
    operation documents it."""
    generated = SchemaGenerator().get_schema(public=True)
    for operations in generated["paths"].values():
        for operation in operations.values():
            assert "text/html" in operation["responses"]["414"]["content"]


def test_only_lists_are_documented_paginated():
    """An upload answers the list of the documents made, not a page: only a GET of a list
    route is documented as a page (Paginated…)."""
    generated = SchemaGenerator().get_schema(public=True)
    created = generated["paths"]["/api/documents/"]["post"]["responses"]["201"]
    assert created["content"]["application/json"]["schema"] == {
        "type": "array",
        "items": {"$ref": "#/components/schemas/Document"},
    }
    for path, operations in generated["paths"].items():
        for method, operation in operations.items():
            if method != "get" or "{id}" in path:
                assert "Paginated" not in json.dumps(operation["responses"]), (method, path)
