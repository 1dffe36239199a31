"""Clients: search and filter the agency's clients, register new ones, see their usage."""

from __future__ import annotations

from datetime import timedelta

from dash import Dash, Input, Output, State, dcc, html

from dashboard.actions import perform
from dashboard.components.forms import blank_to_none, field, submit, text_input
from dashboard.components.widgets import card, empty_state, status_badge, table
from dashboard.formatting import count, date_only, usd
from dashboard.paths import href
from dashboard.security.roles import Permission
from dashboard.security.viewer import current_viewer
from infrastructure.bootstrap import Gateway
from projections.dashboard_queries import usage_by_client

PATH = "/clients"
HREF = "/clients"
TITLE = "Clients"
USAGE_DAYS = 30
STATUSES = [{"label": "All statuses", "value": "all"}, {"label": "Active", "value": "active"},
            {"label": "Suspended", "value": "suspended"},
            {"label": "Inactive", "value": "inactive"}]


def create_form() -> html.Details:
    return html.Details([
        html.Summary("New client", className="button button-primary", id="client-new-toggle"),
        card("Register a client", html.Div([
            field("Name", text_input("client-new-name", placeholder="Acme Dental")),
            field("Email", text_input("client-new-email", kind="email",
                                      placeholder="ops@acme.example")),
            field("Company", text_input("client-new-company")),
            field("Phone", text_input("client-new-phone", kind="tel")),
        ], className="form-grid"), submit("Create client", "client-new-submit"),
            html.Div(id="client-new-result")),
    ], className="create-panel")


def layout(gateway: Gateway, viewer, route) -> html.Div:
    return html.Div([
        html.Div([html.H1("Clients"),
                  create_form() if viewer.can(Permission.MANAGE_CLIENTS) else None],
                 className="page-head"),
        html.Div([
            text_input("clients-search", placeholder="Search name, email or company",
                       kind="search", debounce=False),
            dcc.Dropdown(id="clients-status", options=STATUSES, value="all", clearable=False,
                         searchable=False, className="dropdown"),
        ], className="filters"),
        dcc.Store(id="clients-changed", data=0),
        card(None, html.Div(id="clients-table")),
    ])


def register(app: Dash, gateway: Gateway) -> None:
    @app.callback(Output("client-new-result", "children"), Output("clients-changed", "data"),
                  Input("client-new-submit", "n_clicks"),
                  State("client-new-name", "value"), State("client-new-email", "value"),
                  State("client-new-company", "value"), State("client-new-phone", "value"),
                  State("clients-changed", "data"), prevent_initial_call=True)
    def create_client(_, name, email, company, phone, changed):
        viewer = current_viewer()
        outcome = perform(viewer, Permission.MANAGE_CLIENTS, lambda: gateway.clients.register(
            viewer.workspace_id, name or "", blank_to_none(email), blank_to_none(company),
            blank_to_none(phone)), lambda c: f"Client {c.name} created.")
        if not outcome.ok:
            return outcome.notice("client-new-notice"), changed
        link = dcc.Link("Issue its first API key →",
                        href=href(f"/keys?client={outcome.value.id}"), id="client-new-next")
        return html.Div([outcome.notice("client-new-notice"), link]), (changed or 0) + 1

    @app.callback(Output("clients-table", "children"), Input("clients-search", "value"),
                  Input("clients-status", "value"), Input("clients-changed", "data"))
    def show_clients(search, status, _changed):
        viewer = current_viewer()
        found = gateway.state.clients_of(viewer.workspace_id, search or None,
                                         None if status in (None, "all") else status)
        if not found:
            if search or status not in (None, "all"):
                return empty_state("No client matches.", "Clear the search or the filter.",
                                   "clients-empty")
            return empty_state("No clients yet.", "Use “New client” above to register the "
                               "first one, then issue it an API key.", "clients-empty")
        now = gateway.clock.now()
        usage = {u.group: u for u in usage_by_client(
            gateway.read_models, viewer.workspace_id, now - timedelta(days=USAGE_DAYS), now)}
        rows = []
        for client in found:
            used = usage.get(client.id)
            rows.append([
                dcc.Link(client.name, href=href(f"/clients/{client.id}")),
                client.company or "–", client.email or "–", status_badge(client.status),
                count(used.requests if used else 0),
                usd(used.billed_cost) if used else usd(0), date_only(client.created_on)])
        return table(["Name", "Company", "Email", "Status", f"Requests ({USAGE_DAYS} d)",
                      f"Billed ({USAGE_DAYS} d)", "Created"], rows, "clients-list",
                     numeric=(4, 5))
