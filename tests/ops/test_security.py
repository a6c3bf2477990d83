"""Production-safe defaults: secure cookies, CSP with nonces, no framing, no sniffing,
admin login throttling, and one JSON log line per request."""

from __future__ import annotations

import json
import logging
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from csp.middleware import CSPMiddleware
from django.conf import settings as django_settings
from django.contrib.auth import get_user_model
from django.http import HttpResponse
from django.template import engines
from django.test import RequestFactory
from django.utils.module_loading import import_string

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "correct-horse-battery-2026"


def settings_in_subprocess(**env: str) -> dict:
    """Load the settings module afresh under ``env`` and report the security settings."""
    code = (
        "import json, django; from django.conf import settings as s; "
        "print(json.dumps({k: getattr(s, k) for k in ('DEBUG', 'SESSION_COOKIE_SECURE', "
        "'CSRF_COOKIE_SECURE', 'SESSION_COOKIE_HTTPONLY', 'LANGUAGE_COOKIE_SECURE', "
        "'LANGUAGE_COOKIE_HTTPONLY', 'X_FRAME_OPTIONS', 'SECURE_CONTENT_TYPE_NOSNIFF')}))"
    )
    base = {k: v for k, v in os.environ.items() if k not in ("DEBUG", "SECURE_COOKIES")}
    base["DJANGO_SETTINGS_MODULE"] = "efficiency_portal.settings"
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**base, "SECRET_KEY": "x" * 50, **env},
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(result.stdout)


def test_debug_is_off_and_cookies_are_secure_unless_set():
    values = settings_in_subprocess()
    assert values == {
        "DEBUG": False,
        "SESSION_COOKIE_SECURE": True,
        "CSRF_COOKIE_SECURE": True,
        "SESSION_COOKIE_HTTPONLY": True,
        "LANGUAGE_COOKIE_SECURE": True,
        "LANGUAGE_COOKIE_HTTPONLY": True,
        "X_FRAME_OPTIONS": "DENY",
        "SECURE_CONTENT_TYPE_NOSNIFF": True,
    }


def test_local_demo_run_may_turn_secure_cookies_off_explicitly():
    values = settings_in_subprocess(DEBUG="true", SECURE_COOKIES="false")
    assert values["DEBUG"] is True
    assert values["SESSION_COOKIE_SECURE"] is False
    assert values["SESSION_COOKIE_HTTPONLY"] is True


@pytest.mark.django_db
def test_session_and_csrf_cookies_are_sent_secure(client):
    get_user_model().objects.create_superuser("root", "root@example.org", PASSWORD)
    login_page = client.get("/admin/login/")
    assert login_page.cookies["csrftoken"]["secure"]
    response = client.post("/admin/login/?next=/admin/", {"username": "root", "password": PASSWORD})
    assert response.status_code == 302
    session = response.cookies[django_settings.SESSION_COOKIE_NAME]
    assert session["secure"] and session["httponly"] and session["samesite"] == "Lax"


@pytest.mark.django_db
def test_public_pages_carry_csp_frame_and_sniffing_headers(client):
    response = client.get("/")
    assert response.status_code == 200
    csp = dict(
        part.strip().split(" ", 1) for part in response["Content-Security-Policy"].split(";")
    )
    assert csp["default-src"] == "'self'"
    assert "'unsafe-inline'" not in csp["script-src"]
    assert csp["script-src"].startswith("'self'")
    assert "'nonce'" not in csp["script-src"]  # never the bare placeholder
    assert csp["frame-ancestors"] == "'none'" and csp["object-src"] == "'none'"
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    # Every inline script on the page carries the nonce the header allows.
    for tag in re.findall(r"<script(?![^>]*\bsrc=)[^>]*>", response.content.decode()):
        assert "nonce=" in tag, tag


def test_an_inline_script_is_allowed_only_through_the_request_nonce():
    template = engines["django"].from_string('<script nonce="{{ request.csp_nonce }}">1</script>')

    def view(request):
        return HttpResponse(template.render({}, request))

    response = CSPMiddleware(view)(RequestFactory().get("/"))
    nonce = re.search(r'nonce="([^"]+)"', response.content.decode()).group(1)
    assert f"script-src 'self' 'nonce-{nonce}'" in response["Content-Security-Policy"]


@pytest.mark.django_db
def test_admin_login_is_refused_after_too_many_failures_even_with_the_right_password(
    client, settings
):
    settings.AXES_ENABLED = True  # conftest turns throttling off for every other test
    settings.AXES_FAILURE_LIMIT = 3
    get_user_model().objects.create_superuser("root", "root@example.org", PASSWORD)
    for _ in range(3):
        wrong = client.post("/admin/login/", {"username": "root", "password": "wrong-guess"})
        assert wrong.status_code in (200, 429)
    refused = client.post("/admin/login/", {"username": "root", "password": PASSWORD})
    assert refused.status_code == 429
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_admin_login_works_below_the_failure_limit(client, settings):
    settings.AXES_ENABLED = True
    settings.AXES_FAILURE_LIMIT = 3
    get_user_model().objects.create_superuser("root", "root@example.org", PASSWORD)
    for _ in range(2):
        client.post("/admin/login/", {"username": "root", "password": "wrong-guess"})
    response = client.post("/admin/login/", {"username": "root", "password": PASSWORD})
    assert response.status_code == 302
    assert client.session["_auth_user_id"]


def _behind_the_proxy(address: str):
    """A browser at ``address`` reaching us through our proxy (172.18.0.2), which appends it."""
    from django.test import Client

    return Client(
        REMOTE_ADDR="172.18.0.2",
        HTTP_X_FORWARDED_FOR=address,
        HTTP_X_FORWARDED_PROTO="https",
    )


@pytest.mark.django_db
def test_behind_the_proxy_one_persons_failed_logins_lock_only_that_persons_address(settings):
    settings.AXES_ENABLED = True
    settings.AXES_FAILURE_LIMIT = 3
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")  # BEHIND_PROXY=true
    get_user_model().objects.create_superuser("root", "root@example.org", PASSWORD)
    guesser, owner = _behind_the_proxy("203.0.113.7"), _behind_the_proxy("198.51.100.9")
    for _ in range(3):
        guesser.post("/admin/login/", {"username": "root", "password": "wrong-guess"})

    assert (
        guesser.post("/admin/login/", {"username": "root", "password": PASSWORD}).status_code == 429
    )
    # A forged first hop does not help: our proxy appends the real address after it.
    forged = _behind_the_proxy("192.0.2.1, 203.0.113.7")
    assert (
        forged.post("/admin/login/", {"username": "root", "password": PASSWORD}).status_code == 429
    )
    response = owner.post("/admin/login/", {"username": "root", "password": PASSWORD})
    assert response.status_code == 302
    assert owner.session["_auth_user_id"]


@pytest.mark.django_db
def test_a_request_is_one_json_log_line_with_method_path_status_and_duration(client, caplog):
    with caplog.at_level(logging.INFO, logger="efficiency_portal.request"):
        client.get("/healthz?probe=1")
    [record] = [r for r in caplog.records if r.name == "efficiency_portal.request"]
    options = dict(django_settings.LOGGING["formatters"]["json"])
    formatter = import_string(options.pop("()"))(**options)
    line = formatter.format(record)
    assert "\n" not in line
    entry = json.loads(line)
    assert entry["message"] == "request"
    assert entry["level"] == "INFO" and entry["logger"] == "efficiency_portal.request"
    assert entry["method"] == "GET" and entry["path"] == "/healthz"
    assert entry["status"] in (200, 503)
    assert isinstance(entry["ms"], float) and entry["ms"] >= 0
    assert entry["user_id"] is None
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d+\+00:00", entry["time"])
