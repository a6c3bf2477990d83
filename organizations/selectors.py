"""Reads of organizations data, public and per user."""

from __future__ import annotations

import datetime as dt

from django.db.models import Prefetch, QuerySet

from organizations.models import Agency, AgencyCategory, DutyStatus, KeyPost, StaffProfile
from organizations.scoping import scope_queryset


def agency_list_public() -> QuerySet[Agency]:
    return Agency.objects.filter(is_active=True).select_related("category")


def agency_tree_public() -> list[Agency]:
    """Active agencies as a forest: roots in category order, each with ``tree_children``.

    One query; the tree is assembled in Python (≈1,000 agencies for a whole city).
    An agency whose parent is inactive is shown as a root rather than hidden.
    """
    agencies = list(agency_list_public().order_by("category__order", "path"))
    by_id = {agency.pk: agency for agency in agencies}
    roots: list[Agency] = []
    for agency in agencies:
        agency.tree_children = []
    for agency in agencies:
        parent = by_id.get(agency.parent_id)
        (parent.tree_children if parent else roots).append(agency)
    return roots


def agency_choices_by_category() -> list[tuple[AgencyCategory, list[Agency]]]:
    """Active agencies grouped by category, for the public pickers' <optgroup>s."""
    groups: dict[int, tuple[AgencyCategory, list[Agency]]] = {}
    for agency in agency_list_public().order_by("category__order", "path"):
        groups.setdefault(agency.category_id, (agency.category, []))[1].append(agency)
    return list(groups.values())


def agency_list_visible_to(*, user) -> QuerySet[Agency]:
    return scope_queryset(
        Agency.objects.select_related("category", "parent"), user, agency_field="self"
    )


def staff_list_visible_to(*, user) -> QuerySet[StaffProfile]:
    return scope_queryset(StaffProfile.objects.select_related("agency", "user"), user)


def key_posts_public(*, agency: Agency | None = None, query: str = "") -> QuerySet[KeyPost]:
    qs = KeyPost.objects.filter(is_published=True, agency__is_active=True).select_related(
        "agency", "holder"
    )
    if agency is not None:
        qs = qs.filter(agency=agency)
    if query:
        qs = (
            qs.filter(title__icontains=query)
            | qs.filter(duties__icontains=query)
            | qs.filter(agency__name__icontains=query)
        )
    return qs.order_by("agency__path", "order", "id")


def duty_board(*, agency: Agency, date: dt.date) -> list[tuple[StaffProfile, DutyStatus | None]]:
    """Each active staff member of ``agency`` with their status on ``date`` (None: not yet set)."""
    staff = (
        StaffProfile.objects.filter(agency=agency, user__is_active=True)
        .prefetch_related(
            Prefetch("duty", queryset=DutyStatus.objects.filter(date=date), to_attr="today")
        )
        .order_by("-is_unit_head", "name")
    )
    return [(member, member.today[0] if member.today else None) for member in staff]
