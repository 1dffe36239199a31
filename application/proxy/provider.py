"""The provider a workspace forwards to, with its key decrypted once per settings change."""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from application.ports import SecretCipher
from domain.errors import ProviderNotConfigured
from domain.workspace import Workspace

NOT_CONFIGURED = ("The gateway has no provider API key for this workspace. Staff: set it in "
                  "Settings → General, or PUT /admin/v1/settings/provider with an api_key.")


@dataclass(frozen=True, slots=True)
class ProviderConfig:
    base_url: str
    api_key: str
    timeout_seconds: float


class ProviderDirectory:
    def __init__(self, cipher: SecretCipher):
        self._cipher = cipher
        self._cache: dict[UUID, tuple[int, ProviderConfig]] = {}

    def config_for(self, workspace: Workspace) -> ProviderConfig:
        cached = self._cache.get(workspace.id)
        if cached is not None and cached[0] == workspace.version:
            return cached[1]
        if workspace.encrypted_provider_key is None:
            raise ProviderNotConfigured(NOT_CONFIGURED)
        config = ProviderConfig(workspace.provider_base_url,
                                self._cipher.decrypt(workspace.encrypted_provider_key),
                                workspace.provider_timeout_seconds)
        self._cache[workspace.id] = (workspace.version, config)
        return config
