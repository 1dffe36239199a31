"""Development conveniences: secrets generated once into the data directory.

Only in GATEWAY_ENV=development. The file is readable by its owner alone; production
refuses to start without secrets set explicitly.
"""

from __future__ import annotations

import json
import os
import secrets
from dataclasses import dataclass
from pathlib import Path

DEV_FILE = "dev-secrets.json"
DEV_STAFF_EMAIL = "admin@example.com"


@dataclass(frozen=True)
class DevSecrets:
    secret_key: str
    admin_token: str
    staff_email: str
    staff_password: str


def load_or_create_dev_secrets(data_dir: Path) -> DevSecrets:
    path = data_dir / DEV_FILE
    if path.exists():
        return DevSecrets(**json.loads(path.read_text()))
    data_dir.mkdir(parents=True, exist_ok=True)
    created = DevSecrets(
        secret_key=secrets.token_urlsafe(32),
        admin_token="llm_gw_admin_" + secrets.token_urlsafe(32).replace("-", "x").replace("_", "y"),
        staff_email=DEV_STAFF_EMAIL,
        staff_password=secrets.token_urlsafe(12),
    )
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "w") as file:
        json.dump(created.__dict__, file)
    return created
