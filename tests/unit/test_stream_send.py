"""A relayed stream over bare ASGI: writes, the end, and a client that leaves."""

from __future__ import annotations

import asyncio

from application.proxy.relay import LastChunk
from proxy_api.stream_send import HEAD_WAIT_SECONDS, send_stream
from tests.unit.test_one_write_send import Cycle


class StreamCycle(Cycle):
    """Writes the head at start and each body message as it comes, like uvicorn."""

    def __init__(self):
        super().__init__()
        self.disconnect = asyncio.Event()

    async def receive(self):
        await self.disconnect.wait()
        return {"type": "http.disconnect"}

    async def send(self, message):
        if message["type"] == "http.response.start":
            self.transport.write(b"HEAD|")
        else:
            self.transport.write(message["body"] + (b"|" if message["more_body"] else b"|END"))


def writes(cycle):
    return [data for call, data in cycle.transport.calls if call == "write"]


def test_the_head_leaves_with_a_first_chunk_that_is_already_there_and_the_last_ends_it():
    cycle = StreamCycle()

    async def chunks():
        yield b"a"
        yield LastChunk(b"z")

    asyncio.run(send_stream(cycle.receive, cycle.send, 200, [], chunks()))

    assert writes(cycle) == [b"HEAD|a|", b"z|END"]


def test_the_head_does_not_wait_for_a_slow_first_chunk():
    cycle = StreamCycle()
    seen_before_first_chunk = []

    async def chunks():
        await asyncio.sleep(HEAD_WAIT_SECONDS * 10)
        seen_before_first_chunk.extend(writes(cycle))
        yield b"a"

    asyncio.run(send_stream(cycle.receive, cycle.send, 200, [], chunks()))

    assert seen_before_first_chunk == [b"HEAD|"]
    assert writes(cycle) == [b"HEAD|", b"a|", b"|END"]


def test_a_client_that_leaves_stops_the_stream_and_the_generator_learns_it():
    cycle = StreamCycle()
    closed = []

    async def chunks():
        try:
            yield b"a"
            await asyncio.sleep(10)
            yield b"never"
        except BaseException as error:
            closed.append(type(error).__name__)
            raise

    async def scenario():
        task = asyncio.ensure_future(send_stream(cycle.receive, cycle.send, 200, [], chunks()))
        await asyncio.sleep(0.05)
        cycle.disconnect.set()
        await asyncio.wait_for(task, 1)

    asyncio.run(scenario())

    assert closed == ["CancelledError"]
    assert writes(cycle) == [b"HEAD|a|"]


def test_a_stream_over_within_a_moment_never_listens_for_the_client_leaving():
    cycle = StreamCycle()
    listened = []
    cycle_receive = cycle.receive

    async def receive():
        listened.append(True)
        return await cycle_receive()

    async def chunks():
        yield LastChunk(b"all")

    asyncio.run(send_stream(receive, cycle.send, 200, [], chunks()))

    assert listened == []
    assert writes(cycle) == [b"HEAD|all|END"]
