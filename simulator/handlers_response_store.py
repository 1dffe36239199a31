"""Endpoints on stored responses: retrieve, delete, list input items, cancel."""

from __future__ import annotations

from aiohttp import web

from simulator.answering import json_response
from simulator.errors import OpenAIError, bad_request
from simulator.response_store import StoredResponse
from simulator.state import SIMULATOR_STATE

DEFAULT_PAGE_SIZE = 20
MAX_PAGE_SIZE = 100


async def retrieve_response(request: web.Request) -> web.Response:
    return json_response(_stored(request).response)


async def cancel_response(request: web.Request) -> web.Response:
    """Nothing runs in the background here, so cancelling just returns the response."""
    return json_response(_stored(request).response)


async def delete_response(request: web.Request) -> web.Response:
    response_id = request.match_info["response_id"]
    if not request.app[SIMULATOR_STATE].responses.delete(response_id):
        raise _not_found(response_id)
    return json_response({"id": response_id, "object": "response", "deleted": True})


async def list_input_items(request: web.Request) -> web.Response:
    """A cursor page like OpenAI's: newest first unless order=asc, `limit` items after `after`."""
    items = _stored(request).input_items
    query = request.query
    if query.get("order", "desc") == "desc":
        items = items[::-1]
    after = query.get("after")
    if after:
        ids = [item["id"] for item in items]
        items = items[ids.index(after) + 1 :] if after in ids else []
    try:
        limit = min(max(int(query.get("limit", DEFAULT_PAGE_SIZE)), 1), MAX_PAGE_SIZE)
    except ValueError:
        raise bad_request("limit must be an integer", param="limit") from None
    page = items[:limit]
    return json_response(
        {
            "object": "list",
            "data": page,
            "first_id": page[0]["id"] if page else None,
            "last_id": page[-1]["id"] if page else None,
            "has_more": len(items) > limit,
        }
    )


def _stored(request: web.Request) -> StoredResponse:
    response_id = request.match_info["response_id"]
    stored = request.app[SIMULATOR_STATE].responses.get(response_id)
    if stored is None:
        raise _not_found(response_id)
    return stored


def _not_found(response_id: str) -> OpenAIError:
    message = f"Response with id '{response_id}' not found."
    return OpenAIError(404, message, param="response_id")
