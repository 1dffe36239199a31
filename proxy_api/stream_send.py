"""A relayed stream sent with bare ASGI messages, watching for the client leaving.

Starlette's StreamingResponse, under uvicorn's ASGI 2.3, runs each stream in an anyio
task group with a second task listening for the disconnect; streams cost 2-2.5x the CPU
of a whole answer. Here one plain task, started once the stream has lasted 2 ms, waits
for ``http.disconnect`` and cancels the stream when it comes, which is what the relay's
generator needs to record the request as ``client_closed`` and stop the provider. The
answer completes normally for the server either way. The head goes out with the first
chunk if that comes within 2 ms, and a ``LastChunk`` ends the response in the same write.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

from application.proxy.relay import LastChunk
from proxy_api.one_write_send import hold_writes

# A provider sends its head before the first token; holding ours this long costs a
# client nothing, and saves a write when the first chunk is already there.
HEAD_WAIT_SECONDS = 0.002


async def send_stream(receive: Any, send: Any, status: int,
                      headers: list[tuple[bytes, bytes]], stream: AsyncIterator[bytes]) -> None:
    streaming = asyncio.current_task()
    assert streaming is not None
    gone = ended = False

    async def watch() -> None:
        nonlocal gone
        while (await receive())["type"] != "http.disconnect":
            pass
        gone = True
        streaming.cancel()

    loop = asyncio.get_running_loop()
    watcher: asyncio.Task[None] | None = None
    # The head waits briefly for the first chunk, to leave in the same write. A stream
    # that ends within that moment never needs a watcher either.
    held = hold_writes(send)

    def after_a_moment() -> None:
        nonlocal watcher, held
        if held is not None:
            held.release()
            held = None
        watcher = loop.create_task(watch())

    timer = loop.call_later(HEAD_WAIT_SECONDS, after_a_moment)
    try:
        await send({"type": "http.response.start", "status": status, "headers": headers})
        async for chunk in stream:
            last = isinstance(chunk, LastChunk)
            await send({"type": "http.response.body", "body": chunk, "more_body": not last})
            if held is not None:
                held.release()
                held = None
            if last:
                ended = True
    except asyncio.CancelledError:
        if not gone:
            raise
        streaming.uncancel()
        return
    finally:
        timer.cancel()
        if watcher is not None:
            watcher.cancel()
        if held is not None:
            held.release()
        # Cancelled between chunks, the generator waits at a ``yield``: closing it runs
        # its client-left accounting. Done already, this does nothing.
        await stream.aclose()  # type: ignore[attr-defined]
    if not ended:
        await send({"type": "http.response.body", "body": b"", "more_body": False})
