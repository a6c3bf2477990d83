"""The admin's changelists (search, page, ordering and every filter their sidebars link to)
and change pages (the object id), sent hostile values, answer below 500 — for a superuser (every admin) and for a scoped
clerk (the agency-scoped querysets).

The admin reads its whole query string, so the parameters are the ones Django's
changelist always takes and the ones its own filter links carry.
"""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.contrib.admin.views.main import ORDER_VAR, PAGE_VAR, SEARCH_VAR
from django.urls import reverse

from organizations.roles import Role
from tests.conftest import make_staff
from tests.fuzz.hostile import (
    HOSTILE,
    Findings,
    client,
    page_forms_and_links,
    query_keys_of_links,
    query_string,
)

pytestmark = pytest.mark.django_db

# A changelist takes many parameters and renders a large page for each, so it gets the
# values that break a query in different ways: NUL (PostgreSQL), a date-time past what
# datetime and PostgreSQL can shift, a number past bigint, a digit int() refuses.
ADMIN_VALUES = [
    h for h in HOSTILE if h.name in {"nul", "far_future_west", "huge_int", "superscript_digit"}
]


def _changelists() -> list[str]:
    return [
        reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        for model in admin.site._registry
    ]


def _ask_changelist(findings: Findings, web, url: str) -> None:
    baseline = findings.ask(f"GET {url}", lambda: web.get(url))
    if baseline.status_code != 200:
        return  # not this user's admin
    page = page_forms_and_links(baseline.content.decode(errors="replace"))
    keys = {SEARCH_VAR, PAGE_VAR, ORDER_VAR} | query_keys_of_links(page.links, url)
    for key in sorted(keys):
        for hostile in ADMIN_VALUES:
            target = f"{url}?{query_string({}, key, hostile)}"
            findings.ask(f"GET {url} {key}={hostile}", lambda t=target: web.get(t))
    for hostile in ADMIN_VALUES:  # the change page of an object id no row has
        target = f"{url}{hostile.query}/change/"
        findings.ask(f"GET {url}<id>/change/ id={hostile}", lambda t=target: web.get(t))


def test_no_admin_changelist_fails_on_hostile_parameters(django_user_model, agency_a, centre):
    superuser = django_user_model.objects.create_superuser("fuzz-admin", password="x" * 12)
    clerk = make_staff(agency=agency_a, roles=[Role.HANDLER, Role.UNIT_ADMIN])
    findings = Findings()
    for user in (superuser, clerk):
        web = client()
        web.force_login(user)
        for url in _changelists():
            _ask_changelist(findings, web, url)
    assert findings.asked > 100
    assert not findings.lines, findings.report()
