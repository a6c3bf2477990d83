"""通报: drafted on a schedule that is data, one per period however often the job runs, edited
and published by the office, public at /bulletins/ as HTML and PDF, anonymised."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone
from django_celery_beat.models import PeriodicTask

from complaints.models import Complaint
from efficiency_portal.errors import ApplicationError
from supervision import services
from supervision.models import Bulletin
from supervision.tasks import draft_bulletin
from tests.conftest import login
from tests.supervision.conftest import submit

pytestmark = pytest.mark.django_db


def last_week():
    return services.bulletins.week_of(timezone.localdate() - dt.timedelta(days=7))


def test_the_schedule_is_a_weekly_beat_row_in_the_database():
    task = PeriodicTask.objects.get(name="supervision-bulletin-weekly")
    assert task.task == "supervision.draft_bulletin" and task.enabled
    assert (task.crontab.day_of_week, task.crontab.hour) == ("1", "8")


def test_the_job_run_twice_drafts_one_bulletin_per_period():
    first = draft_bulletin()
    second = draft_bulletin()
    assert first == second
    start, end = last_week()
    bulletin = Bulletin.objects.get()
    assert (bulletin.period_start, bulletin.period_end) == (start, end)


def test_a_period_not_yet_over_is_refused():
    today = timezone.localdate()
    with pytest.raises(ApplicationError, match="尚未结束"):
        services.bulletin_draft(start=today, end=today + dt.timedelta(days=6))
    assert not Bulletin.objects.exists()


def test_upheld_complaints_are_listed_without_the_complainant(
    agency_a, attitude, centre, office_user, clerk_a
):
    from tests.complaints.conftest import to_state

    case = submit(agency=agency_a, category=attitude).complaint
    case = to_state(
        case, Complaint.State.HANDLING, office=office_user, clerk=clerk_a, agency=agency_a
    )
    from complaints import services as complaint_services

    complaint_services.complaint_conclude(
        complaint=case,
        actor=clerk_a,
        outcome=Complaint.Outcome.FOUNDED,
        findings="属实",
        remedies=[complaint_services.RemedySpec(kind="apology", against_agency=agency_a)],
    )
    start, end = last_week()
    Complaint.objects.filter(pk=case.pk).update(concluded_at=timezone.make_aware(
        dt.datetime.combine(start + dt.timedelta(days=1), dt.time(10))))  # fmt: skip
    bulletin = services.bulletin_draft(start=start, end=end)
    assert [u["tracking_no"] for u in bulletin.content["upheld"]] == [case.tracking_no]
    assert "王小明" not in str(bulletin.content) and "1391234" not in str(bulletin.content)


def test_the_office_edits_and_publishes_and_a_published_bulletin_is_frozen(office_user, client):
    bulletin = Bulletin.objects.get(pk=draft_bulletin())
    assert client.get(reverse("bulletins:detail", args=[bulletin.pk])).status_code == 404
    services.bulletin_edit(
        actor=office_user, bulletin=bulletin, title="第48周效能通报", summary="本周总体平稳。"
    )
    services.bulletin_publish(actor=office_user, bulletin=bulletin)
    with pytest.raises(ApplicationError, match="已发布的通报不能修改"):
        services.bulletin_edit(actor=office_user, bulletin=bulletin, title="改", summary="")
    listing = client.get(reverse("bulletins:list")).content.decode()
    assert "第48周效能通报" in listing
    page = client.get(reverse("bulletins:detail", args=[bulletin.pk])).content.decode()
    assert "本周总体平稳。" in page
    pdf = client.get(reverse("bulletins:pdf", args=[bulletin.pk]))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")


def test_only_the_office_edits_or_publishes(clerk_a, leader):
    bulletin = Bulletin.objects.get(pk=draft_bulletin())
    for actor in (clerk_a, leader):
        with pytest.raises(ApplicationError, match="只有效能办"):
            services.bulletin_publish(actor=actor, bulletin=bulletin)


def test_the_admin_publish_action_publishes(office_user):
    bulletin = Bulletin.objects.get(pk=draft_bulletin())
    url = reverse("admin:supervision_bulletin_changelist")
    response = login(office_user).post(
        url, {"action": "publish", "_selected_action": [bulletin.pk], "index": 0}
    )
    assert response.status_code == 302
    bulletin.refresh_from_db()
    assert bulletin.state == Bulletin.State.PUBLISHED
