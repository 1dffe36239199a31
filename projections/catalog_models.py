"""``rm_models`` (each model's switch and latest price) and ``rm_model_prices`` (history).

A price may take effect in the future, so ``rm_models`` shows the latest price announced;
the price in effect at an instant is the latest row of ``rm_model_prices`` whose
``effective_from`` is not after it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from domain.catalog_model import CatalogModel
from projections.ports import ReadModelCursor

DDL = (
    """CREATE TABLE IF NOT EXISTS rm_models (
        workspace_id TEXT NOT NULL,
        model_id TEXT NOT NULL,
        id TEXT NOT NULL UNIQUE,
        enabled BOOLEAN NOT NULL,
        input_per_million DECIMAL_T,
        output_per_million DECIMAL_T,
        cached_input_per_million DECIMAL_T,
        price_version BIGINT,
        effective_from TIMESTAMP_T,
        PRIMARY KEY (workspace_id, model_id)
    )""",
    """CREATE TABLE IF NOT EXISTS rm_model_prices (
        workspace_id TEXT NOT NULL,
        model_id TEXT NOT NULL,
        price_version BIGINT NOT NULL,
        input_per_million DECIMAL_T NOT NULL,
        output_per_million DECIMAL_T NOT NULL,
        cached_input_per_million DECIMAL_T,
        effective_from TIMESTAMP_T NOT NULL,
        recorded_at TIMESTAMP_T NOT NULL,
        PRIMARY KEY (workspace_id, model_id, price_version)
    )""",
)

ADD = """INSERT INTO rm_models (workspace_id, model_id, id, enabled)
    VALUES (:workspace_id, :model_id, :id, :enabled) ON CONFLICT DO NOTHING"""
# No conflict target: PostgreSQL resolves only the target's conflicts, and two runners
# racing on one batch collide on id as well (the loser then rolls back on its position).
SWITCH = "UPDATE rm_models SET enabled = :enabled WHERE id = :id"
PRICE = """INSERT INTO rm_model_prices (workspace_id, model_id, price_version,
    input_per_million, output_per_million, cached_input_per_million, effective_from,
    recorded_at)
    SELECT workspace_id, model_id, :version, :input, :output, :cached, :effective_from, :at
    FROM rm_models WHERE id = :id
    ON CONFLICT (workspace_id, model_id, price_version) DO NOTHING"""
LATEST_PRICE = """UPDATE rm_models SET input_per_million = :input,
    output_per_million = :output, cached_input_per_million = :cached,
    price_version = :version, effective_from = :effective_from
    WHERE id = :id AND (price_version IS NULL OR price_version < :version)"""


class CatalogModelsProjection:
    name = "models_v1"
    source = "management"
    tables: tuple[str, ...] = ("rm_model_prices", "rm_models")

    def ddl(self) -> Sequence[str]:
        return DDL

    def apply(self, events: Sequence[Any], cursor: ReadModelCursor) -> None:
        for event in events:
            ids = {"id": event.originator_id, "at": event.timestamp}
            if isinstance(event, CatalogModel.Added):
                cursor.execute(ADD, ids | {"workspace_id": event.workspace_id,
                                           "model_id": event.model_id,
                                           "enabled": bool(event.enabled)})
            elif isinstance(event, CatalogModel.Enabled | CatalogModel.Disabled):
                cursor.execute(SWITCH, ids | {
                    "enabled": isinstance(event, CatalogModel.Enabled)})
            elif isinstance(event, CatalogModel.PriceChanged):
                price = ids | {
                    "version": event.version, "input": event.input_per_million,
                    "output": event.output_per_million,
                    "cached": event.cached_input_per_million,
                    "effective_from": event.effective_from}
                cursor.execute(PRICE, price)
                cursor.execute(LATEST_PRICE, price)
