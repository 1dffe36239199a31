"""Prometheus metrics of the gateway process (prometheus-client's default registry)."""

from __future__ import annotations

from prometheus_client import Counter, Gauge, Histogram

REQUESTS = Counter("gateway_requests_total", "Requests answered, by endpoint and status.",
                   ["endpoint", "status"])
LATENCY = Histogram(
    "gateway_request_duration_seconds",
    "Time to the response headers (streams: to the first byte), by endpoint.", ["endpoint"],
    buckets=(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60))
UPSTREAM_ERRORS = Counter("gateway_upstream_errors_total",
                          "Provider failures, by kind (timeout, unreachable, status).", ["kind"])
WRITER_QUEUE = Gauge("gateway_usage_writer_queue_depth",
                     "Usage events waiting for the ledger writer.")
WRITER_BATCH = Histogram("gateway_usage_writer_batch_size", "Usage events per ledger commit.",
                         buckets=(1, 2, 5, 10, 20, 50, 100, 200, 500, 1000))
WRITER_COMMIT = Histogram("gateway_usage_writer_commit_seconds", "Time of one ledger commit.",
                          buckets=(0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.5))
EVENTS_WRITTEN = Counter("gateway_usage_events_written_total", "Usage events committed.")


class PrometheusWriterObserver:
    """What the usage writer reports after each commit."""

    def batch(self, size: int, seconds: float, queue_depth: int) -> None:
        WRITER_BATCH.observe(size)
        WRITER_COMMIT.observe(seconds)
        WRITER_QUEUE.set(queue_depth)
        EVENTS_WRITTEN.inc(size)


# ``labels()`` takes a lock and builds its key on every call; the children it returns
# live as long as the metric, so each request looks its two up in a plain dict instead.
_request_children: dict[tuple[str, int], tuple[Counter, Histogram]] = {}


def observe_request(endpoint: str, status: int, seconds: float) -> None:
    children = _request_children.get((endpoint, status))
    if children is None:
        children = _request_children[endpoint, status] = (
            REQUESTS.labels(endpoint, str(status)), LATENCY.labels(endpoint))
    children[0].inc()
    children[1].observe(seconds)
    if status >= 500:
        UPSTREAM_ERRORS.labels(str(status)).inc()
