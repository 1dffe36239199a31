"""Watching a relayed SSE stream for its usage, as OpenAI sends it."""

from __future__ import annotations

import orjson

from application.proxy import sse_usage
from application.proxy.sse_usage import SseUsageTracker


def event(payload) -> bytes:
    return b"data: " + orjson.dumps(payload) + b"\n\n"


CONTENT = [event({"id": "c1", "choices": [{"delta": {"content": word}}], "usage": None})
           for word in ("Hello", " world", ' he said "usage": 5')]
USAGE = event({"id": "c1", "choices": [], "usage": {"prompt_tokens": 7,
                                                     "completion_tokens": 3,
                                                     "total_tokens": 10}})
DONE = b"data: [DONE]\n\n"


def test_null_usage_chunks_pass_unparsed_and_the_usage_chunk_is_read_and_dropped(
        monkeypatch):
    parsed = []
    real_loads = orjson.loads
    monkeypatch.setattr(sse_usage.orjson, "loads",
                        lambda data: parsed.append(data) or real_loads(data))
    tracker = SseUsageTracker(client_wants_usage=False)

    forwarded = list(tracker.feed(b"".join([*CONTENT, USAGE, DONE])))

    assert forwarded == CONTENT
    assert len(parsed) == 1  # only the usage chunk
    assert (tracker.usage.prompt_tokens, tracker.usage.completion_tokens) == (7, 3)
    assert tracker.data_events == 4 and tracker.held == [DONE]


def test_events_split_across_reads_are_whole_when_forwarded():
    tracker = SseUsageTracker(client_wants_usage=True)
    stream = b"".join([*CONTENT, USAGE, DONE])

    forwarded = [e for i in range(0, len(stream), 7) for e in tracker.feed(stream[i:i + 7])]

    assert forwarded == [*CONTENT, USAGE]
    assert tracker.usage.total_tokens == 10


def test_a_read_of_plain_content_events_goes_through_whole_and_unparsed(monkeypatch):
    parsed = []
    real_loads = orjson.loads
    monkeypatch.setattr(sse_usage.orjson, "loads",
                        lambda data: parsed.append(data) or real_loads(data))
    tracker = SseUsageTracker(client_wants_usage=False)
    read = b"".join(CONTENT)

    assert list(tracker.feed(read)) == [read]
    assert parsed == [] and tracker.data_events == 3


STREAMS = {
    "content, usage, done": [*CONTENT, USAGE, DONE],
    "comment between events": [CONTENT[0], b": keep-alive\n\n", CONTENT[1], DONE],
    "multi-line data": [b"data: {\"a\":\ndata: 1}\n\n", CONTENT[0], DONE],
    "crlf": [c.replace(b"\n", b"\r\n") for c in CONTENT] + [DONE],
    "usage twice, one null": [event({"choices": [], "usage": None, "x": {"usage": {
        "prompt_tokens": 1, "completion_tokens": 2, "total_tokens": 3}}}), DONE],
    "done in the content": [event({"choices": [{"delta": {"content": "[DONE]"}}]}), DONE],
    "responses": [b"event: response.created\ndata: " + orjson.dumps(
        {"type": "response.created", "response": {"id": "r1"}}) + b"\n\n",
        b"data: " + orjson.dumps({"type": "response.completed", "response": {
            "id": "r1", "usage": {"input_tokens": 4, "output_tokens": 5}}}) + b"\n\n"],
}


def test_any_split_of_a_stream_gives_what_one_event_at_a_time_gives():
    def outcome(reads):
        tracker = SseUsageTracker(client_wants_usage=False)
        forwarded = b"".join(e for read in reads for e in tracker.feed(read))
        forwarded += tracker.flush()
        return forwarded, tracker.data_events, tracker.usage, tracker.held, \
            tracker.response_id, tracker.saw_done

    for name, events in STREAMS.items():
        stream = b"".join(events)
        byte_by_byte = outcome([stream[i:i + 1] for i in range(len(stream))])
        for reads in ([stream], events, [b"".join(events[:2]), *events[2:]]):
            assert outcome(reads) == byte_by_byte, name
