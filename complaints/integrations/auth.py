"""Token authentication for integration accounts that also answers "may it file?" in one query.

DRF's ``TokenAuthentication`` reads the token and user (one query), then
``user.has_perm`` loads the user's and the groups' permissions (two more). Filing
(REST and Open311) asks only "may it file?", so the permission is annotated
onto the token query instead (an ``EXISTS`` over direct and over group grants):
one query, read afresh on every request, so a revoked token or a withdrawn
permission is refused at once. Anything else still asks ``has_perm`` as usual.
"""

from __future__ import annotations

from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.plumbing import build_bearer_security_scheme_object
from rest_framework.authentication import TokenAuthentication
from rest_framework.authtoken.models import Token
from rest_framework.exceptions import AuthenticationFailed

from complaints.integrations import accounts
from complaints.integrations.accounts import FILE_PERMISSION
from complaints.models import Complaint

_CODENAME = FILE_PERMISSION.split(".")[1]


def token_with_file_permission(key: str) -> Token | None:
    """The token of ``key`` with its user, and ``user.may_file_complaints`` set; None if unknown."""
    # The content type from Django's own cache: PostgreSQL then plans one join fewer.
    grant = Permission.objects.filter(
        content_type=ContentType.objects.get_for_model(Complaint), codename=_CODENAME
    )
    token = (
        Token.objects.select_related("user")
        .annotate(
            direct=Exists(grant.filter(user=OuterRef("user_id"))),
            via_group=Exists(grant.filter(group__user=OuterRef("user_id"))),
        )
        .filter(key=key)
        .first()
    )
    if token is not None:
        user = token.user
        user.may_file_complaints = user.is_active and (
            user.is_superuser or token.direct or token.via_group
        )
    return token


class IntegrationTokenAuthentication(TokenAuthentication):
    def authenticate(self, request):
        found = super().authenticate(request)
        if found is not None:  # 最近使用时间 in the admin: telemetry, one write a minute at most
            accounts.integration_account_seen(user_id=found[0].pk)
        return found

    def authenticate_credentials(self, key):
        token = token_with_file_permission(key)
        if token is None:
            raise AuthenticationFailed(_("Invalid token."))
        if not token.user.is_active:
            raise AuthenticationFailed(_("User inactive or deleted."))
        return (token.user, token)


class IntegrationTokenScheme(OpenApiAuthenticationExtension):
    """Documents the integration token in the OpenAPI schema (``Authorization: Token <key>``)."""

    target_class = IntegrationTokenAuthentication
    name = "integrationTokenAuth"

    def get_security_definition(self, auto_schema):
        return build_bearer_security_scheme_object(
            header_name="Authorization", token_prefix=self.target.keyword
        )
