"""Comparing a client's cycle as four sources tell it: the replayed events, the read
models, the closed statement, and optionally the provider's own usage export."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from application.audit.statement import Statement

Line = tuple[int, int, Decimal, Decimal]
FIELDS = ("prompt_tokens", "completion_tokens", "provider_cost", "billed_cost")


@dataclass(frozen=True)
class Difference:
    between: str
    what: str
    left: str
    right: str
    request_ids: tuple[str, ...] = ()


@dataclass
class Reconciliation:
    differences: list[Difference] = field(default_factory=list)
    compared: list[str] = field(default_factory=list)

    @property
    def agrees(self) -> bool:
        return not self.differences


def _totals(lines: Mapping[str, Line]) -> dict[str, Any]:
    return {name: sum((line[i] for line in lines.values()), Decimal(0) if i > 1 else 0)
            for i, name in enumerate(FIELDS)}


def reconcile(replayed: Statement, read_model_totals: Mapping[str, Any],
              read_model_lines: Mapping[str, Line], closed: Any | None,
              provider_export: Mapping[tuple[str, str], Decimal] | None,
              replayed_by_day_model: Mapping[tuple[str, str], Decimal] | None
              ) -> Reconciliation:
    result = Reconciliation()
    replay_totals = {"requests": replayed.admitted, "prompt_tokens": replayed.total.prompt_tokens,
                     "completion_tokens": replayed.total.completion_tokens,
                     "provider_cost": replayed.total.provider_cost,
                     "billed_cost": replayed.total.billed_cost}
    result.compared.append("replay ↔ read model")
    for name, value in replay_totals.items():
        theirs = read_model_totals.get(name)
        if theirs is not None and theirs != value:
            result.differences.append(Difference("replay ↔ read model", name, str(value),
                                                 str(theirs), _culprits(replayed.lines,
                                                                        read_model_lines)))
    if closed is not None:
        result.compared.append("replay ↔ closed statement")
        for name in ("prompt_tokens", "completion_tokens", "provider_cost", "billed_cost"):
            if getattr(closed, name) != replay_totals[name]:
                result.differences.append(Difference(
                    "replay ↔ closed statement", name, str(replay_totals[name]),
                    str(getattr(closed, name))))
        if closed.events != replayed.chain.count or closed.digest != replayed.chain.head:
            result.differences.append(Difference(
                "replay ↔ closed statement", "events", f"{replayed.chain.count} "
                f"({replayed.chain.head[:12]})", f"{closed.events} ({closed.digest[:12]})"))
    if provider_export is not None and replayed_by_day_model is not None:
        result.compared.append("replay ↔ provider export")
        for key in sorted(set(provider_export) | set(replayed_by_day_model)):
            ours = replayed_by_day_model.get(key, Decimal(0))
            theirs = provider_export.get(key, Decimal(0))
            if ours.quantize(Decimal("0.01")) != theirs.quantize(Decimal("0.01")):
                result.differences.append(Difference(
                    "replay ↔ provider export", f"provider cost {key[0]} {key[1]}",
                    str(ours), str(theirs)))
    return result


def _culprits(ours: Mapping[str, Line], theirs: Mapping[str, Line]) -> tuple[str, ...]:
    """The requests behind a difference: missing on one side, or unequal."""
    return tuple(sorted(rid for rid in set(ours) | set(theirs)
                        if ours.get(rid) != theirs.get(rid)))
