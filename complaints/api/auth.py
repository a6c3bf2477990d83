"""Token authentication for integration accounts that also answers "may it file?" in one query.

DRF's ``TokenAuthentication`` reads the token and user (one query), then
``user.has_perm`` loads the user's and the groups' permissions (two more). On
the intake path, which other systems call at volume, the permission is
read with the token in one raw query (an ``EXISTS`` over direct and group
grants), saving two round trips and the ORM's compilation a request. Anything else still asks
``has_perm`` as usual.
"""

from __future__ import annotations

import threading
import time

from django.contrib.auth import get_user_model
from django.db import connection
from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.plumbing import build_bearer_security_scheme_object
from rest_framework.authentication import TokenAuthentication
from rest_framework.authtoken.models import Token
from rest_framework.exceptions import AuthenticationFailed

from complaints.api import accounts
from complaints.api.accounts import FILE_PERMISSION
from efficiency_portal.rowgraph import Guard, Sql

_APP, _CODENAME = FILE_PERMISSION.split(".")


# Raw SQL because the ORM spelling of this query (two Exists annotations over the
# permission joins) cost ~3 ms of Python compilation per request, more than the rest
# of the intake's queries together; PostgreSQL runs it in ~0.1 ms.
_SQL = """
SELECT t.created AS token_created, u.*,
       EXISTS (SELECT 1 FROM auth_user_user_permissions up
               WHERE up.user_id = u.id AND up.permission_id = (SELECT id FROM grant_id))
    OR EXISTS (SELECT 1 FROM auth_user_groups ug
               JOIN auth_group_permissions gp ON gp.group_id = ug.group_id
               WHERE ug.user_id = u.id AND gp.permission_id = (SELECT id FROM grant_id))
       AS may_file_granted
FROM authtoken_token t JOIN {user_table} u ON u.id = t.user_id
WHERE t.key = %s
"""
_GRANT = """
WITH grant_id AS (SELECT p.id FROM auth_permission p
                  JOIN django_content_type c ON c.id = p.content_type_id
                  WHERE c.app_label = %s AND p.codename = %s)
"""


def token_with_file_permission(key: str) -> Token | None:
    """The token of ``key`` with its user, and ``user.may_file_complaints`` set; None if unknown."""
    User = get_user_model()
    sql = _GRANT + _SQL.format(user_table=connection.ops.quote_name(User._meta.db_table))
    user = next(iter(User.objects.raw(sql, [_APP, _CODENAME, key])), None)
    if user is None:
        return None
    user.may_file_complaints = user.is_active and (user.is_superuser or user.may_file_granted)
    return Token(key=key, user=user, created=user.token_created)


class IntegrationTokenAuthentication(TokenAuthentication):
    """The token and "may it file?" in one query; with ``remember=True`` (filing only),
    an account that may file is kept in memory for ``FILING_AUTH_CACHE_SECONDS`` and
    the view passes ``still_may_file`` to the acceptance, whose statement refuses to
    write if the token or the permission was withdrawn since."""

    def __init__(self, *, remember: bool = False) -> None:
        self.remember = remember

    def authenticate_credentials(self, key):
        if not self.remember:
            return self._read(key)
        now = time.monotonic()
        with _filing_lock:
            hit = _filing_cache.get(key)
        if hit is not None and hit[0] > now:
            return (hit[1].user, hit[1])
        user, token = self._read(key)
        if getattr(user, "may_file_complaints", False):
            with _filing_lock:
                _filing_cache[key] = (now + FILING_AUTH_CACHE_SECONDS, token)
        return (user, token)

    def authenticate(self, request):
        found = super().authenticate(request)
        if found is not None:  # 最近使用时间 in the admin: telemetry, one write a minute at most
            accounts.integration_account_seen(user_id=found[0].pk)
        return found

    def _read(self, key):
        token = token_with_file_permission(key)
        if token is None:
            raise AuthenticationFailed(_("Invalid token."))
        if not token.user.is_active:
            raise AuthenticationFailed(_("User inactive or deleted."))
        return (token.user, token)


# Filing accounts authenticated from memory on the intake path, per process. The
# acceptance statement re-checks the token and its permission in the same snapshot
# (``still_may_file``), so a revoked token or permission never files: the cache
# only saves the read. A technical trade-off, not a business number.
FILING_AUTH_CACHE_SECONDS = 30
_filing_cache: dict[str, tuple[float, Token]] = {}
_filing_lock = threading.Lock()


def still_may_file(key: str) -> Guard:
    """True while ``key`` is a token of an active account holding the filing permission."""
    User = get_user_model()
    sql = _GRANT_INLINE.format(user_table=connection.ops.quote_name(User._meta.db_table))
    grant = _file_permission_id()
    return Guard("authorised", Sql(sql, [key, grant, grant]))


# Probes of the unique (user, permission) and (group, permission) indexes; the
# permission's id is read once per process (forgotten with a refused token).
_GRANT_INLINE = """
EXISTS (SELECT 1 FROM authtoken_token t JOIN {user_table} u ON u.id = t.user_id
        WHERE t.key = %s AND u.is_active AND (u.is_superuser
          OR EXISTS (SELECT 1 FROM auth_user_user_permissions up
                     WHERE up.user_id = u.id AND up.permission_id = %s)
          OR EXISTS (SELECT 1 FROM auth_user_groups ug
                     JOIN auth_group_permissions gp ON gp.group_id = ug.group_id
                     WHERE ug.user_id = u.id AND gp.permission_id = %s)))
"""
_permission_id: int | None = None


def _file_permission_id() -> int:
    global _permission_id
    if _permission_id is None:
        from django.contrib.auth.models import Permission

        found = Permission.objects.filter(
            content_type__app_label=_APP, codename=_CODENAME
        ).values_list("id", flat=True)
        _permission_id = next(iter(found), 0)  # 0: no such permission, nobody may file
    return _permission_id


def forget_filing_token(key: str) -> None:
    """Drop a remembered token (its filing was refused: revoked or permission removed)."""
    global _permission_id
    with _filing_lock:
        _filing_cache.pop(key, None)
    _permission_id = None


class IntegrationTokenScheme(OpenApiAuthenticationExtension):
    """Documents the integration token in the OpenAPI schema (``Authorization: Token <key>``)."""

    target_class = IntegrationTokenAuthentication
    name = "integrationTokenAuth"

    def get_security_definition(self, auto_schema):
        return build_bearer_security_scheme_object(
            header_name="Authorization", token_prefix=self.target.keyword
        )
