"""The signed-in staff member a request acts for, and the one workspace they may see."""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

import flask

from dashboard.security.roles import Permission, require, role_can
from domain.errors import AuthenticationFailed


@dataclass(frozen=True)
class Viewer:
    staff_id: UUID
    email: str
    workspace_id: UUID
    role: str

    def can(self, permission: Permission) -> bool:
        return role_can(self.role, permission)

    def require(self, permission: Permission) -> None:
        require(self.role, permission)


def current_viewer() -> Viewer:
    """Set by the guard before any page or callback runs; absent means not signed in."""
    viewer = flask.g.get("viewer")
    if viewer is None:
        raise AuthenticationFailed("sign in to the dashboard first")
    return viewer
