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
