"""Checking a closed cycle against the ledger as it is now."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from uuid import UUID

from application.audit.adjustments import LinesUpTo, adjustments_of
from application.audit.ports import LedgerLines, LedgerMark
from application.audit.replay import ReplayStatement
from domain.cycle_close import CycleClosed
from domain.errors import NotFound


@dataclass
class Verification:
    client_id: UUID
    label: str
    expected_digest: str
    actual_digest: str
    expected_events: int
    actual_events: int
    problems: list[str] = field(default_factory=list)

    @property
    def intact(self) -> bool:
        return not self.problems


@dataclass
class VerifyCycle:
    ledger: LedgerLines
    replay: ReplayStatement

    def execute(self, client_id: UUID, cycle_start: datetime | None = None,
                label: str | None = None) -> list[Verification]:
        """Every closed cycle of the client, or the one named by start or label."""
        marks = self.ledger.marks()
        closures = [m for m in marks if isinstance(m.event, CycleClosed)
                    and m.event.client_id == client_id
                    and (cycle_start is None or m.event.cycle_start == cycle_start)
                    and (label is None or m.event.label == label)]
        if not closures:
            raise NotFound("no closed cycle matches; cycles are closed after they end")
        return [self._verify(closure, marks) for closure in closures]

    def _verify(self, mark: LedgerMark, marks: list[LedgerMark]) -> Verification:
        """The statement covers the events stored before the close; any event of the cycle
        stored since must be settled by an adjustment, or it was slipped in."""
        c = mark.event
        as_closed = ReplayStatement(LinesUpTo(self.ledger, mark.position), self.replay.history)
        statement = as_closed.execute(c.client_id, c.cycle_start, c.cycle_end, c.workspace_id)
        now = self.replay.execute(c.client_id, c.cycle_start, c.cycle_end, c.workspace_id)
        adjusted = {rid for a in adjustments_of(marks, c.client_id, c.cycle_start)
                    for rid in a.late_request_ids}
        found = Verification(c.client_id, c.label, c.digest, statement.chain.head,
                             c.events, statement.chain.count)
        if found.actual_events != found.expected_events:
            found.problems.append(f"{found.actual_events - found.expected_events:+d} events "
                                  f"since the cycle closed with {found.expected_events}")
        for day in sorted(set(c.day_digests) | set(statement.chain.days)):
            if c.day_digests.get(day) != statement.chain.days.get(day):
                found.problems.append(f"events of {day} were altered, removed or inserted")
        self._name_events(c.event_hashes, statement.chain.events, found)
        if found.actual_digest != found.expected_digest and not found.problems:
            found.problems.append("the order of events changed")
        for request_id in sorted(set(now.lines) - set(statement.lines) - adjusted):
            found.problems.append(f"request {request_id}: stored after the close and in no "
                                  "adjustment")
        return found

    @staticmethod
    def _name_events(expected: dict[str, str], actual: dict[str, str],
                     found: Verification) -> None:
        if not expected or not actual:
            return
        for request_id in sorted(set(expected) | set(actual)):
            if request_id not in actual:
                found.problems.append(f"request {request_id}: event missing")
            elif request_id not in expected:
                found.problems.append(f"request {request_id}: event inserted")
            elif expected[request_id] != actual[request_id]:
                found.problems.append(f"request {request_id}: event altered")
