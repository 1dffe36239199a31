"""A cheap, deterministic stand-in for a tokenizer.

The gateway only needs usage numbers that are stable and easy to predict in tests, so one token
is four characters of text (at least one per text) and one int of a pre-tokenized input.

Generated answers are made of four-character pieces ("sim ", "fox ", ...). An answer of N
tokens is exactly N pieces, so the reported completion_tokens equals N by construction and
count_tokens(answer) == N as well. Streams send one piece per chunk.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

TOKENS_PER_MESSAGE = 3
_WORDS = ("sim", "fox", "jar", "owl", "kit", "bay", "elm", "dew",
          "ink", "map", "oak", "ray", "sun", "tin", "urn", "yak")  # fmt: skip
_PIECES = tuple(f"{word} " for word in _WORDS)


def count_tokens(text: str) -> int:
    return max(1, (len(text) + 3) // 4)


def content_text(content: Any) -> str:
    """Text of a message content: a string, or a list of parts that may carry "text"."""
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        return "".join(
            part["text"]
            for part in content
            if isinstance(part, dict) and isinstance(part.get("text"), str)
        )
    return ""


def chat_prompt_tokens(messages: Any) -> int:
    if not isinstance(messages, list):
        return 0
    return sum(
        count_tokens(content_text(message.get("content"))) + TOKENS_PER_MESSAGE
        for message in messages
        if isinstance(message, dict)
    )


def input_tokens(value: Any) -> int:
    """Tokens of a completions prompt or an embeddings input.

    Accepts a string, a list of strings, a list of token ids or a list of token-id lists.
    """
    if isinstance(value, str):
        return count_tokens(value)
    if not isinstance(value, list):
        return 0
    total = 0
    for item in value:
        if isinstance(item, str):
            total += count_tokens(item)
        elif isinstance(item, int):
            total += 1
        elif isinstance(item, list):
            total += len(item)
    return total


def token_piece(index: int) -> str:
    return _PIECES[index % len(_PIECES)]


@lru_cache(maxsize=512)
def answer_text(token_count: int) -> str:
    return "".join(token_piece(index) for index in range(token_count))
