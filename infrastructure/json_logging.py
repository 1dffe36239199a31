"""Structured logs: one JSON object per line, each with the request id it belongs to.

Prompts, completions and keys are never logged: the proxy only ever hands the logger ids,
statuses and timings.
"""

from __future__ import annotations

import contextvars
import logging
import sys
from datetime import UTC, datetime

import orjson

request_id_var: contextvars.ContextVar[str | None] = contextvars.ContextVar(
    "request_id", default=None)
_STANDARD = set(vars(logging.makeLogRecord({}))) | {"message", "asctime"}


class JsonLineFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "ts": datetime.fromtimestamp(record.created, UTC).isoformat(),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", None) or request_id_var.get(),
        }
        entry.update({k: v for k, v in vars(record).items() if k not in _STANDARD})
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return orjson.dumps(entry, default=str).decode()


def configure_json_logging(level: str = "info", access_log: bool = False) -> None:
    """``access_log`` adds a line per proxied request; the request log read model keeps
    the same facts, so it is off by default to keep the hot path lean."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonLineFormatter())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level.upper())
    for name in ("uvicorn", "uvicorn.error"):
        logging.getLogger(name).handlers[:] = []
        logging.getLogger(name).propagate = True
    access_level = logging.INFO if access_log else logging.WARNING
    logging.getLogger("gateway.access").setLevel(access_level)
    # uvicorn's and httpx's own per-request lines would cost the hot path two formatted
    # lines a request; the gateway's access line (opt-in) says the same with a request id.
    for name in ("uvicorn.access", "httpx", "httpcore"):
        logging.getLogger(name).handlers[:] = []
        logging.getLogger(name).setLevel(logging.WARNING)
