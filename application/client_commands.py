"""Use cases on clients: register, profile, status, limit policy, markup."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from uuid import UUID

from application.ports import AggregateStore
from application.scoping import get_in_workspace
from domain.client import Client
from domain.limit_policy import LimitPolicy
from domain.workspace import Workspace

_UNSET: Any = object()


@dataclass
class ClientCommands:
    store: AggregateStore

    def register(self, workspace_id: UUID, name: str, email: str | None = None,
                 company: str | None = None, phone: str | None = None) -> Client:
        self.store.get(workspace_id, Workspace)
        client = Client.register(workspace_id, name, email, company, phone)
        self.store.save(client)
        return client

    def update_profile(self, workspace_id: UUID, client_id: UUID, name: Any = _UNSET,
                       email: Any = _UNSET, company: Any = _UNSET, phone: Any = _UNSET) -> Client:
        """A partial update: fields not given keep their value."""
        client = self._get(workspace_id, client_id)
        client.update_profile(
            name=client.name if name is _UNSET else name,
            email=client.email if email is _UNSET else email,
            company=client.company if company is _UNSET else company,
            phone=client.phone if phone is _UNSET else phone,
        )
        self.store.save(client)
        return client

    def change_status(self, workspace_id: UUID, client_id: UUID, status: str,
                      reason: str | None = None) -> Client:
        client = self._get(workspace_id, client_id)
        client.change_status(status, reason)
        self.store.save(client)
        return client

    def set_limits(self, workspace_id: UUID, client_id: UUID, policy: dict[str, Any]) -> Client:
        client = self._get(workspace_id, client_id)
        client.set_limit_policy(LimitPolicy.from_primitive(policy))
        self.store.save(client)
        return client

    def set_markup(self, workspace_id: UUID, client_id: UUID, markup_percent: object) -> Client:
        client = self._get(workspace_id, client_id)
        client.set_markup(markup_percent)
        self.store.save(client)
        return client

    def _get(self, workspace_id: UUID, client_id: UUID) -> Client:
        return get_in_workspace(self.store, Client, client_id, workspace_id, "client")
