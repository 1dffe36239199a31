"""Preparing the gateway through its admin API, as an operator would: provider, client, key."""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.request
from typing import Any

PROVIDER_KEY = "sk-bench-0000"
# Limits that are never reached but make every request go through the shared limit
# counters (an atomic UPDATE … RETURNING in PostgreSQL), as a client with limits does.
GENEROUS_LIMITS = {"max_requests": 1_000_000_000, "max_tokens": 10**15,
                   "max_credits": "1000000000"}


def call(base: str, token: str, method: str, path: str, body: Any = None) -> Any:
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(
        base + path, data=data, method=method,
        headers={"authorization": f"Bearer {token}", "content-type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return json.loads(response.read() or b"null")
    except urllib.error.HTTPError as error:
        raise RuntimeError(f"{method} {path} answered {error.code}: "
                           f"{error.read()[:500]!r}") from None


def configure(base: str, admin_token: str, upstream_v1: str, limits: bool = True) -> str:
    """Points the default workspace at the simulator; returns a plaintext client key."""
    call(base, admin_token, "PUT", "/admin/v1/settings/provider",
         {"base_url": upstream_v1, "api_key": PROVIDER_KEY})
    client = call(base, admin_token, "POST", "/admin/v1/clients", {"name": "bench"})
    if limits:
        call(base, admin_token, "PUT", f"/admin/v1/clients/{client['id']}/limits",
             GENEROUS_LIMITS)
    issued = call(base, admin_token, "POST", f"/admin/v1/clients/{client['id']}/keys",
                  {"name": "bench"})
    return str(issued["key"])


def wait_until_key_works(base: str, key: str, body: bytes, timeout: float = 15.0,
                         needed: int = 20) -> None:
    """Every worker must know the key: they learn it by polling the management log, so a
    fresh key can be unknown to one worker for a moment. Wait for `needed` 200s in a row."""
    deadline = time.monotonic() + timeout
    in_a_row, last = 0, ""
    while time.monotonic() < deadline:
        request = urllib.request.Request(
            base + "/v1/chat/completions", data=body, method="POST",
            headers={"authorization": f"Bearer {key}", "content-type": "application/json"})
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                response.read()
                in_a_row += 1
                if in_a_row >= needed:
                    return
                continue
        except urllib.error.HTTPError as error:
            last = f"{error.code} {error.read()[:300]!r}"
        except OSError as error:
            last = repr(error)
        in_a_row = 0
        time.sleep(0.2)
    raise RuntimeError(f"the gateway does not accept the bench key: {last}")
