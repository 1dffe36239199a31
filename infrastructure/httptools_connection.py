"""One HTTP/1.1 connection to the provider, and the answer to one call on it.

The connection is an asyncio protocol: httptools parses what arrives and hands the status,
headers and body chunks to the response in flight, which the relay reads whole or chunk by
chunk. ``httptools_upstream`` pools the connections.
"""

from __future__ import annotations

import asyncio
import collections
from collections.abc import AsyncIterator
from typing import Protocol

import httptools

from domain.errors import UpstreamConnectionLost, UpstreamFailure, UpstreamTimeout

PAUSE_READING_BYTES = 1 << 20  # a slow reader of a stream stops the upstream's reads
PoolKey = tuple[str, str, int]  # scheme, host, port


class ConnectionPool(Protocol):
    """Where a connection goes back once an answer is read whole, and reports its end."""

    def release(self, connection: UpstreamConnection) -> None: ...

    def forget(self, connection: UpstreamConnection) -> None: ...


class UpstreamConnection(asyncio.Protocol):
    """One TCP (or TLS) connection; parser callbacks go to the response in flight."""

    def __init__(self, pool: ConnectionPool, key: PoolKey):
        self.pool = pool
        self.key = key
        self.transport: asyncio.Transport | None = None
        self.parser = httptools.HttpResponseParser(self)
        self.response: HttptoolsUpstreamResponse | None = None
        self.closed = False
        self.idle_since = 0.0
        self.uses = 0
        self.counted = True  # holds one of the pool's connection slots

    # asyncio.Protocol
    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = transport  # type: ignore[assignment]

    def data_received(self, data: bytes) -> None:
        response = self.response
        if response is None:  # nothing was asked: a broken server; never reuse it
            self.close()
            return
        response.received = True
        response.last_read = response.loop.time()
        try:
            self.parser.feed_data(data)
        except httptools.HttpParserError:
            response.fail(UpstreamConnectionLost("The provider's answer was not valid HTTP."))
            self.close()

    def eof_received(self) -> bool:
        return False  # close our side too; connection_lost follows

    def connection_lost(self, exc: Exception | None) -> None:
        self.closed = True
        self.pool.forget(self)
        response = self.response
        if response is not None:
            response.connection_ended()

    # httptools callbacks
    def on_header(self, name: bytes, value: bytes) -> None:
        assert self.response is not None
        self.response.headers.append((name.lower(), value))

    def on_headers_complete(self) -> None:
        assert self.response is not None
        self.response.headers_complete(self.parser.get_status_code())

    def on_body(self, body: bytes) -> None:
        assert self.response is not None
        self.response.body_received(body)

    def on_message_complete(self) -> None:
        assert self.response is not None
        self.response.message_complete(self.parser.should_keep_alive())

    def close(self) -> None:
        if not self.closed:
            self.closed = True
            if self.transport is not None:
                self.transport.close()


class HttptoolsUpstreamResponse:
    """The answer to one call; its connection goes back to the pool once fully read."""

    def __init__(self, connection: UpstreamConnection, timeout_seconds: float):
        self.loop = asyncio.get_running_loop()
        self._connection = connection
        self._timeout = timeout_seconds
        self.status = 0
        self.content_type = "application/json"
        self.upstream_request_id: str | None = None
        self.headers: list[tuple[bytes, bytes]] = []
        self.received = False  # any byte of the answer
        self.last_read = self.loop.time()
        self._chunks: collections.deque[bytes] = collections.deque()
        self._buffered = 0
        self._paused = False
        self._streaming = False
        self._has_headers = False
        self._complete = False
        self._keep_alive = False
        self._until_close = False
        self._error: UpstreamFailure | None = None
        self._waiter: asyncio.Future[None] | None = None
        self._released = False
        self._timer: asyncio.TimerHandle | None = self.loop.call_at(
            self.last_read + timeout_seconds, self._check_timeout)

    # Fed by the connection
    def headers_complete(self, status: int) -> None:
        self.status = status
        chunked, length = False, False
        for name, value in self.headers:
            if name == b"content-type":
                self.content_type = value.decode("latin-1")
            elif name == b"x-request-id":
                self.upstream_request_id = value.decode("latin-1")
            elif name == b"content-length":
                length = True
            elif name == b"transfer-encoding":
                chunked = b"chunked" in value.lower()
        self._until_close = not (chunked or length or status in (204, 304) or status < 200)
        self._has_headers = True
        self._wake()

    def body_received(self, body: bytes) -> None:
        self._chunks.append(body)
        self._buffered += len(body)
        if self._streaming and self._buffered > PAUSE_READING_BYTES and not self._paused \
                and self._connection.transport is not None:
            self._paused = True
            self._connection.transport.pause_reading()
        self._wake()

    def message_complete(self, keep_alive: bool) -> None:
        self._complete = True
        self._keep_alive = keep_alive and not self._until_close
        self._stop_timer()
        self._wake()

    def connection_ended(self) -> None:
        if self._complete:
            return
        if self._has_headers and self._until_close:
            self.message_complete(False)  # the body ran until the server closed
            return
        self.fail(UpstreamConnectionLost("The connection to the provider broke off."))

    def fail(self, error: UpstreamFailure) -> None:
        if self._error is None and not self._complete:
            self._error = error
            self._stop_timer()
            self._wake()

    def _check_timeout(self) -> None:
        self._timer = None
        if self._complete or self._error is not None:
            return
        due = self.last_read + self._timeout
        if self.loop.time() < due:
            self._timer = self.loop.call_at(due, self._check_timeout)
            return
        self.fail(UpstreamTimeout("The provider did not answer in time."))
        self._connection.close()

    def _stop_timer(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None

    def _wake(self) -> None:
        waiter = self._waiter
        if waiter is not None and not waiter.done():
            waiter.set_result(None)

    async def _wait(self) -> None:
        self._waiter = self.loop.create_future()
        try:
            await self._waiter
        finally:
            self._waiter = None

    # The port
    async def wait_for_headers(self) -> None:
        while not self._has_headers and self._error is None:
            await self._wait()
        if self._error is not None and not self._has_headers:
            raise self._error

    async def read(self) -> bytes:
        try:
            while not self._complete:
                if self._error is not None:
                    raise self._error
                await self._wait()
            return b"".join(self._chunks)
        finally:
            await self.close()

    async def iter_bytes(self) -> AsyncIterator[bytes]:
        self._streaming = True
        chunks = self._chunks
        while True:
            while chunks:
                chunk = chunks.popleft()
                self._buffered -= len(chunk)
                yield chunk
            if self._paused and self._connection.transport is not None:
                self._paused = False
                self._connection.transport.resume_reading()
            if self._complete:
                return
            if self._error is not None:
                raise self._error
            await self._wait()

    async def close(self) -> None:
        if self._released:
            return
        self._released = True
        self._stop_timer()
        connection = self._connection
        connection.response = None
        if self._complete and self._keep_alive and not connection.closed and not self._paused:
            connection.pool.release(connection)
        else:
            connection.close()
