"""Settings → General: the provider's base URL, timeout and API key (write-only)."""

from __future__ import annotations

from dash import Dash, Input, Output, State, html

from dashboard.actions import perform
from dashboard.components.forms import (
    blank_to_none,
    field,
    number_input,
    read_only_note,
    submit,
    text_input,
)
from dashboard.components.widgets import card
from dashboard.security.roles import Permission
from dashboard.security.viewer import current_viewer
from domain.errors import NotFound
from infrastructure.bootstrap import Gateway

PATH = "/settings/general"
HREF = "/settings/general"
TITLE = "Settings: general"


def key_state(workspace) -> str:
    if workspace.provider_key_last4 is None:
        return "No provider key is set: the proxy answers 503 until one is."
    return f"A key ending in …{workspace.provider_key_last4} is set."


def layout(gateway: Gateway, viewer, route) -> html.Div:
    workspace = gateway.state.workspace(viewer.workspace_id)
    if workspace is None:
        raise NotFound("Your workspace does not exist.")
    editable = viewer.can(Permission.MANAGE_SETTINGS)
    return html.Div([
        html.H1("Settings: general"),
        card("Provider", html.P(
            "Requests are forwarded to this OpenAI-compatible base URL (it includes /v1) "
            "with the workspace's provider key in place of the client's key.", className="hint"),
            html.Div([
                field("Base URL", text_input("settings-base-url", workspace.provider_base_url,
                                             disabled=not editable, kind="url")),
                field("Timeout (seconds)", number_input(
                    "settings-timeout", workspace.provider_timeout_seconds, not editable,
                    minimum=1, step=1)),
                field("OpenAI API key", text_input(
                    "settings-api-key", disabled=not editable, kind="password",
                    placeholder="sk-… (leave empty to keep the current key)"),
                    "write-only: it is stored encrypted and never shown again"),
            ], className="form-grid"),
            html.P(key_state(workspace), id="settings-key-state", className="hint"),
            *([submit("Save settings", "settings-save"), html.Div(id="settings-save-result")]
              if editable else [read_only_note("settings")])),
    ])


def register(app: Dash, gateway: Gateway) -> None:
    @app.callback(Output("settings-save-result", "children"),
                  Output("settings-key-state", "children"),
                  Output("settings-api-key", "value"),
                  Input("settings-save", "n_clicks"), State("settings-base-url", "value"),
                  State("settings-timeout", "value"), State("settings-api-key", "value"),
                  prevent_initial_call=True)
    def save(_, base_url, timeout, api_key):
        viewer = current_viewer()
        outcome = perform(
            viewer, Permission.MANAGE_SETTINGS, lambda: gateway.workspaces.set_provider(
                viewer.workspace_id, base_url or "", float(timeout) if timeout else None,
                blank_to_none(api_key)), "Provider settings saved.")
        workspace = gateway.state.workspace(viewer.workspace_id)
        return outcome.notice("settings-save-notice"), key_state(workspace), ""
