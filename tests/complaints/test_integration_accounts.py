"""接入账号 without a Python shell: made, shown once, rotated and revoked in the admin or with
``manage.py integration_account``, by the office or a system administrator only; the admin
shows when each account was last used."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone
from rest_framework.authtoken.models import Token

from complaints.integrations import accounts
from complaints.models import IntegrationAccount
from efficiency_portal.errors import ApplicationError
from organizations.models import AgencyCategory, AuditEvent
from organizations.roles import Role
from tests.complaints.api_support import token_client
from tests.conftest import login, make_agency, make_staff

pytestmark = pytest.mark.django_db

ADD = "/admin/complaints/integrationaccount/add/"
LIST = "/admin/complaints/integrationaccount/"


@pytest.fixture
def sysadmin(db):
    centre = make_agency(name="市大数据中心", category=AgencyCategory.objects.get(code="party"))
    return make_staff(agency=centre, roles=[Role.SYSADMIN], name="周系统")


def _change(account) -> str:
    return reverse("admin:complaints_integrationaccount_change", args=[account.pk])


def _rotate(account) -> str:
    return reverse("admin:complaints_integrationaccount_rotate", args=[account.pk])


def _revoke(account) -> str:
    return reverse("admin:complaints_integrationaccount_revoke", args=[account.pk])


def test_the_office_creates_an_account_in_the_admin_and_sees_its_token_once(office_user, agency_a):
    client = login(office_user)
    response = client.post(ADD, {"name": "市场监管业务系统", "agency": agency_a.pk})
    assert response.status_code == 200
    account = IntegrationAccount.objects.get(name="市场监管业务系统")
    key = Token.objects.get(user=account.user).key
    page = response.content.decode()
    assert key in page and "该密钥只显示这一次" in page
    assert "no-store" in response["Cache-Control"]
    assert account.agency == agency_a and account.created_by == office_user
    assert account.user.has_perm("complaints.add_complaint") and not account.user.is_staff
    # Never shown again: not on the account's page, not in the list.
    assert key not in client.get(_change(account)).content.decode()
    assert key not in client.get(LIST).content.decode()
    event = AuditEvent.objects.get(verb="integration_account.create")
    assert event.actor == office_user and event.subject_id == str(account.pk)
    assert key not in str(event.data)


def test_a_system_administrator_rotates_a_token_and_the_old_one_stops_at_once(sysadmin):
    old = accounts.integration_account_create(actor=None, name="12345热线")
    account = old.user.integration_account
    client = login(sysadmin)
    assert client.get(_rotate(account)).status_code == 405  # a GET changes nothing
    response = client.post(_rotate(account))
    assert response.status_code == 200
    new = Token.objects.get(user=account.user)
    assert new.key != old.key and new.key in response.content.decode()
    assert not Token.objects.filter(key=old.key).exists()
    filed = client_post_open311(old.key)
    assert filed.status_code == 403
    account.refresh_from_db()
    assert account.rotated_at is not None
    event = AuditEvent.objects.get(verb="integration_account.rotate")
    assert event.actor == sysadmin and new.key not in str(event.data)


def client_post_open311(key: str):
    from django.test import Client

    return Client().post(
        "/open311/v2/requests.json",
        {"api_key": key, "service_code": "efficiency", "description": "测试"},
    )


def test_revoking_an_account_withdraws_its_token_and_keeps_the_row(sysadmin, agency_a):
    token = accounts.integration_account_create(actor=None, name="甲系统", agency=agency_a)
    account = token.user.integration_account
    response = login(sysadmin).post(_revoke(account))
    assert response.status_code == 302
    account.refresh_from_db()
    assert account.is_revoked and account.revoked_by == sysadmin
    assert not account.user.is_active
    assert not Token.objects.filter(user=account.user).exists()
    assert token_client(token).get("/api/v1/complaints/").status_code == 401
    assert AuditEvent.objects.filter(verb="integration_account.revoke", actor=sysadmin).exists()
    with pytest.raises(ApplicationError, match="已停用，不能更换密钥"):
        accounts.integration_account_rotate(actor=sysadmin, account=account)


def test_a_clerk_can_neither_see_nor_make_nor_rotate_nor_revoke_accounts(clerk_a, agency_a):
    token = accounts.integration_account_create(actor=None, name="甲系统", agency=agency_a)
    account = token.user.integration_account
    client = login(clerk_a)
    assert client.get(LIST).status_code == 403
    assert client.post(ADD, {"name": "越权系统"}).status_code == 403
    assert client.post(_rotate(account)).status_code == 403
    assert client.post(_revoke(account)).status_code == 403
    assert Token.objects.get(user=account.user).key == token.key
    assert not IntegrationAccount.objects.filter(name="越权系统").exists()
    with pytest.raises(ApplicationError) as refused:
        accounts.integration_account_create(actor=clerk_a, name="越权系统")
    assert refused.value.message == "只有效能办或系统管理员可以管理接入账号。"
    with pytest.raises(ApplicationError, match="只有效能办或系统管理员可以管理接入账号。"):
        accounts.integration_account_revoke(actor=clerk_a, account=account)
    account.refresh_from_db()
    assert not account.is_revoked


def test_the_admin_shows_when_each_account_was_last_used(office_user, agency_a):
    token = accounts.integration_account_create(actor=None, name="甲系统", agency=agency_a)
    account = token.user.integration_account
    assert account.last_used_at is None
    assert token_client(token).get("/api/v1/complaints/").status_code == 200
    account.refresh_from_db()
    assert account.last_used_at is not None
    html = login(office_user).get(LIST).content.decode()
    assert "最近使用时间" in html
    assert timezone.localtime(account.last_used_at).strftime("%Y") in html


def test_last_use_is_written_at_most_once_a_minute_per_account(agency_a):
    token = accounts.integration_account_create(actor=None, name="甲系统", agency=agency_a)
    account = token.user.integration_account
    first = timezone.now()
    accounts.integration_account_seen(user_id=account.user_id, at=first)
    accounts.integration_account_seen(user_id=account.user_id, at=first + dt.timedelta(seconds=59))
    account.refresh_from_db()
    assert account.last_used_at == first
    later = first + dt.timedelta(seconds=61)
    accounts.integration_account_seen(user_id=account.user_id, at=later)
    account.refresh_from_db()
    assert account.last_used_at == later


def test_open311_api_key_use_is_recorded_as_last_use(agency_a, centre):
    token = accounts.integration_account_create(actor=None, name="12345热线")
    response = client_post_open311(token.key)
    assert response.status_code == 400  # no agency attribute: refused after the key was accepted
    assert IntegrationAccount.objects.get(user=token.user).last_used_at is not None


def test_the_command_creates_lists_rotates_and_revokes_accounts(agency_a):
    out = io.StringIO()
    call_command(
        "integration_account", "create", "市场监管业务系统", agency=agency_a.code, stdout=out
    )
    account = IntegrationAccount.objects.get(name="市场监管业务系统")
    first_key = out.getvalue().strip().splitlines()[-1]
    assert Token.objects.get(user=account.user).key == first_key
    assert account.agency == agency_a
    out = io.StringIO()
    call_command("integration_account", "list", stdout=out)
    assert f"{account.pk}\t市场监管业务系统\t{agency_a.code}\tactive" in out.getvalue()
    out = io.StringIO()
    call_command("integration_account", "rotate", str(account.pk), stdout=out)
    second_key = out.getvalue().strip().splitlines()[-1]
    assert second_key != first_key and Token.objects.get(user=account.user).key == second_key
    call_command("integration_account", "revoke", str(account.pk), stdout=io.StringIO())
    account.refresh_from_db()
    assert account.is_revoked
    verbs = set(
        AuditEvent.objects.filter(subject_id=str(account.pk)).values_list("verb", flat=True)
    )
    assert {"integration_account.create", "integration_account.rotate"} <= verbs
    assert "integration_account.revoke" in verbs


def test_the_command_refuses_an_unknown_agency_and_an_unknown_account(db):
    with pytest.raises(CommandError, match="no active agency with code 'NOPE'"):
        call_command("integration_account", "create", "某系统", agency="NOPE")
    with pytest.raises(CommandError, match="no integration account with id 999999"):
        call_command("integration_account", "rotate", "999999")
    assert not IntegrationAccount.objects.exists()
