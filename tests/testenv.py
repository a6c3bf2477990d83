"""A pytest plugin loaded with -p before pytest-django reads the settings."""

import os
import tempfile

os.environ.setdefault("SECRET_KEY", "test-only-secret-key-not-for-production-0123456789")
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright + live server
os.environ.setdefault("STATIC_MANIFEST", "false")
# Hypothesis (the fuzz pass) keeps its files outside the repository; no example database is used.
os.environ.setdefault(
    "HYPOTHESIS_STORAGE_DIRECTORY",
    os.path.join(tempfile.gettempdir(), "efficiency-portal-hypothesis"),
)

# WhiteNoise warns on every request when STATIC_ROOT does not exist yet (no collectstatic in tests).
_static_root = os.path.join(
    os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "var", "static"
)
os.makedirs(_static_root, exist_ok=True)
