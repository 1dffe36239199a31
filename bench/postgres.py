"""A throw-away PostgreSQL database for one benchmark run, and the ledger row count."""

from __future__ import annotations

import secrets
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

import psycopg
from psycopg import sql

SERVER = "postgresql://root@127.0.0.1:5432"
LEDGER_TABLE = "ledger_events"  # eventsourcing names it after the "ledger" application


@contextmanager
def fresh_database(server: str = SERVER) -> Iterator[str]:
    """Creates gw_bench_<random>, yields its URL, and drops it whatever happens."""
    name = f"gw_bench_{secrets.token_hex(4)}"
    with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    try:
        yield f"{server}/{name}"
    finally:
        with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
            # FORCE ends a gateway connection that outlived its process being stopped.
            admin.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)")
                          .format(sql.Identifier(name)))


class DatabaseProbe:
    """One connection per gateway database, kept for the whole run: the server's 100
    connections are shared with the gateways (several pools each) and anyone else."""

    def __init__(self, url: str):
        self._connection = psycopg.connect(url, autocommit=True)
        self._ledger_views = ledger_projection_names()

    def close(self) -> None:
        self._connection.close()

    def ledger_rows(self) -> int:
        row = self._connection.execute(
            sql.SQL("SELECT count(*) FROM {}").format(sql.Identifier(LEDGER_TABLE))
        ).fetchone()
        return int(row[0]) if row else 0

    def checkpoints(self) -> int:
        """Checkpoints the whole server has begun so far (timed and requested): one that
        overlaps a run can lengthen its commits, so the table shows it per row."""
        row = self._connection.execute(
            "SELECT checkpoints_timed + checkpoints_req FROM pg_stat_bgwriter").fetchone()
        return int(row[0]) if row else 0

    def has_projections(self) -> bool:
        row = self._connection.execute("SELECT to_regclass('rm_tracking')").fetchone()
        return bool(row and row[0])

    def projection_lag(self) -> int | None:
        """The ledger's newest notification id minus the lowest position among the
        ledger-fed projections in rm_tracking; None without projections."""
        if self._ledger_views is None or not self.has_projections():
            return None  # no projections, or their registry cannot tell which read the ledger
        head_row = self._connection.execute(
            sql.SQL("SELECT coalesce(max(notification_id), 0) FROM {}")
            .format(sql.Identifier(LEDGER_TABLE))).fetchone()
        head = int(head_row[0]) if head_row else 0
        rows = self._connection.execute("SELECT projection, position FROM rm_tracking")
        mine = [int(p) for name, p in rows.fetchall() if name in self._ledger_views]
        return max(head - min(mine), 0) if mine else None

    def wait_caught_up(self, timeout: float = 10.0) -> float | None:
        """Seconds until the ledger's projections reach the ledger's head; None if n/a."""
        started = time.monotonic()
        while time.monotonic() - started < timeout:
            lag = self.projection_lag()
            if lag is None:
                return None
            if lag <= 0:
                return time.monotonic() - started
            time.sleep(0.01)
        return float("inf")


class ProjectionLagSampler:
    """Samples the projection lag every `interval` seconds while a run goes on. Read
    straight from the database, so it works whether or not the gateway reports it."""

    def __init__(self, probe: DatabaseProbe, interval: float = 0.05):
        self._probe = probe
        self._interval = interval
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self.samples: list[int] = []
        self.error: str | None = None

    @property
    def available(self) -> bool:
        return bool(self.samples)

    def __enter__(self) -> ProjectionLagSampler:
        self._thread = threading.Thread(target=self._run, name="lag-sampler", daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=5)

    def _run(self) -> None:
        try:
            while not self._stop.is_set():
                lag = self._probe.projection_lag()
                if lag is None:
                    return
                self.samples.append(lag)
                self._stop.wait(self._interval)
        except psycopg.Error as error:  # a sampling failure must not fail the run
            self.error = str(error)


def ledger_projection_names() -> set[str] | None:
    """Names of the projections fed by the ledger, from the gateway's own registry."""
    try:
        from projections.registry import all_projections
        return {p.name for p in all_projections() if getattr(p, "source", "") == "ledger"}
    except Exception:  # the registry moved or changed shape: lag is then n/a
        return None
