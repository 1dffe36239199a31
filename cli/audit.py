"""``llm-gateway audit``: replay a client's statement, verify closed cycles, reconcile."""

from __future__ import annotations

import argparse
import csv
import json
from datetime import UTC, date, datetime, time
from pathlib import Path
from typing import Any

from application.audit.statement import Statement
from cli.progress import ProgressBar
from domain.cycles import CycleWindow, cycle_window
from domain.errors import InvalidInput, NotFound
from infrastructure.audit_wiring import ledger_lines, verify_cycle
from infrastructure.audit_wiring import replay_statement as replay_statement_for
from infrastructure.bootstrap import Gateway


def add_audit_parsers(groups: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    audit = groups.add_parser("audit", help="statements from the raw event history")
    actions = audit.add_subparsers(dest="action", required=True)
    for name in ("replay", "verify", "reconcile"):
        p = actions.add_parser(name)
        p.add_argument("--client", required=True, type=str, help="client id")
        p.add_argument("--cycle", help="cycle label, e.g. 2026-11 (monthly) or its start date")
        if name != "verify":
            p.add_argument("--from", dest="start", help="ISO 8601 start, instead of --cycle")
            p.add_argument("--to", dest="end", help="ISO 8601 end (exclusive)")
        if name == "replay":
            p.add_argument("--out", help="folder for statement.json and statement.csv")
        if name == "reconcile":
            p.add_argument("--provider-export", help="OpenAI usage/cost export (CSV or JSON)")


def window_of(gateway: Gateway, args: argparse.Namespace) -> CycleWindow:
    client = gateway.state.client(args.workspace, _uuid(args.client))
    if client is None:
        raise NotFound(f"client {args.client} not found in this workspace")
    if getattr(args, "start", None):
        start = datetime.fromisoformat(args.start)
        end = datetime.fromisoformat(args.end) if args.end else gateway.clock.now()
        return CycleWindow(start.astimezone(UTC), end.astimezone(UTC), "custom")
    if not args.cycle:
        return cycle_window(client.policy, gateway.clock.now())
    text = args.cycle + ("-01" if len(args.cycle) == 7 else "")
    try:
        day = date.fromisoformat(text)
    except ValueError:
        raise InvalidInput("--cycle must look like 2026-11 or 2026-11-15") from None
    policy = client.policy
    return cycle_window(policy, datetime.combine(day, time(12), tzinfo=policy.zone))


def _uuid(text: str) -> Any:
    from uuid import UUID

    try:
        return UUID(text)
    except ValueError:
        raise InvalidInput(f"{text!r} is not a client id") from None


def replay_statement(gateway: Gateway, args: argparse.Namespace) -> Statement:
    window = window_of(gateway, args)
    lines = ledger_lines(gateway)
    bar = ProgressBar(lines.count(), f"replaying {window.label}")
    statement = replay_statement_for(gateway).execute(_uuid(args.client), window.start, window.end,
                                            args.workspace, bar)
    bar.finish()
    return statement


def write_statement(statement: Statement, folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    as_json, as_csv = folder / "statement.json", folder / "statement.csv"
    data = statement.as_dict()
    as_json.write_text(json.dumps(data, indent=2))
    with as_csv.open("w", newline="") as file:
        writer = csv.writer(file)
        writer.writerow(["group", "name", "requests", "prompt_tokens", "completion_tokens",
                         "provider_cost", "billed_cost"])
        for group in ("by_model", "by_key", "by_day"):
            for name, row in data[group].items():  # type: ignore[attr-defined]
                writer.writerow([group[3:], name, *row.values()])
        writer.writerow(["total", "", *data["total"].values()])  # type: ignore[attr-defined]
    return [as_json, as_csv]


def run(gateway: Gateway, args: argparse.Namespace) -> int:
    if args.action == "replay":
        statement = replay_statement(gateway, args)
        folder = Path(args.out or f"audit-{args.client}-{statement.start.date()}")
        for path in write_statement(statement, folder):
            print(f"wrote {path}")
        total = statement.total
        print(f"{total.requests} requests, provider cost ${total.provider_cost}, "
              f"billed ${total.billed_cost}, digest {statement.chain.head[:16]}…")
        for found in statement.discrepancies:
            print(f"DIFFERS {found.request_id}: {found.what} recorded {found.recorded}, "
                  f"recomputed {found.recomputed}")
        return 1 if statement.discrepancies else 0
    if args.action == "verify":
        verify = verify_cycle(gateway)
        label = args.cycle if args.cycle else None
        results = verify.execute(_uuid(args.client), label=label)
        for result in results:
            print(f"cycle {result.label}: " + ("intact" if result.intact else "TAMPERED"))
            for problem in result.problems:
                print(f"  {problem}")
        return 0 if all(r.intact for r in results) else 1
    from cli.reconcile import reconcile

    return reconcile(gateway, args)
