import openai
import pytest

from simulator import SimulatorConfig


def test_models_list_names_the_configured_models(client):
    models = client.models.list()

    assert [model.id for model in models.data] == [
        "gpt-4o-mini",
        "gpt-4o",
        "text-embedding-3-small",
    ]
    assert all(model.owned_by == "simulator" for model in models.data)


def test_model_retrieve_returns_a_known_model(start_simulator, client_for):
    client = client_for(start_simulator(SimulatorConfig(models=("vendor/model-a",))))

    model = client.models.retrieve("vendor/model-a")

    assert model.id == "vendor/model-a"
    assert model.created == 1700000000


def test_model_retrieve_of_unknown_model_is_a_404_model_not_found(client):
    with pytest.raises(openai.NotFoundError) as raised:
        client.models.retrieve("no-such-model")

    assert raised.value.code == "model_not_found"
    assert raised.value.body["type"] == "invalid_request_error"
