"""Before serving: the web port is free and PostgreSQL and Redis answer. One line per problem.

The checks open their own short-timeout connections instead of going through
Django's pool and cache: the pool would retry for its full timeout and log a
warning per attempt, and the real reason ("database … does not exist",
"connection refused") would be lost behind "couldn't get a connection".
"""

import socket

import psycopg
import redis
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

CONNECT_TIMEOUT_SECONDS = 5


def _first_line(exc: Exception) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


class Command(BaseCommand):
    help = "Check that the web port is free and that PostgreSQL and Redis answer."

    def add_arguments(self, parser):
        parser.add_argument("--port", type=int, default=None, help="web port that must be free")

    def handle(self, *args, port=None, **options):
        if port is not None:
            self.check_port_free(port)
        self.check_database()
        self.check_redis()
        self.stdout.write("services ok")

    def check_port_free(self, port: int) -> None:
        with socket.socket() as sock:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            try:
                sock.bind(("127.0.0.1", port))
            except OSError:
                raise CommandError(
                    f"port {port} is busy: stop the program using it or run `make run PORT=<free port>`."
                ) from None

    def check_database(self) -> None:
        params = connection.get_connection_params()
        try:
            with psycopg.connect(**params, connect_timeout=CONNECT_TIMEOUT_SECONDS) as conn:
                conn.execute("SELECT 1")
        except psycopg.Error as exc:
            raise CommandError(
                f"PostgreSQL does not answer at DATABASE_URL: {_first_line(exc)}"
            ) from None

    def check_redis(self) -> None:
        client = redis.Redis.from_url(
            settings.REDIS_URL,
            socket_connect_timeout=CONNECT_TIMEOUT_SECONDS,
            socket_timeout=CONNECT_TIMEOUT_SECONDS,
        )
        try:
            client.ping()
        except redis.RedisError as exc:
            raise CommandError(f"Redis does not answer at REDIS_URL: {_first_line(exc)}") from None
        finally:
            client.close()
