"""Third-party admins that are not agency-owned data, each with the reason it is exempt.

The scoping test (tests/organizations/test_scoping_everywhere.py) refuses any
registered admin that is neither an ``AgencyScopedAdmin`` nor says why it is
exempt. Admins registered by Django contrib and libraries cannot subclass ours,
so their reasons are recorded here, on the registered instance. The test also
proves a plain 承办人 (handler) gets 403 on each of these changelists: only the
system administrator's role, or a superuser, holds permissions on them.
"""

from __future__ import annotations

from django.contrib import admin

THIRD_PARTY_EXEMPTIONS: dict[str, str] = {
    "auth.group": "global configuration: the role groups and their permissions",
    "django_celery_beat.periodictask": "operations: the periodic task schedule",
    "django_celery_beat.clockedschedule": "operations: the periodic task schedule",
    "django_celery_beat.crontabschedule": "operations: the periodic task schedule",
    "django_celery_beat.solarschedule": "operations: the periodic task schedule",
    "django_celery_beat.intervalschedule": "operations: the periodic task schedule",
    "axes.accessattempt": "security log: login throttling, for system administrators",
    "axes.accesslog": "security log: login throttling, for system administrators",
    "axes.accessfailurelog": "security log: login throttling, for system administrators",
}


def mark_third_party_exemptions(site: admin.AdminSite = admin.site) -> None:
    for model, model_admin in site._registry.items():
        reason = THIRD_PARTY_EXEMPTIONS.get(model._meta.label_lower)
        if reason and not hasattr(model_admin, "agency_field"):
            model_admin.scope_exempt = reason
