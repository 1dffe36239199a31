"""Ports: what the application needs from the outside world, as Protocols."""

from __future__ import annotations

from datetime import datetime
from typing import Protocol, TypeVar
from uuid import UUID

from eventsourcing.domain import Aggregate

A = TypeVar("A", bound=Aggregate)


class AggregateStore(Protocol):
    """Loads and saves event-sourced aggregates.

    ``get`` raises ``domain.errors.NotFound`` for an unknown id. ``save`` stores the pending
    events of all given aggregates atomically, and raises ``domain.errors.Conflict`` when
    another writer got there first (an optimistic-concurrency or uniqueness clash).
    """

    def get(self, aggregate_id: UUID, kind: type[A]) -> A: ...

    def exists(self, aggregate_id: UUID) -> bool: ...

    def save(self, *aggregates: Aggregate) -> None: ...


class SecretCipher(Protocol):
    """Symmetric encryption for secrets at rest; ``decrypt(encrypt(x)) == x``."""

    def encrypt(self, plaintext: str) -> str: ...

    def decrypt(self, ciphertext: str) -> str: ...


class PasswordHasher(Protocol):
    """Slow, salted password hashing (argon2 in production)."""

    def hash(self, password: str) -> str: ...

    def verify(self, password_hash: str, password: str) -> bool: ...


class Clock(Protocol):
    """The current instant, always timezone-aware UTC."""

    def now(self) -> datetime: ...


class SecretGenerator(Protocol):
    """Random public ids and secrets for keys and tokens."""

    def public_id(self) -> str: ...

    def secret(self) -> str: ...
