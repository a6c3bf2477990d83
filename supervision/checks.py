"""System checks for supervision: every app's indicator declarations must be readable."""

from __future__ import annotations

from django.core.checks import Error, register
from django.core.exceptions import ImproperlyConfigured


@register()
def indicator_declarations(app_configs=None, **kwargs):
    from supervision.registry import discover

    try:
        discover()
    except ImproperlyConfigured as exc:
        return [Error(f"Bad indicator declaration: {exc}", id="supervision.E001")]
    return []
