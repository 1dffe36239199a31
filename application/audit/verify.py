"""Checking a closed cycle against the ledger as it is now."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from uuid import UUID

from application.audit.ports import LedgerLines
from application.audit.replay import ReplayStatement
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
        closures = [c for c in self.ledger.cycle_closures(client_id)
                    if (cycle_start is None or c.cycle_start == cycle_start)
                    and (label is None or c.label == label)]
        if not closures:
            raise NotFound("no closed cycle matches; cycles are closed after they end")
        return [self._verify(closure) for closure in closures]

    def _verify(self, closure: object) -> Verification:
        c = closure
        statement = self.replay.execute(c.client_id, c.cycle_start, c.cycle_end,  # type: ignore[attr-defined]
                                        c.workspace_id)  # type: ignore[attr-defined]
        found = Verification(c.client_id, c.label, c.digest, statement.chain.head,  # type: ignore[attr-defined]
                             c.events, statement.chain.count)  # type: ignore[attr-defined]
        if found.actual_events != found.expected_events:
            found.problems.append(f"{found.actual_events - found.expected_events:+d} events "
                                  f"since the cycle closed with {found.expected_events}")
        for day in sorted(set(c.day_digests) | set(statement.chain.days)):  # type: ignore[attr-defined]
            if c.day_digests.get(day) != statement.chain.days.get(day):  # type: ignore[attr-defined]
                found.problems.append(f"events of {day} were altered, removed or inserted")
        self._name_events(c.event_hashes, statement.chain.events, found)  # type: ignore[attr-defined]
        if found.actual_digest != found.expected_digest and not found.problems:
            found.problems.append("the order of events changed")
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
