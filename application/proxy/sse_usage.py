"""Watching a relayed SSE stream: usage capture, usage-chunk removal, and [DONE].

Chunks are fed as they arrive from the provider and complete events are handed back at
once, so the stream is never buffered beyond one partial event. Only events that mention
usage are parsed as JSON; the rest pass through as bytes.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import orjson

from application.proxy.usage import Usage, usage_from_provider

DONE = b"[DONE]"
FINAL_RESPONSE_EVENTS = {"response.completed", "response.incomplete", "response.failed"}


class SseUsageTracker:
    def __init__(self, client_wants_usage: bool):
        self.client_wants_usage = client_wants_usage
        self.usage: Usage | None = None
        self.saw_done = False
        self.data_events = 0
        self.response_id: str | None = None
        self.held: list[bytes] = []  # sent only once the usage is committed
        self._pending = b""
        self._last_event = b""

    def feed(self, chunk: bytes) -> Iterator[bytes]:
        """Complete events to forward, in order. The closing events (``data: [DONE]``, a
        Responses ``response.completed``) are held back in ``held``, to be sent only once
        the request's usage is committed."""
        if not self._pending and _plain_data_events(chunk):
            self.data_events += chunk.count(b"\n\n")
            yield chunk
            return
        self._pending += chunk
        while True:
            end, separator = self._next_boundary()
            if end < 0:
                return
            event = self._pending[:end + separator]
            self._pending = self._pending[end + separator:]
            if self._keep(event):
                yield event

    def flush(self) -> bytes:
        """Whatever partial event the provider left when it stopped."""
        rest, self._pending = self._pending, b""
        return rest if rest.strip() and self._keep(rest) else b""

    def _next_boundary(self) -> tuple[int, int]:
        lf = self._pending.find(b"\n\n")
        crlf = self._pending.find(b"\r\n\r\n")
        if crlf >= 0 and (lf < 0 or crlf < lf):
            return crlf, 4
        return lf, 2

    def _keep(self, event: bytes) -> bool:
        data = _data_of(event)
        if data is None:
            return True
        if data == DONE:
            self.saw_done = True
            self.held.append(event)
            return False
        self.data_events += 1
        if _needs_no_look(data):
            return True
        try:
            parsed = orjson.loads(data)
        except orjson.JSONDecodeError:
            return True
        self._last_event = event
        return self._inspect(parsed)

    def _inspect(self, chunk: Any) -> bool:
        if not isinstance(chunk, dict):
            return True
        kind = chunk.get("type")
        if isinstance(kind, str) and kind.startswith("response."):
            response = chunk.get("response")
            if isinstance(response, dict):
                self.response_id = response.get("id") or self.response_id
                if kind in FINAL_RESPONSE_EVENTS:
                    self.usage = usage_from_provider(response.get("usage")) or self.usage
                    self.held.append(self._last_event)
                    return False
            return True
        usage = usage_from_provider(chunk.get("usage"))
        if usage is None:
            return True
        self.usage = usage
        # The usage-only chunk has no choices; drop it unless the client asked for it.
        return self.client_wants_usage or bool(chunk.get("choices"))


def _data_of(event: bytes) -> bytes | None:
    parts = [line[5:].strip() for line in event.splitlines() if line.startswith(b"data:")]
    return b"\n".join(parts) if parts else None


def _needs_no_look(data: bytes) -> bool:
    """Nothing in it to parse: no Responses start, and no usage but ``null`` (with
    ``include_usage``, OpenAI sends ``"usage":null`` in every chunk but the last)."""
    return b'"response.created"' not in data and data.count(b'"usage"') == (
        data.count(b'"usage":null') + data.count(b'"usage": null'))


def _plain_data_events(chunk: bytes) -> bool:
    """Whole one-line ``data:`` events that the event-by-event path would all forward
    untouched: no [DONE], and nothing to parse. Most reads of a stream are exactly that,
    and go through without being split."""
    events = chunk.count(b"\n\n")
    return (events > 0 and chunk.endswith(b"\n\n") and chunk.startswith(b"data:")
            and chunk.count(b"\n") == 2 * events and chunk.count(b"\ndata:") == events - 1
            and b"\r" not in chunk and DONE not in chunk and _needs_no_look(chunk))
