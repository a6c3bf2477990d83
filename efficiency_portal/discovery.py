"""What each app contributes to the whole, found by file name (the way ``seed_demo`` finds ``demo.py``).

``efficiency_portal`` is wiring: it imports no app by name. An app takes part by
having one of these modules; they are imported for every installed app that has
them, in ``INSTALLED_APPS`` order:

    <app>/demo.py          seed(*, rng, stdout)                  manage.py seed_demo
    <app>/schedules.py     schedule() -> {name: beat entry}      Celery beat (efficiency_portal.beat)
    <app>/health.py        CHECKS / DEGRADING: {name: check}     /healthz, manage.py healthcheck
    <app>/confidential.py  CONFIDENTIAL: {"app.Model": (field, …)}  admin allow-lists, the generic privacy test
    <app>/indicators.py    INDICATORS: [Indicator, …]            the supervision dashboard
"""

from __future__ import annotations

import importlib
import importlib.util
from types import ModuleType

from django.apps import apps


def app_modules(name: str) -> list[tuple[str, ModuleType]]:
    """(app label, module) for every installed app that has ``<app>.<name>``, in order."""
    found = []
    for config in apps.get_app_configs():
        dotted = f"{config.name}.{name}"
        if importlib.util.find_spec(dotted) is None:
            continue
        found.append((config.label, importlib.import_module(dotted)))
    return found


def merged(name: str, attribute: str) -> dict:
    """The union of one dict-valued attribute (or zero-argument function) over ``app_modules``.

    Two apps contributing the same key is a programming error, refused loudly.
    """
    result: dict = {}
    for label, module in app_modules(name):
        value = getattr(module, attribute, None)
        if value is None:
            continue
        value = value() if callable(value) else value
        clash = sorted(set(result) & set(value))
        if clash:
            raise ValueError(f"{label}.{name}.{attribute} repeats {', '.join(map(str, clash))}")
        result.update(value)
    return result
