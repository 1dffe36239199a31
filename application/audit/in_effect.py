"""What a replay may find on a request: the prices and markup that were in effect when it
was made, asked once per event in time order, so answers are kept for as long as they
hold (``PriceHistory.price_span``) and most events are answered by two comparisons."""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal
from uuid import UUID

from application.audit.exact_cost import ExactCost
from application.audit.price_history import EARLIEST, PriceHistory


class ModelPrices:
    """One model's prices in one workspace. ``allowed`` holds the versions in effect at
    some moment from ``tolerance`` before a time in [start, until) up to that time."""

    def __init__(self, history: PriceHistory, workspace_id: UUID, model: str,
                 tolerance: timedelta):
        self._history, self._workspace_id, self._model = history, workspace_id, model
        self._tolerance = tolerance
        self._versions: dict[object, ExactCost | None] = {}
        self.start = self.until = EARLIEST
        self.allowed: frozenset[int] = frozenset()

    def version(self, version: object) -> ExactCost | None:
        try:
            return self._versions[version]
        except KeyError:
            found = self._versions[version] = self._lookup(version)
            return found
        except TypeError:  # a value no price can have, as a list: looked up as it is
            return self._lookup(version)

    def _lookup(self, version: object) -> ExactCost | None:
        price = self._history.version(self._workspace_id, self._model,
                                      version)  # type: ignore[arg-type]
        return ExactCost(price) if price is not None else None

    def move_to(self, at: datetime) -> None:
        history, workspace_id, model = self._history, self._workspace_id, self._model
        self.start, self.until = history.price_span(workspace_id, model, at, self._tolerance)
        self.allowed = frozenset(p.version for p in history.prices_between(
            workspace_id, model, at - self._tolerance, at))

    def allowed_text(self) -> str:
        return ",".join(str(v) for v in sorted(self.allowed)) or "none"


class ClientMarkups:
    """One client's markup: ``allowed`` holds the markups in effect at some moment from
    ``tolerance`` before a time in [start, until) up to that time, ``latest`` the one at
    that time."""

    def __init__(self, history: PriceHistory, client_id: UUID, tolerance: timedelta):
        self._history, self._client_id, self._tolerance = history, client_id, tolerance
        self.start = self.until = EARLIEST
        self.latest = Decimal(0)
        self.allowed: tuple[Decimal, ...] = ()

    def move_to(self, at: datetime) -> None:
        history, client_id = self._history, self._client_id
        self.start, self.until = history.markup_span(client_id, at, self._tolerance)
        self.latest = history.markup(client_id, at)
        self.allowed = tuple(history.markups_between(client_id, at - self._tolerance, at))
