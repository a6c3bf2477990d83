import datetime as dt

import pytest
from django.utils import timezone

from organizations import services
from organizations.models import DutyStatus, KeyPost
from tests.conftest import login


@pytest.mark.django_db
def test_home_links_every_public_feature(citizen_client):
    html = citizen_client.get("/").content.decode()
    for url in ("/key-posts/", "/on-duty/", "/agencies/"):
        assert f'href="{url}' in html


@pytest.mark.django_db
def test_key_post_is_published_with_how_to_complain(citizen_client, agency_a, clerk_a):
    KeyPost.objects.create(
        agency=agency_a,
        title="行政许可受理岗",
        holder=clerk_a.staff_profile,
        duties="受理食品经营许可申请",
        powers="受理、补正告知",
        complaint_channel="拨打 12345 或在本站投诉",
    )
    KeyPost.objects.create(
        agency=agency_a,
        title="内部岗位",
        duties="-",
        powers="-",
        complaint_channel="-",
        is_published=False,
    )
    html = citizen_client.get("/key-posts/", {"agency": agency_a.pk}).content.decode()
    assert "行政许可受理岗" in html and "拨打 12345 或在本站投诉" in html
    assert "内部岗位" not in html


@pytest.mark.django_db
def test_duty_board_shows_status_set_by_staff_today(citizen_client, agency_a, clerk_a):
    services.duty_status_set(
        actor=clerk_a,
        staff=clerk_a.staff_profile,
        status=DutyStatus.Status.MEETING,
        date=timezone.localdate(),
        note="参加全市效能会议",
    )
    html = citizen_client.get(f"/on-duty/{agency_a.pk}/").content.decode()
    assert "开会" in html and "参加全市效能会议" in html


@pytest.mark.django_db
def test_yesterdays_status_is_not_shown_today(citizen_client, agency_a, clerk_a):
    services.duty_status_set(
        actor=clerk_a,
        staff=clerk_a.staff_profile,
        status=DutyStatus.Status.LEAVE,
        date=timezone.localdate() - dt.timedelta(days=1),
        note="病假",
    )
    html = citizen_client.get(f"/on-duty/{agency_a.pk}/").content.decode()
    assert "病假" not in html


@pytest.mark.django_db
def test_clerk_cannot_set_duty_status_of_another_agency(clerk_a, clerk_b):
    from efficiency_portal.errors import ApplicationError

    with pytest.raises(ApplicationError, match="无权管理"):
        services.duty_status_set(
            actor=clerk_a, staff=clerk_b.staff_profile, status="leave", date=timezone.localdate()
        )
    assert not DutyStatus.objects.exists()


@pytest.mark.django_db
def test_admin_duty_form_refuses_colleague_of_other_agency(clerk_a, clerk_b):
    response = login(clerk_a).post(
        "/admin/organizations/dutystatus/add/",
        {
            "staff": clerk_b.staff_profile.pk,
            "date": timezone.localdate().isoformat(),
            "status": "leave",
            "note": "x",
        },
    )
    assert response.status_code == 200  # the form comes back with an error, nothing saved
    assert not DutyStatus.objects.exists()
