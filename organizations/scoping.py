"""The one scoping rule. Every admin page, API view, export and search goes through it.

Staff see their own agency, plus its sub-agencies where one of their roles says
so; the efficiency office, leaders and superusers see everything. A user with no
staff profile and no all-seeing role sees nothing.
"""

from __future__ import annotations

from django.db.models import QuerySet

from organizations.models import Agency, RoleScope

_CACHE_ATTR = "_visible_agency_ids"


def visible_agency_ids(user) -> frozenset[int] | None:
    """Agency ids ``user`` may see, or ``None`` for all. Cached on the user object."""
    if user is None or not user.is_authenticated or not user.is_active:
        return frozenset()
    cached = getattr(user, _CACHE_ATTR, False)
    if cached is not False:
        return cached
    result: frozenset[int] | None
    if user.is_superuser:
        result = None
    else:
        scopes = set(RoleScope.objects.filter(group__user=user).values_list("scope", flat=True))
        profile = getattr(user, "staff_profile", None)
        if RoleScope.Scope.ALL in scopes:
            result = None
        elif profile is None:
            result = frozenset()
        elif RoleScope.Scope.OWN_AND_SUB in scopes:
            path = (
                Agency.objects.filter(pk=profile.agency_id).values_list("path", flat=True).first()
                or ""
            )
            result = frozenset(
                Agency.objects.filter(path__startswith=path).values_list("pk", flat=True)
            )
        else:
            result = frozenset({profile.agency_id})
    setattr(user, _CACHE_ATTR, result)
    return result


def user_sees_all(user) -> bool:
    return visible_agency_ids(user) is None


def scope_queryset(queryset: QuerySet, user, *, agency_field: str = "agency") -> QuerySet:
    """Rows of ``queryset`` whose ``agency_field`` is an agency ``user`` may see."""
    ids = visible_agency_ids(user)
    if ids is None:
        return queryset
    if not ids:
        return queryset.none()
    lookup = "pk__in" if agency_field == "self" else f"{agency_field}__in"
    return queryset.filter(**{lookup: ids})


def forget_scope(user) -> None:
    """Drop the cached scope (after a role or profile change in the same request)."""
    if hasattr(user, _CACHE_ATTR):
        delattr(user, _CACHE_ATTR)
