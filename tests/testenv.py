"""A pytest plugin loaded with -p before pytest-django reads the settings."""

import os

os.environ.setdefault("SECRET_KEY", "test-only-secret-key-not-for-production-0123456789")
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright + live server
os.environ.setdefault("STATIC_MANIFEST", "false")
