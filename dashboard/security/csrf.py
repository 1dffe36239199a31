"""CSRF defence for every state-changing request of the dashboard.

The token is an HMAC of the session's random nonce, so it is bound to that session: a
token planted from elsewhere (a sibling subdomain setting cookies, an old session) does not
match. Forms carry it in a hidden field; Dash's renderer reads the ``_csrf_token`` cookie
and sends it back in the ``X-CSRFToken`` header on every callback POST. Another site can
neither read that cookie nor set a custom header on a cross-site request, and the session
cookie is SameSite=Lax besides. An Origin or Referer that names another host is refused too.
"""

from __future__ import annotations

import hashlib
import hmac
from urllib.parse import urlsplit

CSRF_COOKIE = "_csrf_token"  # the name dash_renderer reads by default
CSRF_HEADER = "X-CSRFToken"
CSRF_FIELD = "csrf_token"


def csrf_token(secret: bytes, nonce: str) -> str:
    return hmac.new(secret, f"csrf:{nonce}".encode(), hashlib.sha256).hexdigest()


def token_matches(secret: bytes, nonce: str | None, presented: str | None) -> bool:
    if not nonce or not presented:
        return False
    return hmac.compare_digest(csrf_token(secret, nonce), presented)


def same_origin(host: str, origin: str | None, referer: str | None) -> bool:
    """Compares host and port only: a TLS proxy in front may change the scheme we see."""
    source = origin if origin and origin != "null" else referer
    if not source:
        return True  # old browsers and some privacy settings send neither; the token decides
    return urlsplit(source).netloc.lower() == host.lower()
