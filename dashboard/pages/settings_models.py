"""Settings → Model configuration: switch models on and off, set prices, see their history."""

from __future__ import annotations

from dash import ALL, Dash, Input, Output, State, ctx, dcc, html
from dash.exceptions import PreventUpdate

from dashboard.actions import perform
from dashboard.components.forms import blank_to_none, field, read_only_note, submit, text_input
from dashboard.components.widgets import card, empty_state, notice, table
from dashboard.formatting import utc
from dashboard.security.roles import Permission
from dashboard.security.viewer import current_viewer
from infrastructure.bootstrap import Gateway

PATH = "/settings/models"
HREF = "/settings/models"
TITLE = "Settings: models"


def price(value) -> str:
    return "–" if value is None else f"${value}"


def models_table(gateway: Gateway, viewer) -> html.Div:
    models = gateway.state.models_of(viewer.workspace_id)
    if not models:
        return empty_state("No models in the catalog.", "Add one below with its prices.",
                           "models-empty")
    editable = viewer.can(Permission.MANAGE_SETTINGS)
    now = gateway.clock.now()
    rows = []
    for model in models:
        current = model.price_at(now)
        toggle = dcc.Checklist(id={"type": "model-enabled", "model": model.model_id},
                               options=[{"label": " enabled", "value": "on",
                                         "disabled": not editable}],
                               value=["on"] if model.enabled else [], className="toggle")
        rows.append([html.Code(model.model_id), toggle,
                     price(current and current.input_per_million),
                     price(current and current.output_per_million),
                     price(current and current.cached_input_per_million),
                     str(current.version) if current else "–", str(len(model.prices))])
    return table(["Model", "Enabled", "Input $/1M tokens", "Output $/1M tokens",
                  "Cached input $/1M", "Price version", "Prices so far"], rows, "models-list",
                 numeric=(2, 3, 4, 5, 6))


def price_form() -> html.Section:
    return card("Add a model or change its prices", html.Div([
        field("Model id", text_input("model-id", placeholder="gpt-4o-mini")),
        field("Input $ per 1M tokens", text_input("model-input", placeholder="0.15")),
        field("Output $ per 1M tokens", text_input("model-output", placeholder="0.60")),
        field("Cached input $ per 1M (optional)", text_input("model-cached")),
    ], className="form-grid"), html.P("A new price takes effect now and is kept in the "
                                      "history; requests already made keep the price they "
                                      "were made at.", className="hint"),
        submit("Save prices", "model-save"), html.Div(id="model-save-result"))


def layout(gateway: Gateway, viewer, route) -> html.Div:
    models = gateway.state.models_of(viewer.workspace_id)
    options = [{"label": m.model_id, "value": m.model_id} for m in models]
    return html.Div([
        html.H1("Settings: model configuration"),
        dcc.Store(id="models-changed", data=0),
        html.Div(id="model-toggle-result"),
        card("Catalog", html.Div(models_table(gateway, viewer), id="models-table")),
        html.Div([
            price_form() if viewer.can(Permission.MANAGE_SETTINGS)
            else card("Prices", read_only_note("prices")),
            card("Price history", dcc.Dropdown(
                id="model-history-choice", options=options, clearable=False,
                value=options[0]["value"] if options else None, className="dropdown"),
                html.Div(id="model-history")),
        ], className="grid-2"),
    ])


def register(app: Dash, gateway: Gateway) -> None:
    @app.callback(Output("model-toggle-result", "children"),
                  Output("models-changed", "data", allow_duplicate=True),
                  Input({"type": "model-enabled", "model": ALL}, "value"),
                  State("models-changed", "data"), prevent_initial_call=True)
    def toggle(_values, changed):
        viewer = current_viewer()
        model_id = (ctx.triggered_id or {}).get("model")
        model = gateway.state.model(viewer.workspace_id, model_id) if model_id else None
        if model is None:
            raise PreventUpdate
        wanted = "on" in (ctx.triggered[0]["value"] or [])
        if wanted == model.enabled:
            raise PreventUpdate  # a redraw, not a click
        outcome = perform(viewer, Permission.MANAGE_SETTINGS, lambda: gateway.models.configure(
            viewer.workspace_id, model_id, enabled=wanted),
            f"{model_id} {'enabled' if wanted else 'disabled'}.")
        return outcome.notice("model-toggle-notice"), (changed or 0) + 1

    @app.callback(Output("model-save-result", "children"),
                  Output("models-changed", "data", allow_duplicate=True),
                  Input("model-save", "n_clicks"), State("model-id", "value"),
                  State("model-input", "value"), State("model-output", "value"),
                  State("model-cached", "value"), State("models-changed", "data"),
                  prevent_initial_call=True)
    def save_prices(_, model_id, input_price, output_price, cached, changed):
        viewer = current_viewer()
        cached_price = blank_to_none(cached)  # empty keeps the cached price there is
        extra = {} if cached_price is None else {"cached_input_per_million": cached_price}
        outcome = perform(viewer, Permission.MANAGE_SETTINGS, lambda: gateway.models.configure(
            viewer.workspace_id, (model_id or "").strip(), None, blank_to_none(input_price),
            blank_to_none(output_price), **extra), lambda m: f"Prices of {m.model_id} saved.")
        return outcome.notice("model-save-notice"), (changed or 0) + int(outcome.ok)

    @app.callback(Output("models-table", "children"), Input("models-changed", "data"),
                  prevent_initial_call=True)
    def redraw(_changed):
        return models_table(gateway, current_viewer())

    @app.callback(Output("model-history", "children"), Input("model-history-choice", "value"),
                  Input("models-changed", "data"))
    def history(model_id, _changed):
        model = gateway.state.model(current_viewer().workspace_id, model_id) if model_id else None
        if model is None:
            return notice("Choose a model.", "info")
        rows = [[str(p.version), f"${p.input_per_million}", f"${p.output_per_million}",
                 price(p.cached_input_per_million), utc(p.effective_from)]
                for p in reversed(model.prices)]
        return table(["Version", "Input $/1M", "Output $/1M", "Cached $/1M",
                      "Effective from (UTC)"], rows, "model-history-table", numeric=(0, 1, 2, 3))
