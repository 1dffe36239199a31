"""schemathesis against the gateway's own OpenAPI: no operation answers 500.

Its pytest plugin does not run on this pytest (9.2), so the operations are driven by
hand: one hypothesis run per operation, with cases drawn from its schema.
"""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings

from proxy_api.app import create_app
from tests.conftest import ADMIN_TOKEN

pytestmark = pytest.mark.slow


def test_no_operation_answers_a_server_error(make_gateway, sqlite_url):
    schema = schemathesis.openapi.from_asgi("/openapi.json", create_app(make_gateway(sqlite_url)))
    failures: list[str] = []
    statuses: list[int] = []
    operations = [result.ok() for result in schema.get_all_operations()]

    for operation in operations:
        @given(case=operation.as_strategy())
        @settings(max_examples=15, deadline=None, database=None,
                  suppress_health_check=list(HealthCheck))
        def exercise(case) -> None:
            response = case.call(headers={"Authorization": f"Bearer {ADMIN_TOKEN}"})
            statuses.append(response.status_code)
            if response.status_code >= 500:
                failures.append(f"{case.method} {case.formatted_path}: "
                                f"{response.status_code} {response.text[:200]}")

        exercise()

    assert len(operations) > 20
    assert len(statuses) > 10 * len(operations)
    assert {200, 201, 404, 422} <= set(statuses)  # valid, unknown and invalid cases all ran
    assert failures == []
