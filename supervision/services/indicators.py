"""Editing an indicator's setting (minimum sample, active): a configuration change, audited."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from efficiency_portal.errors import ApplicationError
from organizations.audit import audit
from supervision.models import IndicatorSetting
from supervision.services.access import require_office


@transaction.atomic
def indicator_setting_update(
    *, actor, setting: IndicatorSetting, min_sample: int, is_active: bool
) -> IndicatorSetting:
    require_office(actor)
    if not isinstance(min_sample, int) or min_sample < 0:
        raise ApplicationError(
            _("最少样本数必须是不小于 0 的整数。"), code="bad_min_sample", field="min_sample"
        )
    current = IndicatorSetting.objects.select_for_update().get(pk=setting.pk)
    before = {"min_sample": current.min_sample, "is_active": current.is_active}
    current.min_sample = min_sample
    current.is_active = is_active
    current.save(update_fields=["min_sample", "is_active", "updated_at"])
    audit(
        actor=actor,
        verb="indicator_setting_update",
        subject=current,
        data={"before": before, "after": {"min_sample": min_sample, "is_active": is_active}},
    )
    return current
