"""Builds the staff dashboard: a Dash app whose Flask server carries the security.

One app per gateway, with no module-level state, so tests can run several side by side.
Pages get the gateway through their ``register`` function; callbacks get the signed-in
staff member from the guard (``current_viewer``), and scope everything to their workspace.
"""

from __future__ import annotations

from pathlib import Path

import flask
from dash import Dash, Input, Output, State, html
from dash.exceptions import PreventUpdate

from dashboard.early_plotly import add_early_plotly
from dashboard.index_page import INDEX
from dashboard.routing import NAVIGATION, PAGES, resolve
from dashboard.security.csrf import csrf_token
from dashboard.security.guard import install_guard
from dashboard.security.login_routes import add_login_routes
from dashboard.security.login_throttle import LoginThrottle
from dashboard.security.roles import require_screen
from dashboard.security.secret import dashboard_secret
from dashboard.security.sessions import configure_session_cookie
from dashboard.security.viewer import current_viewer
from dashboard.shell import navigation, shell, user_area
from domain.errors import GatewayError, PermissionDenied
from infrastructure.bootstrap import Gateway
from projections.dashboard_queries import usage_position

PREFIX = "/dashboard/"
ASSETS = Path(__file__).parent / "assets"


def create_dashboard(gateway: Gateway, throttle: LoginThrottle | None = None) -> Dash:
    server = flask.Flask("dashboard")
    app = Dash("dashboard", server=server, requests_pathname_prefix=PREFIX,
               routes_pathname_prefix="/", assets_folder=str(ASSETS),
               suppress_callback_exceptions=True, title="LLM Gateway", update_title=None)
    app.index_string = INDEX
    secret = dashboard_secret(gateway)
    production = gateway.settings.env == "production"
    configure_session_cookie(server, secret, PREFIX.rstrip("/"), production)
    install_guard(server, gateway.state, secret, production)
    add_login_routes(server, gateway, secret, throttle or LoginThrottle())
    # The views' position is known from the start, so the first tick redraws nothing.
    app.layout = lambda: shell(usage_position(gateway.read_models))
    add_router(app, gateway, secret)
    add_live_updates(app, gateway)
    add_early_plotly(app, PREFIX, [p.PATH for p in PAGES if getattr(p, "CHARTS", False)])
    for page in PAGES:
        page.register(app, gateway)
    return app


def add_router(app: Dash, gateway: Gateway, secret: bytes) -> None:
    @app.callback(Output("page", "children"), Output("nav", "children"),
                  Output("user-area", "children"),
                  Input("url", "pathname"), Input("url", "search"))
    def show_page(pathname, search):
        viewer = current_viewer()
        route = resolve(pathname, search, PREFIX)
        nav = navigation(NAVIGATION, route.page, PREFIX, viewer.role)
        user = user_area(viewer, csrf_token(secret, flask.session["nonce"]), PREFIX)
        if route.page is None:
            return not_found(f"There is no page at {route.path}."), nav, user
        try:
            require_screen(viewer.role, getattr(route.page, "SCREEN", None))
            return route.page.layout(gateway, viewer, route), nav, user
        except PermissionDenied as error:
            return not_allowed(error.message), nav, user
        except GatewayError as error:
            return not_found(error.message), nav, user


def add_live_updates(app: Dash, gateway: Gateway) -> None:
    """A cheap poll of the views' position; pages redraw only when there is news."""

    @app.callback(Output("usage-position", "data"), Input("live-tick", "n_intervals"),
                  State("usage-position", "data"))
    def follow_usage(_, last):
        position = usage_position(gateway.read_models)
        if position == last:
            raise PreventUpdate
        return position


def not_found(message: str) -> html.Div:
    return html.Div([html.H1("Not found"), html.P(message),
                     html.A("Back to the dashboard", href=PREFIX)], className="card")


def not_allowed(message: str) -> html.Div:
    return html.Div([html.H1("Not allowed"), html.P(message[:1].upper() + message[1:] + "."),
                     html.A("Back to the dashboard", href=PREFIX)], className="card",
                    id="not-allowed")
