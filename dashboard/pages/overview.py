"""Dashboard: KPIs of the chosen range, usage over time, top clients, latest requests."""

from __future__ import annotations

from dash import Dash, Input, Output, dcc, html

from dashboard.components.charts import graph, usage_over_time
from dashboard.components.usage_views import (
    kpi_row,
    latest_requests_table,
    no_traffic,
    top_clients_table,
)
from dashboard.components.widgets import card
from dashboard.ranges import PRESET_LABELS, PRESETS, preset_in, window_for
from dashboard.security.viewer import current_viewer
from dashboard.usage_report import range_usage, ranked_by_billed
from infrastructure.bootstrap import Gateway
from projections.queries.requests import recent_requests

PATH = "/"
HREF = "/"
TITLE = "Dashboard"
CHARTS = True  # plotly.js starts loading with the page (dashboard/early_plotly.py)
TOP_CLIENTS = 5
LATEST = 15


def range_picker(picker_id: str, value: str = "24h") -> dcc.RadioItems:
    return dcc.RadioItems(id=picker_id, value=value, className="range-picker",
                          options=[{"label": PRESET_LABELS[k], "value": k} for k in PRESETS],
                          inline=True)


def layout(gateway: Gateway, viewer, route) -> html.Div:
    return html.Div([
        html.Div([html.H1("Dashboard"),
                  range_picker("overview-range", preset_in(route.query, "24h"))],
                 className="page-head"),
        html.Div(id="overview-kpis"),
        card(None, html.Div(id="overview-usage"), class_name="chart-card"),
        html.Div([
            card("Top clients by billed amount", html.Div(id="overview-top-clients")),
            card("Latest requests", html.Div(id="overview-latest")),
        ], className="grid-2"),
    ])


def register(app: Dash, gateway: Gateway) -> None:
    @app.callback(Output("overview-kpis", "children"), Output("overview-usage", "children"),
                  Output("overview-top-clients", "children"),
                  Output("overview-latest", "children"),
                  Input("overview-range", "value"), Input("usage-position", "data"))
    def refresh(choice, _position):
        viewer = current_viewer()
        workspace = viewer.workspace_id
        window = window_for(choice or "24h", gateway.clock.now())
        usage = range_usage(gateway.read_models, workspace, window)
        names = {c.id: c.name for c in gateway.state.clients_of(workspace)}
        latest = recent_requests(gateway.read_models, workspace, LATEST)
        if usage.totals.requests == 0:
            chart, top = no_traffic("overview-empty"), no_traffic("overview-top-empty")
        else:
            chart = graph(usage_over_time(usage.points, window.step_name), "overview-chart")
            top = top_clients_table(ranked_by_billed(usage.per_client, TOP_CLIENTS), names,
                                    "overview-top-table")
        return (kpi_row(usage.totals, "overview"), chart, top,
                latest_requests_table(latest, names, "overview-latest-table"))
