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
    └── PermissionDenied        credentials fine, action not allowed (403)
        └── ClientNotActive     the key's client is suspended or inactive (403)
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
