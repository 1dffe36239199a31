"""Admin API bodies: *Create / *Update for input, *Public for output."""

from __future__ import annotations

from datetime import datetime
from typing import Literal
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field

Money = str | int | float  # parsed exactly by the domain, returned as a decimal string


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ClientCreate(Strict):
    name: str = Field(min_length=1, max_length=200)
    email: str | None = None
    company: str | None = None
    phone: str | None = None


class ClientUpdate(Strict):
    name: str | None = Field(default=None, min_length=1, max_length=200)
    email: str | None = None
    company: str | None = None
    phone: str | None = None


class StatusChange(Strict):
    status: Literal["active", "suspended", "inactive"]
    reason: str | None = Field(default=None, max_length=500)


class LimitPolicyBody(Strict):
    cycle: Literal["daily", "weekly", "monthly"] = "monthly"
    anchor_day: int = 1
    timezone: str = "UTC"
    max_requests: int | None = Field(default=None, ge=0)
    max_tokens: int | None = Field(default=None, ge=0)
    max_credits: Money | None = None
    max_sessions: int | None = Field(default=None, ge=0)
    enforce: bool = True
    max_calls_per_execution: int | None = Field(default=None, ge=0)
    execution_window_seconds: int = Field(default=3600, gt=0)


class MarkupBody(Strict):
    markup_percent: Money


class ClientPublic(BaseModel):
    id: UUID
    name: str
    email: str | None
    company: str | None
    phone: str | None
    status: str
    status_reason: str | None
    limits: dict[str, object]
    markup_percent: str
    created_at: datetime
    updated_at: datetime


class KeyCreate(Strict):
    name: str = Field(min_length=1, max_length=100)
    expires_at: datetime | None = None


class KeyRegenerate(Strict):
    grace_seconds: int = Field(default=0, ge=0, le=30 * 24 * 3600)


class KeyRevoke(Strict):
    reason: str | None = Field(default=None, max_length=500)


class KeyExpiry(Strict):
    expires_at: datetime | None


class KeyPublic(BaseModel):
    id: UUID
    client_id: UUID
    prefix: str
    name: str
    status: Literal["active", "revoked", "expired"]
    created_at: datetime
    expires_at: datetime | None
    revoked_at: datetime | None
    previous_secret_valid_until: datetime | None


class KeyIssued(KeyPublic):
    key: str = Field(description="The plaintext key. Shown only in this response.")


class ModelUpdate(Strict):
    enabled: bool | None = None
    input_per_million: Money | None = None
    output_per_million: Money | None = None
    cached_input_per_million: Money | None = None
    effective_from: datetime | None = None


class PricePublic(BaseModel):
    version: int
    input_per_million: str
    output_per_million: str
    cached_input_per_million: str | None
    effective_from: datetime


class PriceCorrectionCreate(Strict):
    version: int = Field(ge=1, description="The price version that was wrong.")
    input_per_million: Money
    output_per_million: Money
    cached_input_per_million: Money | None = None
    reason: str = Field(min_length=1, max_length=500)


class PriceCorrectionPublic(BaseModel):
    ref: str
    version: int
    input_per_million: str
    output_per_million: str
    cached_input_per_million: str | None
    reason: str


class ModelPublic(BaseModel):
    id: str
    enabled: bool
    price: PricePublic | None
    price_history: list[PricePublic]
    corrections: list[PriceCorrectionPublic] = []


class ProviderUpdate(Strict):
    base_url: str | None = None
    timeout_seconds: float | None = Field(default=None, gt=0, le=3600)
    api_key: str | None = Field(default=None, description="Write-only; never returned.")


class ProviderPublic(BaseModel):
    base_url: str
    timeout_seconds: float
    api_key_set: bool
    api_key_last4: str | None


class StaffCreate(Strict):
    email: str
    password: str = Field(min_length=10, max_length=200)
    role: Literal["admin", "operator", "auditor"]


class StaffPublic(BaseModel):
    id: UUID
    email: str
    role: str
    active: bool
