"""Staff members sign in to the dashboard; each belongs to one workspace."""

from __future__ import annotations

import re
from enum import StrEnum
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from domain.errors import Conflict, InvalidInput
from domain.ids import staff_id_for_email

EMAIL_PATTERN = re.compile(r"^[^@\s]+@[^@\s]+$")


class StaffRole(StrEnum):
    ADMIN = "admin"
    OPERATOR = "operator"
    AUDITOR = "auditor"


def checked_email(email: str) -> str:
    email = (email or "").strip().lower()
    if not EMAIL_PATTERN.match(email) or len(email) > 254:
        raise InvalidInput("email is not a valid address", field="email")
    return email


def checked_role(role: str) -> StaffRole:
    try:
        return StaffRole(role)
    except ValueError:
        raise InvalidInput("role must be admin, operator or auditor", field="role") from None


class StaffMember(Aggregate):
    @staticmethod
    def create_id(email: str, **_: object) -> UUID:
        return staff_id_for_email(email)

    @event("Added")
    def __init__(self, workspace_id: UUID, email: str, password_hash: str, role: str) -> None:
        self.workspace_id = workspace_id
        self.email = email
        self.password_hash = password_hash
        self.role = role
        self.active = True

    @classmethod
    def add(cls, workspace_id: UUID, email: str, password_hash: str, role: str) -> StaffMember:
        return cls(workspace_id=workspace_id, email=checked_email(email),
                   password_hash=password_hash, role=checked_role(role).value)

    def change_password(self, password_hash: str) -> None:
        self._password_changed(password_hash=password_hash)

    @event("PasswordChanged")
    def _password_changed(self, password_hash: str) -> None:
        self.password_hash = password_hash

    def change_role(self, role: str) -> None:
        new_role = checked_role(role).value
        if new_role == self.role:
            raise Conflict(f"staff member already has role {new_role}")
        self._role_changed(role=new_role)

    @event("RoleChanged")
    def _role_changed(self, role: str) -> None:
        self.role = role
