"""Plotly figures. Each has a title, axis titles with units, and times labelled UTC.

Drawing them is most of a chart page's time in the browser, so they are kept cheap:

- plain dicts in plotly.js's schema, not ``plotly.graph_objects``: building and validating
  six ``go.Figure`` (with a deep copy of the template each) took longer than the analytics
  page's queries; ``tests/dashboard/test_charts.py`` validates every figure instead;
- the look of plotly's "plotly_white" template, written out, without the template itself;
- margins sized here from the labels, not by plotly.js's ``automargin``, which measures
  every label and draws each chart again: it took 40% of the analytics page's drawing;
- a series of more than ``DENSE`` steps (a week by hour) is drawn as areas and lines,
  not as hundreds of bars: half the drawing time of the two charts over time.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from dash import dcc

from dashboard.usage_report import Point

Figure = dict[str, Any]
COLOURS = {"requests": "#2563eb", "tokens": "#f59e0b", "provider": "#94a3b8",
           "billed": "#16a34a", "errors": "#dc2626", "p50": "#60a5fa", "p95": "#1d4ed8",
           "ttft50": "#fbbf24", "ttft95": "#b45309"}
GRAPH_CONFIG = {"displaylogo": False, "responsive": True,
                "modeBarButtonsToRemove": ["select2d", "lasso2d"]}
AXIS = {"gridcolor": "#EBF0F8", "linecolor": "#EBF0F8", "zerolinecolor": "#EBF0F8",
        "zerolinewidth": 2, "ticks": "", "automargin": False}
WHITE = {"paper_bgcolor": "white", "plot_bgcolor": "white", "hoverlabel": {"align": "left"},
         "colorway": ["#636efa", "#EF553B", "#00cc96", "#ab63fa", "#FFA15A", "#19d3f3",
                      "#FF6692", "#B6E880", "#FF97FF", "#FECB52"]}
MONEY_TICKS = {"tickprefix": "$", "tickformat": ",.6~f"}
DENSE = 60
CHAR_PX = 7  # a character of the 12 px font, roughly, for sizing margins


def margin_for(labels: Sequence[str], minimum: int = 60) -> int:
    """Room for the longest tick label and the axis title beside it."""
    return max(minimum, min(320, 34 + CHAR_PX * max((len(s) for s in labels), default=0)))


def money_label(values: Sequence[float]) -> str:
    """The widest tick label a money axis over ``values`` can show."""
    return f"${max(values, default=0):,.6f}".rstrip("0")


def styled(data: list[dict[str, Any]], title: str, x_title: str, y_title: str,
           height: int = 340, **layout: Any) -> Figure:
    base: dict[str, Any] = {
        **WHITE,
        "title": {"text": title, "x": 0.01, "y": 0.97, "yanchor": "top", "font": {"size": 15}},
        "height": height, "margin": {"l": 60, "r": 20, "t": 80, "b": 50},
        "legend": {"orientation": "h", "y": 1.02, "yanchor": "bottom", "x": 0},
        "hovermode": "x unified", "font": {"size": 12, "color": "#2a3f5f"},
        "xaxis": {**AXIS, "title": {"text": x_title}},
        "yaxis": {**AXIS, "title": {"text": y_title}}}
    for name in ("xaxis", "yaxis", "margin"):
        base[name] |= layout.pop(name, {})
    return {"data": data, "layout": base | layout}


def graph(figure: Figure, graph_id: str) -> dcc.Graph:
    return dcc.Graph(id=graph_id, figure=figure, config=GRAPH_CONFIG, className="chart")


def bar(name: str, x: Sequence[Any], y: Sequence[Any], colour: str,
        **extra: Any) -> dict[str, Any]:
    return {"type": "bar", "name": name, "x": list(x), "y": list(y),
            "marker": {"color": colour}, **extra}


def line(name: str, x: Sequence[Any], y: Sequence[Any], colour: str, width: float = 2,
         **extra: Any) -> dict[str, Any]:
    return {"type": "scatter", "mode": "lines", "name": name, "x": list(x), "y": list(y),
            "line": {"color": colour, "width": width}, **extra}


def over_time(name: str, x: Sequence[Any], y: Sequence[Any], colour: str,
              area: bool = False) -> dict[str, Any]:
    """A bar per step, or for a dense series a line (filled down to zero for an ``area``)."""
    if len(x) <= DENSE:
        return bar(name, x, y, colour)
    return line(name, x, y, colour, 1.5, **({"fill": "tozeroy"} if area else {}))


def usage_over_time(points: Sequence[Point], step_name: str) -> Figure:
    x = [p.at for p in points]
    tokens = line("Tokens (right axis)", x, [p.tokens for p in points], COLOURS["tokens"],
                  yaxis="y2")
    return styled([over_time("Requests", x, [p.requests for p in points], COLOURS["requests"],
                             area=True),
                   over_time("Failed requests", x, [p.errors for p in points],
                             COLOURS["errors"], area=True),
                   tokens],
                  f"Usage over time (per {step_name})", "Time (UTC)",
                  f"Requests per {step_name}", barmode="overlay", margin={"r": 70},
                  yaxis2={"title": {"text": f"Tokens per {step_name}"}, "overlaying": "y",
                          "side": "right", "rangemode": "tozero", "showgrid": False})


def cost_over_time(points: Sequence[Point], step_name: str) -> Figure:
    x = [p.at for p in points]
    billed = [float(p.billed_cost) for p in points]
    return styled([over_time("Provider cost", x, [float(p.provider_cost) for p in points],
                             COLOURS["provider"]),
                   over_time("Billed to clients", x, billed, COLOURS["billed"])],
                  f"Provider cost vs billed (per {step_name})", "Time (UTC)", "US dollars",
                  barmode="group", yaxis=MONEY_TICKS,
                  margin={"l": margin_for([money_label(billed)])})


def horizontal_bars(labels: Sequence[str], traces: Sequence[tuple[str, Sequence[float], str]],
                    title: str, x_title: str, y_title: str, money: bool = False) -> Figure:
    data = [bar(name, values, labels, colour, orientation="h")
            for name, values, colour in traces]
    height = max(260, 90 + 34 * len(labels) * max(1, len(traces)))
    widest = max((max(values, default=0) for _, values, _ in traces), default=0)
    return styled(data, title, x_title, y_title, height=min(height, 900), barmode="group",
                  hovermode="y unified", yaxis={"autorange": "reversed"},
                  xaxis=MONEY_TICKS if money else {},
                  margin={"l": margin_for(labels), "r": CHAR_PX * len(money_label([widest]))
                          if money else 20})


def model_distribution(models: Sequence[str], requests: Sequence[int]) -> Figure:
    pie = {"type": "pie", "labels": list(models), "values": list(requests), "hole": 0.45,
           "textinfo": "percent+label", "sort": False, "automargin": True}
    return styled([pie], "Model distribution (share of requests)", "", "", showlegend=False)


def latency_by_model(models: Sequence[str], series: dict[str, Sequence[float | None]]) -> Figure:
    colours = {"Latency p50": COLOURS["p50"], "Latency p95": COLOURS["p95"],
               "Time to first token p50": COLOURS["ttft50"],
               "Time to first token p95": COLOURS["ttft95"]}
    return styled([bar(name, models, values, colours[name]) for name, values in series.items()],
                  "Latency and time to first token by model (p50, p95)", "Model",
                  "Milliseconds", barmode="group")
