"""Admission against the shared limit counters, a group of requests per round trip.

One ``UPDATE … RETURNING`` per request cost ~30% of the gateway's event loop under load
(a pooled connection, a query, a wait, per request). Here the requests that arrive while
one round trip is in flight wait for the next one, which admits all of a client's waiting
requests in one statement: it counts as many as the request limit still allows, under the
row's lock, so the outcome is exactly that of admitting them one by one, also across
processes. Far from a client's limits the statement also leases this process a few
requests more, admitted later without a round trip (``limit_leases``).
"""

from __future__ import annotations

import asyncio
from decimal import Decimal
from typing import Any

from application.proxy.limit_ports import Admission
from domain.limit_policy import LimitPolicy
from domain.limits import CycleUsage, first_exceeded
from infrastructure.limit_leases import (
    NEAR_LIMIT,
    LeaseKey,
    LeaseTable,
    Limits,
    headroom_for,
)
from infrastructure.postgres_dedicated_connection import DedicatedConnection

# The row lock taken by ``old`` orders this statement after any concurrent one, and
# ``old.requests`` is the count it started from, less the lease this process gives back:
# requests old+1 … new are this group's, then this process's new lease. The row is updated
# even when nothing is admitted, so that a lease given back is always uncounted.
GROUP_ADMIT = """
WITH old AS (SELECT requests - %(returned)s::BIGINT AS requests FROM limit_counters
             WHERE client_id = %(client)s AND cycle_start = %(cycle)s FOR UPDATE)
UPDATE limit_counters AS c
SET requests = old.requests + CASE
    WHEN old.requests < COALESCE(%(max_requests)s::BIGINT, old.requests + 1)
     AND c.tokens < COALESCE(%(max_tokens)s::BIGINT, c.tokens + 1)
     AND c.credits < COALESCE(%(max_credits)s::NUMERIC, c.credits + 1)
    THEN LEAST(
        %(count)s::BIGINT + CASE
            WHEN COALESCE(%(max_requests)s::BIGINT - old.requests - %(count)s::BIGINT
                          >= %(headroom)s::BIGINT, TRUE)
             AND COALESCE(c.tokens < %(near)s::NUMERIC * %(max_tokens)s::BIGINT, TRUE)
             AND COALESCE(c.credits < %(near)s::NUMERIC * %(max_credits)s::NUMERIC, TRUE)
            THEN %(lease)s::BIGINT ELSE 0 END,
        COALESCE(%(max_requests)s::BIGINT - old.requests,
                 %(count)s::BIGINT + %(lease)s::BIGINT))
    ELSE 0 END
FROM old
WHERE c.client_id = %(client)s AND c.cycle_start = %(cycle)s
RETURNING old.requests, c.requests, c.tokens, c.credits, c.sessions
"""
CURRENT = """SELECT requests, tokens, credits, sessions FROM limit_counters
WHERE client_id = %(client)s AND cycle_start = %(cycle)s"""

# A future of None asks only for a lease's top-up.
Waiting = tuple[dict[str, Any], LimitPolicy, "asyncio.Future[Admission] | None"]
PARAMS = ("client", "cycle", "max_requests", "max_tokens", "max_credits")


class PostgresGroupAdmission:
    """Needs the counters' tables and each client's cycle row to exist already."""

    def __init__(self, conninfo: str):
        # One round trip at a time, so one connection of its own.
        self._connection = DedicatedConnection(conninfo,
                                               options="-c synchronous_commit=off")
        self._waiting: list[Waiting] = []
        self._running: asyncio.Task[None] | None = None
        self.leases = LeaseTable()

    async def admit(self, params: dict[str, Any], policy: LimitPolicy) -> Admission:
        """``params``: client, cycle, max_requests, max_tokens, max_credits."""
        key = _lease_key(params)
        leased = self.leases.take_one(key, _limits(params))
        if leased is not None:
            if self.leases.wants_top_up(key):
                self._enqueue((params, policy, None))
            return Admission(True, leased)
        future: asyncio.Future[Admission] = asyncio.get_running_loop().create_future()
        self._enqueue((params, policy, future))
        return await future

    def _enqueue(self, item: Waiting) -> None:
        self._waiting.append(item)
        if self._running is None or self._running.done():
            self._running = asyncio.get_running_loop().create_task(self._run())

    async def _run(self) -> None:
        while self._waiting:
            batch, self._waiting = self._waiting, []
            try:
                await self._admit_all(batch)
            except Exception as error:
                for params, _, future in batch:
                    if future is None:  # a top-up that did not happen: may be asked again
                        self.leases.top_up_over(_lease_key(params))
                    elif not future.done():
                        future.set_exception(error)

    async def _admit_all(self, batch: list[Waiting]) -> None:
        groups: dict[tuple[Any, ...], list[Waiting]] = {}
        for item in batch:
            params, _, future = item
            group_key = tuple(params[name] for name in PARAMS)
            if future is None:  # a lease's top-up: its group's round trip does it
                groups.setdefault(group_key, [])
                continue
            if future.done():  # cancelled: its client left
                continue
            # Requests that queued before the last round trip granted a lease use it.
            leased = self.leases.take_one(_lease_key(params), _limits(params))
            if leased is not None:
                future.set_result(Admission(True, leased))
                continue
            groups.setdefault(group_key, []).append(item)
        if not groups:
            return
        connection = await self._connection.get()
        for (client, cycle, *limits), group in groups.items():
            key = (client, cycle)
            params = dict(zip(PARAMS, (client, cycle, *limits), strict=True))
            size = self.leases.size_for(key)
            # Given back before the round trip: if it fails, those requests stay counted
            # (refused early) rather than risk being admitted twice.
            returned = self.leases.give_back_unless_usable(key, tuple(limits))
            try:
                row = await (await connection.execute(GROUP_ADMIT, {
                    **params, "count": len(group), "returned": returned, "lease": size,
                    "headroom": headroom_for(size), "near": NEAR_LIMIT})).fetchone()
            finally:
                self.leases.top_up_over(key)
            if row is None:
                raise RuntimeError(f"no limit counter row for client {client}")
            start, end = int(row[0]), int(row[1])
            admitted = min(end - start, len(group))
            if group:
                _settle(group, group[0][1], admitted, start, row[1:])
            self.leases.grant(key, tuple(limits), end - start - admitted,
                              _usage(start + admitted, row))

    async def close(self) -> None:
        if self._running is not None and not self._running.done():
            await asyncio.wait([self._running], timeout=5)
        await self._connection.close()


def _lease_key(params: dict[str, Any]) -> LeaseKey:
    return params["client"], params["cycle"]


def _limits(params: dict[str, Any]) -> Limits:
    return params["max_requests"], params["max_tokens"], params["max_credits"]


def _usage(requests: int, row: Any) -> CycleUsage:
    return CycleUsage(requests, int(row[2]), Decimal(row[3]), int(row[4]))


def _settle(group: list[Waiting], policy: LimitPolicy, admitted: int, start: int,
            row: Any) -> None:
    """The first ``admitted`` requests of the group are in, as requests start+1 …; the
    rest are refused by what the row says now."""
    tokens, credits, sessions = int(row[1]), Decimal(row[2]), int(row[3])
    for index, (_, _, future) in enumerate(group[:admitted]):
        if not future.done():
            future.set_result(Admission(True, CycleUsage(start + index + 1, tokens, credits,
                                                         sessions)))
    if admitted == len(group):
        return
    usage = CycleUsage(int(row[0]), tokens, credits, sessions)
    exceeded = first_exceeded(policy, usage, False) or (
        "requests_limit", {"limit": str(policy.max_requests), "used": str(usage.requests)})
    for _, _, future in group[admitted:]:
        if not future.done():
            future.set_result(Admission(False, usage, exceeded))
