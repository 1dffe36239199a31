"""A model in a workspace's catalog: enabled or not, and its price history.

A price change takes effect from a moment and is appended, never rewritten, so a request
is always costed with the price that was in effect when it was made. A price that turns out
to have been wrong is corrected by a further event: requests keep the version they were
costed with, and the difference is settled by adjustments (``domain/adjustment.py``).
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from decimal import Decimal
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from domain.errors import Conflict, InvalidInput, NotFound
from domain.ids import catalog_model_id
from domain.pricing import Price, PriceCorrection, price_at

# Clocks of two gateway processes may disagree by a little.
BACKDATING_TOLERANCE = timedelta(seconds=5)
MODEL_ID_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._:/@-]{0,127}$")


def checked_model_id(model_id: str) -> str:
    if not isinstance(model_id, str) or not MODEL_ID_PATTERN.match(model_id):
        raise InvalidInput("model id must be 1 to 128 letters, digits or ._:/@-",
                           field="model_id")
    return model_id


class CatalogModel(Aggregate):
    @staticmethod
    def create_id(workspace_id: UUID, model_id: str, **_: object) -> UUID:
        return catalog_model_id(workspace_id, model_id)

    @event("Added")
    def __init__(self, workspace_id: UUID, model_id: str, enabled: bool) -> None:
        self.workspace_id = workspace_id
        self.model_id = model_id
        self.enabled = enabled
        self.prices: list[Price] = []
        self.corrections: list[PriceCorrection] = []

    @classmethod
    def add(cls, workspace_id: UUID, model_id: str, enabled: bool = True) -> CatalogModel:
        return cls(workspace_id=workspace_id, model_id=checked_model_id(model_id),
                   enabled=bool(enabled))

    def enable(self) -> None:
        if self.enabled:
            raise Conflict(f"model {self.model_id} is already enabled")
        self._enabled()

    @event("Enabled")
    def _enabled(self) -> None:
        self.enabled = True

    def disable(self) -> None:
        if not self.enabled:
            raise Conflict(f"model {self.model_id} is already disabled")
        self._disabled()

    @event("Disabled")
    def _disabled(self) -> None:
        self.enabled = False

    def change_price(self, input_per_million: Decimal, output_per_million: Decimal,
                     cached_input_per_million: Decimal | None, effective_from: datetime,
                     now: datetime) -> None:
        if effective_from.tzinfo is None:
            raise InvalidInput("effective_from must carry a time zone", field="effective_from")
        if effective_from < now - BACKDATING_TOLERANCE:
            raise InvalidInput("a price cannot be backdated: requests already costed keep "
                               "the price they were made at", field="effective_from")
        if self.prices and effective_from < self.prices[-1].effective_from:
            raise InvalidInput("a price cannot take effect before the latest price does",
                               field="effective_from")
        self._price_changed(version=len(self.prices) + 1, input_per_million=input_per_million,
                            output_per_million=output_per_million,
                            cached_input_per_million=cached_input_per_million,
                            effective_from=effective_from)

    @event("PriceChanged")
    def _price_changed(self, version: int, input_per_million: Decimal,
                       output_per_million: Decimal, cached_input_per_million: Decimal | None,
                       effective_from: datetime) -> None:
        self.prices.append(Price(version, input_per_million, output_per_million,
                                 cached_input_per_million, effective_from))

    def correct_price(self, version: int, input_per_million: Decimal,
                      output_per_million: Decimal, cached_input_per_million: Decimal | None,
                      reason: str, now: datetime) -> None:
        """States what price ``version`` should have been. When it is the latest price, the
        corrected rates also apply from now on, as a new version."""
        if not any(p.version == version for p in self.prices):
            raise NotFound(f"model {self.model_id} has no price version {version}")
        reason = reason.strip() if isinstance(reason, str) else ""
        if not reason or len(reason) > 500:
            raise InvalidInput("a price correction needs a reason of 1 to 500 characters",
                               field="reason")
        self._price_corrected(version=version, input_per_million=input_per_million,
                              output_per_million=output_per_million,
                              cached_input_per_million=cached_input_per_million, reason=reason)
        latest = self.prices[-1]
        if latest.version == version:
            self._price_changed(version=version + 1, input_per_million=input_per_million,
                                output_per_million=output_per_million,
                                cached_input_per_million=cached_input_per_million,
                                effective_from=max(now, latest.effective_from))

    @event("PriceCorrected")
    def _price_corrected(self, version: int, input_per_million: Decimal,
                         output_per_million: Decimal, cached_input_per_million: Decimal | None,
                         reason: str) -> None:
        original = next(p for p in self.prices if p.version == version)
        self.corrections.append(PriceCorrection(
            f"{self.model_id} v{version} #{len(self.corrections) + 1}", Price(
                version, input_per_million, output_per_million, cached_input_per_million,
                original.effective_from), reason))

    def price_at(self, moment: datetime) -> Price | None:
        return price_at(tuple(self.prices), moment)

    @property
    def current_price(self) -> Price | None:
        return self.prices[-1] if self.prices else None
