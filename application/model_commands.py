"""Use cases on the model catalog: add, enable or disable, change and correct prices."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any
from uuid import UUID

from application.ports import AggregateStore, Clock
from domain.catalog_model import CatalogModel, checked_model_id
from domain.errors import InvalidInput, NotFound
from domain.ids import catalog_model_id
from domain.money import to_usd
from domain.workspace import Workspace

_UNSET: Any = object()


@dataclass
class ModelCommands:
    store: AggregateStore
    clock: Clock

    def configure(self, workspace_id: UUID, model_id: str, enabled: bool | None = None,
                  input_per_million: object = None, output_per_million: object = None,
                  cached_input_per_million: object = _UNSET,
                  effective_from: datetime | None = None) -> CatalogModel:
        """Creates the model if needed; a new price is appended only when it differs."""
        model = self._find(workspace_id, checked_model_id(model_id))
        if model is None:
            if input_per_million is None or output_per_million is None:
                raise InvalidInput("a new model needs input_per_million and output_per_million",
                                   field="input_per_million")
            self.store.get(workspace_id, Workspace)
            model = CatalogModel.add(workspace_id, model_id, True if enabled is None else enabled)
        elif enabled is not None and enabled != model.enabled:
            model.enable() if enabled else model.disable()
        self._change_price_if_new(model, input_per_million, output_per_million,
                                  cached_input_per_million, effective_from)
        self.store.save(model)
        return model

    def _change_price_if_new(self, model: CatalogModel, input_price: object,
                             output_price: object, cached_price: object,
                             effective_from: datetime | None) -> None:
        current = model.current_price
        new_input = _usd_or(input_price, current.input_per_million if current else None,
                            "input_per_million")
        new_output = _usd_or(output_price, current.output_per_million if current else None,
                             "output_per_million")
        if cached_price is _UNSET:
            new_cached = current.cached_input_per_million if current else None
        else:
            new_cached = None if cached_price is None else to_usd(
                cached_price, field="cached_input_per_million")
        if current and (new_input, new_output, new_cached) == (
            current.input_per_million, current.output_per_million,
            current.cached_input_per_million,
        ):
            return
        assert new_input is not None and new_output is not None
        now = self.clock.now()
        model.change_price(new_input, new_output, new_cached, effective_from or now, now)

    def correct_price(self, workspace_id: UUID, model_id: str, version: int,
                      input_per_million: object, output_per_million: object,
                      cached_input_per_million: object = None, reason: str = "") -> CatalogModel:
        """Corrects a price that was wrong; closed cycles are settled by adjustments."""
        model = self._find(workspace_id, checked_model_id(model_id))
        if model is None:
            raise NotFound(f"model {model_id} not found in this workspace")
        if isinstance(version, bool) or not isinstance(version, int):
            raise InvalidInput("version must be a whole number", field="version")
        cached = None if cached_input_per_million is None else to_usd(
            cached_input_per_million, field="cached_input_per_million")
        model.correct_price(version, to_usd(input_per_million, field="input_per_million"),
                            to_usd(output_per_million, field="output_per_million"), cached,
                            reason, self.clock.now())
        self.store.save(model)
        return model

    def _find(self, workspace_id: UUID, model_id: str) -> CatalogModel | None:
        try:
            return self.store.get(catalog_model_id(workspace_id, model_id), CatalogModel)
        except NotFound:
            return None


def _usd_or(value: object, fallback: Decimal | None, field: str) -> Decimal | None:
    return fallback if value is None else to_usd(value, field=field)
