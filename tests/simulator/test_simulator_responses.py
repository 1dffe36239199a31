import openai
import pytest


def test_response_create_returns_a_completed_response_with_usage(client):
    response = client.responses.create(model="gpt-4o", input="12345678", max_output_tokens=7)

    assert response.id.startswith("resp_sim_")
    assert response.status == "completed"
    assert response.output[0].role == "assistant"
    assert response.output_text.count(" ") == 7
    assert response.usage.input_tokens == 2 + 3
    assert response.usage.output_tokens == 7
    assert response.usage.total_tokens == 12
    assert response.tool_choice == "auto"


def test_response_retrieve_returns_the_created_response(client):
    created = client.responses.create(model="gpt-4o", input="Remember me")

    retrieved = client.responses.retrieve(created.id)

    assert retrieved.id == created.id
    assert retrieved.output_text == created.output_text
    assert retrieved.usage == created.usage


def test_response_input_items_lists_the_input_as_messages_newest_first(client):
    conversation = [
        {"role": "user", "content": "first"},
        {"role": "assistant", "content": "second"},
        {"role": "user", "content": [{"type": "input_text", "text": "third"}]},
    ]
    created = client.responses.create(model="gpt-4o", input=conversation)

    items = list(client.responses.input_items.list(created.id))

    assert [item.type for item in items] == ["message"] * 3
    assert [item.content[0].text for item in items] == ["third", "second", "first"]


def test_deleted_response_can_no_longer_be_retrieved(client):
    created = client.responses.create(model="gpt-4o", input="short-lived")

    client.responses.delete(created.id)

    with pytest.raises(openai.NotFoundError):
        client.responses.retrieve(created.id)


def test_cancel_returns_the_stored_response(client):
    created = client.responses.create(model="gpt-4o", input="x")

    cancelled = client.responses.cancel(created.id)

    assert cancelled.id == created.id


def test_response_stream_emits_the_event_sequence_with_usage_at_the_end(client):
    stream = client.responses.create(model="gpt-4o", input="Stream it", stream=True)

    events = list(stream)

    types = [event.type for event in events]
    assert types[:4] == [
        "response.created",
        "response.in_progress",
        "response.output_item.added",
        "response.content_part.added",
    ]
    assert types.count("response.output_text.delta") == 16
    assert types[-4:] == [
        "response.output_text.done",
        "response.content_part.done",
        "response.output_item.done",
        "response.completed",
    ]
    assert [event.sequence_number for event in events] == list(range(len(events)))
    deltas = "".join(event.delta for event in events if event.type == "response.output_text.delta")
    assert deltas == events[-4].text
    assert events[-1].response.usage.output_tokens == 16


def test_tokens_directive_beyond_max_output_tokens_makes_the_response_incomplete(client):
    response = client.responses.create(
        model="gpt-4o", input="[[sim:tokens=50]]", max_output_tokens=3
    )

    assert response.status == "incomplete"
    assert response.incomplete_details.reason == "max_output_tokens"
    assert response.usage.output_tokens == 3
