"""Public pages: every GET parameter and POST field, sent every hostile value, answers below 500.

Found, not listed: the pages are the URL resolver's routes (outside the admin, the
API and Open311, which have their own passes); a page's GET parameters are the
ones its view reads (recorded while a normal request runs), the ones its links
carry and its GET forms' fields; its POST fields are the fields of the forms it
shows. The follow page is also visited with two answered cases opened in the
session, so the rating and reopening forms are there too. The admin's changelists
are asked with search, page and ordering and the filters their sidebars link to.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.handlers.wsgi import WSGIRequest
from django.http import QueryDict
from django.urls import URLResolver, get_resolver, reverse
from django.utils.encoding import iri_to_uri

from complaints.models import Complaint
from complaints.services import complaint_rate
from tests.complaints.conftest import submit
from tests.fuzz.hostile import (
    FORM,
    HOSTILE,
    MULTIPART,
    Findings,
    client,
    form_body,
    multipart_body,
    page_forms_and_links,
    query_keys_of_links,
    query_string,
)

pytestmark = pytest.mark.django_db

# Covered by their own passes: test_admin_hostile, test_api_hostile, test_open311_hostile.
OWN_PASS = ("admin/", "api/", "open311/")
# The load balancer's probe: 503 is its designed answer while a dependency is down.
PROBES = ("healthz",)
_CONVERTER = re.compile(r"<(?:(?P<kind>\w+):)?(?P<name>\w+)>")
_PLAIN = {"int": "1", "slug": "x", "str": "x", "path": "x"}


class _RecordingQueryDict(QueryDict):
    """A QueryDict that notes each parameter name a view asks for."""

    asked: set[str] = set()

    def __getitem__(self, key):
        self.asked.add(key)
        return super().__getitem__(key)

    def get(self, key, default=None):
        self.asked.add(key)
        return super().get(key, default)

    def getlist(self, key, default=None):
        self.asked.add(key)
        return super().getlist(key, default)

    def __contains__(self, key):
        self.asked.add(key)
        return super().__contains__(key)


@pytest.fixture
def recorded_get_keys(monkeypatch):
    def get(request):
        if "_recorded_get" not in request.__dict__:
            raw = request.environ.get("QUERY_STRING", "").encode("latin-1")
            request.__dict__["_recorded_get"] = _RecordingQueryDict(raw, encoding=request.encoding)
        return request.__dict__["_recorded_get"]

    def put(request, value):
        request.__dict__["_recorded_get"] = value

    monkeypatch.setattr(WSGIRequest, "GET", property(get, put))
    _RecordingQueryDict.asked = set()
    return _RecordingQueryDict


def page_routes() -> list[str]:
    """Every route outside the admin, the API and Open311, as a pattern string."""

    def walk(patterns, prefix):
        for pattern in patterns:
            route = prefix + str(pattern.pattern)
            if isinstance(pattern, URLResolver):
                yield from walk(pattern.url_patterns, route)
            else:
                yield route

    routes = walk(get_resolver().url_patterns, "")
    return [r for r in routes if not r.startswith(OWN_PASS) and r not in PROBES]


def _fill(route: str, hostile_name: str | None = None, hostile_value: str = "") -> str:
    def value(match):
        if match["name"] == hostile_name:
            return hostile_value
        return _PLAIN.get(match["kind"] or "str", "x")

    return "/" + _CONVERTER.sub(value, route)


@pytest.fixture
def followed_cases(walk, agency_a, centre, settings):
    """A client that has opened two answered cases: one to rate, one rated "dissatisfied"."""
    settings.COMPLAINTS_INTAKE_LIMIT = settings.COMPLAINTS_FOLLOW_LIMIT = 10**6
    from complaints.models import ComplaintCategory

    kind = ComplaintCategory.objects.get(code="attitude")
    web, urls = client(), []
    for rating in ("", Complaint.Rating.DISSATISFIED):
        submitted = submit(agency=agency_a, category=kind)
        complaint = walk(submitted.complaint, Complaint.State.REPLIED)
        if rating:
            complaint_rate(complaint=complaint, rating=rating)
        opened = web.post(
            reverse("complaints:follow"),
            {"tracking_no": complaint.tracking_no, "query_code": submitted.query_code},
        )
        assert opened.status_code == 302
        urls.append(opened["Location"])
    return web, urls


def _send_form(web, form: dict, url: str, field: str, text: str):
    values = {**form["fields"], field: text}
    if form["multipart"]:
        return lambda: web.post(url, multipart_body(values), content_type=MULTIPART)
    return lambda: web.post(url, form_body(values), content_type=FORM)


def _ask_page(findings: Findings, web, url: str, recorder, seen_forms: set) -> None:
    recorder.asked = set()
    findings.asked += 1
    baseline = web.get(url)
    if baseline.status_code >= 500:
        findings.lines.append(f"GET {url}: HTTP {baseline.status_code}")
        return
    path, base_query = urlsplit(url).path, dict(QueryDict(urlsplit(url).query).items())
    html = baseline.content.decode(errors="replace") if b"<" in baseline.content[:512] else ""
    page = page_forms_and_links(html)
    keys = set(recorder.asked) | query_keys_of_links(page.links, path)
    for form in page.forms:
        if form["method"] == "get" and urlsplit(form["action"]).path in ("", path):
            keys |= set(form["fields"])
    for key in sorted(keys - set(base_query)):
        for hostile in HOSTILE:
            target = f"{path}?{query_string(base_query, key, hostile)}"
            findings.ask(f"GET {path} {key}={hostile}", lambda t=target: web.get(t))
    for form in page.forms:
        action = iri_to_uri(form["action"]) or url
        signature = (urlsplit(action).path, tuple(sorted(form["fields"])))
        if form["method"] != "post" or signature in seen_forms:
            continue
        seen_forms.add(signature)
        for field in sorted(set(form["fields"]) - {"csrfmiddlewaretoken"}):
            for hostile in HOSTILE:
                findings.ask(
                    f"POST {action} {field}={hostile}",
                    _send_form(web, form, action, field, hostile.text),
                )
        for field in form["files"]:
            for hostile in HOSTILE:
                if "\ud800" in hostile.text:  # the test client cannot write it in a header
                    continue
                upload = SimpleUploadedFile(hostile.text[:200] or "x", b"%PDF-1.4\n%%EOF\n")
                values = {**form["fields"], field: upload}
                findings.ask(
                    f"POST {action} {field}=<file named {hostile}>",
                    lambda values=values, action=action: web.post(action, values),
                )


def test_no_public_page_fails_on_hostile_parameters_or_fields(
    followed_cases, recorded_get_keys, agency_a
):
    web, case_urls = followed_cases
    findings, seen_forms = Findings(), set()
    routes = page_routes()
    assert "complaints/public/<str:tracking_no>/" in routes
    for route in routes:
        _ask_page(findings, web, _fill(route), recorded_get_keys, seen_forms)
        for match in _CONVERTER.finditer(route):
            for hostile in HOSTILE:
                url = _fill(route, match["name"], hostile.query)
                findings.ask(f"GET /{route} <{match['name']}>={hostile}", lambda u=url: web.get(u))
    for url in case_urls:  # the follow page with a case open: rating and reopening forms
        _ask_page(findings, web, url, recorded_get_keys, seen_forms)
    posted = {action for action, _fields in seen_forms}
    assert {reverse("complaints:intake"), reverse("complaints:follow_rate")} <= posted
    assert reverse("complaints:follow_reopen") in posted
    assert not findings.lines, findings.report()


def test_the_fuzz_pass_builds_hostile_urls_it_means():
    """The harness itself: a hostile path segment and query value arrive as sent."""
    assert _fill("complaints/public/<str:tracking_no>/", "tracking_no", "%00") == (
        "/complaints/public/%00/"
    )
    assert query_string({"a": "1"}, "q", HOSTILE[0]) == "a=1&q=%00"
