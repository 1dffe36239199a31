"""Token usage: read from the provider's answer, or estimated when it gives none."""

from __future__ import annotations

from dataclasses import dataclass
from math import ceil
from typing import Any

from domain.usage import UsageSource

CHARS_PER_TOKEN = 4  # OpenAI's rule of thumb for English text
TOKENS_PER_MESSAGE = 4


@dataclass(frozen=True, slots=True)
class Usage:
    prompt_tokens: int = 0
    completion_tokens: int = 0
    cached_tokens: int = 0
    reasoning_tokens: int = 0
    source: UsageSource = UsageSource.NONE

    @property
    def total_tokens(self) -> int:
        return self.prompt_tokens + self.completion_tokens


NO_USAGE = Usage()


def _int(value: Any) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) and value > 0 else 0


def usage_from_provider(usage: Any) -> Usage | None:
    """Reads both shapes: chat/completions/embeddings (prompt_/completion_tokens) and the
    Responses API (input_/output_tokens)."""
    if not isinstance(usage, dict):
        return None
    prompt_details = usage.get("prompt_tokens_details") or usage.get("input_tokens_details")
    output_details = usage.get("completion_tokens_details") or usage.get(
        "output_tokens_details")
    if "input_tokens" in usage or "output_tokens" in usage:
        prompt, completion = _int(usage.get("input_tokens")), _int(usage.get("output_tokens"))
    else:
        prompt, completion = _int(usage.get("prompt_tokens")), _int(
            usage.get("completion_tokens"))
        if completion == 0 and "completion_tokens" not in usage:
            completion = max(0, _int(usage.get("total_tokens")) - prompt)
    return Usage(
        prompt_tokens=prompt,
        completion_tokens=completion,
        cached_tokens=_int(prompt_details.get("cached_tokens"))
        if isinstance(prompt_details, dict) else 0,
        reasoning_tokens=_int(output_details.get("reasoning_tokens"))
        if isinstance(output_details, dict) else 0,
        source=UsageSource.PROVIDER,
    )


def tokens_in_text(text: str) -> int:
    return ceil(len(text) / CHARS_PER_TOKEN) if text else 0


def _text_of(value: Any) -> str:
    """Every string inside a message, prompt or input, however nested."""
    if isinstance(value, str):
        return value
    if isinstance(value, list):
        return " ".join(_text_of(v) for v in value)
    if isinstance(value, dict):
        return " ".join(_text_of(v) for k, v in value.items()
                        if k in ("content", "text", "input", "prompt", "arguments"))
    return ""


def estimate_prompt_tokens(payload: dict[str, Any]) -> int:
    messages = payload.get("messages")
    if isinstance(messages, list):
        return sum(tokens_in_text(_text_of(m)) + TOKENS_PER_MESSAGE for m in messages)
    for field in ("prompt", "input"):
        if field in payload:
            value = payload[field]
            if isinstance(value, list) and value and all(isinstance(v, int) for v in value):
                return len(value)  # already tokens
            return tokens_in_text(_text_of(value))
    return 0


def estimated(payload: dict[str, Any], completion_tokens: int) -> Usage:
    return Usage(prompt_tokens=estimate_prompt_tokens(payload),
                 completion_tokens=completion_tokens, source=UsageSource.ESTIMATED)


def completion_text(answer: Any) -> str:
    """The generated text of a non-streamed answer, for estimating its tokens."""
    if not isinstance(answer, dict):
        return ""
    parts = []
    for choice in answer.get("choices") or ():
        if isinstance(choice, dict):
            parts.append(_text_of(choice.get("message")) or str(choice.get("text") or ""))
    for item in answer.get("output") or ():
        parts.append(_text_of(item))
    return " ".join(parts)
