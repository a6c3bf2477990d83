"""System checks for a misconfigured complaints app."""

from __future__ import annotations

from django.conf import settings
from django.core.checks import Error, Warning, register


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
