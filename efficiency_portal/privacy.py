"""Confidential fields (保密字段), declared once per model, and what the declaration buys.

An app lists the fields of its models that hold a person's identity or a secret in
``<app>/confidential.py``, found for every installed app the way ``seed_demo`` finds
``demo.py``::

    CONFIDENTIAL = {
        "complaints.Complaint": ("complainant_name", "complainant_phone", ...),
    }

A model may be declared by any app (``organizations`` declares ``auth.User``), once.
What the declaration buys, with nothing else to write:

* No admin filters, searches, sorts or exports by such a field, for anyone: the
  identity opens only where a page shows it on purpose (masked, or through a
  logged "查看完整信息"). ``organizations.admin_base`` refuses any URL filter that
  touches one and leaves them out of the CSV export; the system check
  ``privacy.E002`` refuses an admin that declares one as a filter, search field,
  date hierarchy, ordering or sortable column.
* ``tests/privacy/test_confidential_fields.py`` asks every registered admin and
  every routed page and endpoint with each field's true value and with a near
  miss, as a user who may not see it: the answers must be identical.

Misdeclarations (an unknown model or field, a model declared twice) are the
system check ``privacy.E001``.
"""

from __future__ import annotations

import functools
import importlib
import importlib.util
from dataclasses import dataclass

from django.apps import apps
from django.contrib import admin
from django.core.checks import Error, Tags, register
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.db.models.constants import LOOKUP_SEP
from django.db.models.expressions import F


@dataclass(frozen=True)
class _Declaration:
    app: str
    label: str
    fields: tuple[str, ...]


def _declared_entries() -> list[_Declaration]:
    found = []
    for config in apps.get_app_configs():
        name = f"{config.name}.confidential"
        if importlib.util.find_spec(name) is None:
            continue
        module = importlib.import_module(name)
        for label, fields in getattr(module, "CONFIDENTIAL", {}).items():
            found.append(_Declaration(config.label, label, tuple(fields)))
    return found


def _resolve(entry: _Declaration) -> type[models.Model] | None:
    try:
        model = apps.get_model(entry.label)
    except (LookupError, ValueError):
        return None
    for name in entry.fields:
        try:
            model._meta.get_field(name)
        except FieldDoesNotExist:
            return None
    return model._meta.concrete_model


# The declarations are module constants read once: they change only with the code.
@functools.cache
def declarations() -> dict[type[models.Model], frozenset[str]]:
    """{concrete model: its confidential field names}, for every well-formed declaration."""
    found: dict[type[models.Model], frozenset[str]] = {}
    for entry in _declared_entries():
        model = _resolve(entry)
        if model is not None and model not in found:
            found[model] = frozenset(entry.fields)
    return found


def confidential_fields(model: type[models.Model]) -> frozenset[str]:
    return declarations().get(model._meta.concrete_model, frozenset())


def field_path(model: type[models.Model], lookup: str) -> list:
    """The fields a lookup walks through, across relations, without its transforms and
    lookups: ``complaint__complainant_phone__startswith`` on an access log is
    [AccessLog.complaint, Complaint.complainant_phone]."""
    path = []
    for part in lookup.split(LOOKUP_SEP):
        try:
            field = model._meta.get_field(part)
        except FieldDoesNotExist:
            break
        path.append(field)
        if not getattr(field, "path_infos", None):  # not a relation: the rest are lookups
            break
        model = field.path_infos[-1].to_opts.model
    return path


def touches_confidential(model: type[models.Model], lookup: str) -> bool:
    """Does filtering, searching or sorting ``model`` by ``lookup`` read a confidential field?"""
    for field in field_path(model, lookup):
        if isinstance(field, models.ForeignObjectRel):
            continue  # a reverse relation: its own model's fields decide
        if field.name in confidential_fields(field.model):
            return True
    return False


# --------------------------------------------------------------------------- checks


@register()
def confidential_declarations(app_configs=None, **kwargs):
    problems, seen = [], {}
    for entry in _declared_entries():
        where = f"{entry.app}/confidential.py"
        if _resolve(entry) is None:
            problems.append(
                Error(
                    f"{where} declares {entry.label} {entry.fields!r}: no such model or field.",
                    id="privacy.E001",
                )
            )
            continue
        if entry.label.lower() in seen:
            problems.append(
                Error(
                    f"{entry.label} is declared confidential twice ({seen[entry.label.lower()]} "
                    f"and {where}); declare each model once.",
                    id="privacy.E001",
                )
            )
        seen[entry.label.lower()] = where
    return problems


def _ordering_names(value) -> list[str]:
    """The field paths an ``ordering`` entry or a column's ``admin_order_field`` sorts by."""
    if isinstance(value, str):
        return [value.lstrip("-?")]
    if isinstance(value, F):
        return [value.name]
    if hasattr(value, "flatten"):
        return [part.name for part in value.flatten() if isinstance(part, F)]
    return []


def _column_ordering(model_admin, name) -> list[str]:
    """What clicking a list_display column sorts by (ChangeList.get_ordering_field)."""
    if callable(name):
        return _ordering_names(getattr(name, "admin_order_field", None))
    try:
        return [model_admin.model._meta.get_field(name).name]
    except FieldDoesNotExist:
        attr = getattr(model_admin, name, None) or getattr(model_admin.model, name, None)
        if isinstance(attr, property):
            attr = attr.fget
        return _ordering_names(getattr(attr, "admin_order_field", None))


def admin_keys(model_admin) -> list[tuple[str, str]]:
    """(what, lookup) for every filter, search field and sort key the admin declares."""
    keys = [("search_fields", s.lstrip("^=@")) for s in model_admin.search_fields]
    for item in model_admin.list_filter:
        if isinstance(item, list | tuple):
            keys.append(("list_filter", item[0]))
        elif isinstance(item, str):
            keys.append(("list_filter", item))
    if model_admin.date_hierarchy:
        keys.append(("date_hierarchy", model_admin.date_hierarchy))
    keys += [("allowed_lookups", name) for name in getattr(model_admin, "allowed_lookups", ())]
    for entry in model_admin.ordering or ():
        keys += [("ordering", name) for name in _ordering_names(entry)]
    sortable = model_admin.sortable_by
    for column in model_admin.list_display:
        if sortable is not None and column not in sortable:
            continue
        keys += [("list_display", name) for name in _column_ordering(model_admin, column)]
    return keys


def admin_problems(model_admin) -> list[Error]:
    """privacy.E002 for each filter, search field or sort key of ``model_admin`` that
    touches a confidential field."""
    model = model_admin.model
    return [
        Error(
            f"{type(model_admin).__name__} ({model._meta.label}): {what} uses {lookup!r}, "
            f"a field declared confidential. A confidential field is never a filter, search "
            f"or sort key in the admin.",
            obj=type(model_admin),
            id="privacy.E002",
        )
        for what, lookup in admin_keys(model_admin)
        if touches_confidential(model, lookup)
    ]


@register(Tags.admin)
def admins_keep_confidential_fields_out(app_configs=None, **kwargs):
    return [p for model_admin in admin.site._registry.values() for p in admin_problems(model_admin)]
