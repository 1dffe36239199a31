"""A whole answer written to the socket at once, under uvicorn's httptools server.

uvicorn writes the status line and headers when it gets ``http.response.start`` and the
body when it gets ``http.response.body``: two ``send`` system calls, and two TCP segments,
for every non-streamed answer. uvicorn's ``send`` in the profile was 14% of the gateway's
CPU at concurrency 64. Here uvicorn's writes for the two messages are held and go out as
one. Only the transport's ``write`` is intercepted, so uvicorn's own checks and
bookkeeping run unchanged; under any other server (no ``transport`` on the object that
``send`` is bound to) the messages go through as they are.
"""

from __future__ import annotations

from typing import Any


class _HeldWrites:
    """Stands for the transport while the two messages are sent."""

    __slots__ = ("transport", "parts")

    def __init__(self, transport: Any):
        self.transport = transport
        self.parts: list[bytes] = []

    def write(self, data: bytes) -> None:
        self.parts.append(data)

    def flush(self) -> None:
        if self.parts:
            data = b"".join(self.parts)
            self.parts.clear()
            self.transport.write(data)

    def close(self) -> None:  # uvicorn closes after the body when not keeping alive
        self.flush()
        self.transport.close()

    def __getattr__(self, name: str) -> Any:
        return getattr(self.transport, name)


async def send_in_one_write(send: Any, start: dict[str, Any], body: dict[str, Any]) -> None:
    cycle = getattr(send, "__self__", None)
    transport = getattr(cycle, "transport", None)
    if transport is None or not hasattr(transport, "write"):
        await send(start)
        await send(body)
        return
    held = _HeldWrites(transport)
    cycle.transport = held  # type: ignore[union-attr]
    try:
        await send(start)
        await send(body)
    finally:
        cycle.transport = transport  # type: ignore[union-attr]
        held.flush()
