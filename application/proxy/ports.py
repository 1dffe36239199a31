"""What the proxy needs: a directory of keys, an upstream, and a durable usage ledger."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Protocol
from uuid import UUID

from domain.api_key import ApiKey
from domain.catalog_model import CatalogModel
from domain.client import Client
from domain.usage import UsageRecorded
from domain.workspace import Workspace


class KeyDirectory(Protocol):
    """In-memory lookups kept current from the management events; never a database read."""

    def key_by_public_id(self, public_id: str) -> ApiKey | None: ...

    def client_by_id(self, client_id: UUID) -> Client | None: ...

    def workspace(self, workspace_id: UUID) -> Workspace | None: ...

    def model(self, workspace_id: UUID, model_id: str) -> CatalogModel | None: ...

    def models_of(self, workspace_id: UUID) -> list[CatalogModel]: ...


class UpstreamResponse(Protocol):
    status: int
    content_type: str
    upstream_request_id: str | None

    async def read(self) -> bytes:
        """The whole body. Raises UpstreamTimeout or UpstreamConnectionLost."""
        ...

    def iter_bytes(self) -> AsyncIterator[bytes]:
        """Body chunks as they arrive. Raises like ``read``."""
        ...

    async def close(self) -> None:
        """Releases the connection; closing early cancels the upstream call."""
        ...


class Upstream(Protocol):
    """An OpenAI-compatible HTTP server. Connection errors come out as UpstreamFailure."""

    async def open(self, method: str, url: str, api_key: str, body: bytes,
                   timeout_seconds: float) -> UpstreamResponse: ...


class UsageLedger(Protocol):
    """The append-only usage ledger.

    ``record`` returns once the event is committed, and raises if it could not be.
    ``record_soon`` queues an event when nobody waits for the answer (a client that left),
    retrying until it is stored. ``healthy`` is False while the store is failing.
    """

    healthy: bool

    async def record(self, event: UsageRecorded) -> None: ...

    def record_soon(self, event: UsageRecorded) -> None: ...


class ResponseOwners(Protocol):
    """Which client created each stored Responses-API response, so that no other client
    can read, cancel or delete it. ``owner_of`` answers None for an unknown id."""

    def remember(self, response_id: str, client_id: UUID) -> None: ...

    def owner_of(self, response_id: str) -> UUID | None: ...
