"""How fast an audit replays the ledger from PostgreSQL (issue target: 50,000 events/s).

    .venv/bin/python -m bench.audit_replay [--events 100000] [--clients 4] [--repeats 3]

Writes the events straight through eventsourcing's recorder in batches into a throw-away
database, then times ``audit replay`` of one client (1/clients of the ledger) several
times, reporting ledger events scanned per second, the median, and the load average.

The ledger looks like real traffic, so that no cache can hit on every line: registered
clients with a 20% markup, three keys each, four models, varied token counts, cached
tokens on a third of the requests and a refused request in forty. Every cost is
recomputed from the catalog's price, so a replay must find no discrepancy.
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from uuid import UUID, uuid4

from application.audit.price_history import PriceHistory
from bench.postgres import fresh_database
from domain.ids import DEFAULT_WORKSPACE_ID as WS
from domain.money import apply_markup
from domain.pricing import Price
from domain.usage import UsageRecorded
from infrastructure.audit_wiring import replay_statement
from infrastructure.bootstrap import Gateway, build_gateway, ensure_default_workspace
from infrastructure.ledger_lines import EventSourcedManagementHistory
from infrastructure.settings import GatewaySettings

MODELS = ("gpt-4o-mini", "gpt-4o", "gpt-4.1-mini", "gpt-4.1")
MARKUP = Decimal("20")


def usage(n: int, client_id: UUID, key_id: UUID, at: datetime, model: str,
          price: Price) -> UsageRecorded:
    refused = n % 40 == 39
    prompt = 0 if refused else 20 + n * 7919 % 4000
    completion = 0 if refused else n * 104729 % 900
    cached = prompt // 2 if n % 3 == 0 else 0
    provider = price.cost(prompt, completion, cached)
    return UsageRecorded.at(
        at, request_id=f"req_bench_{n}", workspace_id=WS, client_id=client_id, key_id=key_id,
        endpoint="chat.completions", model=model, stream=n % 2 == 0,
        status=429 if refused else 200, outcome="rejected" if refused else "ok",
        error_type=None, prompt_tokens=prompt, completion_tokens=completion,
        total_tokens=prompt + completion, cached_tokens=cached, reasoning_tokens=0,
        usage_source="none" if refused else "provider", latency_ms=Decimal("12.5"),
        ttft_ms=None, provider_cost=provider, billed_cost=apply_markup(provider, MARKUP),
        price_version=price.version, markup_percent=MARKUP, session_id=None,
        n8n_workflow_id=None, n8n_execution_id=None,
        limit_name="requests_per_minute" if refused else None, limit_detail=None,
        response_id=None, cycle_start=None, cycle_end=None)


def fill_ledger(gateway: Gateway, events: int, clients: int) -> tuple[UUID, datetime]:
    """Returns the first client and the time of the first event."""
    ids = []
    for n in range(clients):
        client = gateway.clients.register(WS, f"bench client {n}")
        gateway.clients.set_markup(WS, client.id, str(MARKUP))
        ids.append(client.id)
    keys = [[uuid4() for _ in range(3)] for _ in ids]
    history = PriceHistory.from_history(EventSourcedManagementHistory(gateway.management))
    start = datetime.now(UTC) + timedelta(seconds=1)  # after the prices and markups
    prices = {m: history.price(WS, m, start) for m in MODELS}
    recorder, mapper = gateway.ledger.recorder, gateway.ledger.mapper
    for first in range(0, events, 1_000):
        batch = []
        for n in range(first, min(first + 1_000, events)):
            c, model = n % clients, MODELS[n // clients % len(MODELS)]
            batch.append(mapper.to_stored_event(usage(
                n, ids[c], keys[c][n // 7 % 3], start + timedelta(seconds=n / 10), model,
                prices[model])))  # type: ignore[arg-type]
        recorder.insert_events(batch)
    return ids[0], start


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    with fresh_database() as url, tempfile.TemporaryDirectory() as data:
        gateway = build_gateway(GatewaySettings(
            database_url=url, data_dir=Path(data), secret_key="b" * 40, admin_token="t" * 40))
        try:
            ensure_default_workspace(gateway)
            client, start = fill_ledger(gateway, args.events, args.clients)
            end = start + timedelta(days=1)
            rates = []
            for run in range(1, args.repeats + 1):
                load = os.getloadavg()[0]
                began, cpu = time.perf_counter(), time.process_time()
                statement = replay_statement(gateway).execute(client, start, end, WS)
                seconds = time.perf_counter() - began
                cpu = time.process_time() - cpu
                rates.append(args.events / seconds)
                print(f"run {run}: {statement.total.requests:,} of {args.events:,} events in "
                      f"{seconds:.2f} s = {rates[-1]:,.0f} ledger events/s scanned "
                      f"(process CPU {cpu:.2f} s, load {load:.2f}, "
                      f"{len(statement.discrepancies)} discrepancies)")
            print(f"median of {len(rates)}: {statistics.median(rates):,.0f} ledger events/s "
                  f"({args.clients} clients, {os.cpu_count()} CPUs, load now "
                  f"{' '.join(f'{x:.2f}' for x in os.getloadavg())})")
        finally:
            gateway.close()


if __name__ == "__main__":
    main()
