"""Every chart is a valid plotly figure with a title, and axis titles that give the unit."""

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import plotly.graph_objects as go
import pytest

from dashboard.components import charts
from dashboard.usage_report import Point

T0 = datetime(2025, 3, 1, tzinfo=UTC)
POINTS = [Point(T0 + timedelta(hours=i), requests=10 + i, errors=i % 2, tokens=500 * i,
                provider_cost=Decimal("0.0123"), billed_cost=Decimal("0.015")) for i in range(3)]
FIGURES = {
    "usage": (charts.usage_over_time(POINTS, "hour"), "Time (UTC)", "Requests per hour"),
    "cost": (charts.cost_over_time(POINTS, "day"), "Time (UTC)", "US dollars"),
    "clients": (charts.horizontal_bars(["Acme", "Globex"], [
        ("Provider cost", [0.5, 0.25], "#000"), ("Billed", [0.6, 0.3], "#111")],
        "Client comparison", "US dollars", "Client", money=True), "US dollars", "Client"),
    "latency": (charts.latency_by_model(["gpt-4o"], {
        "Latency p50": [120.0], "Latency p95": [900.0], "Time to first token p50": [None],
        "Time to first token p95": [None]}), "Model", "Milliseconds"),
    "models": (charts.model_distribution(["gpt-4o", "o3"], [3, 1]), "", ""),
}


@pytest.mark.parametrize("name", FIGURES)
def test_a_chart_passes_plotlys_own_validation(name):
    figure = FIGURES[name][0]

    validated = go.Figure(figure)  # raises on any property plotly.js does not know

    assert validated.layout.plot_bgcolor == "white"


@pytest.mark.parametrize("name", FIGURES)
def test_a_chart_has_a_title_and_axis_titles_with_units(name):
    figure, x_title, y_title = FIGURES[name]

    layout = go.Figure(figure).layout

    assert layout.title.text
    assert (layout.xaxis.title.text or "", layout.yaxis.title.text or "") == (x_title, y_title)


def test_a_week_by_hour_is_drawn_as_lines_and_a_month_by_day_as_bars():
    week = [Point(T0 + timedelta(hours=i), requests=i) for i in range(168)]
    month = [Point(T0 + timedelta(days=i), requests=i) for i in range(30)]

    hourly, daily = charts.usage_over_time(week, "hour"), charts.usage_over_time(month, "day")

    assert [t["type"] for t in hourly["data"]] == ["scatter"] * 3
    assert [t["type"] for t in daily["data"]] == ["bar", "bar", "scatter"]
    assert go.Figure(hourly).data[0].fill == "tozeroy"


def test_money_axes_are_in_dollars_and_tokens_have_their_own_axis():
    usage, cost = FIGURES["usage"][0], FIGURES["cost"][0]

    assert go.Figure(cost).layout.yaxis.tickprefix == "$"
    assert go.Figure(usage).layout.yaxis2.title.text == "Tokens per hour"
    assert go.Figure(FIGURES["clients"][0]).layout.xaxis.tickprefix == "$"
