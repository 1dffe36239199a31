"""Admin API bodies of the audit: reconciliations and verifications of closed cycles."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel


class DifferencePublic(BaseModel):
    between: str
    what: str
    left: str
    right: str
    request_ids: list[str]


class ReconciliationPublic(BaseModel):
    cycle: str
    start: datetime
    end: datetime
    agrees: bool
    compared: list[str]
    differences: list[DifferencePublic]


class VerificationPublic(BaseModel):
    cycle: str
    intact: bool
    problems: list[str]
    expected_digest: str
    actual_digest: str
    expected_events: int
    actual_events: int
