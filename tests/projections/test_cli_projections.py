"""``llm-gateway projections status`` and ``rebuild``, as an operator runs them."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from tests.conftest import ADMIN_TOKEN, SECRET_KEY
from tests.projections.usage_events import dump, store, traffic

BIN = Path(sys.executable).parent


def cli(tmp_path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "GATEWAY_DATABASE_URL": f"sqlite:///{tmp_path}/gateway.db",
           "GATEWAY_DATA_DIR": str(tmp_path), "GATEWAY_SECRET_KEY": SECRET_KEY,
           "GATEWAY_ADMIN_TOKEN": ADMIN_TOKEN}
    return subprocess.run([str(BIN / "llm-gateway"), *args], env=env, cwd=tmp_path,
                          capture_output=True, text=True, timeout=60)


def test_status_shows_the_lag_of_each_projection(make_gateway, sqlite_url, tmp_path):
    gateway = make_gateway(sqlite_url)
    store(gateway, traffic(30))
    gateway.close()

    result = cli(tmp_path, "projections", "status", "--json")
    table = cli(tmp_path, "projections", "status").stdout

    assert result.returncode == 0, result.stderr
    status = {s["name"]: s for s in json.loads(result.stdout)}
    assert status["request_log_v1"]["lag"] == 30
    assert status["request_log_v1"]["head"] == 30
    assert "USAGE_HOURLY_V1" not in table and "usage_hourly_v1" in table and "LAG" in table


def test_a_rebuild_replays_a_projection_with_a_progress_bar(make_gateway, sqlite_url, tmp_path):
    gateway = make_gateway(sqlite_url)
    store(gateway, traffic(700))
    gateway.projections.catch_up()
    built_live = dump(gateway.read_models, "rm_usage_hourly")
    gateway.close()

    result = cli(tmp_path, "projections", "rebuild", "usage_hourly_v1")

    assert result.returncode == 0, result.stderr
    assert "700/700 events" in result.stderr and "events/s" in result.stderr
    assert "rebuilt usage_hourly_v1: 700 events" in result.stdout
    reopened = make_gateway(sqlite_url)
    assert dump(reopened.read_models, "rm_usage_hourly") == built_live


def test_a_rebuild_asked_while_a_server_runs_the_projections_is_replayed_by_it(
        make_gateway, sqlite_url, tmp_path):
    server = make_gateway(sqlite_url)
    store(server, traffic(400))
    server.projections.start()  # holds the election: the command line only watches

    result = cli(tmp_path, "projections", "rebuild", "request_log_v1", "--timeout", "30")

    assert result.returncode == 0, result.stderr
    assert "400/400 events" in result.stderr
    [logged] = server.read_models.fetch_all("SELECT COUNT(*) AS n FROM rm_request_log")
    assert logged["n"] == 400


def test_an_unknown_projection_is_an_error(tmp_path):
    result = cli(tmp_path, "projections", "rebuild", "no_such_view")

    assert result.returncode == 2
    assert "unknown projection" in result.stderr
