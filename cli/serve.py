"""``llm-gateway serve``: one-time setup, a banner saying what to open, then uvicorn."""

from __future__ import annotations

import argparse

import uvicorn

from infrastructure.bootstrap import FirstRun, Gateway, ensure_default_workspace
from infrastructure.json_logging import configure_json_logging


def banner(gateway: Gateway, first_run: FirstRun, base: str) -> str:
    db = gateway.database
    store = f"SQLite file {db.sqlite_path}" if db.backend == "sqlite" else \
        f"PostgreSQL {db.host}:{db.port}/{db.dbname}"
    lines = [
        "",
        f"LLM Gateway is starting on {store}",
        f"  OpenAI-compatible proxy  {base}/v1",
        f"  Admin API                {base}/admin/v1   (OpenAPI docs: {base}/docs)",
        f"  Dashboard                {base}/dashboard/",
    ]
    if first_run.admin_token:
        lines.append(f"  Admin token              {first_run.admin_token}")
    if first_run.staff_email:
        lines.append(f"  Staff login              {first_run.staff_email} / "
                     f"{first_run.staff_password}")
    if first_run.admin_token:
        lines += [
            "",
            "Try it:",
            f"  curl -H 'Authorization: Bearer {first_run.admin_token}' {base}/admin/v1/clients",
            "  Then see README.md: set the provider, create a client and a key, and call the",
            "  gateway with the OpenAI SDK (or `llm-gateway simulate-upstream` to stay offline).",
        ]
    return "\n".join(lines) + "\n"


def serve(gateway: Gateway, args: argparse.Namespace) -> None:
    first_run = ensure_default_workspace(gateway)
    settings = gateway.settings
    host, port = args.host or settings.host, args.port or settings.port
    print(banner(gateway, first_run, f"http://{host}:{port}"), flush=True)
    gateway.close()
    # With several workers this process is uvicorn's supervisor: its lines (a worker that
    # died or missed its health check and was replaced) must reach the log too.
    configure_json_logging(settings.log_level, settings.access_log)
    uvicorn.run("proxy_api.asgi:create_app_from_environment", factory=True, host=host,
                port=port, workers=args.workers or settings.workers, loop="uvloop",
                http="httptools", log_level=settings.log_level, access_log=False,
                log_config=None)
