"""Logs are JSON lines with request ids, and hold no secrets or prompt contents."""

from __future__ import annotations

import json
import logging

import openai
import pytest

from domain.ids import DEFAULT_WORKSPACE_ID as WS
from infrastructure.json_logging import JsonLineFormatter

pytestmark = pytest.mark.slow
SECRET_PROMPT = "my secret diagnosis is zebra-42"


@pytest.fixture
def captured_json_logs():
    lines: list[str] = []

    class Capture(logging.Handler):
        def emit(self, record):
            lines.append(JsonLineFormatter().format(record))

    handler = Capture(level=logging.DEBUG)
    root = logging.getLogger()
    previous = root.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    logging.getLogger("gateway.access").setLevel(logging.INFO)
    yield lines
    root.removeHandler(handler)
    root.setLevel(previous)


def test_logs_carry_request_ids_and_no_keys_or_prompts(proxy, captured_json_logs):
    proxy.gateway.workspaces.set_provider(WS, api_key="sk-provider-very-secret-1")
    sdk = proxy.sdk()
    sdk.chat.completions.create(model="sim-model",
                                messages=[{"role": "user", "content": SECRET_PROMPT}])
    with pytest.raises(openai.InternalServerError):
        sdk.chat.completions.create(model="sim-model", messages=[
            {"role": "user", "content": SECRET_PROMPT + " [[sim:error=500]]"}])
    with pytest.raises(openai.AuthenticationError):
        proxy.sdk(key=proxy.key[:-4] + "abcd").models.list()

    text = "\n".join(captured_json_logs)
    access = [json.loads(line) for line in captured_json_logs if '"gateway.access"' in line]
    assert len(access) == 2
    assert all(entry["request_id"].startswith("req_") for entry in access)
    for secret in (SECRET_PROMPT, "zebra-42", proxy.key, proxy.key.split("_")[-1],
                   "sk-provider-very-secret-1", "sk-simulated-0001"):
        assert secret not in text
