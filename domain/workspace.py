"""Workspace: one agency, with its provider settings and admin tokens."""

from __future__ import annotations

from uuid import UUID

from eventsourcing.domain import Aggregate, event

from domain.errors import Conflict, InvalidInput, NotFound

DEFAULT_PROVIDER_BASE_URL = "https://api.openai.com/v1"
DEFAULT_PROVIDER_TIMEOUT_SECONDS = 60.0


def _checked_name(name: str) -> str:
    name = (name or "").strip()
    if not name or len(name) > 200:
        raise InvalidInput("name must be 1 to 200 characters", field="name")
    return name


class Workspace(Aggregate):
    """The provider key is held only encrypted; ``provider_key_last4`` is what staff may see."""

    @event("Created")
    def __init__(self, name: str, id: UUID | None = None) -> None:  # noqa: A002
        self.name = name
        self.provider_base_url = DEFAULT_PROVIDER_BASE_URL
        self.provider_timeout_seconds = DEFAULT_PROVIDER_TIMEOUT_SECONDS
        self.encrypted_provider_key: str | None = None
        self.provider_key_last4: str | None = None
        self.admin_token_hashes: dict[str, str] = {}

    @classmethod
    def create(cls, name: str, id: UUID | None = None) -> Workspace:  # noqa: A002
        return cls(name=_checked_name(name), id=id)

    def rename(self, name: str) -> None:
        self._renamed(name=_checked_name(name))

    @event("Renamed")
    def _renamed(self, name: str) -> None:
        self.name = name

    def change_provider_settings(
        self,
        base_url: str,
        timeout_seconds: float,
        encrypted_key: str | None,
        key_last4: str | None,
    ) -> None:
        """``encrypted_key`` None keeps the current key: the key is write-only."""
        base_url = (base_url or "").strip().rstrip("/")
        if not base_url.startswith(("http://", "https://")):
            raise InvalidInput("base_url must start with http:// or https://", field="base_url")
        if not 0 < timeout_seconds <= 3600:
            raise InvalidInput("timeout_seconds must be between 0 and 3600",
                               field="timeout_seconds")
        if encrypted_key is None:
            encrypted_key, key_last4 = self.encrypted_provider_key, self.provider_key_last4
        self._provider_settings_changed(
            base_url=base_url,
            timeout_seconds=float(timeout_seconds),
            encrypted_key=encrypted_key,
            key_last4=key_last4,
        )

    @event("ProviderSettingsChanged")
    def _provider_settings_changed(
        self, base_url: str, timeout_seconds: float, encrypted_key: str | None,
        key_last4: str | None,
    ) -> None:
        self.provider_base_url = base_url
        self.provider_timeout_seconds = timeout_seconds
        self.encrypted_provider_key = encrypted_key
        self.provider_key_last4 = key_last4

    def issue_admin_token(self, token_hash: str, name: str) -> None:
        if token_hash in self.admin_token_hashes:
            raise Conflict("this admin token is already issued")
        self._admin_token_issued(token_hash=token_hash, name=_checked_name(name))

    @event("AdminTokenIssued")
    def _admin_token_issued(self, token_hash: str, name: str) -> None:
        self.admin_token_hashes[token_hash] = name

    def revoke_admin_token(self, token_hash: str) -> None:
        if token_hash not in self.admin_token_hashes:
            raise NotFound("no such admin token")
        self._admin_token_revoked(token_hash=token_hash)

    @event("AdminTokenRevoked")
    def _admin_token_revoked(self, token_hash: str) -> None:
        del self.admin_token_hashes[token_hash]
