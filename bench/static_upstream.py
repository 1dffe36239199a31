"""A static loopback upstream for the benchmark: fixed OpenAI-shaped answers, no logic.

The simulator (aiohttp, with fault directives, token counts and state) spends ~160 µs of
CPU per answer; on a 2-core box shared with the gateway, PostgreSQL and wrk that is CPU
the gateway does not get. This server answers in a few µs (asyncio protocol + httptools):
chat completions (JSON, or an SSE stream with a usage chunk when the body asks for
``"stream": true``), embeddings, and the model list as a readiness check. Run with
``python -m bench.static_upstream --port N``.
"""

from __future__ import annotations

import argparse
import asyncio
import re

import httptools
import orjson

USAGE = {"prompt_tokens": 14, "completion_tokens": 16, "total_tokens": 30}
CHAT = orjson.dumps({
    "id": "chatcmpl-static", "object": "chat.completion", "created": 1764460800,
    "model": "gpt-4o-mini", "choices": [{"index": 0, "finish_reason": "stop", "message": {
        "role": "assistant", "content": "Dentists keep millions of smiles bright every day."}}],
    "usage": USAGE})
EMBEDDINGS = orjson.dumps({
    "object": "list", "model": "text-embedding-3-small",
    "data": [{"object": "embedding", "index": 0, "embedding": [0.01] * 256}],
    "usage": {"prompt_tokens": 9, "total_tokens": 9}})
MODELS = orjson.dumps({"object": "list", "data": [{"id": "gpt-4o-mini", "object": "model"}]})
WORDS = ["Dentists", " keep", " millions", " of", " smiles", " bright", " every", " day."]


def _chunk(delta: dict[str, object], finish: str | None = None,
           usage: object = None) -> bytes:
    choices = [] if usage else [{"index": 0, "delta": delta, "finish_reason": finish}]
    event = {"id": "chatcmpl-static", "object": "chat.completion.chunk",
             "created": 1764460800, "model": "gpt-4o-mini", "choices": choices}
    if usage:
        event["usage"] = usage
    return b"data: " + orjson.dumps(event) + b"\n\n"


STREAM = b"".join([_chunk({"role": "assistant", "content": ""}),
                   *(_chunk({"content": word}) for word in WORDS), _chunk({}, "stop"),
                   _chunk({}, usage=USAGE), b"data: [DONE]\n\n"])


def _response(body: bytes, content_type: bytes = b"application/json") -> bytes:
    return (b"HTTP/1.1 200 OK\r\ncontent-type: " + content_type + b"\r\ncontent-length: "
            + str(len(body)).encode() + b"\r\nx-request-id: req_static\r\n\r\n" + body)


ANSWERS = {b"/v1/chat/completions": _response(CHAT), b"/v1/embeddings": _response(EMBEDDINGS),
           b"/v1/models": _response(MODELS)}
STREAM_ANSWER = _response(STREAM, b"text/event-stream")
STREAMED = re.compile(rb'"stream"\s*:\s*true')
NOT_FOUND = b"HTTP/1.1 404 Not Found\r\ncontent-length: 0\r\n\r\n"


class StaticProtocol(asyncio.Protocol):
    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport: asyncio.Transport = transport  # type: ignore[assignment]
        self.parser = httptools.HttpRequestParser(self)
        self.url = b""
        self.body: list[bytes] = []

    def data_received(self, data: bytes) -> None:
        try:
            self.parser.feed_data(data)
        except httptools.HttpParserError:
            self.transport.close()

    def on_url(self, url: bytes) -> None:
        self.url += url

    def on_body(self, body: bytes) -> None:
        self.body.append(body)

    def on_message_complete(self) -> None:
        path = self.url.split(b"?", 1)[0]
        answer = ANSWERS.get(path, NOT_FOUND)
        if path == b"/v1/chat/completions" and STREAMED.search(b"".join(self.body)):
            answer = STREAM_ANSWER
        self.transport.write(answer)
        self.url, self.body = b"", []


async def serve(port: int) -> None:
    loop = asyncio.get_running_loop()
    server = await loop.create_server(StaticProtocol, "127.0.0.1", port, backlog=1024)
    print(f"static upstream listening on http://127.0.0.1:{port}/v1", flush=True)
    async with server:
        await server.serve_forever()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--port", type=int, required=True)
    port = parser.parse_args().port
    try:
        import uvloop
    except ImportError:
        asyncio.run(serve(port))
    else:
        uvloop.run(serve(port))


if __name__ == "__main__":
    main()
