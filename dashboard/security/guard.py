"""Runs before every request to the dashboard: who is signing in, and is a POST genuine.

Only the sign-in form and the static bundles (library code, no data) are public. A page
request without a session is sent to the sign-in form; an API request gets 401. Every POST
must carry the session's CSRF token and must not come from another origin.
"""

from __future__ import annotations

from urllib.parse import quote

import flask

from dashboard.security.csrf import (
    CSRF_COOKIE,
    CSRF_FIELD,
    CSRF_HEADER,
    csrf_token,
    same_origin,
    token_matches,
)
from dashboard.security.sessions import signed_in_member
from dashboard.security.viewer import Viewer
from projections.management_state import ManagementState

PUBLIC_PREFIXES = ("/login", "/_dash-component-suites/", "/assets/", "/_favicon.ico")
SECURITY_HEADERS = {
    "X-Frame-Options": "DENY",
    "Content-Security-Policy": "frame-ancestors 'none'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
}


def request_is_genuine(secret: bytes) -> bool:
    request = flask.request
    if not same_origin(request.host, request.headers.get("Origin"),
                       request.headers.get("Referer")):
        return False
    presented = request.headers.get(CSRF_HEADER) or request.form.get(CSRF_FIELD)
    return token_matches(secret, flask.session.get("nonce"), presented)


def install_guard(server: flask.Flask, state: ManagementState, secret: bytes,
                  production: bool) -> None:
    @server.before_request
    def require_staff_and_genuine_posts():
        request = flask.request
        if request.path.startswith(PUBLIC_PREFIXES):
            return None
        member = signed_in_member(state)
        if member is None:
            flask.session.pop("staff_id", None)
            if request.method == "GET" and not request.path.startswith("/_dash-"):
                target = quote(request.full_path.rstrip("?"), safe="/?=&")
                return flask.redirect(f"{request.script_root}/login?next={target}")
            return flask.jsonify(error="sign in to the dashboard first"), 401
        if request.method not in ("GET", "HEAD") and not request_is_genuine(secret):
            return flask.jsonify(error="missing or wrong CSRF token; reload the page"), 403
        flask.g.viewer = Viewer(member.id, member.email, member.workspace_id, member.role)
        return None

    @server.after_request
    def hand_out_token_and_headers(response: flask.Response) -> flask.Response:
        nonce = flask.session.get("nonce")
        if nonce:
            response.set_cookie(CSRF_COOKIE, csrf_token(secret, nonce),
                                path=server.config["SESSION_COOKIE_PATH"], secure=production,
                                httponly=False, samesite="Strict")
        for name, value in SECURITY_HEADERS.items():
            response.headers.setdefault(name, value)
        if not request_is_static():
            response.headers["Cache-Control"] = "no-store"
        return response


def request_is_static() -> bool:
    return flask.request.path.startswith(("/_dash-component-suites/", "/assets/"))
