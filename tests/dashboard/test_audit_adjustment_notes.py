"""The Audit page lists the credit and debit notes a period's invoice carries."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from types import SimpleNamespace
from uuid import uuid4

from application.audit.statement import Statement
from dashboard.pages.audit import render_statement
from domain.adjustment import CycleAdjusted


def note(client_id, late: str, correction: str) -> CycleAdjusted:
    return CycleAdjusted.at(
        datetime(2026, 12, 2, tzinfo=UTC), workspace_id=uuid4(), client_id=client_id,
        sequence=1, adjusted_start=datetime(2026, 11, 1, tzinfo=UTC),
        adjusted_end=datetime(2026, 12, 1, tzinfo=UTC), adjusted_label="2026-11",
        applies_start=datetime(2026, 12, 1, tzinfo=UTC),
        applies_end=datetime(2027, 1, 1, tzinfo=UTC), applies_label="2026-12",
        late_request_ids=["req-1"], late_prompt_tokens=10, late_completion_tokens=5,
        late_provider_cost=Decimal(late), late_billed_cost=Decimal(late),
        corrections=["gpt-4o v1 #1"], corrected_requests=3,
        correction_provider_cost=Decimal(correction), correction_billed_cost=Decimal(correction))


def text_of(component) -> str:
    children = getattr(component, "children", component)
    if isinstance(children, list | tuple):
        return " ".join(text_of(c) for c in children if c is not None)
    if hasattr(children, "children"):
        return text_of(children)
    return "" if children is None else str(children)


def test_the_statement_lists_each_note_and_the_amount_billed_with_them():
    client_id = uuid4()
    statement = Statement(None, client_id, datetime(2026, 12, 1, tzinfo=UTC),
                          datetime(2027, 1, 1, tzinfo=UTC))
    statement.total.billed_cost = Decimal("10")
    statement.adjustments = [note(client_id, "0.25", "-1.50")]
    gateway = SimpleNamespace(state=SimpleNamespace(keys_of=lambda *_: []))

    shown = text_of(render_statement(gateway, uuid4(), statement))

    assert statement.adjustments[0].kind == "credit note"
    assert "credit note" in shown and "2026-11 #1" in shown and "gpt-4o v1 #1" in shown
    assert statement.as_dict()["billed_with_adjustments"] == "8.75"
