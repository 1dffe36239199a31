"""Tamper evidence: a hash chain over a cycle's usage events, in ledger order.

Each link hashes the previous link with the SHA-256 of one event's stored bytes, so
changing, removing, inserting or reordering any event changes the head. Per-day heads let
``audit verify`` say which day was touched.
"""

from __future__ import annotations

import hashlib

GENESIS = hashlib.sha256(b"llm-gateway cycle statement v1").hexdigest()
_GENESIS = bytes.fromhex(GENESIS)
_sha256 = hashlib.sha256


# Up to this many events, a statement also keeps each event's own short hash, so that
# verify can name the exact request that changed; beyond it, days are named.
MAX_EVENT_HASHES = 50_000


class HashChain:
    """Links are kept as bytes while events are added; hex is for reading them."""

    def __init__(self) -> None:
        self._head = bytes.fromhex(GENESIS)
        self._days: dict[str, bytes] = {}
        self.count = 0
        self.events: dict[str, str] = {}

    @property
    def head(self) -> str:
        return self._head.hex()

    @property
    def days(self) -> dict[str, str]:
        return {day: link.hex() for day, link in self._days.items()}

    def add(self, day: str, request_id: str, stored: bytes) -> None:
        self.add_hashed(day, request_id, _sha256(stored).digest())

    def add_hashed(self, day: str, request_id: str, event_hash: bytes) -> None:
        """``event_hash`` is the SHA-256 digest of the event's stored bytes. Called once per
        replayed event: names are looked up as few times as can be."""
        self._head = _sha256(self._head + event_hash).digest()
        days = self._days
        days[day] = _sha256(days.get(day, _GENESIS) + event_hash).digest()
        count = self.count = self.count + 1
        if count <= MAX_EVENT_HASHES:
            self.events[request_id] = event_hash[:8].hex()
        elif self.events:
            self.events.clear()
