"""Audit: a client's cycle replayed from the raw events, reconciled, and its statement as CSV.

Auditors and admins only: the router refuses the page to other roles, and every callback
checks again, since a callback request can be sent without the page.
"""

from __future__ import annotations

from decimal import Decimal
from uuid import UUID

from dash import Dash, Input, Output, State, dcc, html
from dash.exceptions import PreventUpdate

from application.audit.period import previous_cycle
from application.audit.reconcile import Reconciliation
from application.audit.statement import Statement, Totals
from application.audit.statement_csv import statement_csv, statement_filename
from dashboard.client_choice import chosen_client, client_dropdown, client_options, parse_client_id
from dashboard.components.widgets import card, empty_state, kpi, notice, table
from dashboard.formatting import count, utc
from dashboard.security.roles import Screen, require_screen
from dashboard.security.viewer import current_viewer
from domain.errors import GatewayError, InvalidInput
from infrastructure.audit_wiring import reconcile_window, replay_window, window_of
from infrastructure.bootstrap import Gateway

PATH = "/audit"
HREF = "/audit"
TITLE = "Audit"
SCREEN = Screen.AUDIT
REQUESTS_NAMED = 5
TOTAL_HEADERS = ["Requests", "Prompt tokens", "Completion tokens", "Provider cost", "Billed"]


def layout(gateway: Gateway, viewer, route) -> html.Div:
    options = client_options(gateway, viewer.workspace_id)
    if not options:
        return html.Div([html.H1("Audit"), empty_state(
            "No clients yet.", "An audit replays one client's usage: register a client first.",
            "audit-no-clients")])
    return html.Div([
        html.Div([html.H1("Audit"), html.Div([
            client_dropdown("audit-client", options,
                            chosen_client(options, route.query.get("client"))),
            dcc.Dropdown(id="audit-cycle", clearable=False, className="dropdown",
                         placeholder="Choose a cycle"),
        ], className="filters")], className="page-head"),
        html.P("A replay recomputes every request's cost from the raw event history, with the "
               "price and markup in effect at the time; it reads no read model. A "
               "reconciliation compares it with the read models and, once the cycle is "
               "closed, with the closed statement.", className="hint"),
        html.Div([
            html.Button("Run replay", id="audit-run-replay", n_clicks=0,
                        className="button button-primary"),
            html.Button("Reconcile", id="audit-run-reconcile", n_clicks=0, className="button"),
            html.Button("Download statement (CSV)", id="audit-export", n_clicks=0,
                        className="button"),
            dcc.Download(id="audit-download"),
        ], className="actions", style={"marginBottom": "16px"}),
        dcc.Loading(html.Div(id="audit-reconciliation"), type="dot"),
        dcc.Loading(html.Div(id="audit-replay"), type="dot"),
    ])


def cycle_options(gateway: Gateway, workspace_id: UUID, client_id: UUID | None) -> list[dict]:
    client = gateway.state.client(workspace_id, client_id) if client_id else None
    if client is None:
        return []
    current = window_of(gateway, workspace_id, client.id)
    previous = previous_cycle(client.policy, current)
    return [{"label": f"{name} cycle: {w.label} ({w.start:%Y-%m-%d} to {w.end:%Y-%m-%d})",
             "value": w.label} for name, w in (("Current", current), ("Previous", previous))]


def render_statement(gateway: Gateway, workspace_id: UUID, statement: Statement) -> html.Div:
    total = statement.total
    key_names = {str(k.id): k.name
                 for k in gateway.state.keys_of(workspace_id, statement.client_id)}
    return html.Div([
        html.Div([
            kpi("Events", count(statement.chain.count), "audit-kpi-events",
                f"{count(statement.admitted)} admitted"),
            kpi("Prompt tokens", count(total.prompt_tokens), "audit-kpi-prompt"),
            kpi("Completion tokens", count(total.completion_tokens), "audit-kpi-completion"),
            kpi("Provider cost", exact(total.provider_cost), "audit-kpi-provider-cost",
                "recomputed"),
            kpi("Billed", exact(total.billed_cost), "audit-kpi-billed", "with markup"),
            kpi("Discrepancies", count(len(statement.discrepancies)),
                "audit-kpi-discrepancies", "recorded vs recomputed"),
        ], className="kpis"),
        html.P(f"{utc(statement.start)} to {utc(statement.end)}", className="hint",
               id="audit-window"),
        discrepancies(statement),
        adjustment_notes(statement),
        card("By model", totals_table("Model", statement.by_model, "audit-by-model")),
        card("By day (UTC)", totals_table("Day", statement.by_day, "audit-by-day")),
        card("By key", totals_table("Key", {key_names.get(k, k): v for k, v in
                                             statement.by_key.items()}, "audit-by-key")),
        card("Tamper evidence", html.P([
            "Hash chain over the cycle's ", html.Strong(count(statement.chain.count)),
            " usage events, in ledger order: ",
            html.Code(statement.chain.head, id="audit-digest", className="secret")]),
             html.P("A closed cycle keeps this digest; verifying recomputes it.",
                    className="hint")),
    ], id="audit-statement")


def totals_table(name: str, rows: dict[str, Totals], table_id: str) -> html.Div:
    return table([name, *TOTAL_HEADERS], [
        [group, count(t.requests), count(t.prompt_tokens), count(t.completion_tokens),
         exact(t.provider_cost), exact(t.billed_cost)] for group, t in sorted(rows.items())],
        table_id, numeric=(1, 2, 3, 4, 5))


def adjustment_notes(statement: Statement) -> html.Section | None:
    """Credit and debit notes for earlier, closed cycles: billed here, never by rewriting
    the closed statement."""
    if not statement.adjustments:
        return None
    return card("Credit and debit notes for closed cycles", html.Div([
        table(["Note", "Adjusts cycle", "Late requests", "Corrections", "Provider cost",
               "Billed"],
              [[a.kind, f"{a.adjusted_label} #{a.sequence}", count(len(a.late_request_ids)),
                ", ".join(a.corrections) or "none", exact(a.provider_cost),
                exact(a.billed_cost)] for a in statement.adjustments],
              "audit-adjustments", numeric=(2, 4, 5)),
        html.P(f"Billed this period with the notes: {exact(statement.billed_with_adjustments)}",
               className="hint", id="audit-billed-with-adjustments")]))


def discrepancies(statement: Statement) -> html.Div | html.Section:
    if not statement.discrepancies:
        return notice("Every recorded cost recomputes exactly, with the price and markup in "
                      "effect at the time.", "success", "audit-no-discrepancies")
    return card("Discrepancies", table(
        ["Request", "What", "Recorded", "Recomputed"],
        [[d.request_id, d.what, d.recorded, d.recomputed] for d in statement.discrepancies],
        "audit-discrepancies"))


def render_reconciliation(result: Reconciliation) -> html.Div:
    compared = "; ".join(result.compared)
    if result.agrees:
        return notice(f"All sources agree ({compared}).", "success", "audit-agrees")
    return html.Div([
        notice(f"{len(result.differences)} differences ({compared}).", "error",
               "audit-differs"),
        card("Differences", table(["Between", "What", "Replay", "Other", "Requests"], [
            [d.between, d.what, d.left, d.right, named_requests(d.request_ids)]
            for d in result.differences], "audit-differences")),
    ])


def named_requests(request_ids: tuple[str, ...]) -> str:
    shown = ", ".join(request_ids[:REQUESTS_NAMED])
    more = len(request_ids) - REQUESTS_NAMED
    return shown + (f" and {more} more" if more > 0 else "")


def exact(amount: Decimal) -> str:
    """Audits compare to the micro-dollar, so amounts are not rounded to cents here."""
    return f"${amount:,f}"


def register(app: Dash, gateway: Gateway) -> None:
    def audited(client_value, cycle):
        """The viewer's workspace, the client and the window, once the role is checked."""
        viewer = current_viewer()
        require_screen(viewer.role, SCREEN)
        client_id = parse_client_id(client_value)
        if client_id is None:
            raise InvalidInput("choose a client")
        window = window_of(gateway, viewer.workspace_id, client_id, cycle)
        return viewer.workspace_id, client_id, window

    @app.callback(Output("audit-cycle", "options"), Output("audit-cycle", "value"),
                  Input("audit-client", "value"))
    def list_cycles(client_value):
        viewer = current_viewer()
        try:
            require_screen(viewer.role, SCREEN)
            options = cycle_options(gateway, viewer.workspace_id, parse_client_id(client_value))
        except GatewayError:
            return [], None
        return options, options[0]["value"] if options else None

    @app.callback(Output("audit-replay", "children"), Input("audit-run-replay", "n_clicks"),
                  State("audit-client", "value"), State("audit-cycle", "value"),
                  prevent_initial_call=True)
    def replay(_, client_value, cycle):
        try:
            workspace_id, client_id, window = audited(client_value, cycle)
            statement = replay_window(gateway, workspace_id, client_id, window)
        except GatewayError as error:
            return notice(error.message, "error", "audit-error")
        return render_statement(gateway, workspace_id, statement)

    @app.callback(Output("audit-reconciliation", "children"),
                  Input("audit-run-reconcile", "n_clicks"), State("audit-client", "value"),
                  State("audit-cycle", "value"), prevent_initial_call=True)
    def reconcile(_, client_value, cycle):
        try:
            workspace_id, client_id, window = audited(client_value, cycle)
            replayed = replay_window(gateway, workspace_id, client_id, window)
            result = reconcile_window(gateway, workspace_id, client_id, window, replayed)
        except GatewayError as error:
            return notice(error.message, "error", "audit-error")
        return render_reconciliation(result)

    @app.callback(Output("audit-download", "data"), Input("audit-export", "n_clicks"),
                  State("audit-client", "value"), State("audit-cycle", "value"),
                  prevent_initial_call=True)
    def export(_, client_value, cycle):
        try:
            workspace_id, client_id, window = audited(client_value, cycle)
            statement = replay_window(gateway, workspace_id, client_id, window)
        except GatewayError:
            raise PreventUpdate from None  # nothing to download; the buttons beside say why
        return dcc.send_string(statement_csv(statement), statement_filename(statement))
