"""Who created each stored response: remembered in memory, looked up in the read model.

The process that relayed a response knows its owner at once; other processes find it in
the request log read model once its projection has counted the creating request.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable
from uuid import UUID

MAX_REMEMBERED = 100_000


class RecentResponseOwners:
    def __init__(self, lookup: Callable[[str], UUID | None] | None = None):
        self._lookup = lookup
        self._owners: OrderedDict[str, UUID] = OrderedDict()

    def remember(self, response_id: str, client_id: UUID) -> None:
        self._owners[response_id] = client_id
        if len(self._owners) > MAX_REMEMBERED:
            self._owners.popitem(last=False)

    def owner_of(self, response_id: str) -> UUID | None:
        owner = self._owners.get(response_id)
        if owner is None and self._lookup is not None:
            owner = self._lookup(response_id)
        return owner
