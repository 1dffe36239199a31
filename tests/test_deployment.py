"""docker-compose.yml describes the production topology, and validates."""

import os
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def test_compose_file_validates_with_postgres_replicas_nginx_and_dashboard():
    compose = shutil.which("docker-compose")
    if compose is None:
        pytest.fail("docker-compose is required (Debian package docker-compose; .ci/run "
                    "installs it)")
    env = {**os.environ, "GATEWAY_SECRET_KEY": "s" * 40, "GATEWAY_ADMIN_TOKEN": "t" * 40}

    result = subprocess.run([compose, "-f", str(ROOT / "docker-compose.yml"), "config"],
                            capture_output=True, text=True, env=env, timeout=60, cwd=ROOT)

    assert result.returncode == 0, result.stderr
    config = result.stdout
    for service in ("postgres:", "gateway:", "nginx:", "dashboard:", "projector:"):
        assert f"\n  {service}" in config
    assert "replicas: 2" in config
    assert "GATEWAY_ENV: production" in config
