"""Before serving: the database and Redis answer, and the web port is free. One line per problem."""

import socket

from django.core.cache import cache
from django.core.management.base import BaseCommand, CommandError
from django.db import connection


class Command(BaseCommand):
    help = "Check that PostgreSQL and Redis answer and that the web port is free."

    def add_arguments(self, parser):
        parser.add_argument("--port", type=int, default=None, help="web port that must be free")

    def handle(self, *args, port=None, **options):
        try:
            with connection.cursor() as cursor:
                cursor.execute("SELECT 1")
        except Exception as exc:
            raise CommandError(
                f"PostgreSQL does not answer at DATABASE_URL: {str(exc).strip().splitlines()[0]}"
            ) from None
        try:
            cache.set("ops:check-services", "1", timeout=5)
        except Exception as exc:
            raise CommandError(
                f"Redis does not answer at REDIS_URL: {str(exc).strip().splitlines()[0]}"
            ) from None
        if port is not None:
            with socket.socket() as sock:
                sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
                try:
                    sock.bind(("127.0.0.1", port))
                except OSError:
                    raise CommandError(
                        f"port {port} is busy: stop the program using it or run `make run PORT=<free port>`."
                    ) from None
        self.stdout.write("services ok")
