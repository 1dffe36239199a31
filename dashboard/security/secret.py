"""The dashboard's signing key, derived from the gateway's secret key.

Every gateway process derives the same key, so a session signed by one worker is valid in
the others; rotating GATEWAY_SECRET_KEY signs everybody out.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

from infrastructure.bootstrap import Gateway


def dashboard_secret(gateway: Gateway) -> bytes:
    configured = gateway.settings.secret_key
    root = configured.get_secret_value() if configured else \
        gateway.dev_secrets.secret_key if gateway.dev_secrets else ""
    if not root:  # only a test gateway without secrets: sessions live as long as the process
        root = secrets.token_hex(32)
    return hmac.new(root.encode(), b"llm-gateway dashboard sessions v1", hashlib.sha256).digest()
