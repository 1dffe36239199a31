"""A whole answer's two ASGI messages leave in one transport write."""

from __future__ import annotations

import asyncio

from proxy_api.one_write_send import send_in_one_write

START = {"type": "http.response.start", "status": 200, "headers": []}
BODY = {"type": "http.response.body", "body": b"{}"}


class RecordingTransport:
    def __init__(self):
        self.calls: list[tuple[str, bytes]] = []

    def write(self, data: bytes) -> None:
        self.calls.append(("write", data))

    def close(self) -> None:
        self.calls.append(("close", b""))

    def is_closing(self) -> bool:
        return any(call == "close" for call, _ in self.calls)


class Cycle:
    """Like uvicorn's RequestResponseCycle: writes the head, then the body."""

    def __init__(self, keep_alive: bool = True):
        self.transport = RecordingTransport()
        self.keep_alive = keep_alive

    async def send(self, message):
        assert not self.transport.is_closing()
        if message["type"] == "http.response.start":
            self.transport.write(b"HTTP/1.1 200 OK\r\n\r\n")
        else:
            self.transport.write(message["body"])
            if not self.keep_alive:
                self.transport.close()


def test_head_and_body_go_out_in_one_write():
    cycle = Cycle()
    transport = cycle.transport

    asyncio.run(send_in_one_write(cycle.send, START, BODY))

    assert transport.calls == [("write", b"HTTP/1.1 200 OK\r\n\r\n{}")]
    assert cycle.transport is transport


def test_a_connection_closed_after_the_answer_is_closed_after_the_write():
    cycle = Cycle(keep_alive=False)
    transport = cycle.transport

    asyncio.run(send_in_one_write(cycle.send, START, BODY))

    assert transport.calls == [("write", b"HTTP/1.1 200 OK\r\n\r\n{}"), ("close", b"")]


def test_other_servers_get_the_two_messages_as_they_are():
    sent = []

    async def send(message):
        sent.append(message)

    asyncio.run(send_in_one_write(send, START, BODY))

    assert sent == [START, BODY]
