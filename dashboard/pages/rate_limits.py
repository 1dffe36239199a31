"""Rate limits of a client: the cycle, its maximums and markup, and this cycle's usage."""

from __future__ import annotations

from functools import cache
from uuid import UUID
from zoneinfo import available_timezones

from dash import Dash, Input, Output, State, dcc, html

from dashboard.actions import perform
from dashboard.client_choice import chosen_client, client_dropdown, client_options, parse_client_id
from dashboard.components.forms import (
    blank_to_none,
    field,
    number_input,
    read_only_note,
    submit,
    text_input,
    whole_number,
)
from dashboard.components.widgets import card, empty_state, progress
from dashboard.formatting import count, usd, utc
from dashboard.security.roles import Permission
from dashboard.security.viewer import current_viewer
from domain.cycles import cycle_window
from infrastructure.bootstrap import Gateway
from projections.queries.cycle_usage import usage_for_cycle

PATH = "/limits"
HREF = "/limits"
TITLE = "Rate limits"
CYCLES = [{"label": "Daily", "value": "daily"}, {"label": "Weekly", "value": "weekly"},
          {"label": "Monthly", "value": "monthly"}]
FORM_FIELDS = ("cycle", "anchor_day", "timezone", "max_requests", "max_tokens", "max_credits",
               "max_sessions", "markup")


@cache
def time_zones() -> list[str]:
    return sorted(available_timezones())


def limits_form(disabled: bool) -> html.Section:
    return card("Limits and markup", html.Div([
        field("Cycle", dcc.Dropdown(id="limit-cycle", options=CYCLES, clearable=False,
                                    disabled=disabled)),
        field("Anchor day", number_input("limit-anchor_day", 1, disabled, minimum=1),
              "day of month (1–31) or ISO weekday (1 = Monday)"),
        field("Time zone", dcc.Dropdown(id="limit-timezone", options=time_zones(),
                                        clearable=False, disabled=disabled)),
        field("Max requests per cycle", number_input("limit-max_requests", None, disabled)),
        field("Max tokens per cycle", number_input("limit-max_tokens", None, disabled)),
        field("Max credits per cycle (US$)", text_input("limit-max_credits", disabled=disabled,
                                                        placeholder="e.g. 50.00")),
        field("Max WhatsApp sessions per cycle", number_input("limit-max_sessions", None,
                                                              disabled)),
        field("Markup (%)", text_input("limit-markup", disabled=disabled, placeholder="e.g. 30"),
              "billed = provider cost × (1 + markup)"),
    ], className="form-grid"), html.P("Leave a maximum empty for no limit.", className="hint"),
        *([submit("Save limits", "limit-save"), html.Div(id="limit-save-result")]
          if not disabled else [read_only_note("limits")]))


def layout(gateway: Gateway, viewer, route) -> html.Div:
    options = client_options(gateway, viewer.workspace_id)
    if not options:
        return html.Div([html.H1("Rate limits"), empty_state(
            "No clients yet.", "Limits belong to a client: register one on the Clients page.",
            "limits-no-clients")])
    return html.Div([
        html.Div([html.H1("Rate limits"), client_dropdown(
            "limits-client", options, chosen_client(options, route.query.get("client")))],
                 className="page-head"),
        html.Div([limits_form(not viewer.can(Permission.MANAGE_LIMITS)),
                  card("Current cycle", html.Div(id="limits-cycle"))], className="grid-2"),
    ])


def register(app: Dash, gateway: Gateway) -> None:
    @app.callback([Output(f"limit-{name}", "value") for name in FORM_FIELDS],
                  Input("limits-client", "value"))
    def load_form(client_value):
        viewer = current_viewer()
        client = gateway.state.client(viewer.workspace_id, parse_client_id(client_value))
        if client is None:
            return [None] * len(FORM_FIELDS)
        policy = client.limit_policy
        return [policy["cycle"], policy["anchor_day"], policy["timezone"],
                policy["max_requests"], policy["max_tokens"], policy["max_credits"] or "",
                policy["max_sessions"], str(client.markup_percent)]

    @app.callback(Output("limit-save-result", "children"), Input("limit-save", "n_clicks"),
                  State("limits-client", "value"),
                  [State(f"limit-{name}", "value") for name in FORM_FIELDS],
                  prevent_initial_call=True)
    def save(_, client_value, *values):
        viewer = current_viewer()
        form = dict(zip(FORM_FIELDS, values, strict=True))
        client_id = parse_client_id(client_value)

        def save_both():
            client = gateway.state.client(viewer.workspace_id, client_id)
            policy = dict(client.limit_policy if client else {})
            policy.update({k: blank_to_none(form[k]) for k in FORM_FIELDS if k != "markup"})
            for name in ("anchor_day", "max_requests", "max_tokens", "max_sessions"):
                policy[name] = whole_number(policy[name], name)
            policy["anchor_day"] = policy["anchor_day"] or 1
            gateway.clients.set_limits(viewer.workspace_id, client_id, policy)
            return gateway.clients.set_markup(viewer.workspace_id, client_id,
                                              blank_to_none(form["markup"]) or "0")

        return perform(viewer, Permission.MANAGE_LIMITS, save_both,
                       "Limits and markup saved.").notice("limit-save-notice")

    @app.callback(Output("limits-cycle", "children"), Input("limits-client", "value"),
                  Input("limit-save-result", "children"), Input("usage-position", "data"))
    def show_cycle(client_value, _saved, _position):
        viewer = current_viewer()
        client = gateway.state.client(viewer.workspace_id, parse_client_id(client_value))
        if client is None:
            return empty_state("Choose a client.", "Pick one from the list above.")
        return cycle_usage(gateway, viewer.workspace_id, client)


def cycle_usage(gateway: Gateway, workspace_id: UUID, client) -> html.Div:
    policy = client.policy
    window = cycle_window(policy, gateway.clock.now())
    used = usage_for_cycle(gateway.read_models, workspace_id, client.id, window.start)
    credit_limit = policy.max_credits
    return html.Div([
        html.P(f"Cycle {window.label}: {utc(window.start)} to {utc(window.end)}",
               className="hint", id="limits-window"),
        progress("Requests", used.requests, policy.max_requests,
                 _of(count(used.requests), policy.max_requests, count)),
        progress("Tokens", used.total_tokens, policy.max_tokens,
                 _of(count(used.total_tokens), policy.max_tokens, count)),
        progress("Credits (billed)", float(used.billed_cost),
                 None if credit_limit is None else float(credit_limit),
                 _of(usd(used.billed_cost), credit_limit, usd)),
        progress("WhatsApp sessions", used.sessions, policy.max_sessions,
                 _of(count(used.sessions), policy.max_sessions, count)),
        html.P(f"{count(used.rejected)} requests refused by a limit this cycle.",
               className="hint"),
    ], id="limits-bars")


def _of(used: str, limit, show) -> str:
    return used if limit is None else f"{used} of {show(limit)}"
