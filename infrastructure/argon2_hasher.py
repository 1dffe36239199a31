"""Staff passwords: argon2id via argon2-cffi."""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError


class Argon2PasswordHasher:
    def __init__(self, *, fast_for_tests: bool = False):
        # Tests hash many passwords; production keeps the library's recommended cost.
        self._hasher = (PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
                        if fast_for_tests else PasswordHasher())

    def hash(self, password: str) -> str:
        return self._hasher.hash(password)

    def verify(self, password_hash: str, password: str) -> bool:
        try:
            return self._hasher.verify(password_hash, password)
        except (VerificationError, InvalidHashError):
            return False
