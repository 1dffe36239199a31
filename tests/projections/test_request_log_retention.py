"""The retention job deletes logged requests older than the retention period."""

from datetime import timedelta

from projections.request_log_retention import (
    DEFAULT_RETENTION,
    purge_request_log,
    retention_cutoff,
)
from tests.projections.usage_events import T0, store, usage


def logged_ids(gateway):
    rows = gateway.read_models.fetch_all("SELECT request_id FROM rm_request_log")
    return {row["request_id"] for row in rows}


def test_requests_older_than_the_cutoff_are_purged_and_newer_ones_kept(gateway):
    old = [usage(T0 - timedelta(days=40, minutes=i)) for i in range(7)]
    kept = [usage(T0 - timedelta(days=29)), usage(T0)]
    store(gateway, old + kept)
    gateway.projections.catch_up()

    purged = purge_request_log(gateway.read_models, retention_cutoff(T0), chunk=3)

    assert purged == 7
    assert logged_ids(gateway) == {e.request_id for e in kept}


def test_the_cutoff_itself_is_kept(gateway):
    store(gateway, [usage(T0 - timedelta(days=30))])
    gateway.projections.catch_up()

    assert purge_request_log(gateway.read_models, T0 - timedelta(days=30)) == 0


def test_the_retention_is_thirty_days_unless_configured():
    assert timedelta(days=30) == DEFAULT_RETENTION
    assert retention_cutoff(T0, timedelta(days=7)) == T0 - timedelta(days=7)


def test_purging_leaves_the_aggregated_views_alone(gateway):
    store(gateway, [usage(T0 - timedelta(days=90))])
    gateway.projections.catch_up()

    purge_request_log(gateway.read_models, T0)

    assert logged_ids(gateway) == set()
    assert len(gateway.read_models.fetch_all("SELECT * FROM rm_usage_hourly")) == 1
