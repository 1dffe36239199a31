"""AggregateStore over an eventsourcing Application."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError, Application
from eventsourcing.domain import Aggregate
from eventsourcing.persistence import IntegrityError

from domain.errors import Conflict, NotFound

A = TypeVar("A", bound=Aggregate)


class EventSourcedAggregateStore:
    def __init__(self, app: Application[Any], after_save: Callable[[], None] | None = None):
        self.app = app
        self.after_save = after_save

    def get(self, aggregate_id: UUID, kind: type[A]) -> A:
        try:
            aggregate = self.app.repository.get(aggregate_id)
        except AggregateNotFoundError:
            raise NotFound(f"{kind.__name__} {aggregate_id} not found") from None
        if not isinstance(aggregate, kind):
            raise NotFound(f"{kind.__name__} {aggregate_id} not found")
        return aggregate

    def exists(self, aggregate_id: UUID) -> bool:
        return aggregate_id in self.app.repository

    def save(self, *aggregates: Aggregate) -> None:
        try:
            self.app.save(*aggregates)
        except IntegrityError:
            raise Conflict("the change clashed with another one; reload and try again") from None
        if self.after_save is not None:
            self.after_save()
