"""One PostgreSQL connection for one task that never runs twice at once.

The group commit and group admission each have a single round trip in flight at a time,
so a pool only adds cost: taking and returning a pooled connection cost ~45 µs of CPU and
~0.1 ms of latency per round trip here, on every request at low concurrency. A broken or
closed connection, or one left inside a round trip, is replaced on the next use.
"""

from __future__ import annotations

from typing import Any

from psycopg import AsyncConnection
from psycopg.pq import TransactionStatus


class DedicatedConnection:
    def __init__(self, conninfo: str, **kwargs: Any):
        self._conninfo = conninfo
        self._kwargs = {"autocommit": True, **kwargs}
        self._connection: AsyncConnection[Any] | None = None

    async def get(self) -> AsyncConnection[Any]:
        connection = self._connection
        if connection is None or connection.closed or connection.broken or \
                connection.info.transaction_status != TransactionStatus.IDLE:
            # (not idle: a round trip was cut short, say by cancellation; start afresh)
            if connection is not None:
                await connection.close()
            connection = await AsyncConnection.connect(self._conninfo, **self._kwargs)
            self._connection = connection
        return connection

    async def close(self) -> None:
        if self._connection is not None:
            await self._connection.close()
            self._connection = None
