"""Which ledger outcome a refused or failed request gets."""

from __future__ import annotations

from domain.errors import (
    ClientNotActive,
    GatewayError,
    InvalidInput,
    LimitExceeded,
    NotFound,
    PayloadTooLarge,
    UpstreamTimeout,
    UpstreamUnreachable,
)
from domain.usage import Outcome

OUTCOME_BY_ERROR: tuple[tuple[type[GatewayError], Outcome], ...] = (
    (LimitExceeded, Outcome.REJECTED),
    (ClientNotActive, Outcome.REJECTED),
    (InvalidInput, Outcome.BAD_REQUEST),
    (NotFound, Outcome.BAD_REQUEST),
    (PayloadTooLarge, Outcome.BAD_REQUEST),
    (UpstreamTimeout, Outcome.TIMEOUT),
    (UpstreamUnreachable, Outcome.UNREACHABLE),
    (GatewayError, Outcome.UPSTREAM_ERROR),
)


def outcome_of(error: GatewayError) -> Outcome:
    return next(outcome for kind, outcome in OUTCOME_BY_ERROR if isinstance(error, kind))
