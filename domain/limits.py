"""Which limit, if any, a request would break, and the rate-limit headers that say so."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from domain.cycles import CycleWindow
from domain.errors import LimitExceeded
from domain.limit_policy import LimitPolicy


@dataclass(frozen=True, slots=True)
class CycleUsage:
    """What a client has used in a cycle: admitted requests, tokens, billed credits and
    distinct sessions."""

    requests: int = 0
    tokens: int = 0
    credits: Decimal = Decimal(0)
    sessions: int = 0


def limits_apply(policy: LimitPolicy) -> bool:
    """Whether requests of this client need counting at all."""
    return policy.enforce and any(value is not None for value in (
        policy.max_requests, policy.max_tokens, policy.max_credits, policy.max_sessions,
        policy.max_calls_per_execution))


def first_exceeded(policy: LimitPolicy, usage: CycleUsage,
                   new_session: bool) -> tuple[str, dict[str, str]] | None:
    """A request is admitted while usage is below each limit; None means admitted."""
    checks = (
        ("requests_limit", policy.max_requests, usage.requests, True),
        ("tokens_limit", policy.max_tokens, usage.tokens, True),
        ("credits_limit", policy.max_credits, usage.credits, True),
        ("sessions_limit", policy.max_sessions, usage.sessions, new_session),
    )
    for name, limit, used, applies in checks:
        if applies and limit is not None and used >= limit:
            return name, {"limit": str(limit), "used": str(used)}
    return None


MESSAGES = {
    "requests_limit": "This client has used all {limit} requests of its cycle.",
    "tokens_limit": "This client has used its {limit} tokens of the cycle.",
    "credits_limit": "This client has used its ${limit} of credits for the cycle.",
    "sessions_limit": "This client has reached its {limit} conversations (sessions) of the "
                      "cycle; conversations already started continue.",
    "execution_limit": "This n8n execution has made {limit} calls, the most allowed in "
                       "{window} s; the workflow may be looping.",
}


def limit_exceeded(name: str, detail: dict[str, str], retry_after_seconds: int,
                   headers: dict[str, str]) -> LimitExceeded:
    error = LimitExceeded(MESSAGES[name].format(**detail), code=name)
    error.headers = {"retry-after": str(retry_after_seconds), **headers}  # type: ignore[attr-defined]
    error.detail = detail  # type: ignore[attr-defined]
    return error


def rate_limit_headers(policy: LimitPolicy, usage: CycleUsage, window: CycleWindow,
                       now: datetime) -> dict[str, str]:
    """OpenAI's x-ratelimit-* names, counted over the client's billing cycle."""
    headers: dict[str, str] = {}
    reset = f"{window.seconds_until_end(now)}s"
    if policy.max_requests is not None:
        headers["x-ratelimit-limit-requests"] = str(policy.max_requests)
        headers["x-ratelimit-remaining-requests"] = str(max(0, policy.max_requests
                                                            - usage.requests))
        headers["x-ratelimit-reset-requests"] = reset
    if policy.max_tokens is not None:
        headers["x-ratelimit-limit-tokens"] = str(policy.max_tokens)
        headers["x-ratelimit-remaining-tokens"] = str(max(0, policy.max_tokens - usage.tokens))
        headers["x-ratelimit-reset-tokens"] = reset
    if policy.max_credits is not None:
        headers["x-ratelimit-limit-credits"] = str(policy.max_credits)
        headers["x-ratelimit-remaining-credits"] = str(max(Decimal(0),
                                                           policy.max_credits - usage.credits))
    return headers
