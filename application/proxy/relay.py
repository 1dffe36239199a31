"""Relaying one request to the provider and accounting for it: the proxy's use case.

The hot path reads nothing from a database: the caller, the model's price and the
provider settings all come from memory, and the only wait is the group-committed ledger
write. Bodies are passed through as bytes; only what accounting needs is parsed.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
import uuid
from collections.abc import AsyncIterator, Mapping
from dataclasses import dataclass, field
from typing import Any

import orjson

from application.ports import Clock
from application.proxy.accounting import RequestAccount
from application.proxy.caller import authenticate_key
from application.proxy.cycle_cache import CycleCache
from application.proxy.endpoints import Endpoint
from application.proxy.limit_gate import LimitGate
from application.proxy.outcomes import outcome_of
from application.proxy.ports import (
    KeyDirectory,
    ResponseOwners,
    Upstream,
    UpstreamResponse,
    UsageLedger,
)
from application.proxy.provider import ProviderDirectory
from application.proxy.sse_usage import SseUsageTracker
from application.proxy.usage import (
    NO_USAGE,
    Usage,
    completion_text,
    estimated,
    tokens_in_text,
    usage_from_provider,
)
from domain.errors import (
    ClientNotActive,
    GatewayError,
    InvalidInput,
    ModelNotFound,
    NotFound,
    Unavailable,
    UpstreamFailure,
    UpstreamMalformed,
)
from domain.usage import Outcome, UsageRecorded

CLIENT_CLOSED_STATUS = 499


@dataclass
class RelayResult:
    status: int
    content_type: str
    body: bytes = b""
    stream: AsyncIterator[bytes] | None = None
    headers: dict[str, str] = field(default_factory=dict)


class LastChunk(bytes):
    """The final bytes of a relayed stream: a server may send them with the end of the
    response, in one write."""


def new_request_id() -> str:
    return "req_" + uuid.uuid4().hex


def _parse(body: bytes) -> dict[str, Any]:
    try:
        payload = orjson.loads(body)
    except orjson.JSONDecodeError:
        raise InvalidInput("We could not parse the JSON body of your request.",
                           code="invalid_json") from None
    if not isinstance(payload, dict):
        raise InvalidInput("The request body must be a JSON object.", code="invalid_json")
    return payload


def sse_error(error: GatewayError) -> bytes:
    return b"data: " + orjson.dumps({"error": {
        "message": error.message, "type": "upstream_error", "param": None,
        "code": error.code}}) + b"\n\n"


@dataclass
class ProxyRelay:
    directory: KeyDirectory
    providers: ProviderDirectory
    upstream: Upstream
    ledger: UsageLedger
    clock: Clock
    limits: LimitGate
    responses: ResponseOwners
    cycles: CycleCache = field(default_factory=CycleCache)

    def open_account(self, endpoint: Endpoint, headers: Mapping[str, str],
                     request_id: str) -> RequestAccount:
        """Authenticates the key (401 raises, unrecorded); the account then records."""
        now = self.clock.now()
        caller = authenticate_key(self.directory, headers.get("authorization"), now)
        policy, cycle = self.cycles.current(caller.client, now)
        return RequestAccount(
            cycle=cycle, policy=policy,
            request_id=request_id, caller=caller, endpoint=endpoint.name, received_at=now,
            started=time.perf_counter(),
            session_id=headers.get("x-session-id"),
            n8n_workflow_id=headers.get("x-n8n-workflow-id"),
            n8n_execution_id=headers.get("x-n8n-execution-id"),
        )

    async def record_refusal(self, account: RequestAccount, error: GatewayError,
                             status: int) -> None:
        event = account.event(status, outcome_of(error), account.usage_if_refused,
                              error_type=error.code, finished=time.perf_counter())
        if not self.ledger.healthy:
            # A refusal needs no proof of storage before it is sent: queue it (it is kept
            # until the ledger is back) and fail fast.
            self._record_soon(account, event)
            return
        try:
            await self._record(account, event)
        except Unavailable:
            self._record_soon(account, event)

    async def _record(self, account: RequestAccount, event: UsageRecorded) -> None:
        await self.ledger.record(event)
        self.limits.settle(account, event)
        if event.response_id and event.outcome == Outcome.OK.value:
            self.responses.remember(event.response_id, account.caller.client.id)

    def _record_soon(self, account: RequestAccount, event: UsageRecorded) -> None:
        self.ledger.record_soon(event)
        self.limits.settle(account, event)

    async def record_answered_here(self, account: RequestAccount) -> None:
        """Requests the gateway answers itself (the model list) are recorded too."""
        await self._record(account, account.event(200, Outcome.OK, finished=time.perf_counter()))

    async def forward(self, endpoint: Endpoint, account: RequestAccount,
                      body: bytes) -> RelayResult:
        payload = self._admit(endpoint, account, body)
        provider = self.providers.config_for(account.caller.workspace)
        if not self.ledger.healthy:
            raise Unavailable("The usage ledger is unavailable; retry shortly.",
                              code="ledger_unavailable")
        limit_headers = await self.limits.admit(account)
        client_wants_usage = False
        if account.stream:
            options = payload.get("stream_options")
            options = dict(options) if isinstance(options, dict) else {}
            client_wants_usage = options.get("include_usage") is True
            if endpoint.name != "responses":
                payload["stream_options"] = {**options, "include_usage": True}
                body = orjson.dumps(payload)
        response = await self.upstream.open("POST", provider.base_url + endpoint.path,
                                            provider.api_key, body, provider.timeout_seconds)
        headers = {"x-upstream-request-id": response.upstream_request_id} \
            if response.upstream_request_id else {}
        headers.update(limit_headers)
        if account.stream and response.status < 300:
            tracker = SseUsageTracker(client_wants_usage)
            return RelayResult(response.status, response.content_type,
                               stream=self._relay_stream(account, payload, response, tracker),
                               headers=headers)
        raw = await response.read()
        await self._account_for_answer(account, payload, response.status, raw)
        return RelayResult(response.status, response.content_type, raw, headers=headers)

    async def stored_response(self, account: RequestAccount, method: str, response_id: str,
                              suffix: str = "", query: str = "") -> RelayResult:
        """Retrieve, delete, cancel or list the input of a stored response: passed through
        only for the client that created it; for any other it does not exist."""
        owner = await asyncio.to_thread(self.responses.owner_of, response_id)
        if owner != account.caller.client.id:
            raise NotFound(f"No response found with id '{response_id}'.",
                           code="response_not_found")
        account.response_id = response_id
        provider = self.providers.config_for(account.caller.workspace)
        if account.caller.client.status != "active":
            raise ClientNotActive(f"This client is {account.caller.client.status}.",
                                  code=f"client_{account.caller.client.status}")
        limit_headers = await self.limits.admit(account)
        url = f"{provider.base_url}/responses/{response_id}{suffix}" + (
            f"?{query}" if query else "")
        response = await self.upstream.open(method, url, provider.api_key, b"",
                                            provider.timeout_seconds)
        raw = await response.read()
        outcome = Outcome.OK if response.status < 400 else Outcome.UPSTREAM_ERROR
        await self._record(account, account.event(response.status, outcome,
                                                  finished=time.perf_counter()))
        return RelayResult(response.status, response.content_type, raw, headers=limit_headers)

    def _admit(self, endpoint: Endpoint, account: RequestAccount,
               body: bytes) -> dict[str, Any]:
        payload = _parse(body)
        model = payload.get("model")
        if not isinstance(model, str) or not model:
            raise InvalidInput("You must provide a model parameter.", field="model",
                               code="missing_model")
        account.model = model[:200]
        account.stream = endpoint.can_stream and payload.get("stream") is True
        for name in endpoint.required:
            if name not in payload:
                raise InvalidInput(f"'{name}' is a required property.", field=name,
                                   code="missing_required_parameter")
        client = account.caller.client
        if client.status != "active":
            raise ClientNotActive(f"This client is {client.status}; contact the agency.",
                                  code=f"client_{client.status}")
        if account.session_id is None and isinstance(payload.get("user"), str):
            account.session_id = payload["user"]
        catalog = self.directory.model(account.caller.workspace.id, model)
        if catalog is None or not catalog.enabled:
            raise ModelNotFound(f"The model '{model}' does not exist or is not enabled.",
                                field="model", code="model_not_found")
        account.price = catalog.price_at(account.received_at)
        return payload

    async def _account_for_answer(self, account: RequestAccount, payload: dict[str, Any],
                                  status: int, raw: bytes) -> None:
        finished = time.perf_counter()
        if status >= 400:
            error_type = _provider_error_type(raw)
            await self._record(account, account.event(status, Outcome.UPSTREAM_ERROR,
                                                   error_type=error_type, finished=finished))
            return
        try:
            answer = orjson.loads(raw)
        except orjson.JSONDecodeError:
            # The provider may have billed the prompt: record it as estimated, not as zero.
            account.usage_if_refused = estimated(payload, 0)
            raise UpstreamMalformed("The provider sent an answer that is not JSON.") from None
        usage = _usage_of(answer, payload)
        if isinstance(answer, dict) and isinstance(answer.get("id"), str):
            account.response_id = answer["id"] if account.endpoint == "responses" else None
        await self._record(account, account.event(status, Outcome.OK, usage, finished=finished))

    async def _relay_stream(self, account: RequestAccount, payload: dict[str, Any],
                            response: UpstreamResponse,
                            tracker: SseUsageTracker) -> AsyncIterator[bytes]:
        closed_cleanly = False
        try:
            async for chunk in response.iter_bytes():
                # The events of one upstream read go out in one write, not one each.
                events = b"".join(tracker.feed(chunk))
                if events:
                    if account.first_token is None:
                        account.first_token = time.perf_counter()
                    yield events
            tail = tracker.flush()
            if tail:
                yield tail
        except UpstreamFailure as failure:
            closed_cleanly = True
            await response.close()
            usage = self._stream_usage(tracker, payload)
            await self._record_or_queue(account, account.event(
                502, Outcome.UPSTREAM_ERROR, usage, failure.code, time.perf_counter()))
            yield LastChunk(sse_error(failure))
            return
        except BaseException:
            # The client went away (the server cancels us): stop the provider, keep the
            # usage so far. Nothing here may await: the task is being cancelled.
            if not closed_cleanly:
                self._record_soon(account, account.event(
                    CLIENT_CLOSED_STATUS, Outcome.CLIENT_CLOSED,
                    self._stream_usage(tracker, payload), "client_closed",
                    time.perf_counter()))
                _close_later(response)
            raise
        closed_cleanly = True
        await response.close()
        account.response_id = tracker.response_id
        try:
            await self._record(account, account.event(
                200, Outcome.OK, self._stream_usage(tracker, payload),
                finished=time.perf_counter()))
        except GatewayError as error:
            yield LastChunk(sse_error(error))
            return
        if tracker.held:
            yield LastChunk(b"".join(tracker.held))

    @staticmethod
    def _stream_usage(tracker: SseUsageTracker, payload: dict[str, Any]) -> Usage:
        # Without provider usage, each content event is taken as one token.
        return tracker.usage or estimated(payload, max(0, tracker.data_events - 1))

    async def _record_or_queue(self, account: RequestAccount, event: UsageRecorded) -> None:
        try:
            await self._record(account, event)
        except Unavailable:
            self._record_soon(account, event)


def _usage_of(answer: Any, payload: dict[str, Any]) -> Usage:
    provided = usage_from_provider(answer.get("usage")) if isinstance(answer, dict) else None
    if provided is not None:
        return provided
    if isinstance(answer, dict) and "data" in answer and "choices" not in answer:
        return estimated(payload, 0)  # embeddings: the prompt is all there is
    return estimated(payload, tokens_in_text(completion_text(answer))) if answer else NO_USAGE


def _provider_error_type(raw: bytes) -> str | None:
    try:
        error = orjson.loads(raw).get("error")
    except (orjson.JSONDecodeError, AttributeError):
        return "upstream_error"
    if isinstance(error, dict):
        value = error.get("code") or error.get("type")
        return str(value)[:100] if value else "upstream_error"
    return "upstream_error"


def _close_later(response: UpstreamResponse) -> None:
    with contextlib.suppress(RuntimeError):  # no loop left: the process is ending
        task = asyncio.get_running_loop().create_task(response.close())
        _closing.add(task)
        task.add_done_callback(_closing.discard)


_closing: set[asyncio.Task[None]] = set()  # strong references until the tasks finish
