"""Who may act in supervision: the efficiency office (效能办) configures and issues;
leaders read; 效能监督员 record inspections."""

from __future__ import annotations

from django.utils.translation import gettext as _

from efficiency_portal.errors import ApplicationError
from organizations.roles import Role

OFFICE_ROLES = (Role.EFFICIENCY_OFFICE, Role.SYSADMIN)


def has_role(user, *roles: str) -> bool:
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    if user.is_superuser:
        return True
    names = getattr(user, "_supervision_roles", None)
    if names is None:
        names = set(user.groups.values_list("name", flat=True))
        user._supervision_roles = names
    return bool(names & {str(r) for r in roles})


def is_office(user) -> bool:
    return has_role(user, Role.EFFICIENCY_OFFICE)


def require_office(actor) -> None:
    if not is_office(actor):
        raise ApplicationError(
            _("只有效能办工作人员可以进行此操作。"), code="not_office", field=None
        )


def require_person(actor, *, field: str = "actor") -> None:
    if actor is None or not getattr(actor, "is_authenticated", False):
        raise ApplicationError(_("必须由具名的工作人员操作。"), code="no_actor", field=field)
