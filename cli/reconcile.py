"""``llm-gateway audit reconcile``: four accounts of a cycle, and where they differ."""

from __future__ import annotations

import argparse
from pathlib import Path

from cli.audit import _uuid, replay_statement, window_of
from infrastructure.audit_wiring import reconcile_window
from infrastructure.bootstrap import Gateway


def reconcile(gateway: Gateway, args: argparse.Namespace) -> int:
    window = window_of(gateway, args)
    statement = replay_statement(gateway, args)
    export = Path(args.provider_export).read_text() if args.provider_export else None
    result = reconcile_window(gateway, args.workspace, _uuid(args.client), window, statement,
                              export)
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
