"""Deterministic ids: uniqueness comes from deriving the aggregate id from its natural key."""

from __future__ import annotations

from uuid import UUID, uuid5

GATEWAY_NAMESPACE = UUID("6f1c0d2e-5b7a-4c1e-9a53-2f4f3b8e7d10")
DEFAULT_WORKSPACE_ID = uuid5(GATEWAY_NAMESPACE, "workspace:default")


def staff_id_for_email(email: str) -> UUID:
    """Staff emails are unique across workspaces, because login starts from the email."""
    return uuid5(GATEWAY_NAMESPACE, f"staff:{email.strip().lower()}")


def api_key_id_for_public_id(public_id: str) -> UUID:
    return uuid5(GATEWAY_NAMESPACE, f"api-key:{public_id}")


def catalog_model_id(workspace_id: UUID, model_id: str) -> UUID:
    return uuid5(GATEWAY_NAMESPACE, f"model:{workspace_id}:{model_id}")
