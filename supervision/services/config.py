"""Configuration rows edited in the admin (the sanctions ladder, the threshold rules): a state
change like any other — the office only, one transaction, an audit row before → after."""

from __future__ import annotations

from django.db import transaction
from django.forms.models import model_to_dict

from organizations.audit import audit
from supervision.services.access import require_office


def _plain(data: dict) -> dict:
    return {k: (v.pk if hasattr(v, "pk") else v) for k, v in data.items()}


@transaction.atomic
def config_row_save(*, actor, row, changed: list[str], created: bool):
    require_office(actor)
    model = type(row)
    before = (
        None if created else _plain(model_to_dict(model.objects.select_for_update().get(pk=row.pk)))
    )
    row.full_clean()
    row.save()
    audit(
        actor=actor,
        verb=f"{model._meta.model_name}_save",
        subject=row,
        data={"before": before, "after": _plain(model_to_dict(row)), "changed": list(changed)},
    )
    return row
