"""Use cases on a workspace: create, rename, provider settings, admin tokens."""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from application.ports import AggregateStore, SecretCipher, SecretGenerator
from domain.errors import Conflict, InvalidInput
from domain.key_format import ADMIN_TOKEN_PREFIX, hash_secret
from domain.workspace import Workspace


@dataclass
class WorkspaceCommands:
    store: AggregateStore
    cipher: SecretCipher
    secrets: SecretGenerator

    def create(self, name: str, workspace_id: UUID | None = None) -> Workspace:
        if workspace_id is not None and self.store.exists(workspace_id):
            raise Conflict(f"workspace {workspace_id} already exists")
        workspace = Workspace.create(name, id=workspace_id)
        self.store.save(workspace)
        return workspace

    def rename(self, workspace_id: UUID, name: str) -> Workspace:
        workspace = self.store.get(workspace_id, Workspace)
        workspace.rename(name)
        self.store.save(workspace)
        return workspace

    def set_provider(self, workspace_id: UUID, base_url: str | None = None,
                     timeout_seconds: float | None = None,
                     api_key: str | None = None) -> Workspace:
        """Fields left None keep their value; the API key is only ever written."""
        workspace = self.store.get(workspace_id, Workspace)
        encrypted, last4 = None, None
        if api_key is not None:
            api_key = api_key.strip()
            if len(api_key) < 8 or any(c.isspace() for c in api_key):
                raise InvalidInput("api_key must be at least 8 characters with no spaces",
                                   field="api_key")
            encrypted, last4 = self.cipher.encrypt(api_key), api_key[-4:]
        workspace.change_provider_settings(
            base_url=workspace.provider_base_url if base_url is None else base_url,
            timeout_seconds=workspace.provider_timeout_seconds
            if timeout_seconds is None else timeout_seconds,
            encrypted_key=encrypted,
            key_last4=last4,
        )
        self.store.save(workspace)
        return workspace

    def issue_admin_token(self, workspace_id: UUID, name: str,
                          plaintext: str | None = None) -> str:
        """Returns the token, shown once; ``plaintext`` adopts a token set by an operator."""
        token = plaintext or ADMIN_TOKEN_PREFIX + self.secrets.secret()
        workspace = self.store.get(workspace_id, Workspace)
        workspace.issue_admin_token(hash_secret(token), name)
        self.store.save(workspace)
        return token

    def ensure_admin_token(self, workspace_id: UUID, plaintext: str, name: str) -> None:
        workspace = self.store.get(workspace_id, Workspace)
        if hash_secret(plaintext) not in workspace.admin_token_hashes:
            workspace.issue_admin_token(hash_secret(plaintext), name)
            self.store.save(workspace)
