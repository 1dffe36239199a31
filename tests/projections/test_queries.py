"""Read queries answer for one workspace, and another workspace sees none of it."""

from datetime import timedelta
from decimal import Decimal
from uuid import UUID

import pytest

from domain.ids import DEFAULT_WORKSPACE_ID as WS
from projections.queries import (
    hourly_series,
    key_usage,
    latency_summary,
    model_distribution,
    recent_requests,
    search_clients,
    top_clients,
    usage_for_cycle,
    usage_totals,
)
from tests.projections.usage_events import MARCH, T0, store, usage

OTHER = UUID(int=77)
DAY = (T0 - timedelta(hours=8), T0 + timedelta(hours=16))


@pytest.fixture
def agency(gateway):
    """Two clients of the default workspace with traffic, and one of another workspace."""
    acme = gateway.clients.register(WS, "Acme", "ops@acme.io", "Acme Corp")
    globex = gateway.clients.register(WS, "Globex", "it@globex.com", "Globex 100% Ltd")
    gateway.clients.change_status(WS, globex.id, "suspended", None)
    gateway.onboarding.execute("Other agency", OTHER)
    initech = gateway.clients.register(OTHER, "Initech", "acme@initech.io")
    acme_key, globex_key = UUID(int=11), UUID(int=22)
    store(gateway, [
        usage(T0, client_id=acme.id, key_id=acme_key, billed_cost=Decimal("1.10"),
              latency_ms=Decimal("40")),
        usage(T0 + timedelta(minutes=10), client_id=acme.id, key_id=acme_key, model="o3",
              billed_cost=Decimal("2.20"), latency_ms=Decimal("400"), stream=True,
              ttft_ms=Decimal("30"), session_id="s1"),
        usage(T0 + timedelta(hours=1), client_id=acme.id, key_id=acme_key, status=502,
              outcome="upstream_error", billed_cost=Decimal(0), latency_ms=Decimal("3000")),
        usage(T0 + timedelta(hours=2), client_id=globex.id, key_id=globex_key,
              billed_cost=Decimal("0.05"), latency_ms=Decimal("45")),
        usage(T0, workspace_id=OTHER, client_id=initech.id, key_id=UUID(int=33),
              billed_cost=Decimal("99"), latency_ms=Decimal("5")),
    ])
    gateway.projections.catch_up()
    return {"acme": acme.id, "globex": globex.id, "initech": initech.id,
            "acme_key": acme_key, "initech_key": UUID(int=33)}


def test_usage_for_a_cycle_is_the_clients_and_zero_elsewhere(gateway, agency):
    used = usage_for_cycle(gateway.read_models, WS, agency["acme"], MARCH[0])

    assert (used.requests, used.sessions, used.billed_cost, used.cycle_end) == (
        3, 1, Decimal("3.30"), MARCH[1])
    assert usage_for_cycle(gateway.read_models, OTHER, agency["acme"], MARCH[0]).requests == 0
    assert usage_for_cycle(gateway.read_models, WS, agency["acme"],
                           MARCH[1]).billed_cost == 0


def test_key_usage_answers_for_keys_of_the_workspace_only(gateway, agency):
    found = key_usage(gateway.read_models, WS, [agency["acme_key"], agency["initech_key"]])

    assert found[agency["acme_key"]].requests == 3
    assert found[agency["initech_key"]].requests == 0
    assert key_usage(gateway.read_models, WS, []) == {}


def test_the_hourly_series_has_a_point_per_hour_with_traffic(gateway, agency):
    points = hourly_series(gateway.read_models, WS, *DAY)

    assert [(p.start, p.requests, p.errors) for p in points] == [
        (T0, 2, 0), (T0 + timedelta(hours=1), 1, 1), (T0 + timedelta(hours=2), 1, 0)]
    assert points[0].billed_cost == Decimal("3.30")


def test_the_series_by_day_adds_up_the_hours_and_filters_by_client_and_model(gateway, agency):
    [day] = hourly_series(gateway.read_models, WS, *DAY, group_by="day")
    [o3] = hourly_series(gateway.read_models, WS, *DAY, client_id=agency["acme"], model="o3")

    assert (day.start, day.requests, day.billed_cost) == (
        T0.replace(hour=0), 4, Decimal("3.35"))
    assert (o3.requests, o3.billed_cost) == (1, Decimal("2.20"))


def test_a_range_covers_the_hours_it_overlaps(gateway, agency):
    points = hourly_series(gateway.read_models, WS, T0 + timedelta(minutes=30),
                           T0 + timedelta(hours=1))

    assert [p.start for p in points] == [T0]


def test_totals_give_the_kpis_of_a_range(gateway, agency):
    totals = usage_totals(gateway.read_models, WS, *DAY)

    assert (totals.requests, totals.errors, totals.active_clients) == (4, 1, 2)
    assert totals.billed_cost == Decimal("3.35")
    assert totals.provider_cost == Decimal("0.00500")
    assert totals.error_rate == pytest.approx(0.25)
    assert totals.total_tokens == 600


def test_top_clients_rank_by_billed_cost_with_their_names(gateway, agency):
    ranks = top_clients(gateway.read_models, WS, *DAY, n=5)

    assert [(r.name, r.requests, r.billed_cost) for r in ranks] == [
        ("Acme", 3, Decimal("3.30")), ("Globex", 1, Decimal("0.05"))]
    assert [r.name for r in top_clients(gateway.read_models, WS, *DAY, n=1)] == ["Acme"]


def test_models_are_shared_out_by_requests(gateway, agency):
    shares = model_distribution(gateway.read_models, WS, *DAY)

    assert [(s.model, s.requests, s.share) for s in shares] == [
        ("gpt-4o", 3, 0.75), ("o3", 1, 0.25)]


def test_latency_percentiles_come_from_the_histograms(gateway, agency):
    summary = latency_summary(gateway.read_models, WS, *DAY)

    assert summary.requests == 4
    assert 25 < summary.p50_ms <= 50
    assert 2_000 < summary.p95_ms <= 3_000
    assert summary.max_ms == Decimal("3000")
    assert (summary.ttft_count, summary.ttft_max_ms) == (1, Decimal("30"))


def test_recent_requests_are_newest_first_and_filtered_by_client(gateway, agency):
    everything = recent_requests(gateway.read_models, WS, limit=10)
    globex = recent_requests(gateway.read_models, WS, client_id=agency["globex"])

    assert [r.at for r in everything] == sorted((r.at for r in everything), reverse=True)
    assert len(everything) == 4
    assert [r.client_id for r in globex] == [agency["globex"]]
    assert len(recent_requests(gateway.read_models, WS, limit=2)) == 2


def test_clients_are_found_by_a_piece_of_their_name_email_or_company(gateway, agency):
    def names(**filters):
        return [c.name for c in search_clients(gateway.read_models, WS, **filters)]

    assert names() == ["Acme", "Globex"]
    assert names(search="ACME") == ["Acme"]
    assert names(search="globex.com") == ["Globex"]
    assert names(search="100%") == ["Globex"]
    assert names(search="0%_") == []
    assert names(status="suspended") == ["Globex"]
    assert names(search="acme", status="suspended") == []


def test_another_workspace_sees_none_of_it(gateway, agency):
    db = gateway.read_models

    assert [c.name for c in search_clients(db, OTHER, search="acme")] == ["Initech"]
    assert [p.requests for p in hourly_series(db, OTHER, *DAY)] == [1]
    assert usage_totals(db, OTHER, *DAY).billed_cost == Decimal("99")
    assert [r.name for r in top_clients(db, OTHER, *DAY)] == ["Initech"]
    assert [s.model for s in model_distribution(db, OTHER, *DAY)] == ["gpt-4o"]
    assert latency_summary(db, OTHER, *DAY).requests == 1
    assert [r.client_id for r in recent_requests(db, OTHER)] == [agency["initech"]]
    assert usage_for_cycle(db, OTHER, agency["initech"], MARCH[0]).requests == 1
    assert hourly_series(db, OTHER, *DAY, client_id=agency["acme"]) == []
    assert top_clients(db, UUID(int=999), *DAY) == []
    assert usage_totals(db, UUID(int=999), *DAY).requests == 0
