"""``rm_api_keys``: one row per gateway key, without any hash of its secret."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from domain.api_key import ApiKey
from projections.ports import ReadModelCursor

DDL = (
    """CREATE TABLE IF NOT EXISTS rm_api_keys (
        id TEXT PRIMARY KEY,
        workspace_id TEXT NOT NULL,
        client_id TEXT NOT NULL,
        public_id TEXT NOT NULL UNIQUE,
        name TEXT NOT NULL,
        created_at TIMESTAMP_T NOT NULL,
        expires_at TIMESTAMP_T,
        revoked_at TIMESTAMP_T,
        regenerated_at TIMESTAMP_T
    )""",
    "CREATE INDEX IF NOT EXISTS rm_api_keys_by_client ON rm_api_keys (workspace_id, client_id)",
)

ISSUE = """INSERT INTO rm_api_keys (id, workspace_id, client_id, public_id, name, created_at,
    expires_at) VALUES (:id, :workspace_id, :client_id, :public_id, :name, :at, :expires_at)
    ON CONFLICT DO NOTHING"""
# No conflict target: PostgreSQL resolves only the target's conflicts, and two runners
# racing on one batch collide on public_id as well as id (the loser then rolls back on its
# tracking position).


def _update(event: Any) -> tuple[str, dict[str, Any]] | None:
    if isinstance(event, ApiKey.Regenerated):
        return "regenerated_at = :at", {}
    if isinstance(event, ApiKey.Revoked):
        return "revoked_at = :revoked_at", {"revoked_at": event.revoked_at}
    if isinstance(event, ApiKey.ExpirySet):
        return "expires_at = :expires_at", {"expires_at": event.expires_at}
    return None


class ApiKeysProjection:
    name = "api_keys_v1"
    source = "management"
    tables: tuple[str, ...] = ("rm_api_keys",)

    def ddl(self) -> Sequence[str]:
        return DDL

    def apply(self, events: Sequence[Any], cursor: ReadModelCursor) -> None:
        for event in events:
            at = {"id": event.originator_id, "at": event.timestamp}
            if isinstance(event, ApiKey.Issued):
                cursor.execute(ISSUE, at | {
                    "workspace_id": event.workspace_id, "client_id": event.client_id,
                    "public_id": event.public_id, "name": event.name,
                    "expires_at": event.expires_at})
                continue
            update = _update(event)
            if update is not None:
                assignments, params = update
                cursor.execute(f"UPDATE rm_api_keys SET {assignments} WHERE id = :id",
                               at | params)
