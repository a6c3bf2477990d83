"""Library admins (django-axes, django-celery-beat) re-registered so that none writes around a service.

* The beat schedule is code (``efficiency_portal/schedule.py``; beat writes these rows
  from it when it starts): shown, never edited here.
* Login logs are written by django-axes: shown, never edited. Deleting a failed-attempt
  row lifts a lock-out, so it goes through ``login_lockout_clear`` (audited).
"""

from __future__ import annotations

from axes import admin as axes_admin
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib import admin
from django_celery_beat import admin as beat_admin
from django_celery_beat.models import (
    ClockedSchedule,
    CrontabSchedule,
    IntervalSchedule,
    PeriodicTask,
    SolarSchedule,
)

from organizations import services_accounts
from organizations.admin_base import ReadOnlyAdminMixin

_READ_ONLY = {
    PeriodicTask: beat_admin.PeriodicTaskAdmin,
    ClockedSchedule: beat_admin.ClockedScheduleAdmin,
    CrontabSchedule: beat_admin.CrontabScheduleAdmin,
    IntervalSchedule: beat_admin.IntervalScheduleAdmin,
    SolarSchedule: beat_admin.SolarScheduleAdmin,
    AccessLog: axes_admin.AccessLogAdmin,
    AccessFailureLog: axes_admin.AccessFailureLogAdmin,
}


class LockoutAdmin(axes_admin.AccessAttemptAdmin):
    """Failed logins; deleting rows (one or many) lifts the lock-out through the service."""

    actions = []  # the site's "delete selected" stays; it ends in delete_queryset

    def has_change_permission(self, request, obj=None):
        return False

    def delete_model(self, request, obj):
        services_accounts.login_lockout_clear(
            actor=request.user, attempts=AccessAttempt.objects.filter(pk=obj.pk)
        )

    def delete_queryset(self, request, queryset):
        services_accounts.login_lockout_clear(actor=request.user, attempts=queryset)


def reregister(site: admin.AdminSite = admin.site) -> None:
    for model, library_admin in _READ_ONLY.items():
        if site.is_registered(model):
            site.unregister(model)
            site.register(
                model, type(library_admin.__name__, (ReadOnlyAdminMixin, library_admin), {})
            )
    if site.is_registered(AccessAttempt):
        site.unregister(AccessAttempt)
        site.register(AccessAttempt, LockoutAdmin)
