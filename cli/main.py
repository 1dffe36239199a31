"""``llm-gateway``: serve the gateway, run the simulator, and manage a workspace."""

from __future__ import annotations

import argparse
import sys
from uuid import UUID

from cli.audit import add_audit_parsers
from cli.projections import add_projection_parsers
from domain.errors import GatewayError
from domain.ids import DEFAULT_WORKSPACE_ID


def _management_parsers(groups: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    clients = groups.add_parser("clients", help="clients of the agency").add_subparsers(
        dest="action", required=True)
    p = clients.add_parser("list")
    p.add_argument("--search")
    p.add_argument("--status", choices=["active", "suspended", "inactive"])
    p = clients.add_parser("create")
    p.add_argument("name")
    for name in ("--email", "--company", "--phone"):
        p.add_argument(name)
    clients.add_parser("show").add_argument("client_id", type=UUID)
    p = clients.add_parser("update")
    p.add_argument("client_id", type=UUID)
    for name in ("--name", "--email", "--company", "--phone"):
        p.add_argument(name)
    p = clients.add_parser("status")
    p.add_argument("client_id", type=UUID)
    p.add_argument("status", choices=["active", "suspended", "inactive"])
    p.add_argument("--reason")
    p = clients.add_parser("limits")
    p.add_argument("client_id", type=UUID)
    p.add_argument("--cycle", choices=["daily", "weekly", "monthly"])
    p.add_argument("--anchor-day", dest="anchor_day", type=int)
    p.add_argument("--timezone")
    for name in ("max_requests", "max_tokens", "max_sessions", "max_calls_per_execution",
                 "execution_window_seconds"):
        p.add_argument("--" + name.replace("_", "-"), dest=name, type=int)
    p.add_argument("--max-credits", dest="max_credits", help="US dollars, exact")
    p.add_argument("--no-enforce", action="store_true")
    p = clients.add_parser("markup")
    p.add_argument("client_id", type=UUID)
    p.add_argument("percent")

    keys = groups.add_parser("keys", help="gateway keys").add_subparsers(dest="action",
                                                                        required=True)
    keys.add_parser("list").add_argument("client_id", type=UUID)
    p = keys.add_parser("issue")
    p.add_argument("client_id", type=UUID)
    p.add_argument("--name", default="default")
    p.add_argument("--expires-at", dest="expires_at", help="ISO 8601 with a time zone")
    p = keys.add_parser("regenerate")
    p.add_argument("key_id", type=UUID)
    p.add_argument("--grace-seconds", dest="grace_seconds", type=int, default=0)
    p = keys.add_parser("revoke")
    p.add_argument("key_id", type=UUID)
    p.add_argument("--reason")
    p = keys.add_parser("expiry")
    p.add_argument("key_id", type=UUID)
    p.add_argument("--expires-at", dest="expires_at", help="omit to clear")

    models = groups.add_parser("models", help="model catalog and prices").add_subparsers(
        dest="action", required=True)
    models.add_parser("list")
    p = models.add_parser("set")
    p.add_argument("model_id")
    p.add_argument("--input-per-million", dest="input_per_million")
    p.add_argument("--output-per-million", dest="output_per_million")
    p.add_argument("--cached-input-per-million", dest="cached_input_per_million")
    p.add_argument("--enable", dest="enable", action="store_true", default=None)
    p.add_argument("--disable", dest="enable", action="store_false")

    provider = groups.add_parser("provider", help="upstream provider settings").add_subparsers(
        dest="action", required=True)
    provider.add_parser("show")
    p = provider.add_parser("set")
    p.add_argument("--base-url", dest="base_url")
    p.add_argument("--timeout-seconds", dest="timeout_seconds", type=float)
    p.add_argument("--api-key", dest="api_key")

    staff = groups.add_parser("staff", help="dashboard staff").add_subparsers(dest="action",
                                                                             required=True)
    staff.add_parser("list")
    p = staff.add_parser("add")
    p.add_argument("email")
    p.add_argument("--password", required=True)
    p.add_argument("--role", choices=["admin", "operator", "auditor"], default="operator")

    tokens = groups.add_parser("tokens", help="admin API tokens").add_subparsers(
        dest="action", required=True)
    tokens.add_parser("issue").add_argument("--name", default="cli")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="llm-gateway", description=__doc__)
    parser.add_argument("--workspace", type=UUID, default=DEFAULT_WORKSPACE_ID,
                        help="workspace id (default: the default workspace)")
    parser.add_argument("--json", action="store_true", help="print JSON for scripts")
    groups = parser.add_subparsers(dest="group", required=True)
    p = groups.add_parser("serve", help="run the proxy, admin API and dashboard")
    p.add_argument("--host")
    p.add_argument("--port", type=int)
    p.add_argument("--workers", type=int)
    p = groups.add_parser("simulate-upstream", help="run the OpenAI-compatible simulator")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8090)
    p.add_argument("--latency-ms", type=float, default=0)
    p.add_argument("--tokens-per-second", type=float, default=0)
    p.add_argument("--error-rate", type=float, default=0)
    p.add_argument("--no-stream-usage", action="store_true")
    _management_parsers(groups)
    add_projection_parsers(groups)
    add_audit_parsers(groups)
    return parser


def main(argv: list[str] | None = None) -> None:
    args = build_parser().parse_args(argv)
    if args.group == "simulate-upstream":
        from simulator import SimulatorConfig, run_simulator

        run_simulator(args.host, args.port, SimulatorConfig(
            latency_ms=args.latency_ms, tokens_per_second=args.tokens_per_second,
            error_rate=args.error_rate, send_stream_usage=not args.no_stream_usage))
        return
    from infrastructure.bootstrap import build_gateway

    gateway = build_gateway()
    try:
        if args.group == "serve":
            from cli.serve import serve

            serve(gateway, args)
            return
        if args.group == "audit":
            from cli.audit import run as run_audit

            sys.exit(run_audit(gateway, args))
        if args.group == "projections":
            from cli.projections import run as run_projections

            run_projections(gateway, args)
            return
        from cli import management
        from infrastructure.bootstrap import ensure_default_workspace

        ensure_default_workspace(gateway)
        management.run(gateway, args)
    except GatewayError as error:
        print(f"error: {error.message}", file=sys.stderr)
        sys.exit(2)
    finally:
        gateway.close()


if __name__ == "__main__":
    main()
