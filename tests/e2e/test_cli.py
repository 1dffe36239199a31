"""The llm-gateway command line, as a script would use it."""

from __future__ import annotations

import json
import os
import subprocess

from tests.conftest import ADMIN_TOKEN, SECRET_KEY
from tests.e2e.servers import BIN


def cli(tmp_path, *args: str) -> str:
    env = {**os.environ, "GATEWAY_DATABASE_URL": f"sqlite:///{tmp_path}/gateway.db",
           "GATEWAY_DATA_DIR": str(tmp_path), "GATEWAY_SECRET_KEY": SECRET_KEY,
           "GATEWAY_ADMIN_TOKEN": ADMIN_TOKEN}
    result = subprocess.run([str(BIN / "llm-gateway"), *args], env=env, cwd=tmp_path,
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_a_client_key_and_limits_can_be_managed_from_the_command_line(tmp_path):
    client = json.loads(cli(tmp_path, "--json", "clients", "create", "Acme",
                            "--email", "ops@acme.io"))
    key = json.loads(cli(tmp_path, "--json", "keys", "issue", client["id"], "--name", "bot"))
    limits = json.loads(cli(tmp_path, "--json", "clients", "limits", client["id"],
                            "--max-requests", "500", "--max-credits", "25.50",
                            "--timezone", "Europe/Berlin"))
    listed = cli(tmp_path, "clients", "list")
    models = cli(tmp_path, "models", "list")

    assert key["key"].startswith("llm_gw_")
    assert limits["limits"]["max_credits"] == "25.50"
    assert "Acme" in listed and "ops@acme.io" in listed
    assert "gpt-4o-mini" in models


def test_errors_are_reported_on_stderr_with_a_nonzero_exit(tmp_path):
    env = {**os.environ, "GATEWAY_DATABASE_URL": f"sqlite:///{tmp_path}/gateway.db",
           "GATEWAY_DATA_DIR": str(tmp_path)}

    result = subprocess.run([str(BIN / "llm-gateway"), "clients", "status",
                             "00000000-0000-0000-0000-000000000000", "suspended"],
                            env=env, cwd=tmp_path, capture_output=True, text=True, timeout=60)

    assert result.returncode == 2
    assert "not found" in result.stderr


def test_projections_run_as_a_worker_of_their_own_until_stopped(tmp_path):
    import signal
    import time

    env = {**os.environ, "GATEWAY_DATABASE_URL": f"sqlite:///{tmp_path}/gateway.db",
           "GATEWAY_DATA_DIR": str(tmp_path), "GATEWAY_SECRET_KEY": SECRET_KEY,
           "GATEWAY_ADMIN_TOKEN": ADMIN_TOKEN}
    cli(tmp_path, "clients", "create", "Acme")
    worker = subprocess.Popen([str(BIN / "llm-gateway"), "projections", "run"], env=env,
                              cwd=tmp_path, stderr=subprocess.PIPE, text=True)
    time.sleep(4)
    worker.send_signal(signal.SIGTERM)
    _, stderr = worker.communicate(timeout=30)

    status = json.loads(cli(tmp_path, "projections", "status", "--json"))
    assert worker.returncode == 0, stderr
    assert "running projections" in stderr
    assert all(row["lag"] == 0 for row in status)
