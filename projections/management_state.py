"""In-memory read model of every management aggregate, indexed the way readers ask.

It is fed the management events in log order (``apply``). Readers on other threads only
ever see whole aggregates: each change is applied to a copy that then replaces the old one.
Management events are few (thousands, not millions), so holding them all in memory keeps
key checks and limit lookups off the database entirely.
"""

from __future__ import annotations

import copy
import threading
from collections import defaultdict
from typing import Any
from uuid import UUID

from domain.api_key import ApiKey
from domain.catalog_model import CatalogModel
from domain.client import Client
from domain.staff import StaffMember
from domain.workspace import Workspace


class ManagementState:
    def __init__(self) -> None:
        self.position = 0
        self._lock = threading.Lock()
        self.aggregates: dict[UUID, Any] = {}
        self.workspaces: dict[UUID, Workspace] = {}
        self.workspace_by_admin_token_hash: dict[str, UUID] = {}
        self.clients: dict[UUID, Client] = {}
        self.client_ids_by_workspace: dict[UUID, set[UUID]] = defaultdict(set)
        self.keys: dict[UUID, ApiKey] = {}
        self.keys_by_public_id: dict[str, ApiKey] = {}
        self.key_ids_by_client: dict[UUID, set[UUID]] = defaultdict(set)
        self.models: dict[tuple[UUID, str], CatalogModel] = {}
        self.staff: dict[UUID, StaffMember] = {}
        self.listeners: list[Any] = []

    def apply(self, event: Any, position: int) -> None:
        with self._lock:
            current = self._current(event.originator_id)
            updated = event.mutate(copy.deepcopy(current) if current is not None else None)
            if updated is not None:
                self._index(updated)
            self.position = position
        for listener in self.listeners:
            listener(event)

    def _current(self, aggregate_id: UUID) -> Any:
        return self.aggregates.get(aggregate_id)

    def _index(self, aggregate: Any) -> None:
        self.aggregates[aggregate.id] = aggregate
        if isinstance(aggregate, Workspace):
            self.workspaces[aggregate.id] = aggregate
            stale = [h for h, ws in self.workspace_by_admin_token_hash.items()
                     if ws == aggregate.id and h not in aggregate.admin_token_hashes]
            for token_hash in stale:
                del self.workspace_by_admin_token_hash[token_hash]
            for token_hash in aggregate.admin_token_hashes:
                self.workspace_by_admin_token_hash[token_hash] = aggregate.id
        elif isinstance(aggregate, Client):
            self.clients[aggregate.id] = aggregate
            self.client_ids_by_workspace[aggregate.workspace_id].add(aggregate.id)
        elif isinstance(aggregate, ApiKey):
            self.keys[aggregate.id] = aggregate
            self.keys_by_public_id[aggregate.public_id] = aggregate
            self.key_ids_by_client[aggregate.client_id].add(aggregate.id)
        elif isinstance(aggregate, CatalogModel):
            self.models[(aggregate.workspace_id, aggregate.model_id)] = aggregate
        elif isinstance(aggregate, StaffMember):
            self.staff[aggregate.id] = aggregate

    # Lookups by globally unique id, for the proxy's key check (KeyDirectory).

    def key_by_public_id(self, public_id: str) -> ApiKey | None:
        return self.keys_by_public_id.get(public_id)

    def client_by_id(self, client_id: UUID) -> Client | None:
        return self.clients.get(client_id)

    # Queries. Each is scoped to one workspace, so no caller can see another tenant.

    def workspace(self, workspace_id: UUID) -> Workspace | None:
        return self.workspaces.get(workspace_id)

    def client(self, workspace_id: UUID, client_id: UUID) -> Client | None:
        client = self.clients.get(client_id)
        return client if client is not None and client.workspace_id == workspace_id else None

    def clients_of(self, workspace_id: UUID, search: str | None = None,
                   status: str | None = None) -> list[Client]:
        needle = (search or "").strip().lower()
        found = []
        for client_id in list(self.client_ids_by_workspace.get(workspace_id, ())):
            client = self.clients[client_id]
            if status and client.status != status:
                continue
            haystack = " ".join(filter(None, (client.name, client.email, client.company)))
            if needle and needle not in haystack.lower():
                continue
            found.append(client)
        return sorted(found, key=lambda c: (c.created_on, str(c.id)))

    def key(self, workspace_id: UUID, key_id: UUID) -> ApiKey | None:
        key = self.keys.get(key_id)
        return key if key is not None and key.workspace_id == workspace_id else None

    def keys_of(self, workspace_id: UUID, client_id: UUID) -> list[ApiKey]:
        keys = [self.keys[k] for k in list(self.key_ids_by_client.get(client_id, ()))]
        return sorted((k for k in keys if k.workspace_id == workspace_id),
                      key=lambda k: (k.created_on, str(k.id)))

    def model(self, workspace_id: UUID, model_id: str) -> CatalogModel | None:
        return self.models.get((workspace_id, model_id))

    def models_of(self, workspace_id: UUID) -> list[CatalogModel]:
        return sorted((m for (ws, _), m in list(self.models.items()) if ws == workspace_id),
                      key=lambda m: m.model_id)

    def staff_of(self, workspace_id: UUID) -> list[StaffMember]:
        return sorted((s for s in list(self.staff.values()) if s.workspace_id == workspace_id),
                      key=lambda s: s.email)
