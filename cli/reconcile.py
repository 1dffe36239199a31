"""``llm-gateway audit reconcile``: four accounts of a cycle, and where they differ."""

from __future__ import annotations

import argparse
from decimal import Decimal
from pathlib import Path

from application.audit.provider_export import provider_costs
from application.audit.reconcile import reconcile as compare
from cli.audit import _uuid, replay_statement, window_of
from infrastructure.audit_wiring import replay_statement as replay_for
from infrastructure.bootstrap import Gateway
from infrastructure.ledger_lines import EventSourcedLedgerLines
from projections.queries.cycle_usage import usage_for_cycle
from projections.queries.reconciliation import request_costs


def reconcile(gateway: Gateway, args: argparse.Namespace) -> int:
    client_id, workspace = _uuid(args.client), args.workspace
    window = window_of(gateway, args)
    statement = replay_statement(gateway, args)
    read_models = gateway.read_models  # type: ignore[attr-defined]
    totals = {}
    if window.label != "custom":
        usage = usage_for_cycle(read_models, workspace, client_id, window.start)
        totals = {name: getattr(usage, name) for name in (
            "requests", "prompt_tokens", "completion_tokens", "provider_cost", "billed_cost")}
    lines = request_costs(read_models, workspace, client_id, window.start, window.end)
    closed = next((c for c in EventSourcedLedgerLines(gateway.ledger).cycle_closures(client_id)
                   if c.cycle_start == window.start), None)
    export = by_day_model = None
    if args.provider_export:
        export = provider_costs(Path(args.provider_export).read_text())
        by_day_model = _workspace_costs(gateway, args, window)
    result = compare(statement, totals, lines, closed, export, by_day_model)
    print("compared: " + "; ".join(result.compared))
    for difference in result.differences:
        print(f"DIFFERS [{difference.between}] {difference.what}: "
              f"{difference.left} vs {difference.right}")
        if difference.request_ids:
            print("  requests: " + ", ".join(difference.request_ids[:50]))
    if result.agrees:
        print(f"all agree: {statement.total.requests} events, provider cost "
              f"${statement.total.provider_cost}, billed ${statement.total.billed_cost}")
    return 0 if result.agrees else 1


def _workspace_costs(gateway: Gateway, args: argparse.Namespace,
                     window: object) -> dict[tuple[str, str], Decimal]:
    """The provider bills the whole account: compare against every client's usage."""
    replay = replay_for(gateway)
    costs: dict[tuple[str, str], Decimal] = {}
    for client in gateway.state.clients_of(args.workspace):
        statement = replay.execute(client.id, window.start, window.end,  # type: ignore[attr-defined]
                                   args.workspace)
        for key, totals in statement.by_day_model.items():
            costs[key] = costs.get(key, Decimal(0)) + totals.provider_cost
    return costs
