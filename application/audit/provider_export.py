"""Reading a provider's usage or cost export into provider cost per (day, model).

Accepted: a CSV with a day column (``date``, ``day`` or ``start_time``), a model column
(``model`` or ``line_item``) and a cost column (``cost``, ``amount`` or ``amount_value``);
the same keys as a JSON list (or under ``data``); and OpenAI's costs API pages, whose
buckets hold ``results`` with ``amount.value`` and a ``line_item`` like "gpt-4o, input".
"""

from __future__ import annotations

import csv
import io
import json
from collections import defaultdict
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from domain.errors import InvalidInput

DAY_KEYS = ("date", "day", "start_time")
MODEL_KEYS = ("model", "line_item")
COST_KEYS = ("cost", "amount", "amount_value")


def _pick(row: dict[str, Any], keys: tuple[str, ...]) -> Any:
    for key in keys:
        if row.get(key) not in (None, ""):
            return row[key]
    raise InvalidInput(f"an export row has none of the columns {', '.join(keys)}")


def _day(value: Any) -> str:
    if isinstance(value, int | float) or (isinstance(value, str) and value.isdigit()):
        return datetime.fromtimestamp(int(value), UTC).date().isoformat()
    return str(value)[:10]


def _model(value: Any) -> str:
    return str(value).split(",")[0].strip()  # "gpt-4o, input" → "gpt-4o"


def _cost(value: Any) -> Decimal:
    if isinstance(value, dict):
        value = value.get("value")
    return Decimal(str(value))


def _rows(text: str) -> list[dict[str, Any]]:
    stripped = text.lstrip()
    if not stripped.startswith(("[", "{")):
        return list(csv.DictReader(io.StringIO(text)))
    data = json.loads(text)
    rows = data.get("data", data) if isinstance(data, dict) else data
    flat: list[dict[str, Any]] = []
    for row in rows:
        if "results" in row:  # an OpenAI costs bucket
            flat += [{"start_time": row.get("start_time"), **result}
                     for result in row["results"]]
        else:
            flat.append(row)
    return flat


def provider_costs(text: str) -> dict[tuple[str, str], Decimal]:
    totals: dict[tuple[str, str], Decimal] = defaultdict(Decimal)
    for row in _rows(text):
        totals[(_day(_pick(row, DAY_KEYS)), _model(_pick(row, MODEL_KEYS)))] += _cost(
            _pick(row, COST_KEYS))
    return dict(totals)
