"""Two members of staff acting on one case at once: exactly one wins (real threads, real PostgreSQL)."""

from __future__ import annotations

import threading
import time

import pytest
from django.db import connection, connections, transaction

from complaints import services
from complaints.models import Complaint, ComplaintEvent
from efficiency_portal.errors import ApplicationError
from organizations.roles import Role
from tests.complaints.conftest import submit, to_state
from tests.conftest import make_staff

S = Complaint.State


def _wait_until_blocked_on_a_lock(limit_seconds: float = 20.0) -> None:
    """Poll pg_stat_activity until another backend waits for a row lock (not a timing assertion)."""
    deadline = time.monotonic() + limit_seconds
    with connection.cursor() as cursor:
        while time.monotonic() < deadline:
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' "
                "AND datname = current_database()"
            )
            if cursor.fetchone()[0]:
                return
            time.sleep(0.01)
    raise AssertionError("the second worker never waited for the row lock")


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_clerks_signing_for_at_once_cannot_both_win(agency_a, office_user, centre):
    from complaints.models import ComplaintCategory

    clerk_1 = make_staff(agency=agency_a, roles=[Role.HANDLER], name="甲")
    clerk_2 = make_staff(agency=agency_a, roles=[Role.HANDLER], name="乙")
    complaint = submit(
        agency=agency_a, category=ComplaintCategory.objects.get(code="attitude")
    ).complaint
    complaint = to_state(complaint, S.ROUTED, office=office_user, clerk=clerk_1, agency=agency_a)

    first_holds_lock = threading.Event()
    release_first = threading.Event()
    outcomes: dict[str, object] = {}

    def first():
        try:
            with transaction.atomic():
                services.complaint_sign_for(complaint=complaint, actor=clerk_1)
                first_holds_lock.set()
                release_first.wait(30)
            outcomes["first"] = "won"
        except ApplicationError as exc:  # pragma: no cover - would mean the order flipped
            outcomes["first"] = exc
        finally:
            first_holds_lock.set()
            connections.close_all()

    def second():
        first_holds_lock.wait(30)
        try:
            services.complaint_sign_for(complaint=complaint, actor=clerk_2)
            outcomes["second"] = "won"
        except ApplicationError as exc:
            outcomes["second"] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    threads[0].start()
    first_holds_lock.wait(30)
    threads[1].start()
    _wait_until_blocked_on_a_lock()
    release_first.set()
    for t in threads:
        t.join(30)

    assert outcomes["first"] == "won"
    assert isinstance(outcomes["second"], ApplicationError)
    assert outcomes["second"].message == (
        f"投诉 {complaint.tracking_no} 当前状态为“办理中”，不能签收。"
    )
    complaint.refresh_from_db()
    assert complaint.responsible == clerk_1
    assert ComplaintEvent.objects.filter(complaint=complaint, verb="sign_for").count() == 1


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_double_click_racing_on_two_connections_files_once_and_keeps_one_copy_of_its_file(
    agency_a, centre, settings
):
    from pathlib import Path

    from django.core.files.uploadedfile import SimpleUploadedFile

    from complaints.models import Attachment, ComplaintCategory

    category = ComplaintCategory.objects.get(code="attitude")
    start = threading.Barrier(2)
    results = []

    def click():
        try:
            photo = SimpleUploadedFile("photo.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 64)
            start.wait(10)
            results.append(
                submit(agency=agency_a, category=category, submission_key="race-1", files=[photo])
            )
        finally:
            connections.close_all()

    threads = [threading.Thread(target=click) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)

    assert len(results) == 2
    assert {r.complaint.pk for r in results} == {Complaint.objects.get().pk}
    assert len({r.query_code for r in results}) == 1
    assert sorted(r.created for r in results) == [False, True]
    stored = [p for p in Path(settings.COMPLAINTS_FILES_ROOT).rglob("*") if p.is_file()]
    assert [Path(a.file.path) for a in Attachment.objects.all()] == stored
