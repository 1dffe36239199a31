"""A one-line progress bar on stderr, for long replays and rebuilds."""

from __future__ import annotations

import sys
import time


class ProgressBar:
    def __init__(self, total: int, label: str, width: int = 30):
        self.total, self.label, self.width = max(total, 1), label, width
        self.started = time.monotonic()

    def __call__(self, done: int) -> None:
        share = min(done / self.total, 1.0)
        filled = int(share * self.width)
        rate = done / max(time.monotonic() - self.started, 1e-9)
        sys.stderr.write(f"\r{self.label} [{'#' * filled}{'.' * (self.width - filled)}] "
                         f"{done:,}/{self.total:,} events  {rate:,.0f}/s")
        sys.stderr.flush()

    def finish(self) -> None:
        sys.stderr.write("\n")
