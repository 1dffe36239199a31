"""Which screen a path shows. Paths are relative to the dashboard's prefix."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from types import ModuleType
from urllib.parse import parse_qs

from dashboard.pages import (
    analytics,
    api_keys,
    audit,
    client_detail,
    clients,
    overview,
    rate_limits,
    settings_general,
    settings_models,
)

PAGES: tuple[ModuleType, ...] = (overview, clients, client_detail, api_keys, rate_limits,
                                 analytics, audit, settings_general, settings_models)
NAVIGATION: tuple[ModuleType, ...] = (overview, clients, api_keys, rate_limits, analytics,
                                      audit, settings_general, settings_models)


@dataclass(frozen=True)
class Route:
    page: ModuleType | None
    path: str
    params: dict[str, str] = field(default_factory=dict)
    query: dict[str, str] = field(default_factory=dict)


def resolve(pathname: str | None, search: str | None, prefix: str) -> Route:
    path = (pathname or "/")
    if path.startswith(prefix.rstrip("/")):
        path = path[len(prefix.rstrip("/")):]
    path = "/" + path.strip("/")
    query = {k: v[0] for k, v in parse_qs((search or "").lstrip("?")).items() if v}
    for page in PAGES:
        match = re.fullmatch(page.PATH, path)
        if match:
            return Route(page, path, match.groupdict(), query)
    return Route(None, path, {}, query)
