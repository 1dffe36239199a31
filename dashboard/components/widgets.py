"""Small building blocks shared by the pages: cards, KPIs, tables, notices, progress."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from dash import html


def card(title: str | None, *children: Any, class_name: str = "") -> html.Section:
    heading = [html.H2(title, className="card-title")] if title else []
    return html.Section([*heading, *children], className=f"card {class_name}".strip())


def kpi(label: str, value: str, kpi_id: str, hint: str | None = None) -> html.Div:
    return html.Div([html.Div(label, className="kpi-label"),
                     html.Div(value, className="kpi-value", id=kpi_id),
                     html.Div(hint or "", className="kpi-hint")], className="kpi")


def table(headers: Sequence[str], rows: Sequence[Sequence[Any]], table_id: str,
          numeric: Sequence[int] = ()) -> html.Div:
    """A plain table in a scrolling box: phones scroll it sideways instead of squashing it."""
    head = html.Thead(html.Tr([html.Th(h, className="num" if i in numeric else None)
                               for i, h in enumerate(headers)]))
    body = html.Tbody([html.Tr([html.Td(cell, className="num" if i in numeric else None)
                                for i, cell in enumerate(row)]) for row in rows])
    return html.Div(html.Table([head, body], id=table_id, className="table"),
                    className="table-wrap")


def empty_state(title: str, next_step: Any, empty_id: str | None = None) -> html.Div:
    """What is missing, and what to do about it."""
    ids = {"id": empty_id} if empty_id else {}
    return html.Div([html.Strong(title), html.P(next_step)], className="empty", **ids)


def notice(message: str, kind: str = "info", notice_id: str | None = None) -> html.Div:
    role = "alert" if kind == "error" else "status"
    ids = {"id": notice_id} if notice_id else {}
    return html.Div(message, className=f"notice notice-{kind}", role=role, **ids)


def status_badge(status: str) -> html.Span:
    return html.Span(status, className=f"badge badge-{status}")


def progress(label: str, used: float, limit: float | None, text: str) -> html.Div:
    """A bar of usage against a limit; without a limit it says so instead of a bar."""
    if limit is None:
        return html.Div([html.Div([html.Span(label), html.Span(text)], className="bar-head"),
                         html.Div("no limit", className="bar-none")], className="bar")
    share = 100.0 if limit == 0 else min(100.0, 100.0 * used / limit)
    level = "bar-full" if share >= 100 else "bar-high" if share >= 80 else "bar-ok"
    return html.Div([
        html.Div([html.Span(label), html.Span(text)], className="bar-head"),
        html.Div(html.Div(className=f"bar-fill {level}", style={"width": f"{share:.1f}%"}),
                 className="bar-track", role="progressbar", **{
                     "aria-valuenow": f"{share:.0f}", "aria-valuemin": "0",
                     "aria-valuemax": "100", "aria-label": label}),
    ], className="bar")
