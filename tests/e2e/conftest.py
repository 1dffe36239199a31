from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from proxy_api.app import create_app
from tests.conftest import ADMIN_TOKEN


@pytest.fixture
def admin(gateway):
    """An HTTP client of the admin API, signed in to the default workspace."""
    with TestClient(create_app(gateway), base_url="http://gateway") as client:
        client.headers["Authorization"] = f"Bearer {ADMIN_TOKEN}"
        yield client
