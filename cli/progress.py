"""A one-line progress bar on stderr, for long replays and rebuilds."""

from __future__ import annotations

import sys
import time
from typing import TextIO


class TextProgress:
    """Redrawn at most ten times a second."""

    def __init__(self, stream: TextIO = sys.stderr, width: int = 30, label: str = ""):
        self.stream = stream
        self.width = width
        self.label = f"{label} " if label else ""
        self.started = time.monotonic()
        self._drawn = 0.0

    def __call__(self, done: int, total: int) -> None:
        now = time.monotonic()
        if now - self._drawn < 0.1 and done < total:
            return
        self._drawn = now
        filled = self.width if total == 0 else self.width * min(done, total) // total
        rate = done / max(now - self.started, 1e-9)
        self.stream.write(f"\r{self.label}[{'#' * filled}{'.' * (self.width - filled)}] "
                          f"{done:,}/{total:,} events  {rate:,.0f} events/s")
        self.stream.flush()

    def finish(self) -> None:
        self.stream.write("\n")
        self.stream.flush()
