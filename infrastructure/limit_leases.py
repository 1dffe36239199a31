"""Requests a gateway process has already counted in the shared limit counters.

Admission in PostgreSQL is a round trip per request (or per group of waiting requests):
0.4 ms of a lone request's latency here, and a turn of the busy event loop for each one
under load. While a client is far from its request limit, the statement that admits a
group also counts a few more requests for this process (a lease); the next requests of
that client and cycle are admitted from the lease without a round trip.

Leased requests are counted in the shared row before they are used, so no process can
admit beyond the limit: a lease can only make a client be refused early, never late. To
keep that rare and short, a lease
- is granted only while the client has at least ``LEASE_HEADROOM`` requests (and eight
  times the lease) left and is below 90% of its token and credit limits (near a limit
  every request goes to the row, as without leases);
- holds ``MIN_LEASE`` to ``MAX_LEASE`` requests (about ``LEASE_DEMAND_SECONDS`` of the
  client's recent pace), is topped up when a quarter is left, and ends ``LEASE_SECONDS``
  after its last top-up; what it has left is given back by the next admission of that
  client, or by the counters' flusher once expired, or at shutdown. A process that dies
  holding a lease leaves at most ``MAX_LEASE`` requests counted but unused in that
  client's cycle.

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

MIN_LEASE = 32
MAX_LEASE = 512
LEASE_DEMAND_SECONDS = 0.1  # a lease holds about this long's worth of the client's requests
LEASE_HEADROOM = 1_000  # and at least 8 times the lease must be left under the limit
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
    granted: float
    size: int  # of the last grant or top-up
    taken: int = 0  # since then
    topping_up: bool = False

    def admits(self, limits: Limits, now: float) -> bool:
        return self.remaining > 0 and self.usable(limits, now)

    def usable(self, limits: Limits, now: float) -> bool:
        return now < self.expires and limits == self.limits and \
            below_near_limit(self.tokens, limits[1]) and \
            below_near_limit(self.credits, limits[2])


def below_near_limit(used: int | Decimal, limit: Any) -> bool:
    return limit is None or used < NEAR_LIMIT * Decimal(limit)


def headroom_for(size: int) -> int:
    """Requests that must be left under the limit, after a group, to lease ``size``."""
    return max(LEASE_HEADROOM, 8 * size)


class LeaseTable:
    """The leases of one process, touched only from its event loop.

    A lease is topped up before it runs out (``wants_top_up``), so that under steady load
    no request waits for the row; its size follows the client's recent pace.
    """

    def __init__(self) -> None:
        self._leases: dict[LeaseKey, Lease] = {}

    def take_one(self, key: LeaseKey, limits: Limits) -> CycleUsage | None:
        """Admits one request from the lease, or None: ask the shared row."""
        lease = self._leases.get(key)
        if lease is None or not lease.admits(limits, time.monotonic()):
            return None
        lease.remaining -= 1
        lease.requests += 1
        lease.taken += 1
        return CycleUsage(lease.requests, lease.tokens, lease.credits, lease.sessions)

    def wants_top_up(self, key: LeaseKey) -> bool:
        """True once per top-up, when a quarter of the lease's last grant is left."""
        lease = self._leases.get(key)
        if lease is None or lease.topping_up or lease.remaining * 4 > lease.size:
            return False
        lease.topping_up = True
        return True

    def size_for(self, key: LeaseKey) -> int:
        lease = self._leases.get(key)
        if lease is None:
            return MIN_LEASE
        pace = lease.taken / max(time.monotonic() - lease.granted, 1e-3)
        return max(MIN_LEASE, min(MAX_LEASE, int(pace * LEASE_DEMAND_SECONDS)))

    def top_up_over(self, key: LeaseKey) -> None:
        lease = self._leases.get(key)
        if lease is not None:
            lease.topping_up = False

    def give_back_unless_usable(self, key: LeaseKey, limits: Limits) -> int:
        """Before a round trip for ``key``: a lease that can go on is kept (and topped
        up); any other is ended, and its unused requests are to be uncounted."""
        lease = self._leases.get(key)
        if lease is not None and lease.usable(limits, time.monotonic()):
            return 0
        return self.give_back(key)

    def give_back(self, key: LeaseKey) -> int:
        """Ends the lease; returns how many of its requests the row should uncount."""
        lease = self._leases.pop(key, None)
        return lease.remaining if lease is not None else 0

    def grant(self, key: LeaseKey, limits: Limits, size: int, usage: CycleUsage) -> None:
        """``usage`` is the row's after the round trip; ``usage.requests`` counts this
        group's requests, not the ``size`` leased after them."""
        now = time.monotonic()
        lease = self._leases.get(key)
        if lease is not None:
            if size > 0:
                lease.remaining += size
                lease.expires, lease.granted, lease.size, lease.taken = \
                    now + LEASE_SECONDS, now, size, 0
                lease.tokens = max(lease.tokens, usage.tokens)
                lease.credits = max(lease.credits, usage.credits)
        elif size > 0:
            self._leases[key] = Lease(limits, size, usage.requests, usage.tokens,
                                      usage.credits, usage.sessions, now + LEASE_SECONDS, now,
                                      size)

    def add_usage(self, key: LeaseKey, tokens: int, credits: Decimal) -> None:
        lease = self._leases.get(key)
        if lease is not None:
            lease.tokens += tokens
            lease.credits += credits

    def expired(self, everything: bool = False) -> list[tuple[LeaseKey, int]]:
        """Ends the expired leases (all of them at shutdown): what to uncount, per row."""
        now = time.monotonic()
        ended = [key for key, lease in self._leases.items()
                 if everything or (now >= lease.expires and not lease.topping_up)]
        returns = [(key, self.give_back(key)) for key in ended]
        return [(key, count) for key, count in returns if count > 0]
