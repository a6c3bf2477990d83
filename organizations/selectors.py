"""Reads of organizations data, public and per user."""

from __future__ import annotations

import datetime as dt

from django.db.models import Prefetch, QuerySet

from organizations.models import Agency, DutyStatus, KeyPost, StaffProfile
from organizations.scoping import scope_queryset


def agency_list_public() -> QuerySet[Agency]:
    return Agency.objects.filter(is_active=True).select_related("category")


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
