"""Admitting a request against its client's limits, before it is forwarded."""

from __future__ import annotations

from dataclasses import dataclass

from application.proxy.accounting import RequestAccount
from application.proxy.limit_ports import LimitCounters
from domain.limits import limit_exceeded, limits_apply, rate_limit_headers
from domain.usage import UsageRecorded


@dataclass
class LimitGate:
    counters: LimitCounters

    async def admit(self, account: RequestAccount) -> dict[str, str]:
        """Counts the request, or raises LimitExceeded (429); returns the rate-limit
        headers of an admitted request."""
        client, window, policy = account.caller.client, account.cycle, account.policy
        if window is None or policy is None or not limits_apply(policy):
            return {}
        now = account.received_at
        execution = account.n8n_execution_id
        if policy.max_calls_per_execution is not None and execution and not \
                await self.counters.admit_execution(client.id, execution, now,
                                                    policy.execution_window_seconds,
                                                    policy.max_calls_per_execution):
            detail = {"limit": str(policy.max_calls_per_execution),
                      "window": str(policy.execution_window_seconds)}
            raise self._refuse(account, "execution_limit", detail,
                               policy.execution_window_seconds, {})
        session = account.session_id if policy.max_sessions is not None else None
        admission = await self.counters.admit(account.caller.workspace.id, client.id, window,
                                              policy, session)
        headers = rate_limit_headers(policy, admission.usage, window, now)
        if admission.exceeded is not None:
            name, detail = admission.exceeded
            raise self._refuse(account, name, detail, window.seconds_until_end(now), headers)
        account.counted = True
        return headers

    def settle(self, account: RequestAccount, event: UsageRecorded) -> None:
        """Adds a recorded request's tokens and credits to its cycle's counters."""
        if account.counted and event.total_tokens + event.billed_cost > 0:
            assert account.cycle is not None
            self.counters.add_usage(account.caller.client.id, account.cycle.start,
                                    event.total_tokens, event.billed_cost)

    @staticmethod
    def _refuse(account: RequestAccount, name: str, detail: dict[str, str], retry_after: int,
                headers: dict[str, str]) -> Exception:
        account.limit_name, account.limit_detail = name, detail
        return limit_exceeded(name, detail, retry_after, headers)
