"""The /healthz checks from the command line, for container health checks.

    manage.py healthcheck                 # database, redis, beat and the filing backlog
    manage.py healthcheck --only beat     # the beat container: is the heartbeat fresh?

Prints one JSON line; exit status 1 when a failing check (database, redis, beat)
fails, 0 otherwise. A stale filing backlog degrades, like /healthz: exit status 0,
with a line saying so on stderr.
"""

import json

from django.core.management.base import BaseCommand, CommandError

from efficiency_portal import health


class Command(BaseCommand):
    help = "Run the /healthz checks (database, redis, beat, filing) and exit non-zero on a failure."

    def add_arguments(self, parser):
        parser.add_argument(
            "--only",
            default=",".join(health.ALL_CHECKS),
            help=f"comma-separated subset of: {', '.join(health.ALL_CHECKS)}",
        )

    def handle(self, *args, only, **options):
        names = [name.strip() for name in only.split(",") if name.strip()]
        unknown = sorted(set(names) - set(health.ALL_CHECKS))
        if unknown:
            raise CommandError(
                f"unknown check {', '.join(unknown)}: use {', '.join(health.ALL_CHECKS)}"
            )
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
