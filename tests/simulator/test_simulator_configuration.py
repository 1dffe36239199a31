import time

import openai
import pytest

from simulator import SimulatorConfig

HELLO = [{"role": "user", "content": "hello"}]


def test_api_key_is_required_when_configured(start_simulator, client_for):
    simulator = start_simulator(SimulatorConfig(api_key="sk-right"))

    with pytest.raises(openai.AuthenticationError) as raised:
        client_for(simulator, api_key="sk-wrong").models.list()
    models = client_for(simulator, api_key="sk-right").models.list()

    assert raised.value.code == "invalid_api_key"
    assert models.data


def test_error_rate_fails_every_nth_request_deterministically(start_simulator, client_for):
    client = client_for(start_simulator(SimulatorConfig(error_rate=0.5)))
    outcomes = []

    for _ in range(4):
        try:
            client.chat.completions.create(model="gpt-4o", messages=HELLO)
            outcomes.append("ok")
        except openai.InternalServerError:
            outcomes.append("500")

    assert outcomes == ["ok", "500", "ok", "500"]


def test_latency_delays_every_answer(start_simulator, client_for):
    client = client_for(start_simulator(SimulatorConfig(latency_ms=200)))
    started = time.perf_counter()

    client.chat.completions.create(model="gpt-4o", messages=HELLO)

    assert time.perf_counter() - started >= 0.2


def test_tokens_per_second_paces_stream_chunks(start_simulator, client_for):
    client = client_for(start_simulator(SimulatorConfig(tokens_per_second=50)))
    started = time.perf_counter()

    list(client.chat.completions.create(model="gpt-4o", messages=HELLO, max_tokens=6, stream=True))

    assert time.perf_counter() - started >= 5 / 50


def test_completion_tokens_sets_the_default_answer_length(start_simulator, client_for):
    client = client_for(start_simulator(SimulatorConfig(completion_tokens=3)))

    completion = client.chat.completions.create(model="gpt-4o", messages=HELLO)

    assert completion.usage.completion_tokens == 3


def test_stream_usage_can_be_switched_off_like_some_compatible_servers(start_simulator, client_for):
    client = client_for(start_simulator(SimulatorConfig(send_stream_usage=False)))

    chunks = list(
        client.chat.completions.create(
            model="gpt-4o", messages=HELLO, stream=True, stream_options={"include_usage": True}
        )
    )
    whole = client.chat.completions.create(model="gpt-4o", messages=HELLO)

    assert all(chunk.usage is None for chunk in chunks)
    assert whole.usage.completion_tokens == 16
