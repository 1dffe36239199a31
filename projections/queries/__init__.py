"""Read queries over the read models, for the admin API, the dashboard and the proxy.

Every query takes the workspace and sees nothing outside it.
"""

from projections.queries.clients import ClientSummary, search_clients
from projections.queries.cycle_usage import CycleUsage, usage_for_cycle
from projections.queries.key_usage import KeyUsage, key_usage
from projections.queries.latency import LatencySummary, latency_summary
from projections.queries.rankings import ClientRank, ModelShare, model_distribution, top_clients
from projections.queries.requests import LoggedRequest, recent_requests
from projections.queries.usage_series import UsagePoint, hourly_series
from projections.queries.usage_totals import UsageTotals, usage_totals

__all__ = [
    "ClientRank", "ClientSummary", "CycleUsage", "KeyUsage", "LatencySummary", "LoggedRequest",
    "ModelShare", "UsagePoint", "UsageTotals", "hourly_series", "key_usage", "latency_summary",
    "model_distribution", "recent_requests", "search_clients", "top_clients", "usage_for_cycle",
    "usage_totals",
]
