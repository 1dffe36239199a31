"""Fine latency buckets for the usage rollup: a quarter of a binary order of magnitude each.

Bucket 0 counts values up to 1 ms; bucket ``k`` (1 ≤ k ≤ 77) counts values in
``(2^((k-1)/4), 2^(k/4)]`` ms; the last counts everything above 2^(77/4) ms (about 10.4
minutes, longer than any upstream timeout) and is closed by the exact maximum.

Precision: neighbouring bounds differ by a factor of 2^(1/4) ≈ 1.19, and a percentile is
interpolated inside the bucket that holds its rank, so an estimated p50 or p95 is never
further than 19% from a value in that bucket; below 1 ms it is within 1 ms. The coarser
``projections.histogram`` buckets (1-2-5 steps) could be off by more than half.
"""

from __future__ import annotations

import math
from bisect import bisect_left
from decimal import Decimal

STEPS_PER_DOUBLING = 4
LAST_BOUNDED = 77
BOUNDS_MS: tuple[float, ...] = (
    *(2 ** (k / STEPS_PER_DOUBLING) for k in range(LAST_BOUNDED + 1)), math.inf)
BUCKETS = len(BOUNDS_MS)


def bucket_of(value_ms: Decimal | float) -> int:
    return bisect_left(BOUNDS_MS, float(value_ms))
