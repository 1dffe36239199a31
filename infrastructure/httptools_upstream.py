"""The upstream provider over asyncio and httptools: a small pooled HTTP/1.1 client.

httpx over httpx-aiohttp took ~40% of the gateway's event loop under load (URL and
header models, cookies, the transport adapter, aiohttp's own request machinery). The
proxy needs far less: one POST or GET with four headers to a fixed base URL, the status,
two response headers, and the body, whole or chunk by chunk. This client does that on an
asyncio protocol with the httptools parser uvicorn already uses.

Semantics kept from the httpx client it replaces:
- a connection is pooled per (scheme, host, port) and reused while the server keeps it
  alive, and dropped after KEEPALIVE_SECONDS idle (servers commonly close at 5 s);
- ``timeout_seconds`` is a read timeout: the longest wait for the next bytes, so a long
  stream is never cut while it flows; connecting has its own, shorter, limit;
- errors come out as UpstreamUnreachable (connecting failed), UpstreamTimeout, or
  UpstreamConnectionLost (the connection broke, or the answer was not HTTP);
- a reused connection that the server closed before answering is retried once on a new
  connection, for idempotent methods only (as aiohttp does; RFC 9112 §9.3.1);
- closing a response before its end closes the connection, which cancels the call.
"""

from __future__ import annotations

import asyncio
import collections
import ssl
from collections.abc import AsyncIterator
from urllib.parse import urlsplit

import httptools

from domain.errors import (
    UpstreamConnectionLost,
    UpstreamFailure,
    UpstreamTimeout,
    UpstreamUnreachable,
)

CONNECT_TIMEOUT_SECONDS = 10.0
KEEPALIVE_SECONDS = 4.0
PAUSE_READING_BYTES = 1 << 20  # a slow reader of a stream stops the upstream's reads
IDEMPOTENT_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "DELETE", "PUT"})
MAX_CACHED_TARGETS = 256

PoolKey = tuple[str, str, int]


class _Target:
    """What one URL needs, parsed once: where to connect and the request's fixed head."""

    __slots__ = ("key", "host", "port", "tls", "head")

    def __init__(self, method: str, url: str, api_key: str):
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise UpstreamUnreachable(f"The provider URL {url!r} is not an http(s) URL.")
        self.tls = parts.scheme == "https"
        self.host = parts.hostname
        self.port = parts.port or (443 if self.tls else 80)
        self.key: PoolKey = (parts.scheme, self.host, self.port)
        path = parts.path or "/"
        if parts.query:
            path += "?" + parts.query
        default_port = self.port == (443 if self.tls else 80)
        host_header = parts.netloc.rpartition("@")[2] if not default_port else (
            f"[{self.host}]" if ":" in self.host else self.host)
        for text in (method, path, host_header, api_key):
            if any(c in text for c in "\r\n\0"):
                raise UpstreamUnreachable("The provider URL or key contains a line break.")
        self.head = (f"{method} {path} HTTP/1.1\r\nhost: {host_header}\r\n"
                     f"authorization: Bearer {api_key}\r\naccept: */*\r\n"
                     f"accept-encoding: identity\r\nuser-agent: llm-gateway\r\n").encode()


class _Connection(asyncio.Protocol):
    """One TCP (or TLS) connection; parser callbacks go to the response in flight."""

    def __init__(self, pool: HttptoolsUpstream, key: PoolKey):
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

    def __init__(self, connection: _Connection, timeout_seconds: float):
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


class HttptoolsUpstream:
    """One pool per process, used from the event loop that serves requests."""

    def __init__(self, max_connections: int = 1000, keepalive_seconds: float = KEEPALIVE_SECONDS):
        self._max_connections = max_connections
        self._keepalive = keepalive_seconds
        self._idle: dict[PoolKey, list[_Connection]] = {}
        self._open = 0
        self._slot_waiters: collections.deque[asyncio.Future[None]] = collections.deque()
        self._targets: dict[tuple[str, str, str], _Target] = {}
        self._tls: ssl.SSLContext | None = None

    async def open(self, method: str, url: str, api_key: str, body: bytes,
                   timeout_seconds: float) -> HttptoolsUpstreamResponse:
        target = self._target(method, url, api_key)
        request = target.head + (f"content-length: {len(body)}\r\ncontent-type: "
                                 f"application/json\r\n\r\n".encode() + body
                                 if body or method == "POST" else b"\r\n")
        retry = method in IDEMPOTENT_METHODS
        while True:
            connection = self._take_idle(target.key)
            if connection is None:
                connection = await self._connect(target, timeout_seconds)
            connection.uses += 1
            response = HttptoolsUpstreamResponse(connection, timeout_seconds)
            connection.response = response
            assert connection.transport is not None
            connection.transport.write(request)
            try:
                await response.wait_for_headers()
            except UpstreamConnectionLost:
                await response.close()
                if retry and connection.uses > 1 and not response.received:
                    retry = False  # the server closed an idle connection: once more
                    continue
                raise
            except BaseException:
                await response.close()
                raise
            return response

    def _target(self, method: str, url: str, api_key: str) -> _Target:
        cache_key = (method, url, api_key)
        target = self._targets.get(cache_key)
        if target is None:
            target = _Target(method, url, api_key)
            if len(self._targets) >= MAX_CACHED_TARGETS:
                self._targets.clear()  # ids in stored-response URLs: keep the cache small
            self._targets[cache_key] = target
        return target

    def _take_idle(self, key: PoolKey) -> _Connection | None:
        idle = self._idle.get(key)
        if not idle:
            return None
        expired_before = asyncio.get_running_loop().time() - self._keepalive
        while idle:
            connection = idle.pop()  # the most recently used first
            if not connection.closed and connection.idle_since > expired_before:
                return connection
            connection.close()
        return None

    async def _connect(self, target: _Target, timeout_seconds: float) -> _Connection:
        loop = asyncio.get_running_loop()
        connect_timeout = min(timeout_seconds, CONNECT_TIMEOUT_SECONDS)
        while self._open >= self._max_connections:
            waiter = loop.create_future()
            self._slot_waiters.append(waiter)
            try:
                await asyncio.wait_for(waiter, timeout_seconds)
            except TimeoutError:
                raise UpstreamTimeout("Too many calls to the provider are in flight.") from None
        self._open += 1
        connection = _Connection(self, target.key)
        try:
            await asyncio.wait_for(loop.create_connection(
                lambda: connection, target.host, target.port,
                ssl=self._tls_context() if target.tls else None,
                server_hostname=target.host if target.tls else None), connect_timeout)
        except TimeoutError:
            self._connect_failed(connection)
            raise UpstreamTimeout("The provider did not answer in time.") from None
        except (OSError, ssl.SSLError) as error:
            self._connect_failed(connection)
            raise UpstreamUnreachable("The provider could not be reached.") from error
        except BaseException:
            self._connect_failed(connection)
            raise
        return connection

    def _connect_failed(self, connection: _Connection) -> None:
        connection.close()
        self._uncount(connection)

    def _tls_context(self) -> ssl.SSLContext:
        if self._tls is None:
            try:
                import certifi  # httpx's CA bundle, kept for the same trust as before

                context = ssl.create_default_context(cafile=certifi.where())
            except ImportError:
                context = ssl.create_default_context()
            context.set_alpn_protocols(["http/1.1"])
            self._tls = context
        return self._tls

    def release(self, connection: _Connection) -> None:
        connection.idle_since = asyncio.get_running_loop().time()
        self._idle.setdefault(connection.key, []).append(connection)

    def forget(self, connection: _Connection) -> None:
        """Called when a connection closes."""
        idle = self._idle.get(connection.key)
        if idle and connection in idle:
            idle.remove(connection)
        self._uncount(connection)

    def _uncount(self, connection: _Connection) -> None:
        if not connection.counted:
            return
        connection.counted = False
        self._open -= 1
        while self._slot_waiters:
            waiter = self._slot_waiters.popleft()
            if not waiter.done():
                waiter.set_result(None)
                break

    async def aclose(self) -> None:
        for idle in list(self._idle.values()):
            for connection in list(idle):
                connection.close()
        self._idle.clear()
