from simulator.tokens import count_tokens

USER_HELLO = [{"role": "user", "content": "Hello there, simulator!"}]


def test_chat_completion_answers_with_default_length_and_exact_usage(client):
    completion = client.chat.completions.create(model="gpt-4o-mini", messages=USER_HELLO)

    choice = completion.choices[0]
    assert completion.object == "chat.completion"
    assert completion.id.startswith("chatcmpl-sim-")
    assert completion.model == "gpt-4o-mini"
    assert choice.message.role == "assistant"
    assert choice.finish_reason == "stop"
    assert completion.usage.completion_tokens == 16
    assert count_tokens(choice.message.content) == 16
    assert completion.usage.prompt_tokens == count_tokens(USER_HELLO[0]["content"]) + 3
    assert completion.usage.total_tokens == completion.usage.prompt_tokens + 16
    assert completion.usage.prompt_tokens_details.cached_tokens == 0
    assert completion.usage.completion_tokens_details.reasoning_tokens == 0


def test_chat_completion_takes_max_tokens_as_answer_length(client):
    completion = client.chat.completions.create(
        model="gpt-4o", messages=USER_HELLO, max_completion_tokens=5
    )

    assert completion.usage.completion_tokens == 5


def test_prompt_tokens_count_text_parts_of_every_message(client):
    messages = [
        {"role": "system", "content": "Be brief."},
        {"role": "user", "content": [{"type": "text", "text": "12345678"}]},
    ]

    completion = client.chat.completions.create(model="gpt-4o", messages=messages)

    assert completion.usage.prompt_tokens == (3 + 3) + (2 + 3)


def test_stream_sends_role_then_one_chunk_per_token_then_finish(client):
    stream = client.chat.completions.create(
        model="gpt-4o-mini", messages=USER_HELLO, max_tokens=4, stream=True
    )

    chunks = list(stream)
    assert chunks[0].choices[0].delta.role == "assistant"
    assert [len(chunk.choices[0].delta.content) for chunk in chunks[1:-1]] == [4, 4, 4, 4]
    assert all(chunk.object == "chat.completion.chunk" for chunk in chunks)
    assert chunks[-1].choices[0].finish_reason == "stop"
    assert all(chunk.usage is None for chunk in chunks)


def test_stream_sends_usage_chunk_only_when_asked(client):
    stream = client.chat.completions.create(
        model="gpt-4o-mini",
        messages=USER_HELLO,
        max_tokens=3,
        stream=True,
        stream_options={"include_usage": True},
    )

    chunks = list(stream)
    usage_chunk = chunks[-1]
    assert usage_chunk.choices == []
    assert usage_chunk.usage.completion_tokens == 3
    assert usage_chunk.usage.total_tokens == usage_chunk.usage.prompt_tokens + 3
    assert all(chunk.usage is None for chunk in chunks[:-1])


def test_streamed_text_equals_the_non_streamed_text(client):
    whole = client.chat.completions.create(model="gpt-4o", messages=USER_HELLO)
    stream = client.chat.completions.create(model="gpt-4o", messages=USER_HELLO, stream=True)

    streamed = "".join(chunk.choices[0].delta.content or "" for chunk in stream)

    assert streamed == whole.choices[0].message.content
