"""Usage analytics: any range, by time, model, client, latency and error; CSV export."""

from __future__ import annotations

from datetime import timedelta

from dash import Dash, Input, Output, State, dcc, html
from dash.exceptions import PreventUpdate

from dashboard.analytics_report import AnalyticsReport, build_report, report_csv
from dashboard.client_choice import parse_client_id
from dashboard.components import charts
from dashboard.components.usage_views import kpi_row, no_traffic
from dashboard.components.widgets import card, empty_state, notice
from dashboard.ranges import PRESET_LABELS, preset_in, window_for
from dashboard.security.viewer import current_viewer
from domain.errors import InvalidInput
from infrastructure.bootstrap import Gateway

PATH = "/analytics"
HREF = "/analytics"
TITLE = "Usage analytics"
CHARTS = True  # plotly.js starts loading with the page (dashboard/early_plotly.py)
CLIENTS_COMPARED = 15


def layout(gateway: Gateway, viewer, route) -> html.Div:
    today = gateway.clock.now().date()
    clients = [{"label": "All clients", "value": "all"}] + [
        {"label": c.name, "value": str(c.id)}
        for c in gateway.state.clients_of(viewer.workspace_id)]
    return html.Div([
        html.Div([html.H1("Usage analytics"), html.Div([
            html.Button("Export CSV", id="analytics-export", n_clicks=0, className="button"),
            dcc.Download(id="analytics-download")], className="actions")], className="page-head"),
        html.Div([
            dcc.RadioItems(id="analytics-range", value=preset_in(route.query, "7d"), inline=True,
                           className="range-picker",
                           options=[{"label": v, "value": k} for k, v in PRESET_LABELS.items()]),
            dcc.DatePickerRange(id="analytics-days", start_date=today - timedelta(days=6),
                                end_date=today, display_format="YYYY-MM-DD",
                                max_date_allowed=today, className="date-range"),
            dcc.Dropdown(id="analytics-client", options=clients, value="all", clearable=False,
                         className="dropdown client-dropdown"),
        ], className="filters"),
        html.Div(id="analytics-body"),
    ])


def render(report: AnalyticsReport, names: dict) -> list:
    usage, step = report.usage, report.usage.window.step_name
    if usage.totals.requests == 0:
        return [kpi_row(usage.totals, "analytics"), no_traffic("analytics-empty")]
    compared = sorted(usage.per_client, key=lambda u: -u.billed_cost)[:CLIENTS_COMPARED]
    models = [lat.model for lat in report.latency]
    latency = charts.latency_by_model(models, {
        "Latency p50": [r.latency_p50 for r in report.latency],
        "Latency p95": [r.latency_p95 for r in report.latency],
        "Time to first token p50": [r.ttft_p50 for r in report.latency],
        "Time to first token p95": [r.ttft_p95 for r in report.latency]})
    errors = charts.horizontal_bars(
        [f"{e.status} {e.error_type or e.outcome}" for e in report.errors],
        [("Failed requests", [e.requests for e in report.errors], charts.COLOURS["errors"])],
        "Errors by status and cause", "Failed requests", "HTTP status and cause") \
        if report.errors else empty_state("No failed requests in this range.",
                                          "Errors appear here with their status and cause.",
                                          "analytics-no-errors")
    return [
        kpi_row(usage.totals, "analytics"),
        html.Div([
            card(None, charts.graph(charts.usage_over_time(usage.points, step),
                                    "analytics-usage")),
            card(None, charts.graph(charts.cost_over_time(usage.points, step),
                                    "analytics-cost")),
            card(None, charts.graph(charts.model_distribution(
                [str(u.group) for u in report.per_model], [u.requests for u in report.per_model]),
                "analytics-models")),
            card(None, charts.graph(charts.horizontal_bars(
                [names.get(u.group, "(deleted client)") for u in compared],
                [("Provider cost", [float(u.provider_cost) for u in compared],
                  charts.COLOURS["provider"]),
                 ("Billed", [float(u.billed_cost) for u in compared], charts.COLOURS["billed"])],
                "Client comparison: provider cost vs billed", "US dollars", "Client",
                money=True), "analytics-clients")),
            card(None, charts.graph(latency, "analytics-latency")),
            card(None, charts.graph(errors, "analytics-errors") if report.errors else errors,
                 html.P("Every failed request of the range, refusals included.",
                        className="hint")),
        ], className="grid-2 charts"),
    ]


def register(app: Dash, gateway: Gateway) -> None:
    def report_for(choice, first, last, client_value):
        viewer = current_viewer()
        window = window_for(choice or "7d", gateway.clock.now(), first, last)
        names = {c.id: c.name for c in gateway.state.clients_of(viewer.workspace_id)}
        client_id = parse_client_id(client_value) if client_value != "all" else None
        if client_id is not None and client_id not in names:
            client_id = None
        return build_report(gateway.read_models, viewer.workspace_id, window, client_id), names

    @app.callback(Output("analytics-body", "children"),
                  Output("analytics-days", "style"), Input("analytics-range", "value"),
                  Input("analytics-days", "start_date"), Input("analytics-days", "end_date"),
                  Input("analytics-client", "value"), Input("usage-position", "data"))
    def refresh(choice, first, last, client_value, _position):
        shown = {} if choice == "custom" else {"display": "none"}
        try:
            report, names = report_for(choice, first, last, client_value)
        except InvalidInput as error:
            return notice(error.message, "error", "analytics-range-error"), shown
        return render(report, names), shown

    @app.callback(Output("analytics-download", "data"), Input("analytics-export", "n_clicks"),
                  State("analytics-range", "value"), State("analytics-days", "start_date"),
                  State("analytics-days", "end_date"), State("analytics-client", "value"),
                  prevent_initial_call=True)
    def export(_, choice, first, last, client_value):
        try:
            report, names = report_for(choice, first, last, client_value)
        except InvalidInput:
            raise PreventUpdate from None  # the page already says what is wrong
        window = report.usage.window
        filename = f"usage_{window.start:%Y%m%dT%H}_{window.end:%Y%m%dT%H}.csv"
        return dcc.send_string(report_csv(report, names), filename)
