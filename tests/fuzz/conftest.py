"""The complaint fixtures (the complaint centre, files under a temporary directory) for the fuzz pass."""

import logging

import pytest

from tests.complaints.conftest import _private_files, centre, walk  # noqa: F401  (fixtures)


@pytest.fixture(autouse=True)
def _quiet_request_log():
    """Thousands of requests: each 5xx is collected by the test, and Django's traceback and
    the access line of each would bury the report."""
    loggers = [logging.getLogger(n) for n in ("django.request", "efficiency_portal.request")]
    levels = [logger.level for logger in loggers]
    for logger in loggers:
        logger.setLevel(logging.CRITICAL)
    yield
    for logger, level in zip(loggers, levels, strict=True):
        logger.setLevel(level)
