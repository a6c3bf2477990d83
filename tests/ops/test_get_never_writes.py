"""A GET never changes state: no page, admin page, document, file or API read writes a row.

A portal with a case at work (evidence, an extension, a notice, a closed case on the
public pages, an integration account) is walked as a superuser: every routed URL that
takes no argument, every registered admin's list, add, change, history and
delete-confirmation pages, and then every internal link those pages show (case
buttons, documents, files, public cases, filters …), up to a bound. Each GET runs
under ``CaptureQueriesContext``; an INSERT, UPDATE or DELETE on any table but the
session and django-axes' login records fails the test with the URL and the tables.

Opening a notice used to mark it read; that is now a POST (``notifications_mark_read``).
"""

from __future__ import annotations

import re
from collections import Counter
from urllib.parse import urljoin, urlsplit

import pytest
from django.contrib import admin
from django.contrib.admin.utils import quote
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from complaints import services
from complaints.integrations.accounts import integration_account_create
from complaints.models import Complaint, ComplaintCategory
from organizations.models import AgencyCategory
from tests.admin_walk import writes
from tests.complaints.conftest import submit, to_state
from tests.conftest import login, make_agency
from timelimits.outbox import notify

pytestmark = pytest.mark.django_db

S = Complaint.State
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
# A bound on the walk, which is breadth-first and visits at most ROWS_PER_KIND pages of
# one kind (the same path with other ids); the portal built below needs about 300.
MAX_PAGES = 600
ROWS_PER_KIND = 3
SKIP = ("/static/", "/admin/logout/", "/i18n/", "/api/docs/", "/api/schema/")
_HREF = re.compile(r'href="([^"#]+)"')


@pytest.fixture
def lived_in(admin_user, office_user, clerk_a, agency_a, settings, tmp_path):
    """A portal at work: cases at several steps, files, an extension, notices, an account."""
    settings.COMPLAINTS_FILES_ROOT = tmp_path / "private"
    # 投诉中心 (COMPLAINTS_OFFICE_AGENCY_CODE) owns the intake clocks.
    make_agency(
        name="市效能投诉中心", category=AgencyCategory.objects.get(code="party"), code="P-XNB"
    )
    attitude = ComplaintCategory.objects.get(code="attitude")

    def walk(complaint, state):
        return to_state(complaint, state, office=office_user, clerk=clerk_a, agency=agency_a)

    handling = walk(submit(agency=agency_a, category=attitude).complaint, S.HANDLING)
    services.complaint_add_evidence(
        complaint=handling,
        actor=clerk_a,
        files=[SimpleUploadedFile("现场.png", PNG, content_type="image/png")],
    )
    services.complaint_request_extension(complaint=handling, actor=clerk_a, reason="需调取材料。")
    walk(submit(agency=agency_a, category=attitude).complaint, S.CLOSED)
    services.complaint_reject(
        complaint=submit(agency=agency_a, category=attitude).complaint,
        actor=office_user,
        reason="属于信访事项。",
    )
    notify(recipient=admin_user, subject="您有一件投诉待签收", dedupe_key="walk:1")
    integration_account_create(actor=None, name="甲系统", agency=agency_a)
    return handling


def _plain_routes(patterns, prefix: str = ""):
    """Paths of routed URLs that take no argument (admin pages are walked on their own)."""
    for entry in patterns:
        route = prefix + str(entry.pattern).lstrip("^").rstrip("$")
        if isinstance(entry, URLResolver):
            if not route.startswith("admin/"):
                yield from _plain_routes(entry.url_patterns, route)
        elif isinstance(entry, URLPattern) and "<" not in route and "(?P" not in route:
            yield "/" + route.replace("\\", "")


def _admin_pages(user) -> list[str]:
    from django.test import RequestFactory

    request = RequestFactory().get("/")
    request.user = user
    pages = [reverse("admin:index")]
    for model, model_admin in admin.site._registry.items():
        name = f"admin:{model._meta.app_label}_{model._meta.model_name}"
        pages.append(reverse(f"{name}_changelist"))
        if model_admin.has_add_permission(request):
            pages.append(reverse(f"{name}_add"))
        row = model_admin.get_queryset(request).order_by("-pk").first()
        if row is not None:
            for view in ("change", "history", "delete"):
                pages.append(reverse(f"{name}_{view}", args=[quote(row.pk)]))
    return pages


def _kind(url: str) -> str:
    """Pages that differ in their query (filters, ordering, search) or row id run the same view."""
    return re.sub(r"\d+", "N", urlsplit(url).path)


def test_no_get_writes_a_row(lived_in, admin_client, admin_user):
    handling = lived_in
    start = [
        *_plain_routes(get_resolver().url_patterns),
        *_admin_pages(admin_user),
        f"/complaints/public/{Complaint.objects.filter(state=S.CLOSED).get().tracking_no}/",
        f"/complaints/follow/?no={handling.tracking_no}&code=wrong-code",
        reverse("admin:complaints_complaint_change", args=[handling.pk]),
    ]
    queue, seen, done, offenders = list(start), Counter(), set(), []
    while queue and len(done) < MAX_PAGES:
        url = queue.pop(0)
        # The start pages are walked as given (the follow page needs its query); of the
        # rest, a few rows of each kind (cases in different states render differently).
        if url in done or url.startswith(SKIP):
            continue
        if url not in start and seen[_kind(url)] >= ROWS_PER_KIND:
            continue
        seen[_kind(url)] += 1
        done.add(url)
        with CaptureQueriesContext(connection) as captured:
            try:
                response = admin_client.get(url)
            except Exception as exc:
                raise AssertionError(f"GET {url} failed: {exc!r}") from exc
        written = writes(captured)
        if written:
            offenders.append(f"{url} → {sorted(set(written))}")
        if response.status_code == 200 and "html" in response.get("Content-Type", ""):
            for href in _HREF.findall(response.content.decode(errors="replace")):
                target = urljoin(url, href.replace("&amp;", "&"))
                if target.startswith("/") and not target.startswith("//"):
                    queue.append(target)
    assert len(done) > 150, f"the walk reached only {len(done)} pages"
    assert not offenders, "GET requests that wrote rows:\n" + "\n".join(offenders)


def test_opening_a_notice_leaves_it_unread(lived_in, admin_user):
    from timelimits.models import Notification

    notice = Notification.objects.get(recipient=admin_user, dedupe_key="walk:1")
    client = login(admin_user)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse("admin:timelimits_notification_change", args=[notice.pk]))
    assert response.status_code == 200
    assert writes(captured) == []
    notice.refresh_from_db()
    assert notice.read_at is None
