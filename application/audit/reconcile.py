"""Comparing a client's cycle as four sources tell it: the replayed events, the read
models, the closed statement, and optionally the provider's own usage export."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from application.audit.statement import Statement
from domain.money import exact_sum

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


@dataclass(frozen=True)
class ClosedAccount:
    """A closed cycle as billed: its statement, the replay of the events it covered (those
    stored before the close), and the adjustments made to it since."""

    closed: Any  # domain.cycle_close.CycleClosed
    as_closed: Statement
    adjustments: Sequence[Any] = ()  # domain.adjustment.CycleAdjusted


def reconcile(replayed: Statement, read_model_totals: Mapping[str, Any],
              read_model_lines: Mapping[str, Line], closed: ClosedAccount | None,
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
        _closed_statement(closed, result)
        _late_events(replayed, closed, result)
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


def _closed_statement(account: ClosedAccount, result: Reconciliation) -> None:
    result.compared.append("replay ↔ closed statement")
    closed, ours = account.closed, account.as_closed
    for name in ("prompt_tokens", "completion_tokens", "provider_cost", "billed_cost"):
        if getattr(closed, name) != getattr(ours.total, name):
            result.differences.append(Difference(
                "replay ↔ closed statement", name, str(getattr(ours.total, name)),
                str(getattr(closed, name))))
    if closed.events != ours.chain.count or closed.digest != ours.chain.head:
        result.differences.append(Difference(
            "replay ↔ closed statement", "events", f"{ours.chain.count} "
            f"({ours.chain.head[:12]})", f"{closed.events} ({closed.digest[:12]})"))


def _late_events(replayed: Statement, account: ClosedAccount, result: Reconciliation) -> None:
    """Events stored after the close must each be in exactly one adjustment, at the cost
    the replay gives them."""
    result.compared.append("late events ↔ adjustments")
    late = set(replayed.lines) - set(account.as_closed.lines)
    adjusted = [rid for note in account.adjustments for rid in note.late_request_ids]
    missing = sorted(late - set(adjusted))
    if missing:
        result.differences.append(Difference(
            "late events ↔ adjustments", "late events in no adjustment yet", str(len(late)),
            str(len(adjusted)), tuple(missing)))
    twice = sorted({rid for rid in adjusted if adjusted.count(rid) > 1} | (set(adjusted) - late))
    if twice:
        result.differences.append(Difference(
            "late events ↔ adjustments", "adjusted twice, or not late", str(len(late)),
            str(len(adjusted)), tuple(twice)))
    for index, name in ((2, "provider_cost"), (3, "billed_cost")):
        ours = exact_sum(Decimal(replayed.lines[rid][index]) for rid in late & set(adjusted))
        theirs = exact_sum(getattr(n, f"late_{name}") for n in account.adjustments)
        if not missing and not twice and ours != theirs:
            result.differences.append(Difference(
                "late events ↔ adjustments", f"late {name}", str(ours), str(theirs),
                tuple(sorted(late))))


def _culprits(ours: Mapping[str, Line], theirs: Mapping[str, Line]) -> tuple[str, ...]:
    """The requests behind a difference: missing on one side, or unequal."""
    return tuple(sorted(rid for rid in set(ours) | set(theirs)
                        if ours.get(rid) != theirs.get(rid)))
