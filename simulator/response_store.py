"""Recently created Responses API objects, so retrieve/delete/input_items/cancel work."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(slots=True)
class StoredResponse:
    response: dict[str, Any]
    input_items: list[dict[str, Any]]


class ResponseStore:
    def __init__(self, capacity: int = 10_000) -> None:
        self._capacity = capacity
        self._by_id: dict[str, StoredResponse] = {}  # insertion order = age, oldest first

    def put(self, response: dict[str, Any], input_items: list[dict[str, Any]]) -> None:
        if len(self._by_id) >= self._capacity:
            del self._by_id[next(iter(self._by_id))]
        self._by_id[response["id"]] = StoredResponse(response, input_items)

    def get(self, response_id: str) -> StoredResponse | None:
        return self._by_id.get(response_id)

    def delete(self, response_id: str) -> bool:
        return self._by_id.pop(response_id, None) is not None

    def __len__(self) -> int:
        return len(self._by_id)
