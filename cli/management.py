"""CLI commands mirroring the admin API, run through the same application commands."""

from __future__ import annotations

import argparse
from datetime import datetime
from typing import Any
from uuid import UUID

from cli.output import emit
from domain.errors import NotFound
from infrastructure.bootstrap import Gateway
from proxy_api.admin.presenters import (
    client_public,
    key_public,
    model_public,
    provider_public,
    staff_public,
)
from proxy_api.admin.schemas import KeyIssued

CLIENT_COLUMNS = ("id", "name", "email", "company", "status", "markup_percent")
KEY_COLUMNS = ("id", "prefix", "name", "status", "expires_at")


def _limits(args: argparse.Namespace) -> dict[str, Any]:
    names = ("cycle", "anchor_day", "timezone", "max_requests", "max_tokens", "max_credits",
             "max_sessions", "max_calls_per_execution", "execution_window_seconds")
    policy = {n: getattr(args, n) for n in names if getattr(args, n) is not None}
    policy["enforce"] = not args.no_enforce
    return policy


def run(gateway: Gateway, args: argparse.Namespace) -> None:
    ws: UUID = args.workspace
    now = gateway.clock.now()
    state = gateway.state
    match (args.group, args.action):
        case ("clients", "list"):
            emit([client_public(c) for c in state.clients_of(ws, args.search, args.status)],
                 args.json, CLIENT_COLUMNS)
        case ("clients", "create"):
            emit(client_public(gateway.clients.register(
                ws, args.name, args.email, args.company, args.phone)), args.json)
        case ("clients", "show"):
            client = state.client(ws, args.client_id)
            if client is None:
                raise NotFound(f"client {args.client_id} not found")
            emit(client_public(client), args.json)
        case ("clients", "update"):
            changes = {k: getattr(args, k) for k in ("name", "email", "company", "phone")
                       if getattr(args, k) is not None}
            emit(client_public(gateway.clients.update_profile(ws, args.client_id, **changes)),
                 args.json)
        case ("clients", "status"):
            emit(client_public(gateway.clients.change_status(
                ws, args.client_id, args.status, args.reason)), args.json)
        case ("clients", "limits"):
            emit(client_public(gateway.clients.set_limits(ws, args.client_id, _limits(args))),
                 args.json)
        case ("clients", "markup"):
            emit(client_public(gateway.clients.set_markup(ws, args.client_id, args.percent)),
                 args.json)
        case ("keys", "list"):
            emit([key_public(k, now) for k in state.keys_of(ws, args.client_id)], args.json,
                 KEY_COLUMNS)
        case ("keys", "issue"):
            expires = datetime.fromisoformat(args.expires_at) if args.expires_at else None
            issued = gateway.keys.issue(ws, args.client_id, args.name, expires)
            _emit_issued(issued, now, args.json)
        case ("keys", "regenerate"):
            _emit_issued(gateway.keys.regenerate(ws, args.key_id, args.grace_seconds), now,
                         args.json)
        case ("keys", "revoke"):
            emit(key_public(gateway.keys.revoke(ws, args.key_id, args.reason), now), args.json)
        case ("keys", "expiry"):
            expires = datetime.fromisoformat(args.expires_at) if args.expires_at else None
            emit(key_public(gateway.keys.set_expiry(ws, args.key_id, expires), now), args.json)
        case ("models", "list"):
            models = [model_public(m, now) for m in state.models_of(ws)]
            emit(models if args.json else [_model_row(m) for m in models], args.json,
                 ("id", "enabled", "input_per_million", "output_per_million",
                  "cached_input_per_million", "price_version"))
        case ("models", "set"):
            fields = {k: getattr(args, k) for k in (
                "input_per_million", "output_per_million", "cached_input_per_million")
                if getattr(args, k) is not None}
            if args.enable is not None:
                fields["enabled"] = args.enable
            emit(model_public(gateway.models.configure(ws, args.model_id, **fields), now),
                 args.json)
        case ("provider", "show"):
            workspace = state.workspace(ws)
            if workspace is None:
                raise NotFound(f"workspace {ws} not found")
            emit(provider_public(workspace), args.json)
        case ("provider", "set"):
            emit(provider_public(gateway.workspaces.set_provider(
                ws, args.base_url, args.timeout_seconds, args.api_key)), args.json)
        case ("staff", "list"):
            emit([staff_public(s) for s in state.staff_of(ws)], args.json,
                 ("id", "email", "role", "active"))
        case ("staff", "add"):
            emit(staff_public(gateway.staff.add(ws, args.email, args.password, args.role)),
                 args.json)
        case ("tokens", "issue"):
            token = gateway.workspaces.issue_admin_token(ws, args.name)
            emit({"admin_token": token, "note": "shown once; store it now"}, args.json)
        case _:
            raise SystemExit(f"unknown command {args.group} {args.action}")


def _model_row(model: Any) -> dict[str, Any]:
    price = model.price
    return {"id": model.id, "enabled": model.enabled,
            "input_per_million": price.input_per_million if price else "",
            "output_per_million": price.output_per_million if price else "",
            "cached_input_per_million": price.cached_input_per_million or "" if price else "",
            "price_version": price.version if price else ""}


def _emit_issued(issued: Any, now: datetime, as_json: bool) -> None:
    public = key_public(issued.key, now)
    emit(KeyIssued(**public.model_dump(), key=issued.plaintext), as_json)
    if not as_json:
        print("The key above is shown once. Store it now.")
