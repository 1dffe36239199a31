from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from proxy_api.app import create_app
from tests.conftest import ADMIN_TOKEN
from tests.e2e.proxy_fixtures import setup_proxy


@pytest.fixture
def admin(gateway):
    """An HTTP client of the admin API, signed in to the default workspace."""
    with TestClient(create_app(gateway), base_url="http://gateway") as client:
        client.headers["Authorization"] = f"Bearer {ADMIN_TOKEN}"
        yield client


@pytest.fixture
def proxy(gateway):
    """A running gateway in front of the simulator, with a client and a key."""
    setup = setup_proxy(gateway)
    yield setup
    setup.close()
