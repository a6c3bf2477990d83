"""A configuration mistake stops start-up with one line saying what to set, never a traceback.

Each case runs the real entry point (manage.py, gunicorn, celery) in a subprocess
with a deliberately broken environment.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent


def good_env() -> dict[str, str]:
    """The environment the test run itself uses: real servers, a secret, DEBUG off."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST")}
    env.update(DEBUG="false", SECRET_KEY="a-secret-for-the-configuration-tests-0123456789")
    env["DATABASE_URL"] = os.environ["DATABASE_URL"]
    env["REDIS_URL"] = settings.REDIS_URL
    return env


def run(argv: list[str], env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(argv, cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)


def manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    return run([sys.executable, "manage.py", *args], env)


def without(env: dict[str, str], name: str) -> dict[str, str]:
    return {k: v for k, v in env.items() if k != name}


CASES = {
    "database_url_unset": (
        lambda env: without(env, "DATABASE_URL"),
        "Configuration error: DATABASE_URL is not set: set it to a URL such as "
        "postgres://user@127.0.0.1:5432/portal (or use `make run` / `make test`, "
        "which start embedded servers).",
    ),
    "database_url_malformed": (
        lambda env: {**env, "DATABASE_URL": "mysql://portal@db/portal"},
        "Configuration error: DATABASE_URL='mysql://portal@db/portal' is not a valid URL: "
        "expected postgres://user@127.0.0.1:5432/portal (scheme one of postgres, postgresql).",
    ),
    "secret_key_missing_without_debug": (
        lambda env: without(env, "SECRET_KEY"),
        "Configuration error: SECRET_KEY is not set: set it in the environment.",
    ),
    "bad_boolean": (
        lambda env: {**env, "DEBUG": "maybe"},
        "Configuration error: DEBUG='maybe' is not a boolean: use true or false.",
    ),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_manage_py_prints_one_configuration_line_and_exits_2(case):
    broken, line = CASES[case]
    result = manage("check", env=broken(good_env()))
    assert result.returncode == 2
    assert result.stderr.splitlines() == [line]
    assert "Traceback" not in result.stdout + result.stderr


def test_a_secret_key_is_not_needed_when_debugging():
    env = {**without(good_env(), "SECRET_KEY"), "DEBUG": "true"}
    result = manage("check", env=env)
    assert result.returncode == 0, result.stderr


def test_gunicorn_stops_with_one_line_on_a_configuration_error():
    env = without(good_env(), "DATABASE_URL")
    # gunicorn.conf.py (read from the working directory) preloads the app before binding.
    result = run(
        [str(BIN / "gunicorn"), "efficiency_portal.wsgi:application", "-b", "127.0.0.1:0"], env
    )
    assert result.returncode == 4
    assert result.stderr.splitlines() == [CASES["database_url_unset"][1]]


@pytest.mark.parametrize("command", ["worker", "beat"])
def test_celery_stops_with_one_line_on_a_configuration_error(command):
    env = {**good_env(), "DEBUG": "maybe"}
    result = run([str(BIN / "celery"), "-A", "efficiency_portal", command], env)
    assert result.returncode == 4
    assert result.stderr.splitlines() == [CASES["bad_boolean"][1]]


def test_check_services_names_the_busy_port():
    with socket.socket() as squatter:
        squatter.bind(("127.0.0.1", 0))
        squatter.listen()
        busy = squatter.getsockname()[1]
        result = manage("check_services", "--port", str(busy), env=good_env())
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        f"CommandError: port {busy} is busy: stop the program using it or run "
        "`make run PORT=<free port>`."
    ]


def test_check_services_says_redis_is_unreachable_in_one_line():
    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))
        dead = closed.getsockname()[1]  # bound but not listening: connection refused
        result = manage(
            "check_services", env={**good_env(), "REDIS_URL": f"redis://127.0.0.1:{dead}/0"}
        )
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        f"CommandError: Redis does not answer at REDIS_URL: Error 111 connecting to 127.0.0.1:{dead}. "
        "Connection refused."
    ]


def test_check_services_says_the_database_is_unreachable_in_one_line():
    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))
        dead = closed.getsockname()[1]
        env = {**good_env(), "DATABASE_URL": f"postgres://portal@127.0.0.1:{dead}/portal"}
        result = manage("check_services", env=env)
    assert result.returncode == 1
    [line] = result.stderr.splitlines()
    assert line.startswith("CommandError: PostgreSQL does not answer at DATABASE_URL: ")
    assert f"port {dead} failed: Connection refused" in line


def test_check_services_passes_when_everything_answers():
    result = manage("check_services", env=good_env())
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "services ok"
