"""Which process runs each projection: exactly one at a time, and another when it dies.

On PostgreSQL each projection has a session advisory lock, held on a connection of its own
for as long as the process leads; if the process dies, its session ends and the lock frees.
On an SQLite file an exclusive ``flock`` on a file beside it elects one process for all
projections, and the kernel releases it when the process exits. The conditional tracking
update (``projections/tracking.py``) keeps views exact even if two ever overlapped.
"""

from __future__ import annotations

import fcntl
import hashlib
import logging
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import IO, Protocol

import psycopg

log = logging.getLogger(__name__)


def lock_key(name: str) -> int:
    """A stable signed 64-bit key for ``pg_advisory_lock``: the same in every process."""
    return int.from_bytes(hashlib.blake2b(name.encode(), digest_size=8).digest(), "big",
                          signed=True)


class LeaderElection(Protocol):
    """``try_lead`` claims every projection it can and confirms the ones it holds (a lost
    connection loses them); it returns the names this process now leads."""

    def try_lead(self, names: Sequence[str]) -> set[str]: ...

    def leads(self, name: str) -> bool: ...

    def close(self) -> None: ...


class SoleLeader:
    """A memory event store lives in one process only: it leads everything."""

    def try_lead(self, names: Sequence[str]) -> set[str]:
        return set(names)

    def leads(self, name: str) -> bool:
        return True

    def close(self) -> None:
        return None


class FileLockLeader:
    def __init__(self, path: Path):
        self.path = path
        self._file: IO[str] | None = None
        self._guard = threading.Lock()

    def try_lead(self, names: Sequence[str]) -> set[str]:
        with self._guard:
            if self._file is None:
                handle = open(self.path, "a")  # noqa: SIM115 - held open while leading
                try:
                    fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                except BlockingIOError:
                    handle.close()
                    return set()
                self._file = handle
            return set(names)

    def leads(self, name: str) -> bool:
        return self._file is not None

    def close(self) -> None:
        with self._guard:
            if self._file is not None:
                self._file.close()  # closing releases the flock
                self._file = None


class PostgresAdvisoryLeader:
    def __init__(self, conninfo: str, namespace: str = "llm_gateway.projection:"):
        self.conninfo = conninfo
        self.namespace = namespace
        self._connection: psycopg.Connection | None = None
        self._held: set[str] = set()
        self._guard = threading.Lock()

    def try_lead(self, names: Sequence[str]) -> set[str]:
        with self._guard:
            try:
                connection = self._connected()
                connection.execute("SELECT 1")  # our locks live as long as this session
                for name in names:
                    if name not in self._held and self._try_lock(connection, name):
                        log.info("this process now runs projection %s", name)
                        self._held.add(name)
            except psycopg.Error as error:
                if self._held:
                    log.warning("lost the projection locks with their connection: %s", error)
                self._disconnect()
            return set(self._held)

    def leads(self, name: str) -> bool:
        return name in self._held

    def close(self) -> None:
        with self._guard:
            self._disconnect()

    def _connected(self) -> psycopg.Connection:
        if self._connection is None or self._connection.closed:
            self._disconnect()
            self._connection = psycopg.connect(self.conninfo, autocommit=True,
                                               connect_timeout=5, keepalives_idle=5,
                                               keepalives_interval=2, keepalives_count=3)
        return self._connection

    def _try_lock(self, connection: psycopg.Connection, name: str) -> bool:
        row = connection.execute("SELECT pg_try_advisory_lock(%s)",
                                 (lock_key(self.namespace + name),)).fetchone()
        return bool(row and row[0])

    def _disconnect(self) -> None:
        self._held.clear()
        if self._connection is not None:
            self._connection.close()  # ends the session: every lock it held is released
            self._connection = None
