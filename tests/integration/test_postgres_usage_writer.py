"""The PostgreSQL usage writer: group commit, duplicates, and rows eventsourcing reads back."""

from __future__ import annotations

import asyncio

import pytest

from infrastructure.database_url import DatabaseUrl
from infrastructure.event_store import open_ledger
from infrastructure.postgres_usage_writer import PostgresUsageWriter
from tests.integration.test_orjson_usage_rows import usage_event

pytestmark = pytest.mark.postgres


@pytest.fixture
def ledger(postgres_url):
    ledger = open_ledger(DatabaseUrl.parse(postgres_url))
    yield ledger
    ledger.close()


def write(ledger, postgres_url, events, soon=()):
    writer = PostgresUsageWriter(ledger, DatabaseUrl.parse(postgres_url).psycopg_conninfo(),
                                 batch_size=20)

    async def scenario():
        for event in soon:
            writer.record_soon(event)
        await asyncio.gather(*(writer.record(event) for event in events))
        await writer.aclose()

    asyncio.run(scenario())
    return writer


def stored(ledger):
    notifications = ledger.recorder.select_notifications(start=1, limit=1000)
    return [ledger.mapper.to_domain_event(n) for n in notifications]


def test_concurrent_events_are_committed_in_groups_and_read_back_unchanged(ledger,
                                                                          postgres_url):
    events = [usage_event() for _ in range(50)]

    writer = write(ledger, postgres_url, events)

    assert writer.written == 50
    assert sorted(stored(ledger), key=lambda e: e.request_id) == \
        sorted(events, key=lambda e: e.request_id)


def test_a_duplicate_request_id_is_refused_and_the_rest_of_its_batch_is_kept(ledger,
                                                                            postgres_url):
    first = usage_event()
    write(ledger, postgres_url, [first])
    others = [usage_event() for _ in range(5)]

    write(ledger, postgres_url, [*others[:2], first, *others[2:]])

    assert {e.request_id for e in stored(ledger)} == {e.request_id for e in [first, *others]}
    assert len(stored(ledger)) == 6


def test_events_nobody_waits_for_are_stored_before_the_writer_closes(ledger, postgres_url):
    queued = [usage_event() for _ in range(3)]

    write(ledger, postgres_url, [], soon=queued)

    assert {e.request_id for e in stored(ledger)} == {e.request_id for e in queued}
