"""The dashboard over HTTP without a browser: sign in, then fire Dash callbacks by hand.

Firing a callback the way dash_renderer does lets a test send what no screen would offer:
another workspace's ids, a write from a read-only role, a missing CSRF token.
"""

from __future__ import annotations

from typing import Any

import httpx
from fastapi.testclient import TestClient

from dashboard.app import create_dashboard
from dashboard.security.csrf import CSRF_COOKIE
from infrastructure.bootstrap import Gateway
from proxy_api.app import create_app

UPDATE = "/dashboard/_dash-update-component"


def _outputs(key: str) -> list[dict[str, str]] | dict[str, str]:
    multi = key.startswith("..")
    parts = key.strip(".").split("...") if multi else [key]
    outputs = []
    for part in parts:
        component, prop = part.split("@")[0].rsplit(".", 1)
        outputs.append({"id": component, "property": prop})
    return outputs if multi else outputs[0]


class DashboardClient:
    def __init__(self, gateway: Gateway):
        self.http = TestClient(create_app(gateway), base_url="http://gateway")
        self.callbacks = create_dashboard(gateway).callback_map

    def __enter__(self) -> DashboardClient:
        self.http.__enter__()
        return self

    def __exit__(self, *exc: object) -> None:
        self.http.__exit__(*exc)

    @property
    def csrf(self) -> str | None:
        return self.http.cookies.get(CSRF_COOKIE, path="/dashboard")

    def login(self, email: str, password: str, csrf: str | None = "from-cookie",
              headers: dict[str, str] | None = None) -> httpx.Response:
        self.http.get("/dashboard/login")
        form = {"email": email, "password": password, "next": "/"}
        if csrf is not None:
            form["csrf_token"] = self.csrf if csrf == "from-cookie" else csrf
        return self.http.post("/dashboard/login", data=form, headers=headers or {},
                              follow_redirects=False)

    def fire(self, output: str, values: dict[str, Any] | None = None,
             headers: dict[str, str] | None = None, csrf: bool = True) -> httpx.Response:
        """Calls the callback whose output key starts with ``output``; ``values`` maps
        ``"id.property"`` to what the browser would send (None when absent)."""
        key = next(k for k in self.callbacks if k.strip(".").startswith(output))
        spec, values = self.callbacks[key], values or {}

        def sent(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
            return [{"id": i["id"], "property": i["property"],
                     "value": values.get(f"{i['id']}.{i['property']}")} for i in items]

        inputs = sent(spec["inputs"])
        body = {"output": key, "outputs": _outputs(key), "inputs": inputs,
                "state": sent(spec["state"]),
                "changedPropIds": [f"{inputs[0]['id']}.{inputs[0]['property']}"]}
        token = {"X-CSRFToken": self.csrf or ""} if csrf else {}
        return self.http.post(UPDATE, json=body, headers={**token, **(headers or {})})
