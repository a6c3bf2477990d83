"""The web container's health probe: exit 0 only on a 200, with a Host the site accepts."""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest

from efficiency_portal import probe


@pytest.fixture
def fake_web():
    """A stand-in for gunicorn answering /healthz with ``state["status"]``."""
    state = {"status": 200, "host": None}

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            state["host"] = self.headers["Host"]
            self.send_response(state["status"])
            self.end_headers()
            self.wfile.write(b'{"status": "..."}')

        def log_message(self, *args):
            pass

    server = HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/healthz", state
    server.shutdown()
    server.server_close()


def test_probe_passes_on_200_and_sends_the_first_allowed_host(fake_web, monkeypatch):
    url, state = fake_web
    monkeypatch.setenv("ALLOWED_HOSTS", ".example.gov.cn, portal.example.gov.cn")
    assert probe.main(["probe", url]) == 0
    assert state["host"] == "example.gov.cn"


def test_probe_fails_on_503(fake_web, capsys):
    url, state = fake_web
    state["status"] = 503
    assert probe.main(["probe", url]) == 1
    assert capsys.readouterr().err.startswith("503: ")


def test_probe_fails_when_nothing_listens(capsys):
    assert probe.main(["probe", "http://127.0.0.1:9/healthz"]) == 1
    assert "Connection refused" in capsys.readouterr().err


def test_probe_host_skips_wildcards(monkeypatch):
    monkeypatch.setenv("ALLOWED_HOSTS", "*")
    assert probe.probe_host() == "localhost"
