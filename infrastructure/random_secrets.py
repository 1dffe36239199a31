"""Key material from the operating system's CSPRNG."""

from __future__ import annotations

import secrets
import string

_PUBLIC_ALPHABET = string.ascii_lowercase + string.digits
_SECRET_ALPHABET = string.ascii_letters + string.digits
PUBLIC_ID_LENGTH = 12
SECRET_LENGTH = 43  # 43 of 62 symbols carries 256 bits


class RandomSecretGenerator:
    def public_id(self) -> str:
        return "".join(secrets.choice(_PUBLIC_ALPHABET) for _ in range(PUBLIC_ID_LENGTH))

    def secret(self) -> str:
        return "".join(secrets.choice(_SECRET_ALPHABET) for _ in range(SECRET_LENGTH))
