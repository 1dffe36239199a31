"""Requests a gateway process has already counted in the shared limit counters.

Admission in PostgreSQL is a round trip per request (or per group of waiting requests):
0.4 ms of a lone request's latency here, and a turn of the busy event loop for each one
under load. While a client is far from its request limit, the statement that admits a
group also counts a few more requests for this process (a lease); the next requests of
that client and cycle are admitted from the lease without a round trip.

Leased requests are counted in the shared row before they are used, so no process can
admit beyond the limit: a lease can only make a client be refused early, never late. To
keep that rare and short, a lease
- is granted only while the client has at least ``LEASE_HEADROOM`` requests left and is
  below 90% of its token and credit limits (near a limit every request goes to the row,
  as without leases);
- holds ``LEASE_SIZE`` requests and lives ``LEASE_SECONDS``; what it has left is given
  back by the next admission of that client, or by the counters' flusher once expired,
  or at shutdown. A process that dies holding a lease leaves at most ``LEASE_SIZE``
  requests counted but unused in that client's cycle.

Tokens and credits keep their usual rule (a request is admitted while usage is below the
limit): the lease remembers the row's usage when granted plus what this process has
added since, and is not used once that passes 90% of a limit.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from domain.limits import CycleUsage

LEASE_SIZE = 32
LEASE_HEADROOM = 1_000
LEASE_SECONDS = 0.5
NEAR_LIMIT = Decimal("0.9")

LeaseKey = tuple[str, datetime]  # client id as text, cycle start
Limits = tuple[Any, Any, Any]  # max requests, max tokens, max credits


@dataclass(slots=True)
class Lease:
    limits: Limits
    remaining: int
    requests: int  # the row's count of this process's requests used so far, for headers
    tokens: int
    credits: Decimal
    sessions: int
    expires: float  # time.monotonic()

    def admits(self, limits: Limits, now: float) -> bool:
        return self.remaining > 0 and now < self.expires and limits == self.limits and \
            below_near_limit(self.tokens, limits[1]) and \
            below_near_limit(self.credits, limits[2])


def below_near_limit(used: int | Decimal, limit: Any) -> bool:
    return limit is None or used < NEAR_LIMIT * Decimal(limit)


class LeaseTable:
    """The leases of one process, touched only from its event loop."""

    def __init__(self) -> None:
        self._leases: dict[LeaseKey, Lease] = {}

    def take_one(self, key: LeaseKey, limits: Limits) -> CycleUsage | None:
        """Admits one request from the lease, or None: ask the shared row."""
        lease = self._leases.get(key)
        if lease is None or not lease.admits(limits, time.monotonic()):
            return None
        lease.remaining -= 1
        lease.requests += 1
        return CycleUsage(lease.requests, lease.tokens, lease.credits, lease.sessions)

    def give_back(self, key: LeaseKey) -> int:
        """Ends the lease; returns how many of its requests the row should uncount."""
        lease = self._leases.pop(key, None)
        return lease.remaining if lease is not None else 0

    def grant(self, key: LeaseKey, limits: Limits, size: int, usage: CycleUsage) -> None:
        """``usage.requests`` counts the lease's requests among this group's, not the
        ``size`` leased after them."""
        if size > 0:
            self._leases[key] = Lease(limits, size, usage.requests, usage.tokens,
                                      usage.credits, usage.sessions,
                                      time.monotonic() + LEASE_SECONDS)

    def add_usage(self, key: LeaseKey, tokens: int, credits: Decimal) -> None:
        lease = self._leases.get(key)
        if lease is not None:
            lease.tokens += tokens
            lease.credits += credits

    def expired(self, everything: bool = False) -> list[tuple[LeaseKey, int]]:
        """Ends the expired leases (all of them at shutdown): what to uncount, per row."""
        now = time.monotonic()
        ended = [key for key, lease in self._leases.items() if everything or now >= lease.expires]
        returns = [(key, self.give_back(key)) for key in ended]
        return [(key, count) for key, count in returns if count > 0]
