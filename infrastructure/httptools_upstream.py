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
from urllib.parse import urlsplit

from domain.errors import UpstreamConnectionLost, UpstreamTimeout, UpstreamUnreachable
from infrastructure.httptools_connection import (
    HttptoolsUpstreamResponse,
    PoolKey,
    UpstreamConnection,
)

CONNECT_TIMEOUT_SECONDS = 10.0
KEEPALIVE_SECONDS = 4.0
IDEMPOTENT_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "DELETE", "PUT"})
MAX_CACHED_TARGETS = 256


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


class HttptoolsUpstream:
    """One pool per process, used from the event loop that serves requests."""

    def __init__(self, max_connections: int = 1000, keepalive_seconds: float = KEEPALIVE_SECONDS):
        self._max_connections = max_connections
        self._keepalive = keepalive_seconds
        self._idle: dict[PoolKey, list[UpstreamConnection]] = {}
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

    def _take_idle(self, key: PoolKey) -> UpstreamConnection | None:
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

    async def _connect(self, target: _Target, timeout_seconds: float) -> UpstreamConnection:
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
        connection = UpstreamConnection(self, target.key)
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

    def _connect_failed(self, connection: UpstreamConnection) -> None:
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

    def release(self, connection: UpstreamConnection) -> None:
        connection.idle_since = asyncio.get_running_loop().time()
        self._idle.setdefault(connection.key, []).append(connection)

    def forget(self, connection: UpstreamConnection) -> None:
        """Called when a connection closes."""
        idle = self._idle.get(connection.key)
        if idle and connection in idle:
            idle.remove(connection)
        self._uncount(connection)

    def _uncount(self, connection: UpstreamConnection) -> None:
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
