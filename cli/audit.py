"""``llm-gateway audit``: replay a client's statement, verify closed cycles, reconcile."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from application.audit.statement import Statement
from application.audit.statement_csv import statement_csv
from cli.progress import TextProgress
from domain.cycles import CycleWindow
from domain.errors import InvalidInput
from infrastructure.audit_wiring import ledger_lines, replay_window, verify_cycle
from infrastructure.audit_wiring import window_of as audit_window_of
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
    return audit_window_of(gateway, args.workspace, _uuid(args.client), args.cycle,
                           getattr(args, "start", None), getattr(args, "end", None))


def _uuid(text: str) -> Any:
    from uuid import UUID

    try:
        return UUID(text)
    except ValueError:
        raise InvalidInput(f"{text!r} is not a client id") from None


def replay_statement(gateway: Gateway, args: argparse.Namespace) -> Statement:
    window = window_of(gateway, args)
    total = ledger_lines(gateway).count()
    bar = TextProgress(label=f"replaying {window.label}")
    statement = replay_window(gateway, args.workspace, _uuid(args.client), window,
                              lambda done: bar(done, total))
    bar.finish()
    return statement


def write_statement(statement: Statement, folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    as_json, as_csv = folder / "statement.json", folder / "statement.csv"
    as_json.write_text(json.dumps(statement.as_dict(), indent=2))
    as_csv.write_text(statement_csv(statement), newline="")
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
