"""Views of usage shared by several pages: KPIs, top clients, latest requests, empty state."""

from __future__ import annotations

from uuid import UUID

from dash import dcc, html

from dashboard.components.widgets import empty_state, kpi, status_badge, table
from dashboard.formatting import count, milliseconds, percent, usd, utc
from dashboard.paths import PREFIX
from dashboard.usage_report import Totals
from projections.dashboard_queries import Usage
from projections.queries.requests import LoggedRequest


def kpi_row(totals: Totals, id_prefix: str) -> html.Div:
    return html.Div([
        kpi("Requests", count(totals.requests), f"{id_prefix}-kpi-requests"),
        kpi("Tokens", count(totals.tokens), f"{id_prefix}-kpi-tokens", "prompt + completion"),
        kpi("Provider cost", usd(totals.provider_cost), f"{id_prefix}-kpi-provider-cost",
            "what the provider charges"),
        kpi("Billed", usd(totals.billed_cost), f"{id_prefix}-kpi-billed", "with markup"),
        kpi("Active clients", count(totals.active_clients), f"{id_prefix}-kpi-active-clients",
            "made a request"),
        kpi("Error rate", percent(totals.errors, totals.requests), f"{id_prefix}-kpi-error-rate",
            f"{count(totals.errors)} failed"),
    ], className="kpis")


def no_traffic(empty_id: str) -> html.Div:
    return empty_state("No requests in this range yet.", [
        "Create a client on ", dcc.Link("Clients", href=f"{PREFIX}/clients"),
        ", issue a key on ", dcc.Link("API keys", href=f"{PREFIX}/keys"),
        ", then point the client's OpenAI SDK or n8n OpenAI credential at this gateway's "
        "/v1 with that key. Calls show up here within a second or two."], empty_id)


def top_clients_table(per_client: list[Usage], names: dict[UUID, str],
                      table_id: str) -> html.Div:
    rows = [[dcc.Link(names.get(u.group, "(deleted client)"),  # type: ignore[arg-type]
                      href=f"{PREFIX}/clients/{u.group}"),
             count(u.requests), count(u.tokens), usd(u.billed_cost)] for u in per_client]
    return table(["Client", "Requests", "Tokens", "Billed"], rows, table_id, numeric=(1, 2, 3))


def latest_requests_table(requests: list[LoggedRequest], names: dict[UUID, str],
                          table_id: str) -> html.Div:
    if not requests:
        return empty_state("No requests recorded yet.",
                           "The latest calls through /v1 appear here as they happen.",
                           f"{table_id}-empty")
    rows = [[utc(r.at, seconds=True), names.get(r.client_id, "(deleted client)"), r.model,
             status_badge("ok" if r.status < 400 else "failed"), str(r.status),
             count(r.prompt_tokens + r.completion_tokens), usd(r.billed_cost),
             milliseconds(r.latency_ms)]
            for r in requests]
    return table(["Time (UTC)", "Client", "Model", "Outcome", "Status", "Tokens", "Billed",
                  "Latency"], rows, table_id, numeric=(4, 5, 6, 7))
