"""What each staff role may do on the dashboard.

Every role may look at every screen of its own workspace; writes need a permission. The
screens hide the controls a role lacks, and each write checks again on the server, since a
callback request can be forged without the screen.
"""

from __future__ import annotations

from enum import StrEnum

from domain.errors import PermissionDenied
from domain.staff import StaffRole


class Permission(StrEnum):
    MANAGE_CLIENTS = "manage clients"
    MANAGE_KEYS = "manage keys"
    MANAGE_LIMITS = "manage limits"
    MANAGE_SETTINGS = "manage settings"


ROLE_PERMISSIONS: dict[str, frozenset[Permission]] = {
    StaffRole.ADMIN.value: frozenset(Permission),
    StaffRole.OPERATOR.value: frozenset(
        {Permission.MANAGE_CLIENTS, Permission.MANAGE_KEYS, Permission.MANAGE_LIMITS}),
    StaffRole.AUDITOR.value: frozenset(),
}


def role_can(role: str, permission: Permission) -> bool:
    """An unknown role may do nothing."""
    return permission in ROLE_PERMISSIONS.get(role, frozenset())


def require(role: str, permission: Permission) -> None:
    if not role_can(role, permission):
        raise PermissionDenied(f"your role ({role}) is not allowed to {permission.value}")
