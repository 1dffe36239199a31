"""Every read model the gateway keeps, in the order a rebuild of all of them runs."""

from __future__ import annotations

from projections.api_keys import ApiKeysProjection
from projections.catalog_models import CatalogModelsProjection
from projections.clients import ClientsProjection
from projections.key_usage import KeyUsageProjection
from projections.ports import Projection
from projections.request_log import RequestLogProjection
from projections.response_owners import ResponseOwnersProjection
from projections.usage_hourly import UsageHourlyProjection
from projections.usage_per_cycle import UsagePerCycleProjection
from projections.usage_rollup import UsageRollupProjection


def all_projections() -> list[Projection]:
    return [
        ClientsProjection(), ApiKeysProjection(), CatalogModelsProjection(),
        UsagePerCycleProjection(), KeyUsageProjection(), UsageHourlyProjection(),
        RequestLogProjection(), ResponseOwnersProjection(), UsageRollupProjection(),
    ]
