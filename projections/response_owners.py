"""``rm_response_owners``: which client created each stored Responses-API response.

Any gateway process can then refuse a client another client's response id, not only the
process that relayed its creation.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any
from uuid import UUID

from domain.usage import Outcome, UsageRecorded
from projections.ports import ReadModelCursor, ReadModelDatabase

DDL = ("""CREATE TABLE IF NOT EXISTS rm_response_owners (
        response_id TEXT PRIMARY KEY,
        workspace_id TEXT NOT NULL,
        client_id TEXT NOT NULL
    )""",)
INSERT = """INSERT INTO rm_response_owners (response_id, workspace_id, client_id)
    VALUES (:response_id, :workspace_id, :client_id) ON CONFLICT (response_id) DO NOTHING"""


class ResponseOwnersProjection:
    name = "response_owners_v1"
    source = "ledger"
    tables: tuple[str, ...] = ("rm_response_owners",)

    def ddl(self) -> Sequence[str]:
        return DDL

    def apply(self, events: Sequence[Any], cursor: ReadModelCursor) -> None:
        rows = [{"response_id": e.response_id, "workspace_id": e.workspace_id,
                 "client_id": e.client_id}
                for e in events if isinstance(e, UsageRecorded) and e.response_id
                and e.endpoint == "responses" and e.outcome == Outcome.OK.value]
        if rows:
            cursor.executemany(INSERT, rows)


def response_owner(database: ReadModelDatabase, response_id: str) -> UUID | None:
    rows = database.fetch_all("SELECT client_id FROM rm_response_owners "
                              "WHERE response_id = :response_id", {"response_id": response_id})
    return UUID(str(rows[0]["client_id"])) if rows else None
