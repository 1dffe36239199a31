import httpx


def test_recent_requests_show_what_was_forwarded(simulator, client_for):
    client_for(simulator, api_key="sk-forwarded").embeddings.create(model="m", input="look")

    recent = httpx.get(f"{simulator.base_url}/_sim/requests", timeout=10).json()

    assert recent[-1]["path"] == "/v1/embeddings"
    assert recent[-1]["authorization"] == "Bearer sk-forwarded"
    assert recent[-1]["body"]["input"] == "look"


def test_deleting_recent_requests_clears_the_log_but_not_the_count(simulator, client):
    client.models.list()
    client.models.list()

    httpx.delete(f"{simulator.base_url}/_sim/requests", timeout=10)

    assert httpx.get(f"{simulator.base_url}/_sim/requests", timeout=10).json() == []
    assert httpx.get(f"{simulator.base_url}/_sim/stats", timeout=10).json() == {"requests": 2}


def test_malformed_json_request_is_a_400_in_openai_error_shape(simulator):
    reply = httpx.post(
        f"{simulator.base_url}/v1/chat/completions", content=b"{not json", timeout=10
    )

    assert reply.status_code == 400
    assert set(reply.json()["error"]) == {"message", "type", "param", "code"}


def test_unknown_route_is_a_404_in_openai_error_shape(simulator):
    reply = httpx.post(f"{simulator.base_url}/v1/nothing/here", json={}, timeout=10)

    assert reply.status_code == 404
    assert reply.json()["error"]["type"] == "invalid_request_error"


def test_missing_model_is_a_400_naming_the_param(simulator):
    reply = httpx.post(
        f"{simulator.base_url}/v1/chat/completions",
        json={"messages": [{"role": "user", "content": "hi"}]},
        timeout=10,
    )

    assert reply.status_code == 400
    assert reply.json()["error"]["param"] == "model"
