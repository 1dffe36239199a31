"""API keys of a client: the list with usage, issuing (plaintext shown once), and changes."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from uuid import UUID

from dash import Dash, Input, Output, State, ctx, dcc, html

from dashboard.actions import perform
from dashboard.client_choice import chosen_client, client_dropdown, client_options, parse_client_id
from dashboard.components.forms import field, number_input, read_only_note, submit, text_input
from dashboard.components.widgets import card, empty_state, notice, status_badge, table
from dashboard.formatting import count, date_only, usd, utc
from dashboard.security.roles import Permission
from dashboard.security.viewer import current_viewer
from domain.api_key import KEY_PREFIX, ApiKey
from domain.errors import InvalidInput
from infrastructure.bootstrap import Gateway
from projections.queries.key_usage import key_usage

PATH = "/keys"
HREF = "/keys"
TITLE = "API keys"


def key_status(key: ApiKey, now: datetime) -> str:
    if key.revoked:
        return "revoked"
    return "expired" if key.expires_at is not None and key.expires_at <= now else "active"


def end_of_day(day: str | None) -> datetime | None:
    """A key set to expire on a day works until that UTC day ends."""
    if not day:
        return None
    try:
        chosen = date.fromisoformat(str(day)[:10])
    except ValueError:
        raise InvalidInput("pick a valid day", field="expires_at") from None
    return datetime.combine(chosen + timedelta(days=1), time(0), tzinfo=UTC)


def issue_card() -> html.Section:
    return card("Issue a key", html.Div([
        field("Name", text_input("key-new-name", placeholder="whatsapp-bot")),
        field("Expires after (UTC day, optional)", dcc.DatePickerSingle(
            id="key-new-expiry", clearable=True, display_format="YYYY-MM-DD")),
    ], className="form-grid"), submit("Issue key", "key-new-submit"),
        html.Div(id="key-new-result"))


def change_card() -> html.Section:
    return card("Change a key", html.Div([
        field("Key", dcc.Dropdown(id="key-target", placeholder="Choose a key")),
        field("Old secret keeps working for (seconds)", number_input("key-grace", 0),
              "when regenerating: time for the client to roll over"),
        field("Revocation reason (optional)", text_input("key-revoke-reason")),
        field("New expiry (UTC day; empty = never)", dcc.DatePickerSingle(
            id="key-expiry", clearable=True, display_format="YYYY-MM-DD")),
    ], className="form-grid"), html.Div([
        submit("Regenerate", "key-regenerate", "warning"),
        submit("Revoke", "key-revoke", "danger"),
        submit("Set expiry", "key-set-expiry", "quiet"),
    ], className="actions"), html.Div(id="key-change-result"))


def layout(gateway: Gateway, viewer, route) -> html.Div:
    options = client_options(gateway, viewer.workspace_id)
    if not options:
        return html.Div([html.H1("API keys"), empty_state(
            "No clients yet.", "Keys belong to a client: register one on the Clients page.",
            "keys-no-clients")])
    editable = viewer.can(Permission.MANAGE_KEYS)
    return html.Div([
        html.Div([html.H1("API keys"), client_dropdown(
            "keys-client", options, chosen_client(options, route.query.get("client")))],
                 className="page-head"),
        dcc.Store(id="keys-changed", data=0),
        card("Keys", html.Div(id="keys-table")),
        html.Div([issue_card(), change_card()], className="grid-2") if editable
        else read_only_note("keys"),
    ])


def register(app: Dash, gateway: Gateway) -> None:
    @app.callback(Output("key-target", "options"), Input("keys-client", "value"),
                  Input("keys-changed", "data"))
    def offer_keys(client_value, _changed):
        viewer = current_viewer()
        client_id = parse_client_id(client_value)
        keys = gateway.state.keys_of(viewer.workspace_id, client_id) if client_id else []
        return [{"label": f"{k.name} ({KEY_PREFIX}{k.public_id})", "value": str(k.id)}
                for k in keys if not k.revoked]

    @app.callback(Output("keys-table", "children"), Input("keys-client", "value"),
                  Input("keys-changed", "data"), Input("usage-position", "data"))
    def show_keys(client_value, _changed, _position):
        viewer = current_viewer()
        client_id = parse_client_id(client_value)
        keys = gateway.state.keys_of(viewer.workspace_id, client_id) if client_id else []
        if not keys:
            return empty_state("This client has no keys yet.", "Issue one below; its "
                               "plaintext is shown once, so copy it straight into n8n.",
                               "keys-empty")
        usage = key_usage(gateway.read_models, viewer.workspace_id, [k.id for k in keys])
        now = gateway.clock.now()
        rows = []
        for key in keys:
            used, status = usage.get(key.id), key_status(key, now)
            rows.append([html.Code(f"{KEY_PREFIX}{key.public_id}…"), key.name,
                         status_badge(status), utc(key.created_on),
                         date_only(key.expires_at) if key.expires_at else "never",
                         utc(used.last_used_at) if used else "never",
                         count(used.requests) if used else "0",
                         count(used.prompt_tokens + used.completion_tokens) if used else "0",
                         usd(used.billed_cost) if used else usd(0)])
        return table(["Prefix", "Name", "Status", "Created (UTC)", "Expires", "Last used (UTC)",
                      "Requests", "Tokens", "Billed"], rows, "keys-list", numeric=(6, 7, 8))

    @app.callback(Output("key-new-result", "children"),
                  Output("keys-changed", "data", allow_duplicate=True),
                  Input("key-new-submit", "n_clicks"), State("keys-client", "value"),
                  State("key-new-name", "value"), State("key-new-expiry", "date"),
                  State("keys-changed", "data"), prevent_initial_call=True)
    def issue_key(_, client_value, name, expiry, changed):
        viewer = current_viewer()
        outcome = perform(viewer, Permission.MANAGE_KEYS, lambda: gateway.keys.issue(
            viewer.workspace_id, parse_client_id(client_value), name or "", end_of_day(expiry)),
            "Key issued. Copy it now: it is shown only this once.")
        if not outcome.ok:
            return outcome.notice("key-new-notice"), changed
        return plaintext_once(outcome.message, outcome.value.plaintext), (changed or 0) + 1

    @app.callback(Output("key-change-result", "children"),
                  Output("keys-changed", "data", allow_duplicate=True),
                  Input("key-regenerate", "n_clicks"), Input("key-revoke", "n_clicks"),
                  Input("key-set-expiry", "n_clicks"), State("key-target", "value"),
                  State("key-grace", "value"), State("key-revoke-reason", "value"),
                  State("key-expiry", "date"), State("keys-changed", "data"),
                  prevent_initial_call=True)
    def change_key(_r, _v, _e, key_value, grace, reason, expiry, changed):
        viewer = current_viewer()
        if not key_value:
            return notice("Choose a key first.", "error", "key-change-notice"), changed
        ws, key_id, keys = viewer.workspace_id, UUID(key_value), gateway.keys
        commands = {
            "key-regenerate": (lambda: keys.regenerate(ws, key_id, int(grace or 0)),
                               "New secret issued. Copy it now: it is shown only this once."),
            "key-revoke": (lambda: keys.revoke(ws, key_id, reason), "Key revoked."),
            "key-set-expiry": (lambda: keys.set_expiry(ws, key_id, end_of_day(expiry)),
                               "Expiry saved."),
        }
        command, message = commands[ctx.triggered_id]
        outcome = perform(viewer, Permission.MANAGE_KEYS, command, message)
        if outcome.ok and ctx.triggered_id == "key-regenerate":
            return plaintext_once(message, outcome.value.plaintext), (changed or 0) + 1
        return outcome.notice("key-change-notice"), (changed or 0) + int(outcome.ok)


def plaintext_once(message: str, plaintext: str) -> html.Div:
    return html.Div([
        notice(message, "success", "key-plaintext-notice"),
        html.Div([html.Code(plaintext, id="key-plaintext", className="secret"),
                  dcc.Clipboard(target_id="key-plaintext", title="Copy key",
                                className="copy-button", id="key-copy")],
                 className="secret-box"),
    ])
