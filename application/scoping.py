"""Loading an aggregate only if it belongs to the caller's workspace."""

from __future__ import annotations

from typing import TypeVar
from uuid import UUID

from application.ports import AggregateStore
from domain.errors import NotFound

T = TypeVar("T")


def get_in_workspace(store: AggregateStore, kind: type[T], aggregate_id: UUID,
                     workspace_id: UUID, what: str) -> T:
    """Another workspace's id looks exactly like an unknown one: 404, never 403."""
    try:
        aggregate = store.get(aggregate_id, kind)  # type: ignore[type-var]
    except NotFound:
        raise NotFound(f"{what} {aggregate_id} not found") from None
    if getattr(aggregate, "workspace_id", None) != workspace_id:
        raise NotFound(f"{what} {aggregate_id} not found")
    return aggregate
