"""System checks for a misconfigured complaints app."""

from __future__ import annotations

from django.conf import settings
from django.core.checks import Error, Tags, Warning, register
from django.db import connections


@register()
def attachment_settings(app_configs=None, **kwargs):
    problems = []
    if not getattr(settings, "COMPLAINTS_ALLOWED_TYPES", None):
        problems.append(
            Error(
                "COMPLAINTS_ALLOWED_TYPES is empty: no attachment could ever be accepted.",
                id="complaints.E001",
            )
        )
    root = str(getattr(settings, "COMPLAINTS_FILES_ROOT", ""))
    if root and str(settings.STATIC_ROOT) in root:
        problems.append(
            Error(
                "COMPLAINTS_FILES_ROOT lies under STATIC_ROOT: attachments would be public.",
                id="complaints.E002",
            )
        )
    if root and str(settings.MEDIA_ROOT) == root:
        problems.append(
            Warning(
                "COMPLAINTS_FILES_ROOT equals MEDIA_ROOT; keep attachments in their own private directory.",
                id="complaints.W001",
            )
        )
    return problems


@register(Tags.database)
def chinese_collation(app_configs=None, databases=None, **kwargs):
    """The intake's agency list sorts names in 拼音 order with ICU's collation (forms.agency_tree);
    a PostgreSQL built without ICU would fail that query (run by ``check --database default``)."""
    problems = []
    for alias in databases or []:
        with connections[alias].cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_collation WHERE collname = 'zh-x-icu'")
            if cursor.fetchone() is None:
                problems.append(
                    Error(
                        f"Database {alias!r} has no 'zh-x-icu' collation: the intake form's "
                        "agency list cannot be sorted. Use a PostgreSQL built with ICU.",
                        id="complaints.E003",
                    )
                )
    return problems
