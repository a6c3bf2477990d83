"""Browser tests: Debian's Chromium driven by pytest-playwright (``playwright install`` cannot
download here), against Django's live server."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings

CHROMIUM_ARGS = [
    "--no-sandbox",  # the test runner may be root in a container
    "--disable-gpu",
    "--disable-background-networking",  # no calls home: the machine has no network
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": "/usr/bin/chromium",
        "args": CHROMIUM_ARGS,
    }


@pytest.fixture
def artifacts() -> Path:
    """Screenshots land in test-artifacts/e2e/ (gitignored), kept after the run for review."""
    path = Path(settings.BASE_DIR) / "test-artifacts" / "e2e"
    path.mkdir(parents=True, exist_ok=True)
    return path


@pytest.fixture(scope="session", autouse=True)
def _seed_snapshot(django_db_setup, django_db_blocker) -> str:
    """The migrations' seed data, captured before Playwright starts.

    Playwright's sync API runs an event loop on the test thread; from then on
    Django's connection handler (an asgiref Local) hands the test a new connection
    object, without the serialized copy that ``serialized_rollback`` restores from.
    When database tests ran earlier in the same worker, that copy lives only on the
    old object, so the e2e tests after the first one would find no seed data.
    """
    from django.db import connection

    with django_db_blocker.unblock():
        contents = getattr(connection, "_test_serialized_contents", None)
        return contents or connection.creation.serialize_db_to_string()


@pytest.fixture(autouse=True)
def _seed_data_follows_the_connection(_seed_snapshot, request):
    """Give the current connection the snapshot; restore the seed data if it was flushed."""
    if "django_db_setup" not in request.fixturenames:
        return
    from django.db import connection

    if getattr(connection, "_test_serialized_contents", None) is None:
        connection._test_serialized_contents = _seed_snapshot
        connection.creation.deserialize_db_from_string(_seed_snapshot)
