import pytest

from simulator import SimulatorConfig


def test_text_completion_answers_with_usage(client):
    completion = client.completions.create(model="gpt-4o-mini", prompt="12345678", max_tokens=6)

    assert completion.object == "text_completion"
    assert completion.choices[0].finish_reason == "stop"
    assert completion.usage.prompt_tokens == 2
    assert completion.usage.completion_tokens == 6


def test_text_completion_streams_one_chunk_per_token_and_usage_when_asked(client):
    stream = client.completions.create(
        model="gpt-4o-mini",
        prompt="Say something",
        max_tokens=5,
        stream=True,
        stream_options={"include_usage": True},
    )

    chunks = list(stream)
    assert len([chunk for chunk in chunks if chunk.choices and chunk.choices[0].text]) == 5
    assert chunks[-2].choices[0].finish_reason == "stop"
    assert chunks[-1].usage.completion_tokens == 5


def test_embeddings_default_to_base64_and_decode_to_the_float_vectors(client):
    inputs = ["alpha", "beta"]

    as_base64 = client.embeddings.create(model="text-embedding-3-small", input=inputs)
    as_floats = client.embeddings.create(
        model="text-embedding-3-small", input=inputs, encoding_format="float"
    )

    assert [item.index for item in as_base64.data] == [0, 1]
    for decoded, floats in zip(as_base64.data, as_floats.data, strict=True):
        assert len(decoded.embedding) == 8
        assert decoded.embedding == pytest.approx(floats.embedding, abs=1e-6)
    assert as_base64.data[0].embedding != as_base64.data[1].embedding
    assert as_floats.usage.prompt_tokens == 2 + 1  # "alpha" is five characters
    assert as_floats.usage.total_tokens == 3


def test_embeddings_are_deterministic_unit_vectors(client):
    first = client.embeddings.create(model="m", input="same", encoding_format="float")
    second = client.embeddings.create(model="m", input="same", encoding_format="float")

    vector = first.data[0].embedding
    assert vector == second.data[0].embedding
    assert sum(value * value for value in vector) == pytest.approx(1.0)


def test_embeddings_count_each_token_id_as_one_token(client):
    embedded = client.embeddings.create(model="m", input=[[1, 2, 3], [4, 5]])

    assert len(embedded.data) == 2
    assert embedded.usage.prompt_tokens == 5


def test_embeddings_follow_requested_and_configured_dimensions(start_simulator, client_for):
    client = client_for(start_simulator(SimulatorConfig(embedding_dimensions=16)))

    configured = client.embeddings.create(model="m", input="x")
    requested = client.embeddings.create(model="m", input="x", dimensions=4)

    assert len(configured.data[0].embedding) == 16
    assert len(requested.data[0].embedding) == 4
