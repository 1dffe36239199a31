"""What each staff role may do on the dashboard.

Every role may look at every screen of its own workspace but the restricted ones (the
Audit screen: auditors and admins); writes need a permission. The screens hide the controls
and links a role lacks, and each write or restricted callback checks again on the server,
since a callback request can be forged without the screen.
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


class Screen(StrEnum):
    """A screen only some roles may open; a screen not listed here is open to every role."""

    AUDIT = "Audit"


ROLE_SCREENS: dict[str, frozenset[Screen]] = {
    StaffRole.ADMIN.value: frozenset(Screen),
    StaffRole.OPERATOR.value: frozenset(),
    StaffRole.AUDITOR.value: frozenset({Screen.AUDIT}),
}


def role_can(role: str, permission: Permission) -> bool:
    """An unknown role may do nothing."""
    return permission in ROLE_PERMISSIONS.get(role, frozenset())


def require(role: str, permission: Permission) -> None:
    if not role_can(role, permission):
        raise PermissionDenied(f"your role ({role}) is not allowed to {permission.value}")


def role_sees(role: str, screen: Screen | None) -> bool:
    """``None`` is an unrestricted screen; an unknown role sees no restricted one."""
    return screen is None or screen in ROLE_SCREENS.get(role, frozenset())


def require_screen(role: str, screen: Screen | None) -> None:
    if not role_sees(role, screen):
        raise PermissionDenied(f"your role ({role}) may not open the {screen} page")
