"""``llm-gateway serve`` from an empty directory, as ``make run`` starts it."""

from __future__ import annotations

import re

import httpx

from tests.e2e.servers import free_port, start_gateway, stop


def test_serve_prints_a_working_admin_token_on_a_fresh_sqlite_store(tmp_path):
    port = free_port()
    process = start_gateway(tmp_path, port, env={"GATEWAY_ADMIN_TOKEN": "",
                                                 "GATEWAY_DATABASE_URL": ""})
    try:
        banner = (tmp_path / f"gateway-{port}.log").read_text()
        token = re.search(r"Admin token\s+(\S+)", banner).group(1)

        response = httpx.get(f"http://127.0.0.1:{port}/admin/v1/clients",
                             headers={"Authorization": f"Bearer {token}"})
    finally:
        stop(process)

    assert response.status_code == 200
    assert response.json() == []
    assert "Staff login" in banner
    assert (tmp_path / "data" / "gateway.db").exists()
