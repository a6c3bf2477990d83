"""Admin mixins without business rules: rows that are read, never edited, in the admin.

Append-only records (timelines, audit rows, ledgers written by services) use these so
that no admin page offers a save button that would bypass the service that writes them.
"""

from __future__ import annotations

from django.contrib import admin


class ReadOnlyAdminMixin:
    """No add, change or delete through the admin; the change page is a read-only view."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyInline(ReadOnlyAdminMixin, admin.TabularInline):
    """A tabular inline that lists related records and offers no form."""

    extra = 0
    can_delete = False
