"""Fault injection driven by directives inside the request text.

Directives live in the prompt itself so that they pass unchanged through the gateway under
test: `[[sim:error=500]]`, `[[sim:error=429]]`, `[[sim:error=400]]`, `[[sim:delay_ms=300]]`,
`[[sim:reset]]`, `[[sim:malformed]]`, `[[sim:hang]]`, `[[sim:no_usage]]`, `[[sim:tokens=N]]`.
Several may be combined; unknown names are ignored.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from simulator.tokens import content_text

DIRECTIVE_MARK = "[[sim:"
_DIRECTIVE = re.compile(r"\[\[sim:([a-z_]+)(?:=(\d+))?\]\]")


@dataclass(frozen=True, slots=True)
class Faults:
    error_status: int | None = None
    delay_ms: float = 0
    reset: bool = False
    """Close the connection without a response, or after two chunks of a stream."""
    malformed: bool = False
    """Answer 200 with a body (or one stream chunk) that is not JSON."""
    hang: bool = False
    no_usage: bool = False
    tokens: int | None = None


NO_FAULTS = Faults()


def parse_faults(text: str) -> Faults:
    if DIRECTIVE_MARK not in text:
        return NO_FAULTS
    found: dict[str, Any] = {}
    for name, value in _DIRECTIVE.findall(text):
        if name == "error":
            found["error_status"] = int(value) if value else 500
        elif name in ("delay_ms", "tokens") and value:
            found[name] = int(value)
        elif name in ("reset", "malformed", "hang", "no_usage"):
            found[name] = True
    return Faults(**found)


def directive_text(value: Any) -> str:
    """Where directives are looked for: the last message of a conversation, else all text.

    Handles chat `messages`, completions `prompt`, embeddings `input` and Responses `input`.
    """
    if isinstance(value, str):
        return value
    if not isinstance(value, list) or not value:
        return ""
    last = value[-1]
    if isinstance(last, dict):
        return content_text(last.get("content"))
    return "\n".join(item for item in value if isinstance(item, str))
