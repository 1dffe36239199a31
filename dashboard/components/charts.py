"""Plotly figures. Each has a title, axis titles with units, and times labelled UTC."""

from __future__ import annotations

from collections.abc import Sequence

import plotly.graph_objects as go
from dash import dcc

from dashboard.usage_report import Point

COLOURS = {"requests": "#2563eb", "tokens": "#f59e0b", "provider": "#94a3b8",
           "billed": "#16a34a", "errors": "#dc2626", "p50": "#60a5fa", "p95": "#1d4ed8",
           "ttft50": "#fbbf24", "ttft95": "#b45309"}
GRAPH_CONFIG = {"displaylogo": False, "responsive": True,
                "modeBarButtonsToRemove": ["select2d", "lasso2d"]}


def styled(figure: go.Figure, title: str, x_title: str, y_title: str,
           height: int = 340) -> go.Figure:
    figure.update_layout(
        title={"text": title, "x": 0.01, "y": 0.97, "yanchor": "top", "font": {"size": 15}},
        template="plotly_white",
        height=height, margin={"l": 60, "r": 20, "t": 80, "b": 50},
        legend={"orientation": "h", "y": 1.02, "yanchor": "bottom", "x": 0},
        hovermode="x unified",
        xaxis_title=x_title, yaxis_title=y_title, font={"size": 12})
    return figure


def graph(figure: go.Figure, graph_id: str) -> dcc.Graph:
    return dcc.Graph(id=graph_id, figure=figure, config=GRAPH_CONFIG, className="chart")


def usage_over_time(points: Sequence[Point], step_name: str) -> go.Figure:
    x = [p.at for p in points]
    figure = go.Figure()
    figure.add_bar(x=x, y=[p.requests for p in points], name="Requests",
                   marker_color=COLOURS["requests"])
    figure.add_bar(x=x, y=[p.errors for p in points], name="Failed requests",
                   marker_color=COLOURS["errors"])
    figure.add_scatter(x=x, y=[p.tokens for p in points], name="Tokens (right axis)",
                       yaxis="y2", mode="lines", line={"color": COLOURS["tokens"], "width": 2})
    figure.update_layout(barmode="overlay", yaxis2={
        "title": f"Tokens per {step_name}", "overlaying": "y", "side": "right",
        "rangemode": "tozero", "showgrid": False})
    figure.update_layout(margin={"r": 70})
    return styled(figure, f"Usage over time (per {step_name})", "Time (UTC)",
                  f"Requests per {step_name}")


def cost_over_time(points: Sequence[Point], step_name: str) -> go.Figure:
    x = [p.at for p in points]
    figure = go.Figure()
    figure.add_bar(x=x, y=[float(p.provider_cost) for p in points], name="Provider cost",
                   marker_color=COLOURS["provider"])
    figure.add_bar(x=x, y=[float(p.billed_cost) for p in points], name="Billed to clients",
                   marker_color=COLOURS["billed"])
    figure.update_layout(barmode="group", yaxis_tickprefix="$", yaxis_tickformat=",.6~f")
    return styled(figure, f"Provider cost vs billed (per {step_name})", "Time (UTC)",
                  "US dollars")


def horizontal_bars(labels: Sequence[str], traces: Sequence[tuple[str, Sequence[float], str]],
                    title: str, x_title: str, y_title: str, money: bool = False) -> go.Figure:
    figure = go.Figure()
    for name, values, colour in traces:
        figure.add_bar(y=list(labels), x=list(values), name=name, orientation="h",
                       marker_color=colour)
    figure.update_layout(barmode="group", yaxis={"autorange": "reversed"},
                         hovermode="y unified")
    if money:
        figure.update_layout(xaxis_tickprefix="$", xaxis_tickformat=",.6~f")
    height = max(260, 90 + 34 * len(labels) * max(1, len(traces)))
    return styled(figure, title, x_title, y_title, height=min(height, 900))


def model_distribution(models: Sequence[str], requests: Sequence[int]) -> go.Figure:
    figure = go.Figure(go.Pie(labels=list(models), values=list(requests), hole=0.45,
                              textinfo="percent+label", sort=False))
    figure.update_layout(showlegend=False)
    return styled(figure, "Model distribution (share of requests)", "", "")


def latency_by_model(models: Sequence[str], series: dict[str, Sequence[float | None]]) -> go.Figure:
    colours = {"Latency p50": COLOURS["p50"], "Latency p95": COLOURS["p95"],
               "Time to first token p50": COLOURS["ttft50"],
               "Time to first token p95": COLOURS["ttft95"]}
    figure = go.Figure()
    for name, values in series.items():
        figure.add_bar(x=list(models), y=list(values), name=name, marker_color=colours[name])
    figure.update_layout(barmode="group", hovermode="x unified")
    return styled(figure, "Latency and time to first token by model (p50, p95)", "Model",
                  "Milliseconds")
