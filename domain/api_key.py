"""ApiKey: a client's gateway key, held only as a hash of its secret.

A key reads ``llm_gw_<public id>_<secret>``. The public id finds the key in O(1) and is safe
to display; the secret is checked against a hash. Regenerating keeps the public id and may
let the previous secret work for a grace period, so a client can roll its workflows over.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from domain.errors import Conflict, InvalidInput
from domain.ids import api_key_id_for_public_id

KEY_PREFIX = "llm_gw_"
MAX_GRACE_SECONDS = 30 * 24 * 3600


class ApiKey(Aggregate):
    @staticmethod
    def create_id(public_id: str, **_: object) -> UUID:
        return api_key_id_for_public_id(public_id)

    @event("Issued")
    def __init__(self, workspace_id: UUID, client_id: UUID, public_id: str, secret_hash: str,
                 name: str, expires_at: datetime | None) -> None:
        self.workspace_id = workspace_id
        self.client_id = client_id
        self.public_id = public_id
        self.secret_hash = secret_hash
        self.name = name
        self.expires_at = expires_at
        self.previous_secret_hash: str | None = None
        self.previous_valid_until: datetime | None = None
        self.revoked_at: datetime | None = None
        self.revoked_reason: str | None = None
        self.expired_at: datetime | None = None

    @classmethod
    def issue(cls, workspace_id: UUID, client_id: UUID, public_id: str, secret_hash: str,
              name: str, expires_at: datetime | None, now: datetime) -> ApiKey:
        return cls(workspace_id=workspace_id, client_id=client_id, public_id=public_id,
                   secret_hash=secret_hash, name=_checked_name(name),
                   expires_at=_checked_expiry(expires_at, now))

    @property
    def revoked(self) -> bool:
        return self.revoked_at is not None

    def regenerate(self, secret_hash: str, grace_seconds: int, now: datetime) -> None:
        if self.revoked:
            raise Conflict("a revoked key cannot be regenerated")
        if not 0 <= grace_seconds <= MAX_GRACE_SECONDS:
            raise InvalidInput("grace_seconds must be between 0 and 2592000 (30 days)",
                               field="grace_seconds")
        self._regenerated(secret_hash=secret_hash,
                          previous_valid_until=now + timedelta(seconds=grace_seconds)
                          if grace_seconds else None)

    @event("Regenerated")
    def _regenerated(self, secret_hash: str, previous_valid_until: datetime | None) -> None:
        self.previous_secret_hash = self.secret_hash if previous_valid_until else None
        self.previous_valid_until = previous_valid_until
        self.secret_hash = secret_hash

    def revoke(self, reason: str | None, now: datetime) -> None:
        if self.revoked:
            raise Conflict("key is already revoked")
        self._revoked(revoked_at=now, reason=(reason or "").strip() or None)

    @event("Revoked")
    def _revoked(self, revoked_at: datetime, reason: str | None) -> None:
        self.revoked_at = revoked_at
        self.revoked_reason = reason

    def is_past_expiry(self, now: datetime) -> bool:
        return self.expires_at is not None and self.expires_at <= now

    def mark_expired(self, now: datetime) -> bool:
        """Records, once, that the expiry has passed; returns whether it did."""
        if self.revoked or self.expired_at is not None or not self.is_past_expiry(now):
            return False
        self._expired(expired_at=now)
        return True

    @event("Expired")
    def _expired(self, expired_at: datetime) -> None:
        self.expired_at = expired_at

    def set_expiry(self, expires_at: datetime | None, now: datetime) -> None:
        if self.revoked:
            raise Conflict("a revoked key cannot change its expiry")
        self._expiry_set(expires_at=_checked_expiry(expires_at, now))

    @event("ExpirySet")
    def _expiry_set(self, expires_at: datetime | None) -> None:
        self.expires_at = expires_at
        self.expired_at = None


def _checked_name(name: str) -> str:
    name = (name or "").strip()
    if not name or len(name) > 100:
        raise InvalidInput("name must be 1 to 100 characters", field="name")
    return name


def _checked_expiry(expires_at: datetime | None, now: datetime) -> datetime | None:
    if expires_at is None:
        return None
    if expires_at.tzinfo is None:
        raise InvalidInput("expires_at must carry a time zone", field="expires_at")
    if expires_at <= now:
        raise InvalidInput("expires_at must be in the future", field="expires_at")
    return expires_at
