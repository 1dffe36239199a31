"""Ledger events for projection tests: one by hand, or realistic traffic from a seed."""

from __future__ import annotations

import random
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any
from uuid import UUID, uuid4

from domain.ids import DEFAULT_WORKSPACE_ID
from domain.usage import UsageRecorded

T0 = datetime(2025, 3, 1, 8, 0, tzinfo=UTC)
MARCH = (datetime(2025, 3, 1, tzinfo=UTC), datetime(2025, 4, 1, tzinfo=UTC))
APRIL = (datetime(2025, 4, 1, tzinfo=UTC), datetime(2025, 5, 1, tzinfo=UTC))


def usage(at: datetime = T0, **fields: Any) -> UsageRecorded:
    """A successful chat completion in March's cycle, unless ``fields`` say otherwise."""
    values: dict[str, Any] = {
        "request_id": f"req_{uuid4().hex}", "workspace_id": DEFAULT_WORKSPACE_ID,
        "client_id": UUID(int=1), "key_id": UUID(int=101),
        "endpoint": "/v1/chat/completions", "model": "gpt-4o", "stream": False,
        "status": 200, "outcome": "ok", "error_type": None, "prompt_tokens": 100,
        "completion_tokens": 50, "total_tokens": None, "cached_tokens": 0,
        "reasoning_tokens": 0, "usage_source": "provider", "latency_ms": Decimal("120.500"),
        "ttft_ms": None, "provider_cost": Decimal("0.00125"), "billed_cost": Decimal("0.0015"),
        "price_version": 1, "markup_percent": Decimal(20), "session_id": None,
        "n8n_workflow_id": None, "n8n_execution_id": None, "limit_name": None,
        "limit_detail": None, "response_id": None, "cycle_start": MARCH[0],
        "cycle_end": MARCH[1],
    }
    values.update(fields)
    if values["total_tokens"] is None:
        values["total_tokens"] = values["prompt_tokens"] + values["completion_tokens"]
    return UsageRecorded.at(at, **values)


def traffic(n: int, seed: int = 7, workspaces: tuple[UUID, ...] = (DEFAULT_WORKSPACE_ID,),
            start: datetime = T0) -> list[UsageRecorded]:
    """Varied requests over a few days across a month boundary: several clients, keys,
    models and endpoints; errors, refusals, streams, sessions; costs with many decimals."""
    rng = random.Random(seed)
    clients = [(ws, UUID(int=1000 * w + c)) for w, ws in enumerate(workspaces) for c in range(4)]
    events = []
    at = start
    for i in range(n):
        at += timedelta(seconds=rng.choice((1, 7, 30, 180, 600)))
        workspace_id, client_id = rng.choice(clients)
        outcome, status = rng.choice((("ok", 200),) * 8 + (
            ("upstream_error", 502), ("rejected", 429), ("bad_request", 400), ("timeout", 504)))
        stream = rng.random() < 0.4
        cycle = MARCH if at < APRIL[0] else APRIL
        prompt, completion = rng.randint(0, 4000), rng.randint(0, 1500)
        if outcome in ("rejected", "bad_request"):
            prompt = completion = 0
        cost = (Decimal(prompt) * Decimal("2.500000001") + Decimal(completion) * Decimal(10)) \
            / 1_000_000
        events.append(usage(
            at, request_id=f"req_{seed}_{i}", workspace_id=workspace_id, client_id=client_id,
            key_id=UUID(int=client_id.int * 10 + rng.randint(0, 1)),
            model=rng.choice(("gpt-4o", "gpt-4o-mini", "o3")),
            endpoint=rng.choice(("/v1/chat/completions", "/v1/responses", "/v1/embeddings")),
            stream=stream, status=status, outcome=outcome,
            error_type=None if status < 400 else "upstream", prompt_tokens=prompt,
            completion_tokens=completion, cached_tokens=rng.randint(0, prompt),
            latency_ms=Decimal(rng.choice((3, 40, 800, 2500, 70_000, 400_000)) * 1000
                               + rng.randint(0, 999)) / 1000,
            ttft_ms=Decimal(rng.randint(1, 9000)) / 10 if stream else None,
            provider_cost=cost, billed_cost=cost * Decimal("1.175000001"),
            session_id=rng.choice((None, "s-a", "s-b", f"s-{i % 13}")),
            limit_name="max_requests" if outcome == "rejected" else None,
            cycle_start=None if i % 17 == 0 else cycle[0],
            cycle_end=None if i % 17 == 0 else cycle[1]))
    return events


def store(gateway: Any, events: Iterable[UsageRecorded]) -> None:
    """Writes events the way the group-committed usage writer does."""
    ledger = gateway.ledger
    ledger.recorder.insert_events([ledger.mapper.to_stored_event(e) for e in events])


def dump(database: Any, table: str) -> list[tuple[Any, ...]]:
    """Every row, as sortable tuples, in a stable order: for comparing whole tables."""
    rows = [tuple(sorted(row.items())) for row in database.fetch_all(f"SELECT * FROM {table}")]
    return sorted(rows, key=lambda row: [(value is None, str(value)) for _, value in row])
