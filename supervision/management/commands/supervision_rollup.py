"""``manage.py supervision_rollup``: refresh the dashboard's rollup now, or recompute a range.

manage.py supervision_rollup                         # what changed since the last run
manage.py supervision_rollup --rebuild               # every day that has events
manage.py supervision_rollup --from 2026-01-01 --to 2026-11-30   # a range of days
"""

from __future__ import annotations

import datetime as dt

from django.core.management.base import BaseCommand, CommandError

from supervision.rollup import rollup_rebuild, rollup_recompute, rollup_refresh


def _day(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise CommandError(f"{text!r} is not a date: use YYYY-MM-DD.") from None


class Command(BaseCommand):
    help = (
        "Refresh the supervision rollup (incrementally), rebuild it, or recompute a range of days."
    )

    def add_arguments(self, parser):
        parser.add_argument("--rebuild", action="store_true")
        parser.add_argument("--from", dest="first")
        parser.add_argument("--to", dest="last")

    def handle(self, *args, rebuild: bool, first: str | None, last: str | None, **options):
        if first or last:
            if not (first and last):
                raise CommandError("Give both --from and --to.")
            rows = rollup_recompute(first=_day(first), last=_day(last))
            self.stdout.write(f"recomputed {first} … {last}: {rows} rows")
            return
        run = rollup_rebuild() if rebuild else rollup_refresh()
        if run is None:
            self.stdout.write("another refresh is running; nothing done")
        else:
            self.stdout.write(f"{run.days} days, {run.agencies} agencies, {run.rows} rows")
