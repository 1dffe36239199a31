"""Replays decode events with msgspec; they must read exactly what orjson reads."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any
from uuid import uuid4

from hypothesis import given
from hypothesis import strategies as st

from domain.usage import UsageRecorded
from infrastructure.database_url import DatabaseUrl
from infrastructure.event_store import open_ledger
from infrastructure.usage_records import orjson_record, usage_records

FIELDS = ("timestamp", "request_id", "workspace_id", "client_id", "key_id", "model",
          "outcome", "prompt_tokens", "completion_tokens", "cached_tokens", "provider_cost",
          "billed_cost", "price_version", "markup_percent", "_data_", "_type_", "latency_ms",
          "limit_detail")
json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**70), 2**70)
    | st.floats(allow_nan=False, allow_infinity=False) | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.sampled_from(FIELDS),
                                                                 inner, max_size=3),
    max_leaves=6)


def a_stored_event() -> dict[str, Any]:
    event = UsageRecorded.at(
        datetime(2026, 11, 3, 9, tzinfo=UTC), request_id="req_é\n", workspace_id=uuid4(),
        client_id=uuid4(), key_id=uuid4(), endpoint="chat.completions", model="gpt-4o",
        stream=False, status=200, outcome="ok", error_type=None, prompt_tokens=12,
        completion_tokens=3, total_tokens=15, cached_tokens=0, reasoning_tokens=0,
        usage_source="provider", latency_ms=Decimal("1.5"), ttft_ms=None,
        provider_cost=Decimal("0.00006"), billed_cost=Decimal("0.000072"), price_version=1,
        markup_percent=Decimal(20), session_id=None, n8n_workflow_id=None,
        n8n_execution_id=None, limit_name=None, limit_detail={"a": "b"}, response_id=None,
        cycle_start=None, cycle_end=None)
    ledger = open_ledger(DatabaseUrl.parse("memory://"))
    return json.loads(ledger.mapper.to_stored_event(event).state)


STORED = a_stored_event()


def read_both(stored: bytes) -> tuple[str, str]:
    def outcome(read: Any) -> str:
        try:
            return repr(read())
        except Exception:  # what fails must fail both ways; which error is not the point
            return "fails"

    return (outcome(lambda: next(usage_records([[(7, stored, b"h")]]))),
            outcome(lambda: orjson_record(7, stored, b"h")))


def test_a_sound_event_reads_the_same_both_ways():
    fast, plain = read_both(json.dumps(STORED).encode())

    assert fast == plain != "fails"


@given(st.sampled_from(FIELDS), json_values, st.booleans())
def test_any_value_in_any_field_reads_the_same_both_ways(field, value, nested):
    document = json.loads(json.dumps(STORED))
    if nested and isinstance(document.get(field), dict):
        document[field]["_data_"] = value
    else:
        document[field] = value

    fast, plain = read_both(json.dumps(document).encode())

    assert fast == plain


@given(st.sampled_from(FIELDS), json_values)
def test_a_repeated_key_reads_the_same_both_ways(field, value):
    text = json.dumps(STORED)
    repeated = text[:-1] + f", {json.dumps(field)}: {json.dumps(value)}}}"

    fast, plain = read_both(repeated.encode())

    assert fast == plain


@given(st.binary(max_size=40))
def test_broken_documents_fail_both_ways(tail):
    fast, plain = read_both(json.dumps(STORED).encode()[:-30] + tail)

    assert fast == plain


@given(st.sampled_from(FIELDS))
def test_a_missing_field_reads_the_same_both_ways(field):
    document = {k: v for k, v in STORED.items() if k != field}

    fast, plain = read_both(json.dumps(document).encode())

    assert fast == plain
