"""A credit or debit note: what a closed cycle's statement missed, billed in a later cycle.

A closed statement is never rewritten. When a usage event of a closed cycle is stored after
the close (a late event), or a price that cycle was costed with is corrected, the
difference becomes one of these, landing in the cycle open at the time (the next one,
unless several have passed). Amounts are signed: negative is a credit to the client.

One stream per closed cycle and sequence number, id derived from both, so two processes
that compute the same adjustment store it once.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from uuid import UUID, uuid5

from eventsourcing.domain import DomainEvent

from domain.ids import GATEWAY_NAMESPACE
from domain.money import EXACT


def adjustment_id(client_id: UUID, cycle_start: datetime, sequence: int) -> UUID:
    return uuid5(GATEWAY_NAMESPACE,
                 f"cycle-adjusted:{client_id}:{cycle_start.isoformat()}:{sequence}")


class CycleAdjusted(DomainEvent):
    workspace_id: UUID
    client_id: UUID
    sequence: int  # 1, 2, … per adjusted cycle
    adjusted_start: datetime
    adjusted_end: datetime
    adjusted_label: str
    applies_start: datetime  # the cycle whose invoice carries this note
    applies_end: datetime
    applies_label: str
    # Late events, at the cost they were recorded with.
    late_request_ids: list[str]
    late_prompt_tokens: int
    late_completion_tokens: int
    late_provider_cost: Decimal
    late_billed_cost: Decimal
    # Price corrections: corrected cost minus the cost recorded and earlier corrections.
    corrections: list[str]  # every correction counted so far, e.g. "gpt-4o v2 #1"
    corrected_requests: int
    correction_provider_cost: Decimal
    correction_billed_cost: Decimal

    @property
    def provider_cost(self) -> Decimal:
        return EXACT.add(self.late_provider_cost, self.correction_provider_cost)

    @property
    def billed_cost(self) -> Decimal:
        return EXACT.add(self.late_billed_cost, self.correction_billed_cost)

    @property
    def kind(self) -> str:
        return "credit note" if self.billed_cost < 0 else "debit note"

    def as_dict(self) -> dict[str, object]:
        return {
            "kind": self.kind, "sequence": self.sequence,
            "adjusts_cycle": self.adjusted_label,
            "adjusts_start": self.adjusted_start.isoformat(),
            "applies_to_cycle": self.applies_label,
            "provider_cost": str(self.provider_cost), "billed_cost": str(self.billed_cost),
            "late_requests": len(self.late_request_ids),
            "late_request_ids": list(self.late_request_ids),
            "late_prompt_tokens": self.late_prompt_tokens,
            "late_completion_tokens": self.late_completion_tokens,
            "late_provider_cost": str(self.late_provider_cost),
            "late_billed_cost": str(self.late_billed_cost),
            "corrections": list(self.corrections),
            "corrected_requests": self.corrected_requests,
            "correction_provider_cost": str(self.correction_provider_cost),
            "correction_billed_cost": str(self.correction_billed_cost),
            "recorded_at": self.timestamp.isoformat(),
        }

    @classmethod
    def at(cls, timestamp: datetime, **fields: object) -> CycleAdjusted:
        client_id, start, sequence = (fields["client_id"], fields["adjusted_start"],
                                      fields["sequence"])
        assert isinstance(client_id, UUID) and isinstance(start, datetime)
        assert isinstance(sequence, int)
        return cls(originator_id=adjustment_id(client_id, start, sequence),
                   originator_version=1, timestamp=timestamp, **fields)  # type: ignore[arg-type]
