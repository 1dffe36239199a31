"""Fixed-bucket latency histograms, and percentiles estimated from their counts.

Hourly rows keep a count per bucket instead of every latency, so they can be summed over
any range and still answer p50 and p95. Bucket ``i`` counts values in
``(BOUNDS_MS[i-1], BOUNDS_MS[i]]``; the first starts at 0 and the last is unbounded.
"""

from __future__ import annotations

import math
from bisect import bisect_left
from collections.abc import Sequence
from decimal import Decimal

BOUNDS_MS: tuple[float, ...] = (
    5, 10, 25, 50, 100, 250, 500, 1_000, 2_000, 5_000, 10_000, 30_000, 60_000, 120_000,
    300_000, math.inf,
)
BUCKETS = len(BOUNDS_MS)


def bucket_of(value_ms: Decimal | float) -> int:
    return bisect_left(BOUNDS_MS, float(value_ms))


def percentile(counts: Sequence[int], q: float, maximum: Decimal | float | None = None,
               bounds: Sequence[float] = BOUNDS_MS) -> float | None:
    """The ``q``-quantile (0 ≤ q ≤ 1) in ms, interpolated linearly within its bucket.

    ``maximum``, the largest value seen, caps the estimate and closes the unbounded last
    bucket; without it a value there is reported at the bucket's lower bound. ``None`` when
    there are no counts.
    """
    if not 0 <= q <= 1:
        raise ValueError("q must be between 0 and 1")
    total = sum(counts)
    if total == 0:
        return None
    rank = max(q * total, 1e-9)  # q=0 means the smallest value: the first non-empty bucket
    seen = 0
    for index, count in enumerate(counts):
        if count and seen + count >= rank:
            lower = bounds[index - 1] if index else 0.0
            upper = bounds[index]
            if math.isinf(upper):
                upper = float(maximum) if maximum is not None else lower
            estimate = lower + (upper - lower) * (rank - seen) / count
            return min(estimate, float(maximum)) if maximum is not None else estimate
        seen += count
    raise AssertionError("unreachable: rank never exceeds the total")
