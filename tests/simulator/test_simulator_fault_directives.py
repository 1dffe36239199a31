import time

import httpx
import openai
import pytest


def ask(client, text, **options):
    return client.chat.completions.create(
        model="gpt-4o-mini", messages=[{"role": "user", "content": text}], **options
    )


def test_error_500_directive_raises_internal_server_error(client):
    with pytest.raises(openai.InternalServerError) as raised:
        ask(client, "Please fail [[sim:error=500]]")

    assert raised.value.body["type"] == "server_error"


def test_error_429_directive_raises_rate_limit_error(client):
    with pytest.raises(openai.RateLimitError) as raised:
        ask(client, "[[sim:error=429]]", stream=True)

    assert raised.value.code == "rate_limit_exceeded"


def test_error_400_directive_raises_bad_request_error(client):
    with pytest.raises(openai.BadRequestError):
        client.embeddings.create(model="m", input=["fine", "[[sim:error=400]]"])


def test_directives_are_read_from_the_last_message_only(client):
    messages = [
        {"role": "user", "content": "[[sim:error=500]]"},
        {"role": "user", "content": "all good"},
    ]

    completion = client.chat.completions.create(model="gpt-4o", messages=messages)

    assert completion.choices[0].finish_reason == "stop"


def test_tokens_directive_gives_exactly_that_many_completion_tokens(client):
    completion = ask(client, "[[sim:tokens=37]]")

    assert completion.usage.completion_tokens == 37


def test_tokens_directive_gives_that_many_stream_chunks(client):
    chunks = list(ask(client, "[[sim:tokens=9]]", stream=True))

    assert len([chunk for chunk in chunks if chunk.choices and chunk.choices[0].delta.content]) == 9


def test_tokens_directive_cut_by_max_tokens_finishes_with_length(client):
    completion = ask(client, "[[sim:tokens=40]]", max_tokens=10)

    assert completion.usage.completion_tokens == 10
    assert completion.choices[0].finish_reason == "length"


def test_no_usage_directive_omits_usage_even_when_asked(client):
    whole = ask(client, "[[sim:no_usage]]")
    chunks = list(
        ask(client, "[[sim:no_usage]]", stream=True, stream_options={"include_usage": True})
    )

    assert whole.usage is None
    assert all(chunk.usage is None for chunk in chunks)
    assert chunks[-1].choices[0].finish_reason == "stop"


def test_delay_directive_delays_the_answer(client):
    started = time.perf_counter()

    ask(client, "[[sim:delay_ms=300]]")

    assert time.perf_counter() - started >= 0.3


def test_hang_directive_runs_into_the_client_timeout(simulator, client_for):
    impatient = client_for(simulator, timeout=0.3)

    with pytest.raises(openai.APITimeoutError):
        ask(impatient, "[[sim:hang]]")


def test_reset_directive_drops_the_connection_without_an_answer(client):
    with pytest.raises(openai.APIConnectionError):
        ask(client, "[[sim:reset]]")


def test_reset_directive_drops_a_stream_after_two_chunks(client):
    received = []

    with pytest.raises(openai.APIConnectionError):
        for chunk in ask(client, "[[sim:reset]]", stream=True):
            received.append(chunk)

    assert len(received) == 2


def test_malformed_directive_answers_200_with_a_body_that_is_not_json(simulator):
    body = {"model": "m", "messages": [{"role": "user", "content": "[[sim:malformed]]"}]}

    reply = httpx.post(f"{simulator.base_url}/v1/chat/completions", json=body, timeout=10)

    assert reply.status_code == 200
    with pytest.raises(ValueError):
        reply.json()


def test_malformed_directive_sends_a_stream_chunk_that_is_not_json(simulator):
    body = {
        "model": "m",
        "prompt": "[[sim:malformed]] [[sim:tokens=2]]",
        "stream": True,
    }

    reply = httpx.post(f"{simulator.base_url}/v1/completions", json=body, timeout=10)

    frames = [frame for frame in reply.text.split("\n\n") if frame]
    assert frames[0] == "data: {malformed chunk"
    assert frames[-1] == "data: [DONE]"
