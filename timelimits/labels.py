"""Words for the engine's codes, so no page shows ``complaint.reply`` or "督办级别 2".

Each app that starts clocks says what its kinds are called and how its subjects are
named, in ``AppConfig.ready`` (as it registers its kinds for the system checks):

    register_kind_labels({"complaint.reply": _("答复时限")})
    register_subject_label("complaints.complaint", lambda case: case.tracking_no)

A kind nobody labelled falls back to its policy's name (data), then to the code.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from timelimits.models import Unit

_KIND_LABELS: dict[str, str] = {}
_SUBJECT_LABELS: dict[str, Callable[[object], str]] = {}


def register_kind_labels(labels: dict[str, str]) -> None:
    _KIND_LABELS.update(labels)


def register_subject_label(model_label: str, label: Callable[[object], str]) -> None:
    """``model_label`` is ``app_label.model_name`` (lower case), as ContentType spells it."""
    _SUBJECT_LABELS[model_label.lower()] = label


def kind_label(kind: str, *, policy=None) -> str:
    if kind in _KIND_LABELS:
        return str(_KIND_LABELS[kind])
    if policy is not None and getattr(policy, "name", ""):
        return policy.name
    return kind


def subject_label(deadline) -> str:
    """The subject as people name it (a case number), never "object id 298"."""
    subject_type = deadline.subject_type
    subject = deadline.subject
    if subject is None:
        return _("%(type)s（已不存在）") % {"type": subject_type.name}
    label = _SUBJECT_LABELS.get(f"{subject_type.app_label}.{subject_type.model}")
    return label(subject) if label else str(subject)


# "15 个工作日", "3 小时": the amount of a clock in its unit, as a sentence says it.
_AMOUNTS = {
    Unit.WORKING_DAYS: gettext_lazy("%(n)s 个工作日"),
    Unit.NATURAL_DAYS: gettext_lazy("%(n)s 个自然日"),
    Unit.HOURS: gettext_lazy("%(n)s 小时"),
}


def amount(n: int, unit: str) -> str:
    if unit == Unit.IMMEDIATE:
        return _("即办")
    return str(_AMOUNTS.get(unit, gettext_lazy("%(n)s 个工作日"))) % {"n": n}


def level_label(level: int, *, policy=None) -> str:
    """An escalation level by its rung: "第 2 级（催办通知书）"; "未督办" for 0."""
    if not level:
        return _("未督办")
    proposal = ""
    if policy is not None:
        for step in policy.steps.all():  # prefetched by the callers that list many
            if step.level == level:
                proposal = step.proposal
    if proposal:
        return _("第 %(n)s 级（%(p)s）") % {"n": level, "p": proposal}
    return _("第 %(n)s 级") % {"n": level}


def moment(value: dt.datetime | None) -> str:
    """ "11月3日 09:12" (in the local time zone); "—" for none."""
    if value is None:
        return "—"
    return date_format(timezone.localtime(value), _("n月j日 H:i"))


def person(user) -> str:
    """Staff by their name, as the PDFs print them; the account name if they have no profile.

    Callers listing many rows select ``…__staff_profile`` with the user.
    """
    if user is None:
        return _("系统")
    profile = getattr(user, "staff_profile", None)
    return profile.name if profile is not None else user.get_username()
