"""Pages about one client (keys, limits) pick it from a list; ``?client=`` preselects it."""

from __future__ import annotations

from uuid import UUID

from dash import dcc

from infrastructure.bootstrap import Gateway


def client_options(gateway: Gateway, workspace_id: UUID) -> list[dict[str, str]]:
    return [{"label": f"{c.name} ({c.status})" if c.status != "active" else c.name,
             "value": str(c.id)} for c in gateway.state.clients_of(workspace_id)]


def chosen_client(options: list[dict[str, str]], wanted: str | None) -> str | None:
    values = [o["value"] for o in options]
    return wanted if wanted in values else (values[0] if values else None)


def client_dropdown(dropdown_id: str, options: list[dict[str, str]],
                    value: str | None) -> dcc.Dropdown:
    return dcc.Dropdown(id=dropdown_id, options=options, value=value, clearable=False,
                        placeholder="Choose a client", className="dropdown client-dropdown")


def parse_client_id(value: str | None) -> UUID | None:
    try:
        return UUID(str(value)) if value else None
    except ValueError:
        return None
