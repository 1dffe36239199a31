"""Provider keys at rest: Fernet (AES-128-CBC + HMAC-SHA256) under a key derived by HKDF."""

from __future__ import annotations

import base64

from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from domain.errors import GatewayError


class FernetSecretCipher:
    def __init__(self, secret_key: str):
        derived = HKDF(algorithm=hashes.SHA256(), length=32, salt=None,
                       info=b"llm-gateway provider-key v1").derive(secret_key.encode())
        self._fernet = Fernet(base64.urlsafe_b64encode(derived))

    def encrypt(self, plaintext: str) -> str:
        return self._fernet.encrypt(plaintext.encode()).decode()

    def decrypt(self, ciphertext: str) -> str:
        try:
            return self._fernet.decrypt(ciphertext.encode()).decode()
        except InvalidToken:
            raise GatewayError(
                "the provider key cannot be decrypted: GATEWAY_SECRET_KEY changed since it "
                "was set; set the provider key again", code="provider_key_unreadable") from None
