"""Summarising a py-spy profile (`py-spy record --format raw`: collapsed stacks).

Each line of the raw format is `frame;frame;...;leaf COUNT`, root first, and a frame reads
`function (path/to/file.py:LINE)`. The harness records with `--gil`, so each sample is the
thread that held the GIL at that moment: percentages below are shares of the gateway's
Python work, which is what limits it (one GIL per process).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

FRAME = re.compile(r"^(?P<function>.*?) \((?P<file>[^()]*?)(?::(?P<line>\d+))?\)$")

# Where a frame's file lives says which layer spends the time; first match wins.
LAYERS: tuple[tuple[str, str], ...] = (
    ("/uvicorn/", "uvicorn HTTP server (httptools protocol)"),
    ("/httptools/", "uvicorn HTTP server (httptools protocol)"),
    ("/starlette/", "starlette / fastapi (routing, request, responses)"),
    ("/fastapi/", "starlette / fastapi (routing, request, responses)"),
    ("/httpx_aiohttp/", "httpx-aiohttp transport"),
    ("/httpx/", "httpx client"),
    ("/httpcore/", "httpx client"),
    ("/aiohttp/", "aiohttp client"),
    ("/yarl/", "aiohttp client"),
    ("/multidict/", "aiohttp client"),
    ("/eventsourcing/", "usage ledger write (eventsourcing + psycopg)"),
    ("/psycopg", "usage ledger write (eventsourcing + psycopg)"),
    ("/prometheus_client/", "prometheus metrics"),
    ("/asyncio/", "asyncio / uvloop event loop"),
    ("/uvloop/", "asyncio / uvloop event loop"),
    ("/application/", "gateway code (application, domain, infrastructure, proxy_api)"),
    ("/domain/", "gateway code (application, domain, infrastructure, proxy_api)"),
    ("/infrastructure/", "gateway code (application, domain, infrastructure, proxy_api)"),
    ("/proxy_api/", "gateway code (application, domain, infrastructure, proxy_api)"),
    ("/projections/", "gateway code (application, domain, infrastructure, proxy_api)"),
    ("/cli/", "gateway code (application, domain, infrastructure, proxy_api)"),
    ("/pydantic", "pydantic"),
    ("/threading.py", "threads (queue waits, locks)"),
    ("/queue.py", "threads (queue waits, locks)"),
)


@dataclass(frozen=True)
class Frame:
    function: str
    file: str
    line: int

    @property
    def short_file(self) -> str:
        for marker in ("site-packages/", "/work/main/", "lib/python3.11/"):
            if marker in self.file:
                return self.file.split(marker, 1)[1]
        return self.file

    @property
    def layer(self) -> str:
        path = "/" + self.file  # py-spy prints paths relative to sys.path entries
        for marker, layer in LAYERS:
            if marker in path:
                return layer
        return "other (stdlib, uuid, json, ...)"

    def label(self) -> str:
        return f"{self.function} ({self.short_file})"


def parse_frame(text: str) -> Frame | None:
    match = FRAME.match(text.strip())
    if match is None:
        return None
    return Frame(match["function"], match["file"], int(match["line"] or 0))


@dataclass
class Profile:
    total: int
    by_thread: Counter[str]
    self_by_function: Counter[str]
    inclusive_by_function: Counter[str]
    self_by_layer: Counter[str]

    def thread_names(self) -> dict[int, str]:
        """Native thread id to name, from labels like `thread (21600): usage-writer`."""
        names = {}
        for label in self.by_thread:
            match = re.match(r"^thread \((\d+)\):?\s*(.*)$", label)
            if match:
                names[int(match[1])] = match[2] or label
        return names

    def share(self, count: int) -> float:
        return 100.0 * count / self.total if self.total else 0.0


def summarise(path: Path) -> Profile:
    by_thread: Counter[str] = Counter()
    self_fn: Counter[str] = Counter()
    inclusive: Counter[str] = Counter()
    self_layer: Counter[str] = Counter()
    total = 0
    for raw in path.read_text(errors="replace").splitlines():
        stack, _, count_text = raw.rpartition(" ")
        if not stack or not count_text.isdigit():
            continue
        count = int(count_text)
        total += count
        parts = stack.split(";")
        # With --threads the root "frame" names the thread, e.g. `thread (0x7f..)` or
        # `process 123:"..."`; it is not code.
        thread = parts[0] if parts[0].startswith(("thread ", "process ")) else "?"
        frames = [f for f in (parse_frame(p) for p in parts if p is not thread)
                  if f is not None and f.file]
        by_thread[thread] += count
        if not frames:
            continue
        leaf = frames[-1]
        self_fn[leaf.label()] += count
        self_layer[leaf.layer] += count
        for label in {f.label() for f in frames}:
            inclusive[label] += count
    return Profile(total, by_thread, self_fn, inclusive, self_layer)


def render(profile: Profile, top: int = 15) -> str:
    lines = [f"{profile.total} samples of the thread holding the GIL (py-spy --gil).", "",
             "By thread:", ""]
    lines += [f"  {profile.share(n):5.1f}%  {name}" for name, n in
              profile.by_thread.most_common(6)]
    lines += ["", "Self time by layer (the leaf frame's package):", ""]
    lines += [f"  {profile.share(n):5.1f}%  {name}" for name, n in
              profile.self_by_layer.most_common()]
    lines += ["", f"Top {top} functions by self time:", ""]
    lines += [f"  {profile.share(n):5.1f}%  {name}" for name, n in
              profile.self_by_function.most_common(top)]
    # The outer frames (uvicorn, middleware) are in every stack and say little; the
    # gateway's own functions by inclusive time show where a request's time goes.
    own = [(name, n) for name, n in profile.inclusive_by_function.most_common()
           if name.split("(")[-1].startswith(GATEWAY_PACKAGES)]
    lines += ["", f"Gateway functions by inclusive time (itself and its callees), top {top + 10}:",
              ""]
    lines += [f"  {profile.share(n):5.1f}%  {name}" for name, n in own[:top + 10]]
    return "\n".join(lines)


GATEWAY_PACKAGES = ("application/", "domain/", "infrastructure/", "projections/",
                    "proxy_api/")
