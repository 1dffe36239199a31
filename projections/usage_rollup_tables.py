"""The tables of the usage rollup, and the upserts that add a batch's sums to them.

``rm_usage_rollup_hourly`` and ``rm_usage_rollup_daily`` hold usage per UTC hour and per
UTC day × workspace × client × model × status, outcome and error type. The daily table
also counts latency and time to first token in one column per bucket of
``projections.latency_buckets``, so SQL sums them over any days. The hourly counts live
apart, in ``rm_latency_rollup_hourly``, one row per non-empty bucket: most hours of a
client and model see a few requests, and 158 mostly-zero counters on every hourly row
made the projection a third slower to write (measured on both backends). A screen reads
hourly latencies only for the ends of its range, a day at most.
"""

from __future__ import annotations

from projections.latency_buckets import BUCKETS

HOURLY, DAILY = "rm_usage_rollup_hourly", "rm_usage_rollup_daily"
HOURLY_LATENCY = "rm_latency_rollup_hourly"
KEY = ("workspace_id", "period", "client_id", "model", "status", "outcome", "error_type")
COUNTERS = ("requests", "prompt_tokens", "completion_tokens")
AMOUNTS = ("provider_cost", "billed_cost")
MAXIMA = ("latency_max_ms", "ttft_max_ms")
LATENCY_BUCKETS = tuple(f"lat_b{i}" for i in range(BUCKETS))
TTFT_BUCKETS = tuple(f"ttft_b{i}" for i in range(BUCKETS))
LATENCY_KEY = ("workspace_id", "period", "client_id", "model", "kind", "bucket")
KINDS = ("latency", "ttft")


def _usage_ddl(table: str, buckets: tuple[str, ...]) -> tuple[str, ...]:
    counters = "".join(f"{c} BIGINT NOT NULL,\n        " for c in (*COUNTERS, *buckets))
    return (
        f"""CREATE TABLE IF NOT EXISTS {table} (
        workspace_id TEXT NOT NULL,
        period TIMESTAMP_T NOT NULL,
        client_id TEXT NOT NULL,
        model TEXT NOT NULL,
        status INTEGER NOT NULL,
        outcome TEXT NOT NULL,
        error_type TEXT NOT NULL,
        {counters}provider_cost DECIMAL_T NOT NULL,
        billed_cost DECIMAL_T NOT NULL,
        latency_max_ms DECIMAL_T NOT NULL,
        ttft_max_ms DECIMAL_T,
        PRIMARY KEY ({", ".join(KEY)})
    )""",
        f"CREATE INDEX IF NOT EXISTS {table}_by_client ON {table} "
        "(workspace_id, client_id, period)",
    )


DDL = (
    *_usage_ddl(HOURLY, ()),
    *_usage_ddl(DAILY, (*LATENCY_BUCKETS, *TTFT_BUCKETS)),
    f"""CREATE TABLE IF NOT EXISTS {HOURLY_LATENCY} (
        workspace_id TEXT NOT NULL,
        period TIMESTAMP_T NOT NULL,
        client_id TEXT NOT NULL,
        model TEXT NOT NULL,
        kind TEXT NOT NULL,
        bucket INTEGER NOT NULL,
        requests BIGINT NOT NULL,
        PRIMARY KEY ({", ".join(LATENCY_KEY)})
    )""",
)


def _upsert(table: str, key: tuple[str, ...], counters: tuple[str, ...],
            amounts: tuple[str, ...] = (), maxima: tuple[str, ...] = ()) -> str:
    columns = (*key, *counters, *amounts, *maxima)
    updates = ([f"{c} = {table}.{c} + excluded.{c}" for c in counters]
               + [f"{c} = rm_dec_add({table}.{c}, excluded.{c})" for c in amounts]
               + [f"{c} = rm_dec_greatest({table}.{c}, excluded.{c})" for c in maxima])
    return (f"INSERT INTO {table} ({', '.join(columns)}) "
            f"VALUES ({', '.join(':' + c for c in columns)}) "
            f"ON CONFLICT ({', '.join(key)}) DO UPDATE SET {', '.join(updates)}")


UPSERT_HOURLY = _upsert(HOURLY, KEY, COUNTERS, AMOUNTS, MAXIMA)
UPSERT_DAILY = _upsert(DAILY, KEY, (*COUNTERS, *LATENCY_BUCKETS, *TTFT_BUCKETS), AMOUNTS,
                       MAXIMA)
UPSERT_HOURLY_LATENCY = _upsert(HOURLY_LATENCY, LATENCY_KEY, ("requests",))
