"""The time left on a clock in plain words: "剩 2 个工作日", "剩 3 小时", "超期 4 天".

Working-day clocks count the working days left on the calendar (the due time is the
office's closing time of a working day, so "剩 1 个工作日" means "by tomorrow evening");
on the due day itself, or when less than a day is left, the hours are what matter.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django.utils.translation import ngettext

from timelimits import calendar
from timelimits.models import Unit

_HOUR = dt.timedelta(hours=1)
_DAY = dt.timedelta(days=1)


def countdown(
    *, due_at: dt.datetime | None, unit: str = Unit.WORKING_DAYS, now=None, cal=None
) -> str:
    if due_at is None:
        return ""
    now = now or timezone.now()
    left = due_at - now
    if left <= dt.timedelta(0):
        late = -left
        if late < _DAY:
            hours = max(int(late // _HOUR), 1)
            return ngettext("超期 %(n)d 小时", "超期 %(n)d 小时", hours) % {"n": hours}
        days = int(late // _DAY)
        return ngettext("超期 %(n)d 天", "超期 %(n)d 天", days) % {"n": days}
    today = timezone.localtime(now).date()
    due_day = timezone.localtime(due_at).date()
    if left < _DAY or due_day == today or unit == Unit.HOURS:
        if left < _HOUR:
            minutes = max(int(left.total_seconds() // 60), 1)
            return ngettext("剩 %(n)d 分钟", "剩 %(n)d 分钟", minutes) % {"n": minutes}
        hours = int(left // _HOUR)
        return ngettext("剩 %(n)d 小时", "剩 %(n)d 小时", hours) % {"n": hours}
    if unit == Unit.WORKING_DAYS:
        cal = cal or calendar.current()
        days = max(int(cal.working_days_between(today, due_day)), 1)
        return ngettext("剩 %(n)d 个工作日", "剩 %(n)d 个工作日", days) % {"n": days}
    days = (due_day - today).days
    return ngettext("剩 %(n)d 天", "剩 %(n)d 天", days) % {"n": days}
