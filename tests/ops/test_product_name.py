"""One product name throughout: the site header, page titles, the admin header and title,
the printed documents and e-mail all say the same name, in the reader's language."""

from __future__ import annotations

import re
import uuid

from django.core import mail
from django.test import Client

from efficiency_portal.branding import PRODUCT_NAME
from tests.conftest import login
from timelimits.backends import EmailBackend

ZH = "机关效能建设服务平台"
EN = "Government Efficiency Portal"


def _english(client: Client) -> Client:
    client.cookies["django_language"] = "en"
    return client


def test_the_product_name_is_the_site_header_and_in_every_page_title(db):
    for url in ("/", "/key-posts/", "/complaints/new/", "/complaints/follow/"):
        html = Client().get(url).content.decode()
        assert f'<a class="brand" href="/">{ZH}</a>' in html, url
        title = re.search(r"<title>(.*?)</title>", html, re.S).group(1)
        assert title.strip().endswith(ZH), (url, title)
    assert f'<a class="brand" href="/">{EN}</a>' in _english(Client()).get("/").content.decode()


def test_the_product_name_is_the_admin_header_and_title(office_user):
    html = login(office_user).get("/admin/").content.decode()
    assert re.search(rf'<div id="site-name"><a href="/admin/">{ZH}</a></div>', html)
    assert f"| {ZH}</title>" in html
    english = _english(login(office_user)).get("/admin/").content.decode()
    assert f'<a href="/admin/">{EN}</a>' in english


def test_mail_names_the_product_in_its_subject_and_signature(db, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    EmailBackend().deliver(
        to="wang@example.com",
        subject="红灯",
        body="已超期",
        idempotency_key=uuid.uuid4().hex,  # once per key, ever
    )
    message = mail.outbox[-1]
    assert message.subject == f"【{ZH}】红灯"
    assert message.body.startswith("已超期") and f"-- \n{ZH}\n" in message.body


def test_a_city_renames_the_product_in_one_setting(db, settings):
    settings.PRODUCT_NAME = "东湖市效能服务平台"
    assert str(PRODUCT_NAME) == "东湖市效能服务平台"
    assert '<a class="brand" href="/">东湖市效能服务平台</a>' in Client().get("/").content.decode()


def test_the_admin_greets_staff_by_their_name_not_their_account(office_user):
    html = login(office_user).get("/admin/").content.decode()
    assert '<strong id="staff-name">赵效能</strong>' in html
    assert f"<strong>{office_user.username}</strong>" not in html
