"""Swagger UI at /api/docs/ renders the API's operations under the site's CSP (no inline script)."""

from __future__ import annotations

import pytest


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_swagger_ui_renders_the_operations_under_the_sites_csp(live_server, browser, artifacts):
    page = browser.new_context(locale="zh-CN").new_page()
    refused: list[str] = []
    page.on(
        "console",
        lambda message: (
            refused.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    response = page.goto(live_server.url + "/api/docs/")
    policy = dict(
        d.strip().split(" ", 1) for d in response.headers["content-security-policy"].split(";")
    )
    assert policy["script-src"].startswith("'self'") and "unsafe" not in policy["script-src"]

    page.wait_for_selector(".opblock", timeout=20_000)
    paths = page.locator(".opblock-summary-path").all_inner_texts()
    page.screenshot(path=str(artifacts / "api-docs.png"), full_page=True)
    assert "/api/v1/complaints/" in paths
    assert any(p.startswith("/api/v1/complaint-stats/") for p in paths)
    assert page.locator(".opblock-summary-method").first.inner_text() in {"GET", "POST"}
    assert refused == []
