"""Writes from the dashboard: the role is checked here, on the server, before the command.

Commands are the application's own (the admin API calls the same ones). What they refuse,
a bad value, a clash, a missing permission, comes back as a message to show, never as a
callback error.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from dash import html

from dashboard.components.widgets import notice
from dashboard.security.roles import Permission
from dashboard.security.viewer import Viewer
from domain.errors import GatewayError


@dataclass(frozen=True)
class Outcome:
    ok: bool
    message: str
    value: Any = None

    def notice(self, notice_id: str | None = None) -> html.Div:
        return notice(self.message, "success" if self.ok else "error", notice_id)


def perform(viewer: Viewer, permission: Permission, command: Callable[[], Any],
            success: str | Callable[[Any], str]) -> Outcome:
    try:
        viewer.require(permission)
        value = command()
    except GatewayError as error:
        field = f" ({error.field})" if error.field else ""
        return Outcome(False, f"Not saved{field}: {error.message}")
    message = success(value) if callable(success) else success
    return Outcome(True, message, value)
