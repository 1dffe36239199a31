"""The HTML page Dash serves: Dash's own, with the browser's string functions kept.

Dash loads @babel/polyfill 7 (core-js 2) for old browsers. Its feature test still counts
U+180E as white space, which Unicode stopped doing in version 6.3, so in every current
browser it replaces ``String.prototype.trim``, ``parseInt`` and ``parseFloat`` with
versions built on regular expressions. plotly.js trims strings all through drawing: on
the analytics page the replaced ``trim`` took a quarter of a second. The page saves the
browser's own functions before the polyfill runs and puts them back after it; everything
else the polyfill adds (``regeneratorRuntime``, which Dash's bundles use) stays.
"""

from __future__ import annotations

NATIVES = {
    "String.prototype": ("trim", "trimStart", "trimEnd", "trimLeft", "trimRight"),
    "window": ("parseInt", "parseFloat"),
    "Number": ("parseInt", "parseFloat"),
}
KEEP = "<script>window.__gatewayNatives = [{}];</script>".format(", ".join(
    f"[{owner}, '{name}', {owner}.{name}]" for owner, names in NATIVES.items()
    for name in names))
RESTORE = """<script>(window.__gatewayNatives || []).forEach(function (kept) {
    if (kept[2] && kept[0][kept[1]] !== kept[2]) {
        Object.defineProperty(kept[0], kept[1], {value: kept[2], writable: true,
                                                 configurable: true, enumerable: false});
    }
});</script>"""
INDEX = f"""<!DOCTYPE html>
<html>
    <head>
        {{%metas%}}
        <title>{{%title%}}</title>
        {{%favicon%}}
        {{%css%}}
    </head>
    <body>
        {{%app_entry%}}
        <footer>
            {{%config%}}
            {KEEP}
            {{%scripts%}}
            {RESTORE}
            {{%renderer%}}
        </footer>
    </body>
</html>"""
