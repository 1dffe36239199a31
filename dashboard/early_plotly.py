"""On a page with charts, plotly.js starts loading as soon as the page is shown.

dcc.Graph loads plotly.js (3.5 MB, a fifth of a second to compile on this machine) only
when the first figure arrives, after the page's data: the two waits add up. Here, when
the router shows a page with charts (``CHARTS = True``), a clientside callback starts
the script at once, so that it compiles while the server sums the page's data.

dcc.Graph uses ``window.Plotly`` when it is set. It is set at once to a promise of the
script, which dcc.Graph waits for, and which the script replaces with plotly itself as it
runs: plotly.js is never loaded twice. A page reached with the script loaded does nothing.
"""

from __future__ import annotations

import json
from collections.abc import Sequence

from dash import Dash, Input, Output, dcc

STORE = "plotly-early"
SOURCE = "_dash-component-suites/plotly/package_data/plotly.min.js"
LOAD = """function (_page) {
    var prefix = %s, charts = new RegExp(%s);
    var path = window.location.pathname.slice(prefix.length - 1).replace(/\\/+$/, "") || "/";
    if (!window.Plotly && charts.test(path)) {
        window.Plotly = new Promise(function (loaded, failed) {
            var script = document.createElement("script");
            script.src = prefix + %s;
            script.onload = function () { loaded(); };
            script.onerror = failed;
            document.body.appendChild(script);
        });
    }
    return window.dash_clientside.no_update;
}"""


def chart_paths_pattern(paths: Sequence[str]) -> str:
    """The routes' patterns as one JavaScript regular expression, named groups and all."""
    return "^(?:" + "|".join(p.replace("(?P<", "(?<") for p in paths) + ")$"


def store() -> dcc.Store:
    return dcc.Store(id=STORE)


def add_early_plotly(app: Dash, prefix: str, chart_paths: Sequence[str]) -> None:
    app.clientside_callback(
        LOAD % (json.dumps(prefix), json.dumps(chart_paths_pattern(chart_paths)),
                json.dumps(SOURCE)),
        Output(STORE, "data"), Input("page", "children"))
