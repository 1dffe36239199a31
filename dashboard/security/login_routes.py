"""Sign-in and sign-out: Flask routes beside the Dash app, under the same prefix."""

from __future__ import annotations

import math

import flask

from dashboard.security.csrf import csrf_token
from dashboard.security.guard import request_is_genuine
from dashboard.security.login_page import login_page
from dashboard.security.login_throttle import LoginThrottle
from dashboard.security.sessions import session_nonce, sign_in, sign_out
from domain.errors import AuthenticationFailed
from infrastructure.bootstrap import Gateway


def safe_next(next_path: str | None) -> str:
    """Only a path of this site: an open redirect would make phishing links look genuine."""
    if not next_path or not next_path.startswith("/") or next_path.startswith("//") \
            or "\\" in next_path:
        return "/"
    return next_path


def add_login_routes(server: flask.Flask, gateway: Gateway, secret: bytes,
                     throttle: LoginThrottle) -> None:
    @server.get("/login")
    def show_login():
        next_path = safe_next(flask.request.args.get("next"))
        note = "You have been signed out." if flask.request.args.get("out") else None
        return login_page(csrf_token(secret, session_nonce()), next_path, note=note)

    @server.post("/login")
    def submit_login():
        form = flask.request.form
        email, next_path = form.get("email", "").strip(), safe_next(form.get("next"))

        def again(error: str, status: int) -> flask.Response:
            return login_page(csrf_token(secret, session_nonce()), next_path, email, error,
                              status=status)

        if not request_is_genuine(secret):
            return again("The form had expired. Please sign in again.", 400)
        wait = throttle.try_attempt(email, flask.request.remote_addr or "unknown")
        if wait:
            return again(f"Too many attempts. Try again in {math.ceil(wait)} seconds.", 429)
        try:
            member = gateway.staff.authenticate(email, form.get("password", ""))
        except AuthenticationFailed:
            return again("Wrong email or password.", 401)
        throttle.succeeded(email, flask.request.remote_addr or "unknown")
        sign_in(member)
        return flask.redirect(f"{flask.request.script_root}{next_path}", code=303)

    @server.post("/logout")
    def submit_logout():  # the guard has checked the session and the CSRF token
        sign_out()
        session_nonce()
        return flask.redirect(f"{flask.request.script_root}/login?out=1", code=303)
