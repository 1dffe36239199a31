"""A statement as CSV: one row per model, key and day, then the total."""

from __future__ import annotations

import csv
import io
from typing import Any

from application.audit.statement import Statement

HEADER = ["group", "name", "requests", "prompt_tokens", "completion_tokens", "provider_cost",
          "billed_cost"]


def statement_csv(statement: Statement) -> str:
    data: dict[str, Any] = statement.as_dict()
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(HEADER)
    for group in ("by_model", "by_key", "by_day"):
        for name, row in data[group].items():
            writer.writerow([group[3:], name, *row.values()])
    writer.writerow(["total", "", *data["total"].values()])
    return out.getvalue()


def statement_filename(statement: Statement, extension: str = "csv") -> str:
    return f"statement-{statement.client_id}-{statement.start.date()}.{extension}"
