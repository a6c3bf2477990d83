"""API building blocks: every viewset over agency-owned data is a ScopedViewSetMixin.

Like ``AgencyScopedAdmin``, the queryset is scoped before any filter, search or
pagination, so a row of another agency is a 404, never a 403 that confirms it exists.

``tests/organizations/test_scoping_everywhere.py`` proves it for every routed viewset:
set ``queryset`` (it names the model) and, when ``baker.make(Model, **{agency_field:
agency})`` cannot build a row, a ``scope_test_factory(cls, agency)`` classmethod here
or on the model's admin.
"""

from __future__ import annotations

from rest_framework.permissions import DjangoModelPermissions

from organizations.scoping import scope_queryset


class DjangoModelPermissionsWithView(DjangoModelPermissions):
    """Model permissions that also require ``view_*`` for reads."""

    perms_map = {
        **DjangoModelPermissions.perms_map,
        "GET": ["%(app_label)s.view_%(model_name)s"],
        "HEAD": ["%(app_label)s.view_%(model_name)s"],
    }


class ScopedViewSetMixin:
    agency_field = "agency"
    permission_classes = [DjangoModelPermissionsWithView]

    def get_queryset(self):
        return scope_queryset(
            super().get_queryset(), self.request.user, agency_field=self.agency_field
        )
