"""Shared fixtures: a gateway on each backend, each test in a database of its own."""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import psycopg
import pytest

from infrastructure.argon2_hasher import Argon2PasswordHasher
from infrastructure.bootstrap import Gateway, build_gateway, ensure_default_workspace
from infrastructure.settings import GatewaySettings

POSTGRES_ADMIN_CONNINFO = os.environ.get(
    "TEST_POSTGRES_CONNINFO", "host=127.0.0.1 port=5432 user=root dbname=test")
ADMIN_TOKEN = "llm_gw_admin_test_token_0123456789abcdef0123456789"
SECRET_KEY = "test-secret-key-0123456789abcdef0123456789"


def _postgres_admin() -> psycopg.Connection:
    """PostgreSQL runs on every machine of this project: no connection is a failure."""
    try:
        return psycopg.connect(POSTGRES_ADMIN_CONNINFO, autocommit=True, connect_timeout=5)
    except psycopg.OperationalError as error:
        pytest.fail(f"PostgreSQL is required at {POSTGRES_ADMIN_CONNINFO}: {error}")


@pytest.fixture
def postgres_url() -> Iterator[str]:
    name = f"gw_test_{uuid.uuid4().hex[:12]}"
    with _postgres_admin() as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    info = dict(p.split("=", 1) for p in POSTGRES_ADMIN_CONNINFO.split())
    yield f"postgresql://{info['user']}@{info['host']}:{info['port']}/{name}"
    with _postgres_admin() as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path}/gateway.db"


@pytest.fixture(params=["sqlite", "postgres"])
def database_url(request: pytest.FixtureRequest) -> str:
    if request.param == "postgres":
        return request.getfixturevalue("postgres_url")
    return request.getfixturevalue("sqlite_url")


def settings_for(database_url: str, data_dir: Path, **overrides: object) -> GatewaySettings:
    return GatewaySettings(database_url=database_url, data_dir=data_dir, secret_key=SECRET_KEY,
                           admin_token=ADMIN_TOKEN, follow_interval_seconds=0.05,
                           **overrides)  # type: ignore[arg-type]


@pytest.fixture
def make_gateway(tmp_path: Path) -> Iterator[Callable[..., Gateway]]:
    """Builds gateways that are closed at the end of the test."""
    opened: list[Gateway] = []

    def make(database_url: str, **overrides: object) -> Gateway:
        gateway = build_gateway(settings_for(database_url, tmp_path, **overrides),
                                hasher=Argon2PasswordHasher(fast_for_tests=True))
        ensure_default_workspace(gateway)
        opened.append(gateway)
        return gateway

    yield make
    for gateway in opened:
        gateway.close()


@pytest.fixture
def memory_gateway(make_gateway: Callable[..., Gateway]) -> Gateway:
    return make_gateway("memory://")


@pytest.fixture
def gateway(make_gateway: Callable[..., Gateway], database_url: str) -> Gateway:
    return make_gateway(database_url)


@pytest.fixture
def proxy(gateway):
    """A running gateway in front of the simulator, with a client and a key."""
    from tests.e2e.proxy_fixtures import setup_proxy

    setup = setup_proxy(gateway)
    yield setup
    setup.close()
