"""The LimitCounters contract, in memory and in PostgreSQL."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from uuid import uuid4

import pytest

from domain.cycles import cycle_window
from domain.limit_policy import LimitPolicy
from infrastructure import limit_leases
from infrastructure.database_url import DatabaseUrl
from infrastructure.in_memory_limit_counters import InMemoryLimitCounters
from infrastructure.postgres_limit_counters import PostgresLimitCounters

NOW = datetime(2026, 11, 28, 12, tzinfo=UTC)
WS = uuid4()


@pytest.fixture(params=["memory", "postgres"])
def counters(request):
    if request.param == "memory":
        yield InMemoryLimitCounters()
        return
    url = DatabaseUrl.parse(request.getfixturevalue("postgres_url"))
    counters = PostgresLimitCounters(url.psycopg_conninfo())
    yield counters
    asyncio.run(counters.close())


def run(coroutine):
    return asyncio.run(coroutine)


def test_two_hundred_concurrent_requests_against_a_limit_of_100_admit_exactly_100(counters):
    policy = LimitPolicy(max_requests=100)
    client, window = uuid4(), cycle_window(policy, NOW)

    async def burst():
        results = await asyncio.gather(*(counters.admit(WS, client, window, policy, None)
                                         for _ in range(200)))
        if hasattr(counters, "close"):
            await counters.close()
        return results

    results = run(burst())

    assert sum(r.admitted for r in results) == 100
    refused = [r for r in results if not r.admitted]
    assert {r.exceeded[0] for r in refused} == {"requests_limit"}
    assert max(r.usage.requests for r in results) == 100


def test_tokens_and_credits_block_once_reached_and_not_before(counters):
    policy = LimitPolicy(max_tokens=1000, max_credits=Decimal("0.50"))
    client, window = uuid4(), cycle_window(policy, NOW)

    async def scenario():
        first = await counters.admit(WS, client, window, policy, None)
        counters.add_usage(client, window.start, 999, Decimal("0.10"))
        await asyncio.sleep(0.1)  # PostgreSQL adds usage in batches
        second = await counters.admit(WS, client, window, policy, None)
        counters.add_usage(client, window.start, 1, Decimal("0.10"))
        await asyncio.sleep(0.1)
        third = await counters.admit(WS, client, window, policy, None)
        if hasattr(counters, "close"):
            await counters.close()
        return first, second, third

    first, second, third = run(scenario())

    assert first.admitted and second.admitted
    assert (third.admitted, third.exceeded[0]) == (False, "tokens_limit")
    assert third.usage.tokens == 1000


def test_sessions_beyond_the_maximum_are_refused_while_known_ones_continue(counters):
    policy = LimitPolicy(max_sessions=2)
    client, window = uuid4(), cycle_window(policy, NOW)

    async def scenario():
        results = [await counters.admit(WS, client, window, policy, s)
                   for s in ("wa:1", "wa:2", "wa:3", "wa:1", "wa:2")]
        if hasattr(counters, "close"):
            await counters.close()
        return results

    results = run(scenario())

    assert [r.admitted for r in results] == [True, True, False, True, True]
    assert results[2].exceeded[0] == "sessions_limit"
    assert results[-1].usage.sessions == 2


def test_a_new_cycle_starts_counting_from_zero(counters):
    policy = LimitPolicy(max_requests=1)
    client = uuid4()
    this_cycle = cycle_window(policy, NOW)
    next_cycle = cycle_window(policy, this_cycle.end)

    async def scenario():
        results = [await counters.admit(WS, client, this_cycle, policy, None),
                   await counters.admit(WS, client, this_cycle, policy, None),
                   await counters.admit(WS, client, next_cycle, policy, None)]
        if hasattr(counters, "close"):
            await counters.close()
        return results

    assert [r.admitted for r in run(scenario())] == [True, False, True]


def test_calls_of_one_n8n_execution_are_capped_within_the_window(counters):
    client = uuid4()

    async def scenario():
        allowed = [await counters.admit_execution(client, "ex-1", NOW, 60, 3)
                   for _ in range(4)]
        other = await counters.admit_execution(client, "ex-2", NOW, 60, 3)
        later = await counters.admit_execution(client, "ex-1", NOW + timedelta(seconds=61),
                                               60, 3)
        if hasattr(counters, "close"):
            await counters.close()
        return allowed, other, later

    allowed, other, later = run(scenario())

    assert allowed == [True, True, True, False]
    assert other is True and later is True


def test_groups_admitted_by_two_processes_at_once_never_pass_the_limit(postgres_url):
    """Two counters on one database stand for two gateway processes: each admits its
    waiting requests as a group, and the row lock orders the groups."""
    policy = LimitPolicy(max_requests=100)
    client, window = uuid4(), cycle_window(policy, NOW)
    conninfo = DatabaseUrl.parse(postgres_url).psycopg_conninfo()

    async def burst():
        processes = [PostgresLimitCounters(conninfo), PostgresLimitCounters(conninfo)]
        results = await asyncio.gather(*(processes[n % 2].admit(WS, client, window, policy,
                                                                 None) for n in range(300)))
        for counters in processes:
            await counters.close()
        return results

    results = run(burst())

    admitted = sorted(r.usage.requests for r in results if r.admitted)
    assert admitted == list(range(1, 101))  # each count handed out once
    assert all(r.exceeded[0] == "requests_limit" for r in results if not r.admitted)


def _limited(postgres_url: str, max_requests: int):
    """A policy, a new client, its cycle and the database's conninfo."""
    policy = LimitPolicy(max_requests=max_requests)
    return (policy, uuid4(), cycle_window(policy, NOW),
            DatabaseUrl.parse(postgres_url).psycopg_conninfo())


def _counted(conninfo: str, client) -> int:
    import psycopg

    with psycopg.connect(conninfo) as connection:
        return connection.execute("SELECT requests FROM limit_counters WHERE client_id = %s",
                                  (str(client),)).fetchone()[0]


def test_far_from_the_limit_a_lease_is_counted_ahead_and_given_back_at_close(postgres_url):
    policy, client, window, conninfo = _limited(postgres_url, 1_000_000)

    async def scenario():
        counters = PostgresLimitCounters(conninfo)
        results = [await counters.admit(WS, client, window, policy, None) for _ in range(10)]
        counted_meanwhile = _counted(conninfo, client)
        await counters.close()
        return results, counted_meanwhile

    results, counted_meanwhile = run(scenario())

    assert all(r.admitted for r in results)
    assert [r.usage.requests for r in results] == list(range(1, 11))
    assert counted_meanwhile == 1 + limit_leases.MIN_LEASE  # the first and the lease
    assert _counted(conninfo, client) == 10  # the unused part given back


def test_an_expired_lease_is_given_back_without_a_shutdown(postgres_url):
    policy, client, window, conninfo = _limited(postgres_url, 1_000_000)

    async def scenario():
        counters = PostgresLimitCounters(conninfo)
        await counters.admit(WS, client, window, policy, None)
        await asyncio.sleep(limit_leases.LEASE_SECONDS + 0.3)
        counted = _counted(conninfo, client)
        await counters.close()
        return counted

    assert run(scenario()) == 1


def test_requests_leased_by_one_process_are_never_admitted_by_another(postgres_url):
    """Process A leases requests; process B bursts to the limit; A then spends its lease.
    Together they admit exactly the limit, each count once, and then nothing more."""
    limit = limit_leases.LEASE_HEADROOM + 40
    policy, client, window, conninfo = _limited(postgres_url, limit)

    async def scenario():
        a, b = PostgresLimitCounters(conninfo), PostgresLimitCounters(conninfo)
        first = await a.admit(WS, client, window, policy, None)
        burst = await asyncio.gather(*(b.admit(WS, client, window, policy, None)
                                       for _ in range(limit + 50)))
        spent = [await a.admit(WS, client, window, policy, None)
                 for _ in range(limit_leases.MIN_LEASE + 5)]
        for counters in (a, b):
            await counters.close()
        return [first, *burst, *spent]

    results = run(scenario())

    admitted = [r for r in results if r.admitted]
    assert len(admitted) == limit
    assert _counted(conninfo, client) == limit
    assert all(r.exceeded[0] == "requests_limit" for r in results if not r.admitted)


def test_no_lease_near_the_limit_so_two_processes_share_the_last_requests(postgres_url):
    limit = limit_leases.LEASE_HEADROOM // 2
    policy, client, window, conninfo = _limited(postgres_url, limit)

    async def scenario():
        a, b = PostgresLimitCounters(conninfo), PostgresLimitCounters(conninfo)
        await a.admit(WS, client, window, policy, None)
        counted_after_one = _counted(conninfo, client)
        rest = [await b.admit(WS, client, window, policy, None) for _ in range(limit)]
        for counters in (a, b):
            await counters.close()
        return counted_after_one, rest

    counted_after_one, rest = run(scenario())

    assert counted_after_one == 1
    assert sum(r.admitted for r in rest) == limit - 1


def test_a_steady_stream_of_requests_keeps_its_lease_topped_up_and_counts_each_once(
        postgres_url):
    policy, client, window, conninfo = _limited(postgres_url, 1_000_000)

    async def scenario():
        counters = PostgresLimitCounters(conninfo)
        results = []
        for _ in range(20):
            results += await asyncio.gather(*(counters.admit(WS, client, window, policy, None)
                                              for _ in range(25)))
            await asyncio.sleep(0.005)
        await counters.close()
        return results

    results = run(scenario())

    assert all(r.admitted for r in results)
    assert len(results) == 500
    assert _counted(conninfo, client) == 500
