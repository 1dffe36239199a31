"""Where the dashboard is mounted, and links within it."""

from __future__ import annotations

PREFIX = "/dashboard"


def href(path: str) -> str:
    return PREFIX + path
