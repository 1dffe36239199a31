"""Staff sessions in Flask's signed session cookie.

The cookie names the staff member, a random nonce (which the CSRF token is derived from)
and a fingerprint of their password hash: changing the password ends every session. It is
HttpOnly, SameSite=Lax, scoped to /dashboard, and Secure in production. It lapses after 8
hours without a request, and 12 hours after sign-in whatever happens.
"""

from __future__ import annotations

import hashlib
import secrets
import time
from datetime import timedelta
from uuid import UUID

import flask

from domain.staff import StaffMember
from projections.management_state import ManagementState

IDLE_LIFETIME = timedelta(hours=8)
ABSOLUTE_LIFETIME_SECONDS = 12 * 3600
SESSION_COOKIE = "gw_dashboard_session"


def configure_session_cookie(server: flask.Flask, secret: bytes, path: str,
                             production: bool) -> None:
    server.config.update(
        SECRET_KEY=secret, SESSION_COOKIE_NAME=SESSION_COOKIE, SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax", SESSION_COOKIE_SECURE=production,
        SESSION_COOKIE_PATH=path, PERMANENT_SESSION_LIFETIME=IDLE_LIFETIME,
        SESSION_REFRESH_EACH_REQUEST=True)


def password_fingerprint(password_hash: str) -> str:
    return hashlib.sha256(password_hash.encode()).hexdigest()[:20]


def session_nonce() -> str:
    """The session's nonce, creating an anonymous session for the sign-in form if needed."""
    nonce = flask.session.get("nonce")
    if not nonce:
        nonce = flask.session["nonce"] = secrets.token_urlsafe(24)
    return nonce


def sign_in(member: StaffMember) -> None:
    """A new nonce at sign-in, so a session id planted before it is worth nothing after."""
    flask.session.clear()
    flask.session.permanent = True
    flask.session.update(staff_id=str(member.id), nonce=secrets.token_urlsafe(24),
                         fingerprint=password_fingerprint(member.password_hash),
                         signed_in_at=int(time.time()))


def sign_out() -> None:
    flask.session.clear()


def signed_in_member(state: ManagementState) -> StaffMember | None:
    staff_id = flask.session.get("staff_id")
    if not staff_id:
        return None
    try:
        member = state.staff.get(UUID(staff_id))
    except ValueError:
        return None
    if member is None or not member.active:
        return None
    if flask.session.get("fingerprint") != password_fingerprint(member.password_hash):
        return None
    if time.time() - int(flask.session.get("signed_in_at", 0)) > ABSOLUTE_LIFETIME_SECONDS:
        return None
    return member
