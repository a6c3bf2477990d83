"""Reads of supervision on behalf of a user. Who sees the dashboard (never the public):

* 领导 (leaders), 效能办 (the efficiency office) and superusers: every agency;
* 单位管理员 (unit administrators) and 批准人 (approvers): their agency's subtree;
* any other member of staff (a clerk): only their own agency's page;
* 效能监督员 (inspectors) and accounts without an agency: nothing (403).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet

from organizations.models import Agency
from organizations.roles import Role
from organizations.scoping import visible_agency_ids
from supervision.services.access import has_role
from timelimits.models import Deadline

ALL_ROLES = (Role.LEADER, Role.EFFICIENCY_OFFICE)
SUBTREE_ROLES = (Role.UNIT_ADMIN, Role.APPROVER)
_OPEN = (Deadline.State.RUNNING, Deadline.State.PAUSED)


@dataclass(frozen=True)
class Access:
    """What one user may see: ``agency_ids`` None = every agency; ``dashboard`` False = only
    the agency page of ``own_agency_id``."""

    dashboard: bool
    agency_ids: frozenset[int] | None
    own_agency_id: int | None

    def sees(self, agency_id: int) -> bool:
        return self.agency_ids is None or agency_id in self.agency_ids


NOTHING = Access(dashboard=False, agency_ids=frozenset(), own_agency_id=None)


def access_for(user) -> Access:
    if user is None or not user.is_authenticated or not user.is_active:
        return NOTHING
    profile = getattr(user, "staff_profile", None)
    own = profile.agency_id if profile else None
    if user.is_superuser or has_role(user, *ALL_ROLES):
        return Access(dashboard=True, agency_ids=None, own_agency_id=own)
    if own is None:
        return NOTHING
    if has_role(user, *SUBTREE_ROLES):
        ids = visible_agency_ids(user)
        return Access(dashboard=True, agency_ids=ids, own_agency_id=own)
    if has_role(user, Role.HANDLER, Role.REVIEWER):
        return Access(dashboard=False, agency_ids=frozenset({own}), own_agency_id=own)
    return NOTHING  # 效能监督员 and accounts with no staff role


def agencies_visible(access: Access) -> QuerySet[Agency]:
    qs = Agency.objects.filter(is_active=True).select_related("category")
    if access.agency_ids is not None:
        qs = qs.filter(pk__in=access.agency_ids)
    return qs


# The dashboard's and an agency page's overdue list show this many; the rest are one link
# away (the cases behind "当前红灯", paginated).
OVERDUE_SHOWN = 50


def red_clocks_now(*, access: Access, agency_id: int | None = None, limit: int | None = None):
    """超期清单: open clocks whose light is red now, most overdue first, at most ``limit``
    (OVERDUE_SHOWN). Read through the partial index ``deadline_red_open_due`` (declared on
    ``Deadline``): only the clocks red now are in it, in due order, so the first rows
    are an index scan however many clocks exist."""
    qs = Deadline.objects.filter(state__in=_OPEN, light=Deadline.Light.RED).select_related(
        "agency", "responsible__staff_profile", "subject_type"
    )
    if access.agency_ids is not None:
        qs = qs.filter(agency_id__in=access.agency_ids)
    if agency_id is not None:
        qs = qs.filter(agency_id=agency_id)
    return qs.order_by("due_at")[: limit or OVERDUE_SHOWN]


def open_clocks_by_light(*, agency_id: int) -> dict[str, int]:
    """An agency's open clocks by light (the agency page's "cases by light")."""
    from django.db.models import Count

    rows = (
        Deadline.objects.filter(agency_id=agency_id, state__in=_OPEN)
        .values("light")
        .annotate(n=Count("id"))
    )
    return {r["light"]: r["n"] for r in rows}


# --------------------------------------------------------------------------- inspections


def inspections_visible_to(*, user) -> QuerySet:
    """效能监督员 see the inspections they recorded or took part in; everyone else by agency."""
    from django.db.models import Q

    from organizations.scoping import scope_queryset
    from supervision.models import Inspection

    qs = Inspection.objects.select_related("agency", "recorded_by")
    if not user.is_authenticated:
        return qs.none()
    if has_role(user, Role.INSPECTOR) and not user.is_superuser:
        return qs.filter(Q(recorded_by=user) | Q(inspectors=user)).distinct()
    return scope_queryset(qs, user)


def rectifications_visible_to(*, user) -> QuerySet:
    from django.db.models import Q

    from organizations.scoping import scope_queryset
    from supervision.models import Rectification

    qs = Rectification.objects.select_related("agency", "finding__inspection")
    if not user.is_authenticated:
        return qs.none()
    if has_role(user, Role.INSPECTOR) and not user.is_superuser:
        mine = Q(finding__inspection__recorded_by=user) | Q(finding__inspection__inspectors=user)
        return qs.filter(mine).distinct()
    return scope_queryset(qs, user)


# --------------------------------------------------------------------------- sanctions


def sanctions_visible_to(*, user) -> QuerySet:
    """The ledger: leaders and the office see all; a person their own entries; a unit head the
    unit's (its own and its people's); anyone else nothing."""
    from django.db.models import Q

    from supervision.models import Sanction

    qs = Sanction.objects.select_related("kind", "agency", "person", "issued_by")
    if not user.is_authenticated:
        return qs.none()
    if user.is_superuser or has_role(user, *ALL_ROLES):
        return qs
    profile = getattr(user, "staff_profile", None)
    if profile is None:
        return qs.none()
    if profile.is_unit_head:
        return qs.filter(agency_id=profile.agency_id)
    return qs.filter(Q(person=profile))
