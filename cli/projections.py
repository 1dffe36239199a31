"""``llm-gateway projections``: how far each read model has got, and rebuilding them."""

from __future__ import annotations

import argparse
import json
import sys
import time
from dataclasses import asdict
from typing import TYPE_CHECKING

from cli.progress import TextProgress

if TYPE_CHECKING:
    from infrastructure.bootstrap import Gateway

STATUS_COLUMNS = ("name", "source", "position", "head", "lag", "seconds_since_applied",
                  "leader")


def add_projection_parsers(groups: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    actions = groups.add_parser("projections", help="read models: status and rebuilds") \
        .add_subparsers(dest="action", required=True)
    p = actions.add_parser("status", help="position and lag of each projection")
    # SUPPRESS: without the flag here, a --json given before the group still counts.
    p.add_argument("--json", action="store_true", default=argparse.SUPPRESS)
    p = actions.add_parser("rebuild", help="empty a projection and replay it from the first "
                                           "event (all of them without NAME)")
    p.add_argument("name", nargs="?", metavar="NAME")
    p.add_argument("--timeout", type=float, help="seconds to wait for another process "
                                                 "that runs the projection")
    actions.add_parser("run", help="run the projections and scheduled jobs in this process, "
                                   "apart from the serving ones (GATEWAY_SERVE_PROJECTIONS=false)")


def _print_status(gateway: Gateway, as_json: bool) -> None:
    rows = [asdict(s) for s in gateway.projections.status()]
    if as_json:
        print(json.dumps(rows, indent=2))
        return
    widths = [max(len(c), *(len(str(r[c])) for r in rows)) for c in STATUS_COLUMNS]
    print("  ".join(c.upper().ljust(w) for c, w in zip(STATUS_COLUMNS, widths, strict=True)))
    for row in rows:
        print("  ".join(str(row[c]).ljust(w) for c, w in zip(STATUS_COLUMNS, widths,
                                                               strict=True)))


def _rebuild(gateway: Gateway, name: str | None, timeout: float | None) -> None:
    runner = gateway.projections
    names = [runner.projection(name).name] if name else list(runner.projections)
    progress = TextProgress()
    started = time.monotonic()
    events = runner.rebuild(names, progress, timeout)
    progress.finish()
    seconds = time.monotonic() - started
    print(f"rebuilt {', '.join(names)}: {events:,} events in {seconds:.1f} s "
          f"({events / max(seconds, 1e-9):,.0f} events/s)")


def run(gateway: Gateway, args: argparse.Namespace) -> None:
    try:
        if args.action == "status":
            _print_status(gateway, args.json)
        elif args.action == "run":
            _run_until_stopped(gateway)
        else:
            _rebuild(gateway, args.name, args.timeout)
    except (ValueError, TimeoutError) as error:
        print(f"error: {error}", file=sys.stderr)
        sys.exit(2)


def _run_until_stopped(gateway: Gateway) -> None:
    """A worker for the read side: it competes with no request for the GIL."""
    import signal
    import threading

    stopped = threading.Event()
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, lambda *_: stopped.set())
    gateway.start_read_side()
    print("running projections and scheduled jobs; Ctrl-C to stop", file=sys.stderr)
    stopped.wait()
