"""A hundred thousand requests in the read models, the way the product puts them there.

The requests go into the ledger as events, oldest first (the order the gateway records
them in), and the projections read them from there into every read model, the usage
rollup included. Only the batch size of that catch-up is larger than the default, which
is a setting of the product's own runner.
"""

from __future__ import annotations

import random
from datetime import timedelta
from decimal import Decimal

from domain.ids import DEFAULT_WORKSPACE_ID as WS
from infrastructure.bootstrap import Gateway
from tests.projections.usage_events import store, usage

REQUESTS = 100_000
DAYS = 30
MODELS = ("gpt-4o-mini", "gpt-4o", "gpt-4.1-mini", "text-embedding-3-small")
STORE_CHUNK = 1_000  # one insert of 10,000 events stalled psycopg's pipeline on PostgreSQL
CATCH_UP_BATCH = 2_000


def fill_with_traffic(gateway: Gateway, requests: int = REQUESTS, clients: int = 25) -> None:
    """Requests spread over the last 30 days, across clients, keys and models; 3% fail."""
    rng, now = random.Random(5), gateway.clock.now()
    owners = []
    for i in range(clients):
        client = gateway.clients.register(WS, f"Client {i:02d}")
        owners += [(client.id, gateway.keys.issue(WS, client.id, f"key-{k}").key.id)
                   for k in range(2)]
    ages = sorted((rng.randint(0, DAYS * 86400) for _ in range(requests)), reverse=True)
    for start in range(0, requests, STORE_CHUNK):
        batch = []
        for i in range(start, min(start + STORE_CHUNK, requests)):
            client_id, key_id = rng.choice(owners)
            failed = rng.random() < 0.03
            prompt, completion = rng.randint(10, 3000), rng.randint(0, 800)
            cost = Decimal(prompt * 150 + completion * 600) / 1_000_000_000
            batch.append(usage(
                now - timedelta(seconds=ages[i]), request_id=f"req_{i}", client_id=client_id,
                key_id=key_id, model=rng.choice(MODELS), status=502 if failed else 200,
                outcome="upstream_error" if failed else "ok",
                error_type="upstream" if failed else None, prompt_tokens=prompt,
                completion_tokens=completion, provider_cost=cost,
                billed_cost=cost * Decimal("1.3"), latency_ms=Decimal(rng.randint(80, 4000)),
                stream=True, ttft_ms=Decimal(rng.randint(50, 900)), session_id=f"s-{i % 997}",
                cycle_start=None, cycle_end=None))
        store(gateway, batch)
    gateway.projections.batch_size = CATCH_UP_BATCH
    gateway.projections.catch_up()
