"""Who created each stored response: remembered in memory, looked up in the read model.

The process that relayed a response knows its owner at once; other processes find it in
the request log read model once its projection has counted the creating request.
"""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Callable
from uuid import UUID

MAX_REMEMBERED = 100_000
LOOKUP_PATIENCE_SECONDS = 1.0


class RecentResponseOwners:
    def __init__(self, lookup: Callable[[str], UUID | None] | None = None):
        self._lookup = lookup
        self._owners: OrderedDict[str, UUID] = OrderedDict()

    def remember(self, response_id: str, client_id: UUID) -> None:
        self._owners[response_id] = client_id
        if len(self._owners) > MAX_REMEMBERED:
            self._owners.popitem(last=False)

    def owner_of(self, response_id: str) -> UUID | None:
        """Blocking: call it from a worker thread. An id just created through another
        process may take the projection's lag (~100 ms) to appear, so a miss is retried
        for up to a second before it counts as unknown."""
        owner = self._owners.get(response_id)
        deadline = time.monotonic() + LOOKUP_PATIENCE_SECONDS
        while owner is None and self._lookup is not None:
            owner = self._lookup(response_id)
            if owner is not None or time.monotonic() > deadline:
                break
            time.sleep(0.05)
        return owner
