"""Printing results for people, or as JSON for scripts (``--json``)."""

from __future__ import annotations

import json
from typing import Any

from pydantic import BaseModel


def _plain(value: Any) -> Any:
    if isinstance(value, BaseModel):
        return value.model_dump(mode="json")
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def emit(value: Any, as_json: bool, columns: tuple[str, ...] = ()) -> None:
    data = _plain(value)
    if as_json:
        print(json.dumps(data, indent=2, default=str))
        return
    rows = data if isinstance(data, list) else [data]
    if not rows:
        print("(none)")
        return
    if isinstance(data, list) and columns:
        widths = [max(len(c), *(len(str(r.get(c, ""))) for r in rows)) for c in columns]
        print("  ".join(c.upper().ljust(w) for c, w in zip(columns, widths, strict=True)))
        for row in rows:
            print("  ".join(str(row.get(c, "")).ljust(w)
                            for c, w in zip(columns, widths, strict=True)))
        return
    for row in rows:
        width = max(len(k) for k in row)
        for name, item in row.items():
            print(f"{name.ljust(width)}  {item}")
        print()
