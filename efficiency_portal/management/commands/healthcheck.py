"""The /healthz checks from the command line, for container health checks.

    manage.py healthcheck                 # every check: database, redis, beat and the apps' own
    manage.py healthcheck --only beat     # the beat container: is the heartbeat fresh?

Prints one JSON line; exit status 1 when a failing check fails. A degrading check
(an app's ``DEGRADING``) that fails leaves the exit status 0, with a line on stderr.
"""

import json

from django.core.management.base import BaseCommand, CommandError

from efficiency_portal import health


class Command(BaseCommand):
    help = "Run the /healthz checks and exit non-zero when a failing check fails."

    def add_arguments(self, parser):
        parser.add_argument(
            "--only", default="", help="comma-separated subset of the checks (default: all)"
        )

    def handle(self, *args, only, **options):
        known = health.all_check_names()
        names = [name.strip() for name in only.split(",") if name.strip()] or known
        unknown = sorted(set(names) - set(known))
        if unknown:
            raise CommandError(f"unknown check {', '.join(unknown)}: use {', '.join(known)}")
        healthy, body = health.run_checks(names)
        self.stdout.write(json.dumps(body, ensure_ascii=False))
        failed = "; ".join(
            f"{name}: {result['detail']}"
            for name, result in body["checks"].items()
            if not result["ok"]
        )
        if not healthy:
            raise CommandError(f"unhealthy: {failed}")
        if failed:
            self.stderr.write(f"degraded: {failed}")
