"""Ledger rows encoded with orjson are the rows eventsourcing's mapper would write."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal
from uuid import uuid4

from hypothesis import given, settings
from hypothesis import strategies as st

from domain.usage import UsageRecorded
from infrastructure.database_url import DatabaseUrl
from infrastructure.event_store import open_ledger
from infrastructure.orjson_usage_rows import usage_row_encoder

LEDGER = open_ledger(DatabaseUrl.parse("memory://"))
ENCODE = usage_row_encoder(LEDGER.mapper)
NOW = datetime(2026, 11, 30, 9, 15, 1, 123456, tzinfo=UTC)


def usage_event(**changes: object) -> UsageRecorded:
    fields: dict[str, object] = dict(
        request_id="req_" + uuid4().hex, workspace_id=uuid4(), client_id=uuid4(),
        key_id=uuid4(), endpoint="chat.completions", model="gpt-4o-mini", stream=False,
        status=200, outcome="ok", error_type=None, prompt_tokens=20, completion_tokens=16,
        total_tokens=36, cached_tokens=0, reasoning_tokens=0, usage_source="provider",
        latency_ms=Decimal("1.234"), ttft_ms=None, provider_cost=Decimal("0.000012"),
        billed_cost=Decimal("0.0000132"), price_version=1, markup_percent=Decimal("10"),
        session_id=None, n8n_workflow_id=None, n8n_execution_id=None, limit_name=None,
        limit_detail=None, response_id=None, cycle_start=NOW, cycle_end=NOW)
    fields.update(changes)
    return UsageRecorded.at(NOW, **fields)


def mapper_row(event: UsageRecorded) -> tuple[object, ...]:
    stored = LEDGER.mapper.to_stored_event(event)
    return stored.originator_id, stored.originator_version, stored.topic, stored.state


def test_a_typical_event_is_encoded_byte_for_byte_as_the_mapper_does():
    event = usage_event()

    assert ENCODE(event) == mapper_row(event)


def test_a_refusal_with_limit_detail_and_attribution_is_encoded_as_the_mapper_does():
    event = usage_event(status=429, outcome="rejected", limit_name="requests_limit",
                        limit_detail={"limit": "100", "used": "100"}, session_id="wa:1",
                        ttft_ms=Decimal("0.5"), cycle_start=None, cycle_end=None,
                        price_version=None, n8n_execution_id="ex-ü-✓")

    assert ENCODE(event) == mapper_row(event)


def test_values_orjson_cannot_hold_go_through_the_mapper():
    event = usage_event(prompt_tokens=10**30, total_tokens=10**30 + 16)

    assert ENCODE(event) == mapper_row(event)


def test_a_timestamp_in_another_zone_keeps_its_offset():
    zone = timezone(timedelta(hours=5, minutes=30))
    event = usage_event(cycle_start=NOW.astimezone(zone))

    assert ENCODE(event) == mapper_row(event)


@settings(max_examples=200, deadline=None)
@given(text=st.text(), number=st.integers(min_value=0, max_value=2**63 - 1),
       money=st.decimals(allow_nan=False, allow_infinity=False, places=7))
def test_any_text_and_numbers_read_back_as_the_same_event(text, number, money):
    event = usage_event(model=text, session_id=text, prompt_tokens=number,
                        billed_cost=money, limit_detail={text: text})

    originator_id, version, topic, state = ENCODE(event)
    read = LEDGER.mapper.to_domain_event(
        type(LEDGER.mapper.to_stored_event(event))(originator_id, version, topic, state))

    assert read == event
