"""Limit counters in PostgreSQL, shared by every gateway process on the database.

Admission is one atomic ``UPDATE … RETURNING`` that counts requests only while every
limit is below its maximum, so two processes can never both take the last request; the
requests waiting at the same moment go in one statement (``postgres_group_admission``), and
far from the limits a process leases a few requests ahead (``limit_leases``). The
counters are operational reservations: they start from the read model's totals when a
client's cycle is first seen, and finished requests' tokens and credits are added in
batches. Commits skip the WAL flush wait (``synchronous_commit=off``): a crash can lose
the last few increments, never the ledger's events, which stay the truth.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any
from uuid import UUID

from psycopg_pool import AsyncConnectionPool

from application.proxy.limit_ports import Admission, CycleSeed, zero_seed
from domain.cycles import CycleWindow
from domain.limit_policy import LimitPolicy
from domain.limits import CycleUsage, first_exceeded
from infrastructure.postgres_group_admission import CURRENT, PostgresGroupAdmission

log = logging.getLogger(__name__)
FLUSH_INTERVAL_SECONDS = 0.02
SCHEMA_LOCK = 7_345_001  # advisory lock id serialising schema creation

SCHEMA = """
CREATE TABLE IF NOT EXISTS limit_counters (
    client_id TEXT NOT NULL, cycle_start TIMESTAMPTZ NOT NULL,
    requests BIGINT NOT NULL, tokens BIGINT NOT NULL, credits NUMERIC NOT NULL,
    sessions INTEGER NOT NULL, PRIMARY KEY (client_id, cycle_start));
CREATE TABLE IF NOT EXISTS limit_sessions (
    client_id TEXT NOT NULL, cycle_start TIMESTAMPTZ NOT NULL, session_id TEXT NOT NULL,
    PRIMARY KEY (client_id, cycle_start, session_id));
CREATE TABLE IF NOT EXISTS limit_executions (
    client_id TEXT NOT NULL, execution_id TEXT NOT NULL, window_start TIMESTAMPTZ NOT NULL,
    calls INTEGER NOT NULL, PRIMARY KEY (client_id, execution_id));
"""
ADMIT_EXECUTION = """
INSERT INTO limit_executions AS e VALUES (%(client)s, %(execution)s, %(now)s, 1)
ON CONFLICT (client_id, execution_id) DO UPDATE SET
    calls = CASE WHEN e.window_start <= %(expired_before)s THEN 1 ELSE e.calls + 1 END,
    window_start = CASE WHEN e.window_start <= %(expired_before)s THEN %(now)s
                        ELSE e.window_start END
WHERE e.window_start <= %(expired_before)s OR e.calls < %(max_calls)s
RETURNING calls
"""
GIVE_BACK = """UPDATE limit_counters SET requests = requests - %s
WHERE client_id = %s AND cycle_start = %s"""
ADD_USAGE = """UPDATE limit_counters SET tokens = tokens + %s, credits = credits + %s
WHERE client_id = %s AND cycle_start = %s"""


def _usage(row: Any) -> CycleUsage:
    return CycleUsage(int(row[0]), int(row[1]), Decimal(row[2]), int(row[3]))


class PostgresLimitCounters:
    def __init__(self, conninfo: str, seed: CycleSeed = zero_seed, max_connections: int = 10):
        self._conninfo = conninfo
        self._seed = seed
        self._pool: AsyncConnectionPool | None = None
        self._opening: asyncio.Lock | None = None
        self._known_cycles: set[tuple[UUID, datetime]] = set()
        self._known_sessions: set[tuple[UUID, datetime, str]] = set()
        self._pending: dict[tuple[UUID, datetime], list[Any]] = {}
        self._flusher: asyncio.Task[None] | None = None
        self._max_connections = max_connections
        self._admissions = PostgresGroupAdmission(conninfo)

    async def _connections(self) -> AsyncConnectionPool:
        if self._pool is None:
            self._opening = self._opening or asyncio.Lock()
            async with self._opening:
                if self._pool is None:
                    pool = AsyncConnectionPool(
                        self._conninfo, min_size=1, max_size=self._max_connections, open=False,
                        kwargs={"autocommit": True,
                                "options": "-c synchronous_commit=off"})
                    await pool.open(wait=True, timeout=10)
                    try:
                        async with pool.connection() as connection, connection.transaction():
                            # Processes starting together would race on CREATE TABLE.
                            await connection.execute("SELECT pg_advisory_xact_lock(%s)",
                                                     (SCHEMA_LOCK,))
                            await connection.execute(SCHEMA)
                    except Exception:
                        await pool.close()
                        raise
                    self._pool = pool
                    self._flusher = asyncio.get_running_loop().create_task(self._flush_forever())
        return self._pool

    async def close(self) -> None:
        await self._admissions.close()
        if self._flusher is not None:
            self._flusher.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._flusher
        if self._pool is not None:
            await self._flush(closing=True)
            await self._pool.close()
            self._pool = None

    async def admit(self, workspace_id: UUID, client_id: UUID, window: CycleWindow,
                    policy: LimitPolicy, session_id: str | None) -> Admission:
        pool = await self._connections()
        key = (client_id, window.start)
        if key not in self._known_cycles:
            await self._start_cycle(pool, workspace_id, client_id, window.start)
        params = {"client": str(client_id), "cycle": window.start,
                  "max_requests": policy.max_requests, "max_tokens": policy.max_tokens,
                  "max_credits": policy.max_credits}
        if session_id is not None and (client_id, window.start, session_id) \
                not in self._known_sessions:
            return await self._admit_with_session(pool, params, policy, session_id)
        return await self._admissions.admit(params, policy)

    async def _start_cycle(self, pool: AsyncConnectionPool, workspace_id: UUID,
                           client_id: UUID, cycle_start: datetime) -> None:
        seeded = await asyncio.to_thread(self._seed, workspace_id, client_id, cycle_start)
        usage = seeded.usage
        async with pool.connection() as connection, connection.transaction():
            await connection.execute(
                "INSERT INTO limit_counters VALUES (%s, %s, %s, %s, %s, %s) "
                "ON CONFLICT DO NOTHING",
                (str(client_id), cycle_start, usage.requests, usage.tokens, usage.credits,
                 usage.sessions))
            async with connection.cursor() as cursor:
                await cursor.executemany(
                    "INSERT INTO limit_sessions VALUES (%s, %s, %s) ON CONFLICT DO NOTHING",
                    [(str(client_id), cycle_start, s) for s in seeded.sessions])
        self._known_cycles.add((client_id, cycle_start))

    async def _admit_with_session(self, pool: AsyncConnectionPool, params: dict[str, Any],
                                  policy: LimitPolicy, session_id: str) -> Admission:
        """A session not seen yet: the row lock orders concurrent new sessions."""
        params = {**params, "session": session_id}
        async with pool.connection() as connection, connection.transaction():
            row = await (await connection.execute(CURRENT + " FOR UPDATE", params)).fetchone()
            known = await (await connection.execute(
                "SELECT 1 FROM limit_sessions WHERE client_id = %(client)s "
                "AND cycle_start = %(cycle)s AND session_id = %(session)s", params)).fetchone()
            usage = _usage(row)
            exceeded = first_exceeded(policy, usage, known is None)
            if exceeded is not None:
                return Admission(False, usage, exceeded)
            if known is None:
                await connection.execute(
                    "INSERT INTO limit_sessions VALUES (%(client)s, %(cycle)s, %(session)s)",
                    params)
            row = await (await connection.execute(
                "UPDATE limit_counters SET requests = requests + 1, sessions = sessions + "
                "%(new)s WHERE client_id = %(client)s AND cycle_start = %(cycle)s "
                "RETURNING requests, tokens, credits, sessions",
                {**params, "new": 1 if known is None else 0})).fetchone()
        self._known_sessions.add((UUID(params["client"]), params["cycle"], session_id))
        return Admission(True, _usage(row))

    def add_usage(self, client_id: UUID, cycle_start: datetime, tokens: int,
                  credits: Decimal) -> None:
        pending = self._pending.setdefault((client_id, cycle_start), [0, Decimal(0)])
        pending[0] += tokens
        pending[1] += credits
        self._admissions.leases.add_usage((str(client_id), cycle_start), tokens, credits)

    async def _flush_forever(self) -> None:
        while True:
            await asyncio.sleep(FLUSH_INTERVAL_SECONDS)
            try:
                await self._flush()
            except Exception:
                log.exception("could not add usage to the limit counters; will retry")

    async def _flush(self, closing: bool = False) -> None:
        if self._pool is None:
            return
        await self._give_back_leases(self._pool, closing)
        if not self._pending:
            return
        batch, self._pending = self._pending, {}
        rows = [(t, c, str(client), cycle) for (client, cycle), (t, c) in batch.items()]
        try:
            async with self._pool.connection() as connection, connection.cursor() as cursor:
                if len(rows) == 1:  # the usual case: no pipeline to set up for one row
                    await cursor.execute(ADD_USAGE, rows[0])
                else:
                    await cursor.executemany(ADD_USAGE, rows)
        except Exception:
            for key, (tokens, credits) in batch.items():
                self.add_usage(key[0], key[1], tokens, credits)
            raise

    async def _give_back_leases(self, pool: AsyncConnectionPool, everything: bool) -> None:
        """Uncounts what expired leases (all, at shutdown) did not use. If that fails, the
        requests stay counted: the client may be refused early, never admitted twice."""
        returns = self._admissions.leases.expired(everything)
        if returns:
            async with pool.connection() as connection, connection.cursor() as cursor:
                await cursor.executemany(GIVE_BACK, [(count, client, cycle)
                                                     for (client, cycle), count in returns])

    async def admit_execution(self, client_id: UUID, execution_id: str, now: datetime,
                              window_seconds: int, max_calls: int) -> bool:
        pool = await self._connections()
        async with pool.connection() as connection:
            row = await (await connection.execute(ADMIT_EXECUTION, {
                "client": str(client_id), "execution": execution_id[:200], "now": now,
                "expired_before": now - timedelta(seconds=window_seconds),
                "max_calls": max_calls})).fetchone()
        return row is not None
