"""Stable, explicit topics for every stored event.

eventsourcing names an event class by ``module:qualname`` by default, which would tie
stored history to where the code lives today. Each aggregate instead gets a fixed name
here, so modules can move freely. Renaming an aggregate or event class means keeping its
old topic: add an alias to ``ALIASES``.
"""

from __future__ import annotations

from typing import Any

from eventsourcing.domain import CanMutateAggregate, DomainEvent
from eventsourcing.utils import _type_cache, register_topic

from domain.adjustment import CycleAdjusted
from domain.api_key import ApiKey
from domain.catalog_model import CatalogModel
from domain.client import Client
from domain.cycle_close import CycleClosed
from domain.staff import StaffMember
from domain.usage import UsageRecorded
from domain.workspace import Workspace

TOPIC_PREFIX = "llm_gateway"
AGGREGATES: dict[str, type[Any]] = {
    "Workspace": Workspace,
    "StaffMember": StaffMember,
    "Client": Client,
    "ApiKey": ApiKey,
    "CatalogModel": CatalogModel,
}
EVENTS: dict[str, type[Any]] = {
    "UsageRecorded": UsageRecorded,
    "CycleClosed": CycleClosed,
    "CycleAdjusted": CycleAdjusted,
}
ALIASES: dict[str, str] = {}


def _assign(topic: str, cls: type[Any]) -> None:
    register_topic(topic, cls)
    # get_topic() looks here first; setting it makes the stable topic the one written.
    _type_cache[cls] = topic


def stable_topics() -> dict[str, type[Any]]:
    topics: dict[str, type[Any]] = {}
    for name, aggregate in AGGREGATES.items():
        topics[f"{TOPIC_PREFIX}:{name}"] = aggregate
        for attribute, value in vars(aggregate).items():
            if isinstance(value, type) and issubclass(value, CanMutateAggregate):
                topics[f"{TOPIC_PREFIX}:{name}.{attribute}"] = value
    for name, event_class in EVENTS.items():
        assert issubclass(event_class, DomainEvent)
        topics[f"{TOPIC_PREFIX}:{name}"] = event_class
    return topics


def register_stable_topics() -> None:
    for topic, cls in stable_topics().items():
        _assign(topic, cls)
    for old, new in ALIASES.items():
        register_topic(old, stable_topics()[new])
