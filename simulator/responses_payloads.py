"""Objects of the Responses API: input items, the response itself and its stream events."""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

from simulator.sse import Frame, event_frame
from simulator.tokens import TOKENS_PER_MESSAGE, content_text, count_tokens, token_piece

_CONTENT_TYPE_BY_ROLE = {"assistant": "output_text"}


def input_items(value: Any, id_prefix: str) -> list[dict[str, Any]]:
    """The request's `input` as stored items: a plain string becomes one user message."""
    if isinstance(value, str):
        value = [{"role": "user", "content": value}]
    if not isinstance(value, list):
        return []
    items = []
    for index, item in enumerate(value):
        if not isinstance(item, dict):
            continue
        stored = dict(item)
        stored.setdefault("id", f"{id_prefix}_{index}")
        if "role" in item and item.get("type", "message") == "message":
            stored["type"] = "message"
            stored.setdefault("status", "completed")
            if isinstance(item.get("content"), str):
                stored["content"] = [_text_part(item["role"], item["content"])]
        items.append(stored)
    return items


def _text_part(role: str, text: str) -> dict[str, Any]:
    part_type = _CONTENT_TYPE_BY_ROLE.get(role, "input_text")
    if part_type == "output_text":
        return {"type": part_type, "text": text, "annotations": []}
    return {"type": part_type, "text": text}


def input_token_count(items: list[dict[str, Any]], instructions: Any) -> int:
    total = sum(
        count_tokens(content_text(item.get("content", item.get("output")))) + TOKENS_PER_MESSAGE
        for item in items
    )
    if isinstance(instructions, str):
        total += count_tokens(instructions) + TOKENS_PER_MESSAGE
    return total


def responses_usage(input_tokens: int, output_tokens: int) -> dict[str, Any]:
    return {
        "input_tokens": input_tokens,
        "input_tokens_details": {"cached_tokens": 0},
        "output_tokens": output_tokens,
        "output_tokens_details": {"reasoning_tokens": 0},
        "total_tokens": input_tokens + output_tokens,
    }


def output_text_part(text: str) -> dict[str, Any]:
    return {"type": "output_text", "text": text, "annotations": [], "logprobs": []}


def output_message(message_id: str, status: str, content: list[Any]) -> dict[str, Any]:
    return {
        "id": message_id,
        "type": "message",
        "status": status,
        "role": "assistant",
        "content": content,
    }


def response_object(
    response_id: str, created_at: int, model: str, body: dict[str, Any]
) -> dict[str, Any]:
    """A response still in progress; the caller fills in output, usage and final status.

    Echoes the request's settings with OpenAI's defaults, since the SDK's Response model
    expects fields like tools, tool_choice and text to be present.
    """
    return {
        "id": response_id,
        "object": "response",
        "created_at": created_at,
        "status": "in_progress",
        "background": False,
        "completed_at": None,
        "error": None,
        "incomplete_details": None,
        "instructions": body.get("instructions"),
        "max_output_tokens": body.get("max_output_tokens"),
        "max_tool_calls": body.get("max_tool_calls"),
        "model": model,
        "output": [],
        "parallel_tool_calls": body.get("parallel_tool_calls", True),
        "previous_response_id": body.get("previous_response_id"),
        "reasoning": body.get("reasoning") or {"effort": None, "summary": None},
        "service_tier": "default",
        "store": body.get("store", True),
        "temperature": body.get("temperature", 1.0),
        "text": body.get("text") or {"format": {"type": "text"}},
        "tool_choice": body.get("tool_choice", "auto"),
        "tools": body.get("tools", []),
        "top_p": body.get("top_p", 1.0),
        "truncation": body.get("truncation", "disabled"),
        "usage": None,
        "user": body.get("user"),
        "metadata": body.get("metadata") or {},
    }


def finished_response(
    started: dict[str, Any],
    message_id: str,
    text: str,
    finish_reason: str,
    usage: dict[str, Any] | None,
) -> dict[str, Any]:
    """The final object: completed, or incomplete when max_output_tokens cut the answer."""
    complete = finish_reason == "stop"
    status = "completed" if complete else "incomplete"
    finished = {
        **started,
        "status": status,
        "output": [output_message(message_id, status, [output_text_part(text)])],
        "usage": usage,
    }
    if complete:
        finished["completed_at"] = int(time.time())
    else:
        finished["incomplete_details"] = {"reason": "max_output_tokens"}
    return finished


def response_event_frames(
    started: dict[str, Any], finished: dict[str, Any], token_count: int
) -> Iterator[Frame]:
    """The event sequence of a streamed response with one text message.

    `started` is the in-progress snapshot, `finished` the final object; its status decides
    the last event: response.completed or response.incomplete.
    """
    message = finished["output"][0]
    text = message["content"][0]["text"]
    message_id = message["id"]
    sequence_number = 0

    def frame(event_type: str, **fields: Any) -> bytes:
        nonlocal sequence_number
        payload = {"type": event_type, "sequence_number": sequence_number, **fields}
        sequence_number += 1
        return event_frame(event_type, payload)

    where = {"item_id": message_id, "output_index": 0, "content_index": 0}
    yield frame("response.created", response=started), False
    yield frame("response.in_progress", response=started), False
    opened = output_message(message_id, "in_progress", [])
    yield frame("response.output_item.added", output_index=0, item=opened), False
    yield frame("response.content_part.added", **where, part=output_text_part("")), False
    for index in range(token_count):
        delta = token_piece(index)
        yield frame("response.output_text.delta", **where, delta=delta, logprobs=[]), True
    yield frame("response.output_text.done", **where, text=text, logprobs=[]), False
    yield frame("response.content_part.done", **where, part=output_text_part(text)), False
    yield frame("response.output_item.done", output_index=0, item=message), False
    yield frame(f"response.{finished['status']}", response=finished), False
