"""The catalog a new workspace starts with, so the quickstart works without setup.

Prices are US dollars per 1M tokens (input, output, cached input) as OpenAI listed them
when this file was written. Staff should check them against their provider's price list;
nothing is fetched at run time.
"""

from __future__ import annotations

DEFAULT_MODELS: tuple[tuple[str, str, str, str | None], ...] = (
    ("gpt-4o-mini", "0.15", "0.60", "0.075"),
    ("gpt-4o", "2.50", "10.00", "1.25"),
    ("gpt-4.1", "2.00", "8.00", "0.50"),
    ("gpt-4.1-mini", "0.40", "1.60", "0.10"),
    ("gpt-4.1-nano", "0.10", "0.40", "0.025"),
    ("gpt-3.5-turbo-instruct", "1.50", "2.00", None),
    ("text-embedding-3-small", "0.02", "0", None),
    ("text-embedding-3-large", "0.13", "0", None),
)
