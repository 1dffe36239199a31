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
