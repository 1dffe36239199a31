"""Prices and markups as they were at any moment, rebuilt from the management events."""

from __future__ import annotations

import bisect
from collections import defaultdict
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from uuid import UUID

from application.audit.ports import ManagementHistory
from domain.pricing import Price, PriceCorrection


class PriceHistory:
    def __init__(self) -> None:
        self.prices: dict[tuple[UUID, str], list[Price]] = defaultdict(list)
        self._markups: dict[UUID, list[tuple[datetime, Decimal]]] = defaultdict(list)
        self._model_of: dict[UUID, tuple[UUID, str]] = {}
        # (workspace, model, version) → its corrections, oldest first.
        self.corrections: dict[tuple[UUID, str, int], list[PriceCorrection]] = defaultdict(list)
        self._corrected_count: dict[UUID, int] = defaultdict(int)
        # Built on first use, once the whole history is read.
        self._index: dict[tuple[UUID, str], tuple[list[datetime], list[Price]]] = {}
        self._markup_moments: dict[UUID, list[datetime]] = {}

    @classmethod
    def from_history(cls, history: ManagementHistory) -> PriceHistory:
        built = cls()
        for event in history.events():
            built._apply(event)
        return built

    def _apply(self, event: object) -> None:
        name = type(event).__qualname__
        if name == "CatalogModel.Added":
            self._model_of[event.originator_id] = (event.workspace_id, event.model_id)  # type: ignore[attr-defined]
        elif name == "CatalogModel.PriceChanged":
            key = self._model_of[event.originator_id]  # type: ignore[attr-defined]
            self.prices[key].append(Price(
                event.version, event.input_per_million,  # type: ignore[attr-defined]
                event.output_per_million, event.cached_input_per_million,  # type: ignore[attr-defined]
                event.effective_from))  # type: ignore[attr-defined]
        elif name == "CatalogModel.PriceCorrected":
            self._corrected(event)
        elif name == "Client.Registered":
            self._markups[event.originator_id].append(  # type: ignore[attr-defined]
                (event.timestamp, Decimal(0)))  # type: ignore[attr-defined]
        elif name == "Client.MarkupSet":
            self._markups[event.originator_id].append(  # type: ignore[attr-defined]
                (event.timestamp, event.markup_percent))  # type: ignore[attr-defined]

    def _corrected(self, event: object) -> None:
        """Names each correction as the aggregate does (``domain/catalog_model.py``)."""
        workspace_id, model = self._model_of[event.originator_id]  # type: ignore[attr-defined]
        version: int = event.version  # type: ignore[attr-defined]
        original = self.version(workspace_id, model, version)
        assert original is not None
        self._corrected_count[event.originator_id] += 1  # type: ignore[attr-defined]
        ref = f"{model} v{version} #{self._corrected_count[event.originator_id]}"  # type: ignore[attr-defined]
        self.corrections[(workspace_id, model, version)].append(PriceCorrection(ref, Price(
            version, event.input_per_million, event.output_per_million,  # type: ignore[attr-defined]
            event.cached_input_per_million, original.effective_from), event.reason))  # type: ignore[attr-defined]

    def corrected(self, workspace_id: UUID, model: str,
                  version: int) -> tuple[Price, list[str]] | None:
        """What ``version`` should have cost, by its latest correction, and the corrections
        that made it so; None when it was never corrected."""
        found = self.corrections.get((workspace_id, model, version))
        if not found:
            return None
        return found[-1].price, [c.ref for c in found]

    def corrections_within(self, workspace_id: UUID, start: datetime,
                           end: datetime, tolerance: timedelta) -> list[str]:
        """Corrections of the prices that may have costed requests between start and end:
        a version is in effect from its start until the next version's, plus ``tolerance``
        for processes that learn of a change late."""
        refs: list[str] = []
        for (ws, model, version), found in self.corrections.items():
            prices = sorted(self.prices.get((ws, model), ()),
                            key=lambda p: (p.effective_from, p.version))
            for price, following in zip(prices, [*prices[1:], None], strict=True):
                if price.version != version or ws != workspace_id:
                    continue
                until = following.effective_from + tolerance if following else None
                if price.effective_from < end and (until is None or until > start):
                    refs.extend(c.ref for c in found)
        return refs

    def _price_index(self, workspace_id: UUID, model: str) -> tuple[list[datetime], list[Price]]:
        key = (workspace_id, model)
        index = self._index.get(key)
        if index is None:
            prices = sorted(self.prices.get(key, ()), key=lambda p: (p.effective_from,
                                                                     p.version))
            index = self._index[key] = ([p.effective_from for p in prices], prices)
        return index

    def price(self, workspace_id: UUID, model: str, at: datetime) -> Price | None:
        """The price in effect at ``at``; a bisection, since replays ask once per event."""
        moments, prices = self._price_index(workspace_id, model)
        position = bisect.bisect_right(moments, at)
        return prices[position - 1] if position else None

    def prices_between(self, workspace_id: UUID, model: str, start: datetime,
                       end: datetime) -> list[Price]:
        """Every price in effect at some moment of [start, end]: the one at ``start`` and
        each that took effect after it, up to ``end``. A process that learns of changes
        late may have costed a request at ``end`` with any of them, also with one that
        held for less than the window."""
        moments, prices = self._price_index(workspace_id, model)
        first = bisect.bisect_right(moments, start)
        return prices[max(first - 1, 0):bisect.bisect_right(moments, end)]

    def price_span(self, workspace_id: UUID, model: str, at: datetime,
                   tolerance: timedelta) -> tuple[datetime, datetime]:
        """The stretch [from, until) around ``at`` in which ``prices_between(t - tolerance,
        t)`` stays what it is at ``at`` (neither end passes a change), so that a replay,
        which goes forward in time, looks prices up again only when it leaves the stretch."""
        return _span(self._price_index(workspace_id, model)[0], at, tolerance)

    def markup_span(self, client_id: UUID, at: datetime,
                    tolerance: timedelta) -> tuple[datetime, datetime]:
        """As ``price_span``, for ``markups_between(t - tolerance, t)``."""
        return _span(self._markup_moments_of(client_id), at, tolerance)

    def version(self, workspace_id: UUID, model: str, version: int) -> Price | None:
        for price in self.prices.get((workspace_id, model), ()):
            if price.version == version:
                return price
        return None

    def _markup_moments_of(self, client_id: UUID) -> list[datetime]:
        moments = self._markup_moments.get(client_id)
        if moments is None:
            moments = self._markup_moments[client_id] = [m for m, _ in
                                                         self._markups.get(client_id, [])]
        return moments

    def markup_changes(self, client_id: UUID) -> list[tuple[datetime, Decimal]]:
        """The client's markups and when each was set, oldest first (0 from registration)."""
        return list(self._markups.get(client_id, ()))

    def markups_between(self, client_id: UUID, start: datetime,
                        end: datetime) -> list[Decimal]:
        """As ``prices_between``, for the client's markup (0 before any was set)."""
        moments = self._markup_moments_of(client_id)
        first = bisect.bisect_right(moments, start)
        found = [markup for _, markup in
                 self._markups.get(client_id, [])[max(first - 1, 0):
                                                  bisect.bisect_right(moments, end)]]
        return list(dict.fromkeys(found if first else [Decimal(0), *found]))

    def markup(self, client_id: UUID, at: datetime) -> Decimal:
        moments = self._markup_moments_of(client_id)
        index = bisect.bisect_right(moments, at)
        return self._markups[client_id][index - 1][1] if index else Decimal(0)


EARLIEST = datetime.min.replace(tzinfo=UTC)
LATEST = datetime.max.replace(tzinfo=UTC)


def _span(moments: list[datetime], at: datetime,
          tolerance: timedelta) -> tuple[datetime, datetime]:
    """A bisection over ``moments`` gives the same answer for every t between two of them
    (sorted or not), and one over them at ``t - tolerance`` for every t between two of
    them shifted by ``tolerance``: the stretch is bounded by the nearest of both."""
    edges = sorted({*moments, *(m + tolerance for m in moments)})
    index = bisect.bisect_right(edges, at)
    return (edges[index - 1] if index else EARLIEST,
            edges[index] if index < len(edges) else LATEST)
