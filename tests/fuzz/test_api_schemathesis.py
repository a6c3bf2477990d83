"""Schemathesis against the API's own OpenAPI schema, in process (WSGI): generated requests,
valid and invalid, never get a 5xx, and documented answers match the schema.

* The schema is the one the API serves (drf-spectacular, ``/api/schema/``); the app is
  called in process through its WSGI handler, inside the test's database transaction
  (each case in a savepoint rolled back afterwards, so one case's failed statement
  cannot spoil the next).
* The caller is an integration account of agency A (it may file and read), so
  generated requests get past authentication and reach the views.
* Every operation in both of Schemathesis' modes: positive (data the schema allows)
  and negative (data it forbids: wrong types, out-of-range numbers, missing fields).
* Bounded and repeatable: a fixed seed and ``MAX_EXAMPLES`` per operation and mode, no
  shrinking, and no example database (tests/testenv.py also points Hypothesis's
  storage outside the repository).
* Checks: ``not_a_server_error`` everywhere; the content type and body match the
  schema where it documents that status (drf-spectacular lists no 401/404, and
  those are not failures of their own).

Schemathesis' own pytest plugin (``schema.parametrize``) does not run under pytest 9
(it sets a node id pytest no longer has), so each operation's strategy is driven by
Hypothesis here, which is what the plugin does.
"""

from __future__ import annotations

import hypothesis
import pytest
import schemathesis
from django.core import signals
from django.core.handlers.wsgi import WSGIHandler
from django.db import close_old_connections, transaction
from hypothesis import HealthCheck, Phase
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.core.failures import FailureGroup
from schemathesis.specs.openapi.checks import content_type_conformance, response_schema_conformance

from tests.complaints.api_support import integration

pytestmark = pytest.mark.django_db

SEED = 20261201
MAX_EXAMPLES = 30
CHECKS = [not_a_server_error, content_type_conformance, response_schema_conformance]
SETTINGS = hypothesis.settings(
    max_examples=MAX_EXAMPLES,
    database=None,
    deadline=None,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=list(HealthCheck),
    report_multiple_bugs=False,
    print_blob=False,
)


def _fuzz(operation, mode: GenerationMode, token: str) -> str | None:
    """The first failure of ``operation`` in ``mode`` (schemathesis's report), or None."""

    @SETTINGS
    @hypothesis.seed(SEED)
    @hypothesis.given(case=operation.as_strategy(generation_mode=mode))
    def run(case):
        savepoint = transaction.savepoint()
        try:
            response = case.call(headers={"Authorization": f"Token {token}"})
        finally:
            transaction.savepoint_rollback(savepoint)
        case.validate_response(response, checks=CHECKS)

    try:
        run()
    except (Exception, FailureGroup) as exc:  # every operation's failure is reported together
        return f"{operation.label} [{mode.value}]: {exc}"
    return None


@pytest.fixture
def connection_kept_between_requests():
    """What Django's test client does around each request: a bare WSGI handler closes the
    database connection when a request finishes, and with it the test's transaction."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


def test_generated_api_requests_never_get_a_server_error(
    centre, agency_a, connection_kept_between_requests
):
    token, _client = integration(agency=agency_a)
    schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", WSGIHandler())
    operations = [result.ok() for result in schema.get_all_operations()]
    assert {op.label for op in operations} >= {
        "POST /api/v1/complaints/",
        "GET /api/v1/complaints/",
    }
    failures = [
        failure
        for operation in operations
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE)
        if (failure := _fuzz(operation, mode, token.key))
    ]
    assert not failures, f"{len(failures)} operation(s) failed:\n\n" + "\n\n".join(failures)
