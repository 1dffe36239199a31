"""The two event stores: management (aggregates) and the usage ledger (one event a request).

Each is an eventsourcing Application with tables of its own (``management_events`` and
``ledger_events``) and so a lock of its own, whether the backend is PostgreSQL or an
SQLite file: heavy ledger writes never queue behind a staff member's edit.
"""

from __future__ import annotations

from typing import Any

from eventsourcing.application import Application
from eventsourcing.persistence import ApplicationRecorder
from eventsourcing.sqlite import SQLiteApplicationRecorder, SQLiteFactory
from eventsourcing.utils import Environment

from infrastructure.database_url import DatabaseUrl
from infrastructure.event_topics import register_stable_topics


class _GatewayApplication(Application[Any]):
    def construct_env(self, name: str, env: Any = None) -> Environment:
        # Settings come from the composition root only, never from os.environ directly.
        return Environment(name, dict(env or {}))

    def construct_recorder(self) -> ApplicationRecorder:
        if isinstance(self.factory, SQLiteFactory):
            # Every SQLite application would otherwise share one "stored_events" table.
            recorder = SQLiteApplicationRecorder(
                self.factory.datastore, events_table_name=f"{self.name.lower()}_events")
            recorder.create_table()
            return recorder
        return super().construct_recorder()


class ManagementEvents(_GatewayApplication):
    name = "management"


class LedgerEvents(_GatewayApplication):
    name = "ledger"


def open_management(url: DatabaseUrl) -> ManagementEvents:
    register_stable_topics()
    return ManagementEvents(env=url.eventsourcing_env())


def open_ledger(url: DatabaseUrl) -> LedgerEvents:
    register_stable_topics()
    return LedgerEvents(env=url.eventsourcing_env())
