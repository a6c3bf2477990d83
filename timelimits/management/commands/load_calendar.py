"""Load a year's working-day calendar and recompute the clocks it affects.

    manage.py load_calendar --year 2027 notice-2027.csv   # the State Council notice as CSV
    manage.py load_calendar --from-package                # years a newer chinesecalendar adds

CSV lines: ``date,type[,name]`` with type ``holiday`` (day off) or ``workday``
(调休 make-up working day); other days follow the week.
"""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from efficiency_portal.errors import ApplicationError
from timelimits.calendar_source import NoticeError, notice_rows, package_rows, package_years
from timelimits.config import calendar_load_year
from timelimits.models import WorkCalendarDay


class Command(BaseCommand):
    help = "Load a year of the working-day calendar from a notice CSV or from chinesecalendar."

    def add_arguments(self, parser):
        parser.add_argument("file", nargs="?", help="CSV of holiday and make-up workday dates")
        parser.add_argument("--year", type=int)
        parser.add_argument(
            "--from-package",
            action="store_true",
            help="load every year chinesecalendar covers that is not loaded yet",
        )

    def handle(self, *args, file=None, year=None, from_package=False, **options):
        if from_package:
            loaded = {d.year for d in WorkCalendarDay.objects.dates("date", "year")}
            for y in package_years():
                if y not in loaded:
                    self._load(y, package_rows(y), WorkCalendarDay.Source.PACKAGE)
            return
        if not file or not year:
            raise CommandError("give --year YEAR FILE, or --from-package")
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"{file}: no such file")
        try:
            rows = notice_rows(year, path.read_text(encoding="utf-8"))
        except (NoticeError, UnicodeDecodeError) as exc:
            raise CommandError(f"{file}: {exc}") from None
        self._load(year, rows, WorkCalendarDay.Source.NOTICE)

    def _load(self, year, rows, source):
        try:
            recomputed = calendar_load_year(year=year, rows=rows, source=source, actor=None)
        except ApplicationError as exc:
            raise CommandError(exc.message) from None
        holidays = sum(1 for r in rows if r.kind == "holiday")
        makeup = sum(1 for r in rows if r.kind == "makeup")
        self.stdout.write(
            f"{year}: {holidays} holidays, {makeup} make-up workdays loaded; "
            f"{recomputed} open deadlines recomputed"
        )
