"""A closed billing cycle: the client's statement, fixed once the cycle has ended.

Totals are recomputed from the ledger's events, and ``digest`` is the head of a hash chain
over those events (``application/audit/hash_chain.py``), so that ``audit verify`` can prove
later that none was altered, removed or added.

One stream per client and cycle, id derived from both, so closing twice is refused by the
store and a scheduled job can run as often as it likes.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from uuid import UUID, uuid5

from eventsourcing.domain import DomainEvent

from domain.ids import GATEWAY_NAMESPACE


def cycle_close_id(client_id: UUID, cycle_start: datetime) -> UUID:
    return uuid5(GATEWAY_NAMESPACE, f"cycle-closed:{client_id}:{cycle_start.isoformat()}")


class CycleClosed(DomainEvent):
    workspace_id: UUID
    client_id: UUID
    cycle_start: datetime
    cycle_end: datetime
    label: str
    requests: int
    prompt_tokens: int
    completion_tokens: int
    provider_cost: Decimal
    billed_cost: Decimal
    digest: str
    events: int
    day_digests: dict[str, str]
    event_hashes: dict[str, str]  # request id → short hash; empty for very large cycles

    @classmethod
    def at(cls, timestamp: datetime, **fields: object) -> CycleClosed:
        client_id, cycle_start = fields["client_id"], fields["cycle_start"]
        assert isinstance(client_id, UUID) and isinstance(cycle_start, datetime)
        return cls(originator_id=cycle_close_id(client_id, cycle_start), originator_version=1,
                   timestamp=timestamp, **fields)  # type: ignore[arg-type]
