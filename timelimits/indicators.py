"""Dashboard indicators of the deadline engine (红黄牌), read by ``supervision``.

A yellow card (黄牌) is a clock's light turning yellow, a red card (红牌) its light
turning red: the sweep's ``warn`` and ``overdue`` events, counted on the day they took
effect, against the clock's responsible agency, broken down by the clock's kind
(``part``). The responsible person is the clock's, shown in the list of cards.
"Now" figures count the open clocks whose light is yellow or red at this moment.

Reading a day's cards uses the partial index ``deadline_event_card_day`` (migration
0007): only card events are in it, so the sweep pays one index entry per card.
"""

from __future__ import annotations

from django.db.models import Count, F
from django.db.models.functions import TruncDate
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from timelimits.models import Deadline, DeadlineEvent

_OPEN = (Deadline.State.RUNNING, Deadline.State.PAUSED)


def _cards(event_type: str):
    def daily(*, within):
        return (
            DeadlineEvent.objects.filter(type=event_type)
            .filter(within("at"))
            .values(
                agency_id=F("deadline__agency_id"),
                part=F("deadline__kind"),
                day=TruncDate("at"),
            )
            .annotate(numerator=Count("id"))
        )

    return daily


def _lit_now(light: str):
    def now(*, agency_ids):
        qs = Deadline.objects.filter(state__in=_OPEN, light=light)
        if agency_ids is not None:
            qs = qs.filter(agency_id__in=agency_ids)
        return qs.values("agency_id", part=F("kind")).annotate(numerator=Count("id"))

    return now


def _card_cases(event_type: str):
    def cases(*, agency_ids, within, part=""):
        qs = DeadlineEvent.objects.filter(
            type=event_type, deadline__agency_id__in=agency_ids
        ).filter(within("at"))
        if part:
            qs = qs.filter(deadline__kind=part)
        return qs.select_related(
            "deadline__agency", "deadline__responsible__staff_profile", "deadline__subject_type"
        ).order_by("-at")

    return cases


def _lit_cases(light: str):
    def cases(*, agency_ids, within=None, part=""):
        qs = Deadline.objects.filter(state__in=_OPEN, light=light, agency_id__in=agency_ids)
        if part:
            qs = qs.filter(kind=part)
        return qs.select_related("agency", "responsible__staff_profile", "subject_type").order_by(
            "due_at"
        )

    return cases


def subject_url(deadline: Deadline) -> str:
    """The admin page of the clock's subject (a complaint, a rectification …), if it has one."""
    subject_type = deadline.subject_type
    try:
        return reverse(
            f"admin:{subject_type.app_label}_{subject_type.model}_change",
            args=[deadline.subject_id],
        )
    except NoReverseMatch:
        return ""


def responsible_name(deadline: Deadline) -> str:
    person = deadline.responsible
    if person is None:
        return ""
    profile = getattr(person, "staff_profile", None)
    return profile.name if profile else person.get_username()


def _clock_row(deadline: Deadline, when) -> dict:
    return {
        "title": f"{deadline.kind} #{deadline.subject_id}",
        "url": subject_url(deadline),
        "when": when,
        "agency": deadline.agency.name,
        "note": deadline.get_light_display(),
        "person": responsible_name(deadline),
    }


def _event_row(event: DeadlineEvent) -> dict:
    return _clock_row(event.deadline, event.at)


def _deadline_row(deadline: Deadline) -> dict:
    return _clock_row(deadline, deadline.due_at)


def _touched(rows):
    """Clock events change the cards of the day they took effect and the agency's lights now."""
    yield from rows.values_list("deadline__agency_id", TruncDate("at")).distinct()


CHANGES = [(DeadlineEvent, _touched)]

INDICATORS = [
    {
        "code": "timelimits.yellow_cards",
        "name": _("黄牌"),
        "unit": _("张"),
        "measure": "count",
        "higher_is_better": False,
        "min_sample": 0,
        "daily": _cards(DeadlineEvent.Type.WARN),
        "cases": _card_cases(DeadlineEvent.Type.WARN),
        "case_row": _event_row,
    },
    {
        "code": "timelimits.red_cards",
        "name": _("红牌"),
        "unit": _("张"),
        "measure": "count",
        "higher_is_better": False,
        "min_sample": 0,
        "daily": _cards(DeadlineEvent.Type.OVERDUE),
        "cases": _card_cases(DeadlineEvent.Type.OVERDUE),
        "case_row": _event_row,
    },
    {
        "code": "timelimits.yellow_now",
        "name": _("当前黄灯"),
        "unit": _("件"),
        "measure": "count",
        "higher_is_better": False,
        "min_sample": 0,
        "now": _lit_now(Deadline.Light.YELLOW),
        "cases": _lit_cases(Deadline.Light.YELLOW),
        "case_row": _deadline_row,
    },
    {
        "code": "timelimits.red_now",
        "name": _("当前红灯"),
        "unit": _("件"),
        "measure": "count",
        "higher_is_better": False,
        "min_sample": 0,
        "now": _lit_now(Deadline.Light.RED),
        "cases": _lit_cases(Deadline.Light.RED),
        "case_row": _deadline_row,
    },
]
