"""Every notice links to its case; opening it (a POST) marks it read and lands there; only its own."""

from __future__ import annotations

from django.test import Client

from tests.conftest import login
from timelimits.models import Notification
from timelimits.services import notify

CASE = "/admin/organizations/agency/1/change/"


def _notice(user, key="t:1", link=CASE) -> Notification:
    notify(recipient=user, subject="您有一件投诉待签收", dedupe_key=key, link=link)
    return Notification.objects.get(recipient=user, dedupe_key=key)


def test_opening_a_notice_marks_it_read_and_lands_on_its_case(clerk_a):
    notice = _notice(clerk_a)
    client = login(clerk_a)
    html = client.get("/admin/timelimits/notification/").content.decode()
    assert f'formaction="/admin/timelimits/notification/{notice.pk}/open/"' in html
    response = client.post(f"/admin/timelimits/notification/{notice.pk}/open/")
    assert response.status_code == 302 and response["Location"] == CASE
    notice.refresh_from_db()
    assert notice.read_at is not None


def test_opening_a_notice_is_a_post_with_csrf(clerk_a):
    notice = _notice(clerk_a)
    assert (
        login(clerk_a).get(f"/admin/timelimits/notification/{notice.pk}/open/").status_code == 405
    )
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(clerk_a)
    assert strict.post(f"/admin/timelimits/notification/{notice.pk}/open/").status_code == 403
    notice.refresh_from_db()
    assert notice.read_at is None


def test_a_notice_of_another_user_cannot_be_opened(clerk_a, clerk_b):
    theirs = _notice(clerk_b)
    response = login(clerk_a).post(f"/admin/timelimits/notification/{theirs.pk}/open/")
    assert response.status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_a_notice_with_an_outside_link_opens_its_own_page(clerk_a):
    notice = _notice(clerk_a, link="https://evil.example/phish")
    response = login(clerk_a).post(f"/admin/timelimits/notification/{notice.pk}/open/")
    assert response["Location"] == f"/admin/timelimits/notification/{notice.pk}/change/"


def test_the_notice_page_offers_to_open_its_case(clerk_a):
    notice = _notice(clerk_a)
    html = login(clerk_a).get(f"/admin/timelimits/notification/{notice.pk}/change/").content
    assert f"/admin/timelimits/notification/{notice.pk}/open/" in html.decode()
    notice.refresh_from_db()
    assert notice.read_at is None  # a GET changes nothing


def test_mark_all_read_marks_only_my_notices(clerk_a, clerk_b):
    mine = [_notice(clerk_a, key=f"t:{n}") for n in range(3)]
    theirs = _notice(clerk_b)
    client = login(clerk_a)
    assert "全部标为已读" in client.get("/admin/timelimits/notification/").content.decode()
    response = client.post("/admin/timelimits/notification/read-all/")
    assert response.status_code == 302
    assert all(Notification.objects.get(pk=n.pk).read_at for n in mine)
    assert Notification.objects.get(pk=theirs.pk).read_at is None
    assert login(clerk_a).get("/admin/timelimits/notification/read-all/").status_code == 405


def test_the_admin_header_shows_the_unread_count(clerk_a):
    _notice(clerk_a, key="t:1")
    _notice(clerk_a, key="t:2")
    page = "/admin/timelimits/deadline/"  # any admin page
    html = login(clerk_a).get(page).content.decode()
    assert (
        '<a href="/admin/timelimits/notification/?unread=1" id="unread-link">通知（2 条未读）</a>'
        in html
    )
    english = login(clerk_a).get(page, headers={"accept-language": "en"}).content.decode()
    assert "Notices (2 unread)" in english
