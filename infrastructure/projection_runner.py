"""Runs the projections: polls each source's notification log and applies batches.

A batch's rows and the tracking position move in one transaction, so every event counts
exactly once and a restart resumes where the last commit left off. One thread per source
polls every ``poll_interval`` when idle, and takes up to ``batch_size`` notifications at a
time when behind; what one poll finds is committed at once, so a trickle of events waits at
most one poll interval. After a batch that was not full it waits ``gather_interval`` before
the next: under steady traffic a step then takes ~20 ms of events instead of the two or
three that arrived during the last commit (its fixed cost per step is two queries and a
transaction). Projections of a source that stand at the same position share each read and
each transaction, so the ledger is decoded once for all of its views.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from eventsourcing.application import Application

from infrastructure.projection_leadership import LeaderElection
from projections import tracking
from projections.ports import Projection, ReadModelDatabase
from projections.tracking import TRACKING_DDL, StalePosition

log = logging.getLogger(__name__)
RETRY_SECONDS = 1.0
Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class ProjectionStatus:
    name: str
    source: str
    position: int
    head: int  # the source's latest notification id
    lag: int  # events stored but not yet applied
    seconds_since_applied: float | None
    leader: bool  # whether this process runs it


def _utc_now() -> datetime:
    return datetime.now(UTC)


class ProjectionRunner:
    def __init__(self, database: ReadModelDatabase, sources: Mapping[str, Application[Any]],
                 projections: Sequence[Projection], election: LeaderElection, *,
                 batch_size: int = 500, poll_interval: float = 0.05,
                 gather_interval: float = 0.02, election_interval: float = 1.5,
                 now: Callable[[], datetime] = _utc_now):
        self.database = database
        self.sources = sources
        self.projections = {p.name: p for p in projections}
        self.election = election
        self.batch_size = batch_size
        self.poll_interval = poll_interval
        self.gather_interval = gather_interval
        self.election_interval = election_interval
        self.now = now
        self.healthy = True
        self._locks = {source: threading.Lock() for source in sources}
        self._stop = threading.Event()
        self._threads: list[threading.Thread] = []

    def ensure_tables(self) -> None:
        self.database.ensure_tables(
            [*TRACKING_DDL, *(s for p in self.projections.values() for s in p.ddl())])
        with self.database.transaction() as cursor:
            for name in self.projections:
                tracking.register(cursor, name)

    def projection(self, name: str) -> Projection:
        if name not in self.projections:
            raise ValueError(f"unknown projection {name!r}: one of {sorted(self.projections)}")
        return self.projections[name]

    def start(self) -> None:
        if self._threads:
            return
        self._stop.clear()
        for source in sorted({p.source for p in self.projections.values()}):
            thread = threading.Thread(target=self._run, args=(source,), daemon=True,
                                      name=f"projections-{source}")
            thread.start()
            self._threads.append(thread)

    def stop(self) -> None:
        """Stops the threads after their current batch, and gives up leadership."""
        self._stop.set()
        for thread in self._threads:
            thread.join(timeout=30)
        self._threads = []
        self.election.close()

    def catch_up(self) -> int:
        """Applies everything stored so far, in this thread, to the projections this process
        leads (claiming any that no process leads); returns how many events it applied."""
        self.election.try_lead(list(self.projections))
        applied = 0
        for source in self._locks:
            while step := self._step(source):
                applied += step
        return applied

    def _run(self, source: str) -> None:
        next_election = 0.0
        while not self._stop.is_set():
            try:
                if time.monotonic() >= next_election:
                    next_election = time.monotonic() + self.election_interval
                    self.election.try_lead(list(self.projections))
                applied = self._step(source)
                self.healthy = True
            except Exception:  # the database may be down: keep trying, say so once
                if self.healthy:
                    log.exception("projections of %s failed; retrying", source)
                self.healthy = False
                self._stop.wait(RETRY_SECONDS)
                continue
            if not applied:
                self._stop.wait(self.poll_interval)
            elif applied < self.batch_size:
                self._stop.wait(self.gather_interval)

    def _step(self, source: str, only: Sequence[str] | None = None) -> int:
        led = [p for p in self.projections.values() if p.source == source
               and self.election.leads(p.name) and (only is None or p.name in only)]
        if not led:
            return 0
        with self._locks[source]:
            tracked = tracking.positions(self.database)
            if any(p.name not in tracked for p in led):  # its row was deleted by hand
                with self.database.transaction() as cursor:
                    for projection in led:
                        tracking.register(cursor, projection.name)
                tracked = tracking.positions(self.database)
            groups: dict[int, list[Projection]] = defaultdict(list)
            for projection in led:
                groups[tracked[projection.name].position].append(projection)
            return sum(self._apply_batch(source, position, group)
                       for position, group in sorted(groups.items()))

    def _apply_batch(self, source: str, position: int, group: list[Projection]) -> int:
        app = self.sources[source]
        notifications = app.recorder.select_notifications(
            start=position, limit=self.batch_size, inclusive_of_start=False)
        if not notifications:
            return 0
        events = [app.mapper.to_domain_event(n) for n in notifications]
        end, now = notifications[-1].id, self.now()
        try:
            with self.database.transaction() as cursor:
                for projection in group:
                    projection.apply(events, cursor)
                for projection in group:
                    tracking.advance(cursor, projection.name, position, end, now)
        except StalePosition as stale:
            log.info("%s; reading the position again", stale)
            return 0
        return len(events)

    # Rebuilds and status: used by ``llm-gateway projections``.

    def reset(self, name: str) -> None:
        """Empties a projection's tables and its position, in one transaction."""
        projection = self.projection(name)
        with self._locks[projection.source], self.database.transaction() as cursor:
            for table in projection.tables:
                cursor.execute(f"DROP TABLE IF EXISTS {table}")
            for statement in projection.ddl():
                cursor.execute(statement)
            tracking.reset(cursor, name)

    def rebuild(self, names: Sequence[str], progress: Progress | None = None,
                timeout: float | None = None) -> int:
        """Resets ``names`` and replays them from the first event; returns how many events
        their sources hold. If another process leads them, that process replays them and
        this one waits (``timeout`` seconds at most), reporting progress all the same."""
        for name in names:
            self.reset(name)
        heads = self._heads()
        sources = {self.projections[n].source for n in names}
        total = sum(heads[source] for source in sources)
        mine = [n for n in names if n in self.election.try_lead(list(names))]
        deadline = None if timeout is None else time.monotonic() + timeout
        while True:
            for source in sources:
                while self._step(source, only=mine):
                    self._report(names, heads, progress)
            done = self._report(names, heads, progress)
            if done >= total:
                return total
            if deadline is not None and time.monotonic() > deadline:
                raise TimeoutError(f"the rebuild stopped at {done} of {total} events")
            time.sleep(0.2)

    def _report(self, names: Sequence[str], heads: dict[str, int],
                progress: Progress | None) -> int:
        """Events replayed so far: per source, as far as its slowest rebuilt view got."""
        tracked = tracking.positions(self.database)
        reached: dict[str, int] = {}
        for name in names:
            source = self.projections[name].source
            position = min(tracked[name].position if name in tracked else 0, heads[source])
            reached[source] = min(reached.get(source, position), position)
        done = sum(reached.values())
        if progress is not None:
            progress(done, sum(heads[source] for source in reached))
        return done

    def _heads(self) -> dict[str, int]:
        return {source: app.recorder.max_notification_id() or 0
                for source, app in self.sources.items()}

    def status(self) -> list[ProjectionStatus]:
        tracked, heads, now = tracking.positions(self.database), self._heads(), self.now()
        found = []
        for name, projection in self.projections.items():
            known = tracked.get(name)
            position = known.position if known else 0
            applied_at = known.applied_at if known else None
            head = heads[projection.source]
            found.append(ProjectionStatus(
                name=name, source=projection.source, position=position, head=head,
                lag=max(head - position, 0),
                seconds_since_applied=None if applied_at is None
                else round((now - applied_at).total_seconds(), 3),
                leader=self.election.leads(name)))
        return found
