"""The Upstream contract, for both HTTP clients, against a scripted loopback server.

Each case scripts what the server sends back on the raw socket, so that framing
(Content-Length, chunked, until close), keep-alive, timeouts and broken connections are
all exercised exactly, without a real provider.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable

import pytest

from domain.errors import UpstreamConnectionLost, UpstreamTimeout, UpstreamUnreachable
from infrastructure.httptools_upstream import HttptoolsUpstream
from infrastructure.httpx_upstream import HttpxUpstream

Script = Callable[[asyncio.StreamReader, asyncio.StreamWriter], Awaitable[None]]
JSON_OK = (b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\nx-request-id: up_1\r\n"
           b"content-length: 11\r\n\r\n{\"ok\":true}")


async def read_request(reader: asyncio.StreamReader) -> bytes:
    head = await reader.readuntil(b"\r\n\r\n")
    length = 0
    for line in head.split(b"\r\n"):
        if line.lower().startswith(b"content-length:"):
            length = int(line.split(b":")[1])
    return head + (await reader.readexactly(length) if length else b"")


class ScriptedServer:
    """Answers each connection with ``script``; counts connections and keeps requests."""

    def __init__(self, script: Script):
        self.script = script
        self.connections = 0
        self.requests: list[bytes] = []

    @classmethod
    def answering(cls, answers: list[bytes]) -> ScriptedServer:
        """Reads a request and sends the next answer, on one kept-alive connection."""
        server = cls(lambda r, w: _answer_each(r, w, answers, server.requests))
        return server

    async def __aenter__(self) -> str:
        async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
            self.connections += 1
            try:
                await self.script(reader, writer)
            except (ConnectionError, asyncio.IncompleteReadError):
                pass
            finally:
                writer.close()

        self.server = await asyncio.start_server(handle, "127.0.0.1", 0)
        port = self.server.sockets[0].getsockname()[1]
        return f"http://127.0.0.1:{port}/v1"

    async def __aexit__(self, *_: object) -> None:
        self.server.close()


@pytest.fixture(params=["httptools", "httpx"])
def make_upstream(request):
    return HttptoolsUpstream if request.param == "httptools" else HttpxUpstream


def run(coroutine: Awaitable[None]) -> None:
    asyncio.run(asyncio.wait_for(coroutine, 20))  # type: ignore[arg-type]


def test_a_json_answer_is_read_whole_with_its_status_and_headers(make_upstream):
    async def scenario() -> None:
        server = ScriptedServer.answering([JSON_OK])
        async with server as base:
            upstream = make_upstream()
            response = await upstream.open("POST", base + "/chat/completions", "sk-1",
                                           b'{"model":"m"}', 5)
            assert (response.status, response.content_type, response.upstream_request_id) == \
                (200, "application/json", "up_1")
            assert await response.read() == b'{"ok":true}'
            await upstream.aclose()
        request = server.requests[0]
        assert request.startswith(b"POST /v1/chat/completions HTTP/1.1\r\n")
        assert b"authorization: bearer sk-1\r\n" in request.lower()
        assert request.endswith(b'\r\n\r\n{"model":"m"}')

    run(scenario())


def test_one_connection_serves_consecutive_calls(make_upstream):
    async def scenario() -> None:
        server = ScriptedServer.answering([JSON_OK] * 3)
        async with server as base:
            upstream = make_upstream()
            for _ in range(3):
                response = await upstream.open("POST", base + "/x", "k", b"{}", 5)
                assert await response.read() == b'{"ok":true}'
            await upstream.aclose()
        assert server.connections == 1

    run(scenario())


def test_a_chunked_stream_arrives_chunk_by_chunk_as_the_server_sends_it(make_upstream):
    release = asyncio.Event()

    async def script(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await read_request(reader)
        writer.write(b"HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\n"
                     b"transfer-encoding: chunked\r\n\r\n6\r\ndata: \r\n")
        await writer.drain()
        await release.wait()  # the second chunk only after the first reached the caller
        writer.write(b"2\r\n1\n\r\n0\r\n\r\n")
        await writer.drain()
        await reader.read()

    async def scenario() -> None:
        async with ScriptedServer(script) as base:
            upstream = make_upstream()
            response = await upstream.open("POST", base + "/x", "k", b"{}", 5)
            assert response.content_type == "text/event-stream"
            received = []
            async for chunk in response.iter_bytes():
                received.append(chunk)
                release.set()
            await response.close()
            await upstream.aclose()
        assert b"".join(received) == b"data: 1\n" and received[0] == b"data: "

    run(scenario())


def test_a_body_that_runs_until_the_server_closes_is_read_whole(make_upstream):
    async def script(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await read_request(reader)
        writer.write(b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\n"
                     b"connection: close\r\n\r\n{\"a\":1}")
        await writer.drain()

    async def scenario() -> None:
        async with ScriptedServer(script) as base:
            upstream = make_upstream()
            response = await upstream.open("POST", base + "/x", "k", b"{}", 5)
            assert await response.read() == b'{"a":1}'
            await upstream.aclose()

    run(scenario())


def test_silence_longer_than_the_timeout_is_an_upstream_timeout(make_upstream):
    async def script(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await read_request(reader)
        await asyncio.sleep(5)

    async def scenario() -> None:
        async with ScriptedServer(script) as base:
            upstream = make_upstream()
            with pytest.raises(UpstreamTimeout):
                await upstream.open("POST", base + "/x", "k", b"{}", 0.3)
            await upstream.aclose()

    run(scenario())


def test_a_stream_that_keeps_flowing_outlives_the_read_timeout(make_upstream):
    async def script(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await read_request(reader)
        writer.write(b"HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n")
        for _ in range(8):  # 8 × 0.1 s: well past the 0.3 s timeout in all
            writer.write(b"1\r\nx\r\n")
            await writer.drain()
            await asyncio.sleep(0.1)
        writer.write(b"0\r\n\r\n")
        await writer.drain()

    async def scenario() -> None:
        async with ScriptedServer(script) as base:
            upstream = make_upstream()
            response = await upstream.open("POST", base + "/x", "k", b"{}", 0.3)
            body = b"".join([chunk async for chunk in response.iter_bytes()])
            await response.close()
            await upstream.aclose()
        assert body == b"x" * 8

    run(scenario())


def test_a_connection_cut_mid_body_is_connection_lost(make_upstream):
    async def script(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await read_request(reader)
        writer.write(b"HTTP/1.1 200 OK\r\ncontent-length: 100\r\n\r\n{\"partial\"")
        await writer.drain()

    async def scenario() -> None:
        async with ScriptedServer(script) as base:
            upstream = make_upstream()
            response = await upstream.open("POST", base + "/x", "k", b"{}", 5)
            with pytest.raises(UpstreamConnectionLost):
                await response.read()
            await upstream.aclose()

    run(scenario())


def test_a_connection_closed_without_an_answer_is_connection_lost(make_upstream):
    async def script(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await read_request(reader)

    async def scenario() -> None:
        async with ScriptedServer(script) as base:
            upstream = make_upstream()
            with pytest.raises(UpstreamConnectionLost):
                await upstream.open("POST", base + "/x", "k", b"{}", 5)
            await upstream.aclose()

    run(scenario())


def test_a_refused_connection_is_unreachable(make_upstream):
    async def scenario() -> None:
        server = await asyncio.start_server(lambda r, w: None, "127.0.0.1", 0)
        port = server.sockets[0].getsockname()[1]
        server.close()
        await server.wait_closed()
        upstream = make_upstream()
        with pytest.raises(UpstreamUnreachable):
            await upstream.open("POST", f"http://127.0.0.1:{port}/v1/x", "k", b"{}", 5)
        await upstream.aclose()

    run(scenario())


def test_an_idle_connection_the_server_closed_is_replaced_for_a_get(make_upstream):
    async def script(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await read_request(reader)
        writer.write(JSON_OK)  # keep-alive promised, then closed after the answer
        await writer.drain()

    async def scenario() -> None:
        server = ScriptedServer(script)
        async with server as base:
            upstream = make_upstream()
            for _ in range(2):
                response = await upstream.open("GET", base + "/responses/r1", "k", b"", 5)
                assert await response.read() == b'{"ok":true}'
                await asyncio.sleep(0.05)
            await upstream.aclose()
        assert server.connections == 2

    run(scenario())


def test_closing_a_stream_early_closes_its_connection(make_upstream):
    closed = asyncio.Event()

    async def script(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await read_request(reader)
        writer.write(b"HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n1\r\nx\r\n")
        await writer.drain()
        await reader.read()  # returns once the client hangs up
        closed.set()

    async def scenario() -> None:
        async with ScriptedServer(script) as base:
            upstream = make_upstream()
            response = await upstream.open("POST", base + "/x", "k", b"{}", 5)
            async for _ in response.iter_bytes():
                break
            await response.close()
            await asyncio.wait_for(closed.wait(), 5)
            await upstream.aclose()

    run(scenario())


async def _answer_each(reader: asyncio.StreamReader, writer: asyncio.StreamWriter,
                       answers: list[bytes], requests: list[bytes]) -> None:
    for answer in answers:
        requests.append(await read_request(reader))
        writer.write(answer)
        await writer.drain()
    await reader.read()
