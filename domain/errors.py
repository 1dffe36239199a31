"""The gateway's error tree.

Every error the gateway raises on purpose descends from ``GatewayError``. The edges map
each branch to an HTTP status in one table (``proxy_api.errors``), so a new error only
needs a place in this tree.

    GatewayError
    ├── InvalidInput            a value breaks a rule (422 on the admin API, 400 on /v1)
    ├── NotFound                unknown id, or an id of another workspace (404)
    ├── Conflict                illegal transition or duplicate (409)
    ├── AuthenticationFailed    no or bad credentials (401)
    │   └── KeyExpired          a gateway key past its expiry (401)
    ├── PermissionDenied        credentials fine, action not allowed (403)
    │   └── ClientNotActive     the key's client is suspended or inactive (403)
    ├── PayloadTooLarge         request body over the configured size (413)
    ├── LimitExceeded           a client limit is reached (429)
    ├── Unavailable             the gateway cannot serve now (503)
    │   └── ProviderNotConfigured
    └── UpstreamFailure         the provider failed us
        ├── UpstreamTimeout     no answer in time (504)
        ├── UpstreamUnreachable no connection (502)
        ├── UpstreamConnectionLost  the connection broke mid-answer (502)
        └── UpstreamMalformed   an answer that is not the JSON it should be (502)

NotFound has ModelNotFound for unknown or disabled models (404, ``model_not_found``).
"""

from __future__ import annotations


class GatewayError(Exception):
    """Root of every error the gateway reports on purpose."""

    code: str = "gateway_error"

    def __init__(self, message: str, *, field: str | None = None, code: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field
        if code is not None:
            self.code = code


class InvalidInput(GatewayError):
    code = "invalid_input"


class NotFound(GatewayError):
    code = "not_found"


class Conflict(GatewayError):
    code = "conflict"


class AuthenticationFailed(GatewayError):
    code = "invalid_api_key"


class KeyExpired(AuthenticationFailed):
    code = "expired_api_key"


class PermissionDenied(GatewayError):
    code = "permission_denied"


class ClientNotActive(PermissionDenied):
    code = "client_not_active"


class ModelNotFound(NotFound):
    code = "model_not_found"


class PayloadTooLarge(GatewayError):
    code = "payload_too_large"


class LimitExceeded(GatewayError):
    code = "rate_limit_exceeded"


class Unavailable(GatewayError):
    code = "service_unavailable"


class ProviderNotConfigured(Unavailable):
    code = "provider_not_configured"


class UpstreamFailure(GatewayError):
    code = "upstream_error"


class UpstreamTimeout(UpstreamFailure):
    code = "upstream_timeout"


class UpstreamUnreachable(UpstreamFailure):
    code = "upstream_unreachable"


class UpstreamConnectionLost(UpstreamFailure):
    code = "upstream_connection_lost"


class UpstreamMalformed(UpstreamFailure):
    code = "upstream_malformed_response"
