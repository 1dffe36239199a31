"""llm-gateway audit over a store that served real traffic, on both backends."""

from __future__ import annotations

import json
import os
import subprocess

import pytest

from tests.audit.test_audit_replay import mixed_traffic
from tests.conftest import ADMIN_TOKEN, SECRET_KEY
from tests.e2e.servers import BIN

pytestmark = pytest.mark.slow


def audit(proxy, tmp_path, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "GATEWAY_DATABASE_URL": proxy.gateway.settings.database_url,
           "GATEWAY_DATA_DIR": str(tmp_path), "GATEWAY_SECRET_KEY": SECRET_KEY,
           "GATEWAY_ADMIN_TOKEN": ADMIN_TOKEN}
    return subprocess.run([str(BIN / "llm-gateway"), "audit", *args,
                           "--client", str(proxy.client_id)], env=env, cwd=tmp_path,
                          capture_output=True, text=True, timeout=120)


def test_replay_writes_a_statement_and_reconcile_finds_every_source_agreeing(proxy, tmp_path):
    mixed_traffic(proxy)
    proxy.gateway.projections.catch_up()

    replayed = audit(proxy, tmp_path, "replay", "--out", str(tmp_path / "statement"))
    reconciled = audit(proxy, tmp_path, "reconcile")

    statement = json.loads((tmp_path / "statement" / "statement.json").read_text())
    events = proxy.usage_events()
    assert replayed.returncode == 0, replayed.stderr
    assert statement["events"] == len(events) == 13
    assert statement["total"]["billed_cost"] == str(sum(e.billed_cost for e in events))
    assert (tmp_path / "statement" / "statement.csv").read_text().count("\n") > 3
    assert "replaying" in replayed.stderr  # the progress bar
    assert reconciled.returncode == 0, reconciled.stdout + reconciled.stderr
    assert "all agree" in reconciled.stdout


def test_verify_without_a_closed_cycle_says_so(proxy, tmp_path):
    result = audit(proxy, tmp_path, "verify")

    assert result.returncode == 2
    assert "no closed cycle" in result.stderr
