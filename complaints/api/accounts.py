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
"""

from __future__ import annotations

import secrets

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.db import transaction
from rest_framework.authtoken.models import Token

from organizations import services as org_services
from organizations.audit import audit
from organizations.models import Agency

FILE_PERMISSION = "complaints.add_complaint"
READ_PERMISSION = "complaints.view_complaint"


def may_file(user) -> bool:
    if not (user and user.is_authenticated):
        return False
    known = getattr(user, "may_file_complaints", None)  # set by complaints.api.auth, one query
    return known if known is not None else user.has_perm(FILE_PERMISSION)


@transaction.atomic
def integration_account_create(
    *, actor, name: str, agency: Agency | None = None, username: str | None = None
) -> Token:
    """Create an integration account and its token; ``agency`` gives it that agency's read scope."""
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
    token = Token.objects.create(user=user)
    audit(
        actor=actor,
        verb="integration_account.create",
        subject=user,
        agency=agency,
        data={"name": name, "permissions": codenames},
    )
    return token
