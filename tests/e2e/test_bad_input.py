"""Bad input of every kind gets a clear 4xx, never a 500, and never corrupts the ledger."""

from __future__ import annotations

import socket

import httpx
import orjson
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

pytestmark = pytest.mark.slow

# Values any JSON encoder can write: 64-bit integers, finite floats.
json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**63), 2**63 - 1)
    | st.floats(allow_nan=False, allow_infinity=False) | st.text(),
    lambda children: st.lists(children, max_size=4)
    | st.dictionaries(st.text(max_size=12), children, max_size=4),
    max_leaves=20)
bodies = st.one_of(
    json_values,
    st.fixed_dictionaries({"model": json_values, "messages": json_values}),
    st.fixed_dictionaries({"model": st.just("sim-model"), "messages": json_values,
                           "stream": json_values, "stream_options": json_values}))
FUZZ = settings(max_examples=60, deadline=None, database=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture])


def post(proxy, path: str, content: bytes, **headers: str) -> httpx.Response:
    return httpx.post(f"{proxy.running.url}{path}", content=content, timeout=30,
                      headers={"Authorization": f"Bearer {proxy.key}",
                               "content-type": "application/json", **headers})


@FUZZ
@given(body=bodies, path=st.sampled_from(["/v1/chat/completions", "/v1/completions",
                                          "/v1/embeddings", "/v1/responses"]))
def test_random_json_bodies_never_get_a_server_error(proxy, body, path):
    response = post(proxy, path, orjson.dumps(body))

    assert response.status_code < 500 or response.status_code in (502, 504), response.text
    if response.status_code >= 400:
        assert set(response.json()["error"]) >= {"message", "type", "param", "code"}


@FUZZ
@given(body=json_values)
def test_random_admin_bodies_are_201_or_a_422_naming_a_field(proxy, body):
    from tests.conftest import ADMIN_TOKEN

    response = httpx.post(f"{proxy.running.url}/admin/v1/clients", json=body, timeout=30,
                          headers={"Authorization": f"Bearer {ADMIN_TOKEN}"})

    assert response.status_code in (201, 422), response.text


@pytest.mark.parametrize("content", [
    b"[" * 100_000,                          # nested far beyond any parser's depth
    b'{"model": "\xff\xfe", "messages": []}',  # invalid UTF-8
    b"\x00\x01\x02",
    b"",
])
def test_malformed_bodies_are_400(proxy, content):
    response = post(proxy, "/v1/chat/completions", content)

    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid_json"


def test_huge_and_injected_headers_are_refused_cleanly(proxy):
    huge = post(proxy, "/v1/chat/completions", b"{}", **{"X-Session-Id": "x" * 200_000})
    with socket.create_connection(("127.0.0.1", proxy.running.port), timeout=10) as raw:
        raw.sendall(b"POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\n"
                    b"Authorization: Bearer " + proxy.key.encode() + b"\r\n"
                    b"X-Session-Id: a\rInjected: yes\r\nContent-Length: 2\r\n\r\n{}")
        injected = raw.recv(4096)

    assert huge.status_code < 500
    assert injected.split(b" ")[1] in (b"400", b"431")
    assert proxy.gateway.usage_writer.healthy


def test_after_all_that_the_ledger_is_whole(proxy):
    post(proxy, "/v1/chat/completions", b"[" * 10_000)

    reply = httpx.post(f"{proxy.running.url}/v1/chat/completions", timeout=30,
                       headers={"Authorization": f"Bearer {proxy.key}"},
                       json={"model": "sim-model", "messages": [{"role": "user",
                                                                 "content": "ok?"}]})

    events = proxy.usage_events(at_least=2)
    assert reply.status_code == 200
    assert [e.status for e in events] == [400, 200]
