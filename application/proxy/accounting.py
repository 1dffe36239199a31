"""Turning one finished request into its ledger event, with its exact cost."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any

from application.proxy.caller import Caller
from application.proxy.usage import NO_USAGE, Usage
from domain.cycles import CycleWindow
from domain.limit_policy import LimitPolicy
from domain.money import apply_markup
from domain.pricing import Price
from domain.usage import Outcome, UsageRecorded

MAX_ATTRIBUTION_LENGTH = 200


def _ms(seconds: float) -> Decimal:
    return Decimal(f"{seconds * 1000:.3f}")


def _clean(value: str | None) -> str | None:
    return value[:MAX_ATTRIBUTION_LENGTH] if value else None


@dataclass
class RequestAccount:
    """What is known about a request as it goes; ``event`` closes the account."""

    request_id: str
    caller: Caller
    endpoint: str
    received_at: datetime
    started: float  # time.perf_counter() at arrival
    session_id: str | None = None
    n8n_workflow_id: str | None = None
    n8n_execution_id: str | None = None
    model: str = ""
    stream: bool = False
    price: Price | None = None
    first_token: float | None = None
    limit_name: str | None = None
    limit_detail: dict[str, str] | None = None
    response_id: str | None = None
    cycle: CycleWindow | None = None
    policy: LimitPolicy | None = None
    counted: bool = False  # admitted by the limit gate, so its usage adds to the counters
    usage_if_refused: Usage = NO_USAGE
    extra: dict[str, Any] = field(default_factory=dict)

    def event(self, status: int, outcome: Outcome, usage: Usage = NO_USAGE,
              error_type: str | None = None, finished: float | None = None) -> UsageRecorded:
        assert finished is not None
        provider_cost = self.price.cost(usage.prompt_tokens, usage.completion_tokens,
                                        usage.cached_tokens) if self.price else Decimal(0)
        markup = self.caller.client.markup_percent
        return UsageRecorded.at(
            self.received_at,
            request_id=self.request_id,
            workspace_id=self.caller.workspace.id,
            client_id=self.caller.client.id,
            key_id=self.caller.key.id,
            endpoint=self.endpoint,
            model=self.model,
            stream=self.stream,
            status=status,
            outcome=outcome.value,
            error_type=error_type,
            prompt_tokens=usage.prompt_tokens,
            completion_tokens=usage.completion_tokens,
            total_tokens=usage.total_tokens,
            cached_tokens=usage.cached_tokens,
            reasoning_tokens=usage.reasoning_tokens,
            usage_source=usage.source.value,
            latency_ms=_ms(finished - self.started),
            ttft_ms=_ms(self.first_token - self.started) if self.first_token else None,
            provider_cost=provider_cost,
            billed_cost=apply_markup(provider_cost, markup),
            price_version=self.price.version if self.price else None,
            markup_percent=markup,
            session_id=_clean(self.session_id),
            n8n_workflow_id=_clean(self.n8n_workflow_id),
            n8n_execution_id=_clean(self.n8n_execution_id),
            limit_name=self.limit_name,
            limit_detail=self.limit_detail,
            response_id=self.response_id,
            cycle_start=self.cycle.start if self.cycle else None,
            cycle_end=self.cycle.end if self.cycle else None,
        )
