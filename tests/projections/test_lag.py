"""How far behind the ledger the views run while the runner is started.

Figures are printed (``pytest -s``) rather than asserted tightly: timings on a shared
two-core machine vary. The bound asserted is only that the views do catch up.
"""

import statistics
import threading
import time

import pytest

from tests.projections.usage_events import store, traffic

LEDGER_VIEWS = {"usage_per_cycle_v1", "key_usage_v1", "usage_hourly_v1", "request_log_v1"}


def slowest_position(gateway):
    return min(s.position for s in gateway.projections.status() if s.name in LEDGER_VIEWS)


@pytest.mark.slow
@pytest.mark.parametrize("batches,pause", [(20, 0.0), (40, 0.05)], ids=["burst", "paced"])
def test_the_views_catch_up_with_a_stream_of_ledger_batches(gateway, batches, pause):
    events = traffic(batches * 100)
    gateway.projections.start()
    written: list[tuple[int, float]] = []
    seen: dict[int, float] = {}
    done = threading.Event()

    def watch():
        while not done.is_set():
            position, now = slowest_position(gateway), time.perf_counter()
            for end, _ in written:
                if end <= position and end not in seen:
                    seen[end] = now
            time.sleep(0.005)

    watcher = threading.Thread(target=watch)
    watcher.start()
    try:
        for i in range(batches):  # like the group-committed writer: 100 events a commit
            store(gateway, events[i * 100:(i + 1) * 100])
            written.append((gateway.ledger.recorder.max_notification_id(), time.perf_counter()))
            time.sleep(pause)
        last_written = time.perf_counter()
        deadline = time.monotonic() + 30
        while len(seen) < len(written) and time.monotonic() < deadline:
            time.sleep(0.01)
    finally:
        done.set()
        watcher.join()

    assert len(seen) == len(written), "the views never caught up"
    lags = [seen[end] - at for end, at in written]
    print(f"\n{gateway.database.backend} {len(events)} events in batches of 100, "
          f"pause {pause * 1000:.0f} ms: caught up {max(seen.values()) - last_written:.3f} s "
          f"after the last write; lag per batch median {statistics.median(lags) * 1000:.0f} ms, "
          f"max {max(lags) * 1000:.0f} ms")
