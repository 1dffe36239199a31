"""Tamper evidence: a hash chain over a cycle's usage events, in ledger order.

Each link hashes the previous link with the SHA-256 of one event's stored bytes, so
changing, removing, inserting or reordering any event changes the head. Per-day heads let
``audit verify`` say which day was touched.
"""

from __future__ import annotations

import hashlib

GENESIS = hashlib.sha256(b"llm-gateway cycle statement v1").hexdigest()


# Up to this many events, a statement also keeps each event's own short hash, so that
# verify can name the exact request that changed; beyond it, days are named.
MAX_EVENT_HASHES = 50_000


class HashChain:
    def __init__(self) -> None:
        self.head = GENESIS
        self.count = 0
        self.days: dict[str, str] = {}
        self.events: dict[str, str] = {}

    def add(self, day: str, request_id: str, stored: bytes) -> None:
        event_hash = hashlib.sha256(stored).digest()
        self.head = hashlib.sha256(bytes.fromhex(self.head) + event_hash).hexdigest()
        self.days[day] = hashlib.sha256(
            bytes.fromhex(self.days.get(day, GENESIS)) + event_hash).hexdigest()
        self.count += 1
        if self.count <= MAX_EVENT_HASHES:
            self.events[request_id] = event_hash[:8].hex()
        else:
            self.events.clear()
