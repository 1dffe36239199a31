"""Use cases on staff: add members, change roles and passwords, and sign in."""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from application.ports import AggregateStore, PasswordHasher
from application.scoping import get_in_workspace
from domain.errors import AuthenticationFailed, Conflict, InvalidInput, NotFound
from domain.ids import staff_id_for_email
from domain.staff import StaffMember, checked_email
from domain.workspace import Workspace

MIN_PASSWORD_LENGTH = 10


def _checked_password(password: str) -> str:
    if not isinstance(password, str) or len(password) < MIN_PASSWORD_LENGTH:
        raise InvalidInput(f"password must be at least {MIN_PASSWORD_LENGTH} characters",
                           field="password")
    return password


@dataclass
class StaffCommands:
    store: AggregateStore
    hasher: PasswordHasher

    def add(self, workspace_id: UUID, email: str, password: str, role: str) -> StaffMember:
        self.store.get(workspace_id, Workspace)
        email = checked_email(email)
        if self.store.exists(staff_id_for_email(email)):
            raise Conflict(f"a staff member with email {email} already exists")
        member = StaffMember.add(workspace_id, email, self.hasher.hash(_checked_password(password)),
                                 role)
        self.store.save(member)
        return member

    def change_role(self, workspace_id: UUID, staff_id: UUID, role: str) -> StaffMember:
        member = get_in_workspace(self.store, StaffMember, staff_id, workspace_id, "staff member")
        member.change_role(role)
        self.store.save(member)
        return member

    def change_password(self, workspace_id: UUID, staff_id: UUID, password: str) -> StaffMember:
        member = get_in_workspace(self.store, StaffMember, staff_id, workspace_id, "staff member")
        member.change_password(self.hasher.hash(_checked_password(password)))
        self.store.save(member)
        return member

    def authenticate(self, email: str, password: str) -> StaffMember:
        """One message for unknown email and wrong password, so emails cannot be probed."""
        try:
            member = self.store.get(staff_id_for_email(email), StaffMember)
        except (NotFound, InvalidInput):
            self.hasher.hash(password)  # spend the same time as a real check
            raise AuthenticationFailed("wrong email or password") from None
        if not member.active or not self.hasher.verify(member.password_hash, password):
            raise AuthenticationFailed("wrong email or password")
        return member
