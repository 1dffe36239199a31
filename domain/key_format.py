"""The text form of gateway keys and admin tokens, and the hash that stands for them.

Secrets are 256 random bits, so a fast hash is as safe as a slow one and keeps key checks
on the proxy's hot path in microseconds; only a hash is ever stored.
"""

from __future__ import annotations

import hashlib
import hmac
import re

from domain.api_key import KEY_PREFIX

ADMIN_TOKEN_PREFIX = "llm_gw_admin_"
KEY_PATTERN = re.compile(r"^llm_gw_([a-z0-9]{12})_([A-Za-z0-9]{32,128})$")


def format_key(public_id: str, secret: str) -> str:
    return f"{KEY_PREFIX}{public_id}_{secret}"


def parse_key(text: str) -> tuple[str, str] | None:
    """``(public_id, secret)`` of a well-formed key, else None."""
    match = KEY_PATTERN.match(text)
    return (match.group(1), match.group(2)) if match else None


def hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def secret_matches(secret: str, secret_hash: str) -> bool:
    """Constant-time, so timing says nothing about how much of a hash matched."""
    return hmac.compare_digest(hash_secret(secret), secret_hash)
