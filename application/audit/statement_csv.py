"""A statement as CSV: one row per model, key and day, the total, then each credit or debit
note for an earlier cycle and the amount billed with them."""

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
    for note in data["adjustments"]:
        writer.writerow([note["kind"], f'{note["adjusts_cycle"]} #{note["sequence"]}',
                         note["late_requests"], note["late_prompt_tokens"],
                         note["late_completion_tokens"], note["provider_cost"],
                         note["billed_cost"]])
    if data["adjustments"]:
        writer.writerow(["total with adjustments", "", "", "", "", "",
                         data["billed_with_adjustments"]])
    return out.getvalue()


def statement_filename(statement: Statement, extension: str = "csv") -> str:
    return f"statement-{statement.client_id}-{statement.start.date()}.{extension}"
