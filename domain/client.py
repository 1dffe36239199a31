"""Client: one customer of the agency, with its status, limits and markup."""

from __future__ import annotations

from decimal import Decimal
from enum import StrEnum
from typing import Any
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from domain.errors import Conflict, InvalidInput
from domain.limit_policy import LimitPolicy
from domain.money import to_usd
from domain.staff import checked_email

MAX_MARKUP_PERCENT = Decimal(10_000)


class ClientStatus(StrEnum):
    ACTIVE = "active"
    SUSPENDED = "suspended"
    INACTIVE = "inactive"


def checked_profile(name: str, email: str | None, company: str | None,
                    phone: str | None) -> dict[str, Any]:
    name = (name or "").strip()
    if not name or len(name) > 200:
        raise InvalidInput("name must be 1 to 200 characters", field="name")
    for field, value in (("company", company), ("phone", phone)):
        if value is not None and len(value) > 200:
            raise InvalidInput(f"{field} must be at most 200 characters", field=field)
    return {
        "name": name,
        "email": checked_email(email) if email else None,
        "company": (company or "").strip() or None,
        "phone": (phone or "").strip() or None,
    }


class Client(Aggregate):
    @event("Registered")
    def __init__(self, workspace_id: UUID, name: str, email: str | None, company: str | None,
                 phone: str | None) -> None:
        self.workspace_id = workspace_id
        self.name = name
        self.email = email
        self.company = company
        self.phone = phone
        self.status = ClientStatus.ACTIVE.value
        self.status_reason: str | None = None
        self.limit_policy: dict[str, Any] = LimitPolicy().to_primitive()
        self.markup_percent = Decimal(0)

    @classmethod
    def register(cls, workspace_id: UUID, name: str, email: str | None = None,
                 company: str | None = None, phone: str | None = None) -> Client:
        return cls(workspace_id=workspace_id, **checked_profile(name, email, company, phone))

    def update_profile(self, name: str, email: str | None, company: str | None,
                       phone: str | None) -> None:
        self._profile_updated(**checked_profile(name, email, company, phone))

    @event("ProfileUpdated")
    def _profile_updated(self, name: str, email: str | None, company: str | None,
                         phone: str | None) -> None:
        self.name, self.email, self.company, self.phone = name, email, company, phone

    def change_status(self, status: str, reason: str | None) -> None:
        try:
            new_status = ClientStatus(status).value
        except ValueError:
            raise InvalidInput("status must be active, suspended or inactive",
                               field="status") from None
        if new_status == self.status:
            raise Conflict(f"client is already {new_status}")
        self._status_changed(status=new_status, reason=(reason or "").strip() or None)

    @event("StatusChanged")
    def _status_changed(self, status: str, reason: str | None) -> None:
        self.status = status
        self.status_reason = reason

    def set_limit_policy(self, policy: LimitPolicy) -> None:
        self._limit_policy_set(policy=policy.to_primitive())

    @event("LimitPolicySet")
    def _limit_policy_set(self, policy: dict[str, Any]) -> None:
        self.limit_policy = policy

    @property
    def policy(self) -> LimitPolicy:
        return LimitPolicy.from_primitive(self.limit_policy)

    def set_markup(self, markup_percent: object) -> None:
        markup = to_usd(markup_percent, field="markup_percent")
        if markup > MAX_MARKUP_PERCENT:
            raise InvalidInput("markup_percent must be at most 10000", field="markup_percent")
        self._markup_set(markup_percent=markup)

    @event("MarkupSet")
    def _markup_set(self, markup_percent: Decimal) -> None:
        self.markup_percent = markup_percent
