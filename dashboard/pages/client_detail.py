"""One client: edit the profile, change the status, and see its usage."""

from __future__ import annotations

from uuid import UUID

from dash import Dash, Input, Output, State, dcc, html

from dashboard.actions import perform
from dashboard.components.charts import graph, usage_over_time
from dashboard.components.forms import blank_to_none, field, read_only_note, submit, text_input
from dashboard.components.usage_views import kpi_row, latest_requests_table, no_traffic
from dashboard.components.widgets import card, notice, status_badge
from dashboard.pages import clients
from dashboard.pages.overview import range_picker
from dashboard.paths import href
from dashboard.ranges import window_for
from dashboard.security.roles import Permission
from dashboard.security.viewer import current_viewer
from dashboard.usage_report import range_usage
from domain.errors import NotFound
from infrastructure.bootstrap import Gateway
from projections.queries.requests import recent_requests

PATH = r"/clients/(?P<client_id>[0-9a-fA-F-]{36})"
HREF = "/clients"
TITLE = "Client"
CHARTS = True  # plotly.js starts loading with the page (dashboard/early_plotly.py)
NAV_PARENT = clients
STATUS_OPTIONS = [{"label": s.title(), "value": s} for s in ("active", "suspended", "inactive")]


def profile_card(client, editable: bool) -> html.Section:
    fields = html.Div([
        field("Name", text_input("client-name", client.name, disabled=not editable)),
        field("Email", text_input("client-email", client.email, kind="email",
                                  disabled=not editable)),
        field("Company", text_input("client-company", client.company, disabled=not editable)),
        field("Phone", text_input("client-phone", client.phone, kind="tel",
                                  disabled=not editable)),
    ], className="form-grid")
    controls = [submit("Save profile", "client-save"), html.Div(id="client-save-result")] \
        if editable else [read_only_note("client profiles")]
    return card("Profile", fields, *controls)


def status_card(client, editable: bool) -> html.Section:
    reason = f" — {client.status_reason}" if client.status_reason else ""
    current = html.P(["Now ", status_badge(client.status), reason], id="client-status-now")
    if not editable:
        return card("Status", current)
    return card("Status", current, html.Div([
        field("New status", dcc.Dropdown(id="client-status", options=STATUS_OPTIONS,
                                         value=client.status, clearable=False)),
        field("Reason (optional)", text_input("client-status-reason",
                                              placeholder="e.g. invoice overdue")),
    ], className="form-grid"), submit("Change status", "client-status-submit", "warning"),
        html.Div(id="client-status-result"))


def layout(gateway: Gateway, viewer, route) -> html.Div:
    client = gateway.state.client(viewer.workspace_id, UUID(route.params["client_id"]))
    if client is None:
        raise NotFound("This client does not exist in your workspace.")
    editable = viewer.can(Permission.MANAGE_CLIENTS)
    return html.Div([
        dcc.Store(id="client-id", data=str(client.id)),
        html.Div([html.H1(client.name, id="client-title"), html.Div([
            dcc.Link("API keys", href=href(f"/keys?client={client.id}"), className="button"),
            dcc.Link("Rate limits", href=href(f"/limits?client={client.id}"),
                     className="button"),
        ], className="actions")], className="page-head"),
        html.Div([profile_card(client, editable), status_card(client, editable)],
                 className="grid-2"),
        html.Div([html.H2("Usage", className="section-title"),
                  range_picker("client-range", "30d")], className="page-head"),
        html.Div(id="client-usage"),
    ])


def register(app: Dash, gateway: Gateway) -> None:
    @app.callback(Output("client-save-result", "children"), Input("client-save", "n_clicks"),
                  State("client-id", "data"), State("client-name", "value"),
                  State("client-email", "value"), State("client-company", "value"),
                  State("client-phone", "value"), prevent_initial_call=True)
    def save_profile(_, client_id, name, email, company, phone):
        viewer = current_viewer()
        return perform(viewer, Permission.MANAGE_CLIENTS, lambda: gateway.clients.update_profile(
            viewer.workspace_id, UUID(client_id), name=name or "", email=blank_to_none(email),
            company=blank_to_none(company), phone=blank_to_none(phone)),
            "Profile saved.").notice("client-save-notice")

    @app.callback(Output("client-status-result", "children"),
                  Output("client-status-now", "children"),
                  Input("client-status-submit", "n_clicks"), State("client-id", "data"),
                  State("client-status", "value"), State("client-status-reason", "value"),
                  prevent_initial_call=True)
    def change_status(_, client_id, status, reason):
        viewer = current_viewer()
        outcome = perform(viewer, Permission.MANAGE_CLIENTS, lambda: gateway.clients.change_status(
            viewer.workspace_id, UUID(client_id), status, blank_to_none(reason)),
            lambda c: f"Status is now {c.status}.")
        client = gateway.state.client(viewer.workspace_id, UUID(client_id))
        now = ["Now ", status_badge(client.status)] if client else []
        return outcome.notice("client-status-notice"), now

    @app.callback(Output("client-usage", "children"), Input("client-range", "value"),
                  Input("usage-position", "data"), State("client-id", "data"))
    def show_usage(choice, _position, client_id):
        viewer = current_viewer()
        client = gateway.state.client(viewer.workspace_id, UUID(client_id))
        if client is None:
            return notice("This client does not exist in your workspace.", "error")
        window = window_for(choice or "30d", gateway.clock.now())
        usage = range_usage(gateway.read_models, viewer.workspace_id, window, client.id)
        latest = recent_requests(gateway.read_models, viewer.workspace_id, 10, client.id)
        names = {client.id: client.name}
        chart = graph(usage_over_time(usage.points, window.step_name), "client-chart") \
            if usage.totals.requests else no_traffic("client-usage-empty")
        return [kpi_row(usage.totals, "client"), card(None, chart, class_name="chart-card"),
                card("Latest requests", latest_requests_table(latest, names,
                                                              "client-latest-table"))]
