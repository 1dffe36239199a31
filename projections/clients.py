"""``rm_clients``: one row per client, for listing, searching and filtering by status.

Management events are few and each changes a different thing, so they are applied one by
one, in log order; there is nothing worth pre-aggregating.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from domain.client import Client, ClientStatus
from domain.limit_policy import LimitPolicy
from projections.ports import ReadModelCursor

DDL = (
    """CREATE TABLE IF NOT EXISTS rm_clients (
        id TEXT PRIMARY KEY,
        workspace_id TEXT NOT NULL,
        name TEXT NOT NULL,
        email TEXT,
        company TEXT,
        phone TEXT,
        status TEXT NOT NULL,
        status_reason TEXT,
        markup_percent DECIMAL_T NOT NULL,
        limit_policy TEXT NOT NULL,
        created_at TIMESTAMP_T NOT NULL,
        updated_at TIMESTAMP_T NOT NULL
    )""",
    "CREATE INDEX IF NOT EXISTS rm_clients_by_status ON rm_clients (workspace_id, status)",
    "CREATE INDEX IF NOT EXISTS rm_clients_by_created ON rm_clients (workspace_id, created_at)",
)

REGISTER = """INSERT INTO rm_clients (id, workspace_id, name, email, company, phone, status,
    status_reason, markup_percent, limit_policy, created_at, updated_at)
    VALUES (:id, :workspace_id, :name, :email, :company, :phone, :status, NULL, 0,
            :limit_policy, :at, :at)
    ON CONFLICT (id) DO NOTHING"""


def _policy_json(policy: dict[str, Any]) -> str:
    return json.dumps(policy, sort_keys=True)


def _registered(event: Any) -> dict[str, Any]:
    return {"workspace_id": event.workspace_id, "name": event.name, "email": event.email,
            "company": event.company, "phone": event.phone,
            "status": ClientStatus.ACTIVE.value,
            "limit_policy": _policy_json(LimitPolicy().to_primitive())}


def _update(event: Any) -> tuple[str, dict[str, Any]] | None:
    """The columns an event changes, as SET assignments and their parameters."""
    if isinstance(event, Client.ProfileUpdated):
        return ("name = :name, email = :email, company = :company, phone = :phone",
                {"name": event.name, "email": event.email, "company": event.company,
                 "phone": event.phone})
    if isinstance(event, Client.StatusChanged):
        return ("status = :status, status_reason = :reason",
                {"status": event.status, "reason": event.reason})
    if isinstance(event, Client.LimitPolicySet):
        return "limit_policy = :policy", {"policy": _policy_json(event.policy)}
    if isinstance(event, Client.MarkupSet):
        return "markup_percent = :markup", {"markup": event.markup_percent}
    return None


class ClientsProjection:
    name = "clients_v1"
    source = "management"
    tables: tuple[str, ...] = ("rm_clients",)

    def ddl(self) -> Sequence[str]:
        return DDL

    def apply(self, events: Sequence[Any], cursor: ReadModelCursor) -> None:
        for event in events:
            at = {"id": event.originator_id, "at": event.timestamp}
            if isinstance(event, Client.Registered):
                cursor.execute(REGISTER, at | _registered(event))
                continue
            update = _update(event)
            if update is not None:
                assignments, params = update
                cursor.execute(f"UPDATE rm_clients SET {assignments}, updated_at = :at "
                               "WHERE id = :id", at | params)
