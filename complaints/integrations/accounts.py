"""Integration accounts (接入系统): the users other systems authenticate as.

An integration account is a user that may not log into the admin (``is_staff`` is
off, no usable password) and holds a DRF token. What it may do is plain Django
permissions, so the scoping rule of the whole portal applies unchanged:

* ``complaints.add_complaint`` — file complaints (REST and Open311 ``api_key``).
  No staff role holds it: staff never file on a citizen's behalf through the API.
* ``complaints.view_complaint`` plus a staff profile in an agency — read the
  complaints that agency may see (``complaints.selectors``), with the
  complainant's identity hidden unless they consented (``complaints.privacy``).

A city-wide intake channel (e.g. the 12345 hotline) is created without an
agency: it may file against any agency and reads nothing.

Accounts are made, rotated and revoked by the efficiency office or a system
administrator — in the admin (接入账号) or with ``manage.py integration_account`` —
and each of those is audited. The token is shown once, when made or rotated; the
admin shows when each account was last used (``integration_account_seen``).
"""

from __future__ import annotations

import datetime as dt
import secrets

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework.authtoken.models import Token

from complaints.models import IntegrationAccount
from efficiency_portal.errors import ApplicationError
from organizations import services as org_services
from organizations.audit import audit, changes
from organizations.models import Agency

FILE_PERMISSION = "complaints.add_complaint"
READ_PERMISSION = "complaints.view_complaint"
# How stale "last used" may be: one write per account per minute at most, however busy.
# A technical trade-off (telemetry resolution), not a business number.
LAST_USED_RESOLUTION = dt.timedelta(minutes=1)


def may_file(user) -> bool:
    if not (user and user.is_authenticated):
        return False
    known = getattr(
        user, "may_file_complaints", None
    )  # set by complaints.integrations.auth, one query
    return known if known is not None else user.has_perm(FILE_PERMISSION)


def _require_manager(actor, action: str) -> None:
    """The office and system administrators hold these permissions; ``None`` is manage.py."""
    if actor is None or actor.has_perm(f"complaints.{action}_integrationaccount"):
        return
    raise ApplicationError(
        _("只有效能办或系统管理员可以管理接入账号。"), code="forbidden", field=None
    )


def _clean_name(name: str) -> str:
    name = (name or "").strip()
    if not name:
        raise ApplicationError(_("请填写接入系统名称。"), code="required", field="name")
    if len(name) > 80:
        raise ApplicationError(_("接入系统名称最多 80 字。"), code="too_long", field="name")
    return name


@transaction.atomic
def integration_account_create(
    *, actor, name: str, agency: Agency | None = None, username: str | None = None
) -> Token:
    """Create an integration account and its token; ``agency`` gives it that agency's read scope.

    The returned token's key is shown to the operator once and never again.
    """
    _require_manager(actor, "add")
    name = _clean_name(name)
    username = username or f"api-{secrets.token_hex(4)}"
    if agency is not None:
        profile = org_services.staff_create(
            actor=actor, username=username, name=name, agency=agency, roles=[]
        )
        user = profile.user
    else:
        user = get_user_model().objects.create(username=username)
        user.set_unusable_password()
    user.is_staff = False  # an integration account never opens the admin
    user.save()
    codenames = ["add_complaint"] + (["view_complaint"] if agency is not None else [])
    user.user_permissions.add(
        *Permission.objects.filter(content_type__app_label="complaints", codename__in=codenames)
    )
    account = IntegrationAccount.objects.create(
        user=user, name=name, agency=agency, created_by=_person(actor)
    )
    token = Token.objects.create(user=user)
    audit(
        actor=actor,
        verb="integration_account.create",
        subject=account,
        agency=agency,
        data={
            "name": name,
            "user": user.pk,
            "permissions": codenames,
            "changes": changes({}, {"name": name, "agency": agency.pk if agency else None}),
        },
    )
    return token


def _locked(account: IntegrationAccount) -> IntegrationAccount:
    return IntegrationAccount.objects.select_for_update().select_related("user").get(pk=account.pk)


@transaction.atomic
def integration_account_rotate(*, actor, account: IntegrationAccount) -> Token:
    """A new token for the account; the old one stops working at once. Shown once."""
    _require_manager(actor, "change")
    account = _locked(account)
    if account.is_revoked:
        raise ApplicationError(
            _("接入账号“%(name)s”已停用，不能更换密钥。") % {"name": account.name},
            code="revoked",
        )
    Token.objects.filter(user=account.user).delete()
    token = Token.objects.create(user=account.user)
    before, account.rotated_at = account.rotated_at, timezone.now()
    account.save(update_fields=["rotated_at"])
    audit(
        actor=actor,
        verb="integration_account.rotate",
        subject=account,
        agency=account.agency,
        data={
            "changes": {
                "token": ["***", "***"],
                "rotated_at": _iso_pair(before, account.rotated_at),
            }
        },
    )
    return token


@transaction.atomic
def integration_account_revoke(*, actor, account: IntegrationAccount) -> IntegrationAccount:
    """Withdraw the account: its token is deleted and the user deactivated (kept for the records)."""
    _require_manager(actor, "change")
    account = _locked(account)
    if account.is_revoked:
        return account
    Token.objects.filter(user=account.user).delete()
    account.user.is_active = False
    account.user.save(update_fields=["is_active"])
    account.revoked_at, account.revoked_by = timezone.now(), _person(actor)
    account.save(update_fields=["revoked_at", "revoked_by"])
    audit(
        actor=actor,
        verb="integration_account.revoke",
        subject=account,
        agency=account.agency,
        data={
            "changes": {"revoked_at": _iso_pair(None, account.revoked_at), "token": ["***", None]}
        },
    )
    return account


@transaction.atomic
def integration_account_rename(
    *, actor, account: IntegrationAccount, name: str
) -> IntegrationAccount:
    _require_manager(actor, "change")
    name = _clean_name(name)
    account = _locked(account)
    if account.name == name:
        return account
    before, account.name = account.name, name
    account.save(update_fields=["name"])
    audit(
        actor=actor,
        verb="integration_account.update",
        subject=account,
        agency=account.agency,
        data={"changes": {"name": [before, name]}},
    )
    return account


def integration_account_seen(*, user_id: int, at: dt.datetime | None = None) -> None:
    """Telemetry: note that an account just authenticated (shown as 最近使用时间 in the admin).

    Not a state change anyone decides, so no audit row and no transaction of its own:
    one set-based ``UPDATE … WHERE last_used_at < at - 1 minute``, which writes a row at
    most once a minute per account however many requests it sends, and matches
    nothing (a primary-key probe, no write) in between. Two requests at the same moment
    may both write the same minute; either value is right.
    """
    at = at or timezone.now()
    IntegrationAccount.objects.filter(user_id=user_id).filter(
        Q(last_used_at__isnull=True) | Q(last_used_at__lt=at - LAST_USED_RESOLUTION)
    ).update(last_used_at=at)


def _person(actor):
    return actor if actor is not None and getattr(actor, "is_authenticated", False) else None


def _iso_pair(before, after) -> list:
    return [before.isoformat() if before else None, after.isoformat() if after else None]
