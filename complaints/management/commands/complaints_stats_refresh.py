"""Rebuild the public statistics rollup for a range of months (default: the last twelve)."""

from __future__ import annotations

import datetime as dt

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from complaints import stats


def _month(value: str) -> dt.date:
    try:
        return dt.datetime.strptime(value, "%Y-%m").date()
    except ValueError:
        raise CommandError(f"not a month (YYYY-MM): {value!r}") from None


class Command(BaseCommand):
    help = "Rebuild the public complaint statistics rollup (complaints.stats) for a month range."

    def add_arguments(self, parser):
        parser.add_argument("--from", dest="first", help="first month, YYYY-MM")
        parser.add_argument("--to", dest="last", help="last month, YYYY-MM (default: this month)")

    def handle(self, *args, first=None, last=None, **options):
        last_month = _month(last) if last else stats.month_start(timezone.localdate())
        first_month = _month(first) if first else stats.add_months(last_month, -11)
        rows = stats.stats_refresh(first_month=first_month, last_month=last_month)
        self.stdout.write(
            f"{rows} agency-month rows from {first_month:%Y-%m} to {last_month:%Y-%m}"
        )
