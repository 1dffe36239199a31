"""What an audit reads: the ledger's usage lines, raw, and the history of prices and
markups. Never a read model: an audit must stand on the events alone."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any, Protocol
from uuid import UUID


@dataclass(frozen=True, slots=True)
class UsageLine:
    """One UsageRecorded event as stored, with the exact bytes it was stored as."""

    position: int
    stored: bytes
    request_id: str
    at: datetime
    workspace_id: UUID
    client_id: UUID
    key_id: UUID
    endpoint: str
    model: str
    status: int
    outcome: str
    prompt_tokens: int
    completion_tokens: int
    cached_tokens: int
    provider_cost: Decimal
    billed_cost: Decimal
    price_version: int | None
    markup_percent: Decimal


@dataclass(frozen=True, slots=True)
class LedgerMark:
    """A closed cycle or an adjustment, with its place in the ledger: usage events stored
    after a cycle's close are late for it."""

    position: int
    event: Any  # domain.cycle_close.CycleClosed or domain.adjustment.CycleAdjusted


# One UsageRecorded event as plain values, for replays that read millions of them:
#   (position, event_hash, request_id, timestamp, workspace_id, client_id, key_id, model,
#    outcome, prompt_tokens, completion_tokens, cached_tokens, provider_cost, billed_cost,
#    price_version, markup_percent)
# event_hash is the SHA-256 digest of the exact bytes the event is stored as (a database
# may compute it, beside the replay rather than in its thread). Times are ISO 8601 text,
# ids hex and amounts decimal text, as stored: a replay converts each distinct value once,
# where a UsageLine would convert every field of every event.
UsageRecord = tuple[int, bytes, str, str, str, str, str, str, str, int, int, int, str, str,
                    int | None, str]


class LedgerLines(Protocol):
    """Usage lines in ledger order. ``count`` is the ledger's latest position, for progress
    reports and as a snapshot."""

    def lines(self, client_id: UUID | None = None) -> Iterator[UsageLine]: ...

    def lines_after(self, position: int) -> Iterator[UsageLine]:
        """Every client's usage lines stored after ``position``."""
        ...

    def records(self, client_id: UUID | None = None) -> Iterator[UsageRecord]:
        """The same events as ``lines``, as UsageRecords. With a client, other clients'
        events may be left out early (the replay checks every record's client anyway)."""
        ...

    def count(self) -> int: ...

    def marks(self) -> list[LedgerMark]:
        """Every closed cycle and adjustment, in ledger order (there are few)."""
        ...


class ManagementHistory(Protocol):
    """Every management event, in order (there are few)."""

    def events(self) -> Iterator[Any]: ...
