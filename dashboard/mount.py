"""Serves the dashboard inside the gateway's ASGI app, under /dashboard/ on the same port.

Dash runs on Flask (WSGI); a2wsgi runs it on a thread pool beside the async proxy, so a
slow dashboard query never blocks the event loop that relays /v1 traffic.
"""

from __future__ import annotations

from a2wsgi import WSGIMiddleware

from dashboard.app import create_dashboard
from infrastructure.bootstrap import Gateway

DASHBOARD_THREADS = 8


def dashboard_asgi(gateway: Gateway) -> WSGIMiddleware:
    return WSGIMiddleware(create_dashboard(gateway).server, workers=DASHBOARD_THREADS)
