"""Emitting KeyExpired for keys whose expiry has passed."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from application.ports import AggregateStore, Clock
from domain.api_key import ApiKey
from domain.errors import Conflict


@dataclass
class ExpireKeys:
    store: AggregateStore
    clock: Clock

    def execute(self, keys: Iterable[ApiKey]) -> int:
        """``keys``: the read model's keys; each candidate is reloaded before changing."""
        now, expired = self.clock.now(), 0
        for candidate in keys:
            if candidate.revoked or candidate.expired_at is not None \
                    or not candidate.is_past_expiry(now):
                continue
            key = self.store.get(candidate.id, ApiKey)
            if key.mark_expired(now):
                try:
                    self.store.save(key)
                    expired += 1
                except Conflict:
                    pass  # another process or an edit got there first; next run will see
        return expired
