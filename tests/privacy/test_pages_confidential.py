"""No page or endpoint answers a confidential value differently from a near miss
(efficiency_portal.privacy).

Every routed URL outside the admin (public pages, the REST API, Open311) is asked with
GET parameters named after each declared field (``?complainant_phone=…``,
``…__icontains``, ``…__startswith``) and with the search parameters (``q``,
``search``), once with a row's true value and once with a near miss. The rows are
published where their model has such a state (``tests/privacy/samples.py``: an answered
complaint whose complainant wrote their name, phone, ID number and e-mail into the
matter). Who asks: an anonymous visitor, and — where the visitor is refused (401/403) — a
承办人 (handler) of the rows' agency who may not see the complainant.

URLs come from walking the resolver: a new app's pages and endpoints are covered without
editing this file. A URL that takes free text in its path (a detail page) is not asked:
it shows one row, found by its own key, and filters nothing.
"""

from __future__ import annotations

import itertools
import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from efficiency_portal.privacy import declarations
from tests.privacy.support import (
    build_rows,
    client_for,
    declared_fields,
    handler_of,
    near_miss,
    normalised,
)

SEARCH_PARAMETERS = ("q", "search")
# Answers that change between two requests whatever is asked: /healthz reports the live
# state of the database, Redis, beat and the queues (ages in seconds, a check that times
# out under load) and reads no parameter; comparing two of its answers tests the machine.
LIVE_STATE = {"healthz"}
FIELD_LOOKUPS = ("", "__icontains", "__startswith")


def _choices(regex: str) -> dict[str, list[str]] | None:
    """{group: its alternatives} when every group of a URL pattern is a plain alternation
    such as ``(?P<format>json|xml)``; None when a group takes free text."""
    choices = {}
    for name, body in re.findall(r"\(\?P<(\w+)>([^)]*)\)", regex):
        if not re.fullmatch(r"\w+(\|\w+)*", body):
            return None
        choices[name] = body.split("|")
    return choices


def _walk(patterns, namespace=None):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            if entry.app_name == "admin":
                continue  # tests/privacy/test_admin_confidential.py asks the admins
            ns = namespace
            if entry.namespace:
                ns = f"{namespace}:{entry.namespace}" if namespace else entry.namespace
            yield from _walk(entry.url_patterns, ns)
        elif isinstance(entry, URLPattern) and entry.name:
            yield (f"{namespace}:{entry.name}" if namespace else entry.name), entry.pattern.regex


def routed_urls() -> list[str]:
    """Every routed URL outside the admin that takes no free text in its path."""
    urls = set()
    for name, regex in _walk(get_resolver().url_patterns):
        if name in LIVE_STATE:
            continue
        choices = _choices(regex.pattern)
        if choices is None:
            continue
        for combination in itertools.product(*choices.values()):
            urls.add(reverse(name, kwargs=dict(zip(choices, combination, strict=True))))
    return sorted(urls)


def _params():
    return [
        pytest.param(model, field, id=f"{model._meta.label_lower}.{field}")
        for model, field in declared_fields()
    ]


@pytest.mark.parametrize(("model", "field"), _params())
def test_no_page_or_endpoint_tells_a_confidential_value_from_a_near_miss(model, field, agency):
    rows = build_rows(model, field, agency, published=True)
    handler = handler_of(agency, *declarations())
    true, miss = rows.true, near_miss(rows.true)
    by_field = [f"{field}{lookup}" for lookup in FIELD_LOOKUPS]

    def ask(url, user, value):
        # All parameters at once: a page that honours any of them answers the two apart.
        params = dict.fromkeys([*by_field, *SEARCH_PARAMETERS], value)
        return normalised(client_for(user).get(url, params), true, miss)

    telling = []
    for url in routed_urls():
        answer = ask(url, None, true)
        asked_by = "anonymous"
        if answer[0] in (401, 403):
            answer, asked_by = ask(url, handler, true), "handler"
        if answer != ask(url, handler if asked_by == "handler" else None, miss):
            telling.append(f"{asked_by}: {url}")
    assert not telling, f"these answer the true {field} apart from a near miss: {telling}"


def test_the_walk_reaches_the_public_pages_the_api_and_open311(db):
    """Positive control: the resolver walk finds the surfaces a leak would be on."""
    urls = routed_urls()
    for expected in (
        reverse("complaints:public_cases"),
        reverse("v1:complaint-list"),
        reverse("open311:requests", kwargs={"format": "json"}),
        reverse("open311:requests", kwargs={"format": "xml"}),
    ):
        assert expected in urls


def test_a_near_miss_changes_the_masked_middle():
    assert near_miss("13912345678") == "13912845678"
    assert near_miss("欧甲乙丙")[0] == "欧"
