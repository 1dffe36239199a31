"""The frame around every screen: header, navigation, and the live-update clock."""

from __future__ import annotations

from types import ModuleType

from dash import dcc, html

from dashboard import early_plotly
from dashboard.security.roles import role_sees
from dashboard.security.viewer import Viewer

LIVE_INTERVAL_MS = 1000


def shell(usage_position: int | None = None) -> html.Div:
    return html.Div([
        dcc.Location(id="url", refresh=False),
        dcc.Interval(id="live-tick", interval=LIVE_INTERVAL_MS),
        dcc.Store(id="usage-position", data=usage_position),
        early_plotly.store(),
        html.Header([
            html.Div([html.Span("◆", className="brand-mark"), "LLM Gateway"], className="brand"),
            html.Div(id="user-area", className="user-area"),
        ], className="topbar"),
        html.Nav(id="nav", className="sidebar", **{"aria-label": "Main"}),
        html.Main(id="page", className="content"),
    ], className="app")


def navigation(pages: tuple[ModuleType, ...], current: ModuleType | None,
               prefix: str, role: str) -> list[dcc.Link]:
    """Links to the screens the role may open; a restricted page names its ``SCREEN``."""
    links = []
    for page in pages:
        if not role_sees(role, getattr(page, "SCREEN", None)):
            continue
        active = page is current or getattr(current, "NAV_PARENT", None) is page
        links.append(dcc.Link(page.TITLE, href=prefix.rstrip("/") + page.HREF,
                              className="nav-link active" if active else "nav-link",
                              id=f"nav-{page.HREF.strip('/').replace('/', '-') or 'home'}"))
    return links


def user_area(viewer: Viewer, csrf: str, prefix: str) -> list:
    return [
        html.Span([viewer.email, html.Span(viewer.role, className=f"role role-{viewer.role}")],
                  className="whoami", id="whoami"),
        html.Form([
            dcc.Input(type="hidden", name="csrf_token", value=csrf),
            html.Button("Sign out", type="submit", className="button-quiet", id="sign-out"),
        ], method="post", action=f"{prefix.rstrip('/')}/logout", className="logout"),
    ]
