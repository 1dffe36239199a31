"""Settling what closed statements missed, as credit and debit notes in a later cycle.

Two things change what a closed cycle should have cost without touching its statement:
a late usage event (stored after the close, for a request made during the cycle), and a
correction of a price the cycle was costed with. For each closed cycle this job computes
what is owed now, from the raw ledger, minus what the statement and earlier adjustments
billed, and stores the difference as one ``CycleAdjusted`` event.

Late events are found by following the ledger from where the previous run stopped, so a
run reads only what is new; a process that starts afresh reads from the oldest close
within ``LATE_EVENT_HORIZON``. Older cycles are still checked by ``audit reconcile``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal
from uuid import UUID

from application.audit.ports import LedgerLines, LedgerMark, UsageLine
from application.audit.price_history import PriceHistory
from application.audit.replay import PROPAGATION_TOLERANCE
from application.jobs.ports import LedgerAppender
from application.ports import Clock
from domain.adjustment import CycleAdjusted
from domain.client import Client
from domain.cycle_close import CycleClosed
from domain.cycles import cycle_window
from domain.money import EXACT, apply_markup, exact_sum

LATE_EVENT_HORIZON = timedelta(days=62)


@dataclass
class CorrectionDelta:
    provider: Decimal = Decimal(0)
    billed: Decimal = Decimal(0)
    requests: int = 0
    refs: set[str] = field(default_factory=set)

    def add(self, history: PriceHistory, line: UsageLine) -> None:
        if line.price_version is None:
            return
        found = history.corrected(line.workspace_id, line.model, line.price_version)
        original = history.version(line.workspace_id, line.model, line.price_version)
        if found is None or original is None:
            return
        corrected, refs = found
        tokens = (line.prompt_tokens, line.completion_tokens, line.cached_tokens)
        delta = EXACT.subtract(corrected.cost(*tokens), original.cost(*tokens))
        if delta == 0:
            return
        self.provider = EXACT.add(self.provider, delta)
        self.billed = EXACT.add(self.billed, apply_markup(delta, line.markup_percent))
        self.requests += 1
        self.refs.update(refs)


@dataclass
class AdjustClosedCycles:
    ledger: LedgerLines
    history: Callable[[], PriceHistory]  # fresh each run: prices may have been corrected
    appender: LedgerAppender
    clock: Clock
    _followed_to: int | None = None
    _known_closures: set[UUID] = field(default_factory=set)
    _late: dict[UUID, dict[str, UsageLine]] = field(default_factory=lambda: defaultdict(dict))
    _settled: set[tuple[UUID, str]] = field(default_factory=set)  # corrections changing nothing

    def execute(self, clients: Iterable[Client]) -> int:
        now, by_id = self.clock.now(), {c.id: c for c in clients}
        marks = self.ledger.marks()
        closures = [m for m in marks if isinstance(m.event, CycleClosed)
                    and m.event.client_id in by_id]
        earlier: dict[tuple[UUID, datetime], list[CycleAdjusted]] = defaultdict(list)
        for mark in marks:
            if isinstance(mark.event, CycleAdjusted):
                earlier[(mark.event.client_id, mark.event.adjusted_start)].append(mark.event)
        snapshot = self._follow_late_events(closures, now)
        history, made = self.history(), 0
        for mark in closures:
            closed: CycleClosed = mark.event
            prior = earlier[(closed.client_id, closed.cycle_start)]
            adjusted = {rid for a in prior for rid in a.late_request_ids}
            counted = {ref for a in prior for ref in a.corrections}
            late = [rid for rid in self._late.get(closed.originator_id, {})
                    if rid not in adjusted]
            pending = [ref for ref in history.corrections_within(
                closed.workspace_id, closed.cycle_start, closed.cycle_end, PROPAGATION_TOLERANCE)
                if ref not in counted and (closed.originator_id, ref) not in self._settled]
            if late or pending:
                made += self._adjust(mark, prior, adjusted, counted, history,
                                     by_id[closed.client_id], now, snapshot, pending)
        return made

    def _follow_late_events(self, closures: list[LedgerMark], now: datetime) -> int:
        """Reads the ledger from where the last run stopped (or from the first close it has
        not seen) and keeps every usage event that is late for a close."""
        snapshot = self.ledger.count()
        recent = [m for m in closures if m.event.cycle_end > now - LATE_EVENT_HORIZON]
        unseen = [m.position for m in recent if m.event.originator_id not in self._known_closures]
        start = min([*unseen, *([self._followed_to] if self._followed_to is not None else [])],
                    default=snapshot)
        by_client: dict[UUID, list[LedgerMark]] = defaultdict(list)
        for mark in recent:
            by_client[mark.event.client_id].append(mark)
        for line in self.ledger.lines_after(start):
            if line.position > snapshot:
                break
            for mark in by_client.get(line.client_id, ()):
                closed = mark.event
                if line.position > mark.position and closed.cycle_start <= line.at \
                        < closed.cycle_end and line.workspace_id == closed.workspace_id:
                    self._late[closed.originator_id][line.request_id] = line
        self._known_closures.update(m.event.originator_id for m in recent)
        self._followed_to = snapshot
        return snapshot

    def _adjust(self, mark: LedgerMark, prior: list[CycleAdjusted], adjusted: set[str],
                counted: set[str], history: PriceHistory, client: Client, now: datetime,
                snapshot: int, pending: list[str]) -> int:
        """What the cycle owes now, from all its events up to ``snapshot``, minus what its
        statement and earlier adjustments billed."""
        closed: CycleClosed = mark.event
        late: list[UsageLine] = []
        corrections = CorrectionDelta()
        for line in self.ledger.lines(closed.client_id):
            if line.position > snapshot:
                break
            if line.workspace_id != closed.workspace_id \
                    or not closed.cycle_start <= line.at < closed.cycle_end:
                continue
            if line.position > mark.position and line.request_id not in adjusted:
                late.append(line)
            corrections.add(history, line)
        provider = EXACT.subtract(corrections.provider,
                                  exact_sum(a.correction_provider_cost for a in prior))
        billed = EXACT.subtract(corrections.billed,
                                exact_sum(a.correction_billed_cost for a in prior))
        if not late and provider == 0 and billed == 0:
            self._settled.update((closed.originator_id, ref) for ref in pending)
            return 0
        landing = cycle_window(client.policy, now)
        event = CycleAdjusted.at(
            now, workspace_id=closed.workspace_id, client_id=closed.client_id,
            sequence=len(prior) + 1, adjusted_start=closed.cycle_start,
            adjusted_end=closed.cycle_end, adjusted_label=closed.label,
            applies_start=landing.start, applies_end=landing.end, applies_label=landing.label,
            late_request_ids=[line.request_id for line in late],
            late_prompt_tokens=sum(line.prompt_tokens for line in late),
            late_completion_tokens=sum(line.completion_tokens for line in late),
            late_provider_cost=exact_sum(line.provider_cost for line in late),
            late_billed_cost=exact_sum(line.billed_cost for line in late),
            corrections=sorted(counted | corrections.refs),
            corrected_requests=corrections.requests,
            correction_provider_cost=provider, correction_billed_cost=billed)
        return int(self.appender.append_once(event))
