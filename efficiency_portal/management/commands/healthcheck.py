"""The /healthz checks from the command line, for container health checks.

    manage.py healthcheck                 # database, redis and beat
    manage.py healthcheck --only beat     # the beat container: is the heartbeat fresh?

Prints one JSON line; exit status 0 when every selected check passes, 1 otherwise.
"""

import json

from django.core.management.base import BaseCommand, CommandError

from efficiency_portal import health


class Command(BaseCommand):
    help = "Run the /healthz checks (database, redis, beat) and exit non-zero on a failure."

    def add_arguments(self, parser):
        parser.add_argument(
            "--only",
            default=",".join(health.CHECKS),
            help=f"comma-separated subset of: {', '.join(health.CHECKS)}",
        )

    def handle(self, *args, only, **options):
        names = [name.strip() for name in only.split(",") if name.strip()]
        unknown = sorted(set(names) - set(health.CHECKS))
        if unknown:
            raise CommandError(
                f"unknown check {', '.join(unknown)}: use {', '.join(health.CHECKS)}"
            )
        healthy, body = health.run_checks(names)
        self.stdout.write(json.dumps(body, ensure_ascii=False))
        if not healthy:
            raise CommandError(
                "unhealthy: "
                + "; ".join(
                    f"{name}: {result['detail']}"
                    for name, result in body["checks"].items()
                    if not result["ok"]
                )
            )
