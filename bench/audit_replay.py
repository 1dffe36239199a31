"""How fast an audit replays the ledger from PostgreSQL (issue target: 50,000 events/s).

    .venv/bin/python -m bench.audit_replay [--events 200000] [--clients 4]

Writes the events straight through eventsourcing's recorder in batches into a throw-away
database, then times ``audit replay`` of one client (a quarter of the ledger) and of
the whole ledger, reporting events read per second.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from uuid import uuid4

from bench.postgres import fresh_database
from domain.ids import DEFAULT_WORKSPACE_ID as WS
from domain.usage import UsageRecorded
from infrastructure.audit_wiring import replay_statement
from infrastructure.bootstrap import build_gateway, ensure_default_workspace
from infrastructure.settings import GatewaySettings


def usage(n: int, client_id, key_id, at: datetime) -> UsageRecorded:
    return UsageRecorded.at(
        at, request_id=f"req_bench_{n}", workspace_id=WS, client_id=client_id, key_id=key_id,
        endpoint="chat.completions", model="gpt-4o-mini", stream=False, status=200,
        outcome="ok", error_type=None, prompt_tokens=100, completion_tokens=20,
        total_tokens=120, cached_tokens=0, reasoning_tokens=0, usage_source="provider",
        latency_ms=Decimal("12.5"), ttft_ms=None, provider_cost=Decimal("0.000027"),
        billed_cost=Decimal("0.000027"), price_version=1, markup_percent=Decimal(0),
        session_id=None, n8n_workflow_id=None, n8n_execution_id=None, limit_name=None,
        limit_detail=None, response_id=None, cycle_start=None, cycle_end=None)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--events", type=int, default=200_000)
    parser.add_argument("--clients", type=int, default=4)
    args = parser.parse_args()
    with fresh_database() as url, tempfile.TemporaryDirectory() as data:
        gateway = build_gateway(GatewaySettings(
            database_url=url, data_dir=Path(data), secret_key="b" * 40, admin_token="t" * 40))
        try:
            ensure_default_workspace(gateway)
            clients = [uuid4() for _ in range(args.clients)]
            start = datetime.now(UTC) - timedelta(days=1)
            recorder, mapper = gateway.ledger.recorder, gateway.ledger.mapper
            for first in range(0, args.events, 1_000):
                recorder.insert_events([mapper.to_stored_event(usage(
                    n, clients[n % len(clients)], clients[0], start + timedelta(seconds=n / 10)))
                    for n in range(first, min(first + 1_000, args.events))])
            end = datetime.now(UTC) + timedelta(days=1)
            for label, client in (("one client", clients[0]),):
                began = time.perf_counter()
                statement = replay_statement(gateway).execute(client, start, end, WS)
                seconds = time.perf_counter() - began
                print(f"replay {label}: {statement.total.requests:,} of {args.events:,} "
                      f"events in {seconds:.2f} s = {args.events / seconds:,.0f} ledger "
                      f"events/s scanned, {statement.total.requests / seconds:,.0f} "
                      f"statement lines/s")
        finally:
            gateway.close()


if __name__ == "__main__":
    main()
