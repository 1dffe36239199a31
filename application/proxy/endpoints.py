"""The OpenAI endpoints the gateway relays, and what each requires of a body."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Endpoint:
    name: str
    path: str
    required: tuple[str, ...]
    can_stream: bool


CHAT_COMPLETIONS = Endpoint("chat.completions", "/chat/completions", ("messages",), True)
COMPLETIONS = Endpoint("completions", "/completions", ("prompt",), True)
EMBEDDINGS = Endpoint("embeddings", "/embeddings", ("input",), False)
RESPONSES = Endpoint("responses", "/responses", (), True)
MODELS = Endpoint("models", "/models", (), False)
RESPONSE_RETRIEVE = Endpoint("responses.retrieve", "/responses", (), False)
RESPONSE_DELETE = Endpoint("responses.delete", "/responses", (), False)
RESPONSE_CANCEL = Endpoint("responses.cancel", "/responses", (), False)
RESPONSE_INPUT_ITEMS = Endpoint("responses.input_items", "/responses", (), False)
