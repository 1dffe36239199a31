"""The measurements of one run, their medians, the table and the targets of issue 7.

A cell is one (path, endpoint, concurrency) measured `repeats` times. Direct and gateway
runs of a cell alternate, so each gateway run has a direct run from the same moment:
ratios and added latency are taken per pair and then the median, which cancels much of a
shared box's drift.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from statistics import median

from bench.wrk import WrkResult

DIRECT = "direct"

# Issue 7's targets.
MIN_CHAT_RPS_AT_64 = 1000.0
MAX_ADDED_P50_MS_AT_1 = 1.0
MAX_P99_MS_AT_64 = 50.0
MAX_RSS_MB_PER_PROCESS = 300.0

# A ledger commit this slow holds every request waiting for it by about as long: a few of
# them in a run are enough to move its p99 at concurrency 64.
SLOW_COMMIT_MS = 25


@dataclass
class Run:
    wrk: WrkResult
    upstream_cpu_s: float
    postgres_cpu_s: float
    other_cpu_s: float  # the host's busy time that none of the above nor wrk used
    gateway_cpu_s: float | None = None
    projector_cpu_s: float | None = None  # `llm-gateway projections run`, when separate
    ledger_events: int | None = None  # rows added to ledger_events by this run
    lag_samples: list[int] | None = None  # projection lag in events, sampled every 50 ms
    catch_up_s: float | None = None  # from the end of load until the views are current
    slow_commits: int | None = None  # ledger commits that took ≥ SLOW_COMMIT_MS
    checkpoints: int | None = None  # PostgreSQL checkpoints begun during the run


@dataclass
class Cell:
    path: str  # DIRECT, or the gateway's label such as "gateway w=1"
    endpoint: str
    connections: int
    runs: list[Run] = field(default_factory=list)

    @property
    def rps(self) -> float:
        return median(r.wrk.rps for r in self.runs)

    @property
    def p50_ms(self) -> float:
        return median(r.wrk.p50_ms for r in self.runs)

    @property
    def p99_ms(self) -> float:
        return median(r.wrk.p99_ms for r in self.runs)

    @property
    def non_2xx(self) -> int:
        return sum(r.wrk.non_2xx for r in self.runs)

    @property
    def socket_errors(self) -> int:
        return sum(r.wrk.socket_errors for r in self.runs)

    @property
    def requests(self) -> int:
        return sum(r.wrk.requests for r in self.runs)

    @property
    def gateway_cpu_us_per_request(self) -> float | None:
        values = [r.gateway_cpu_s / r.wrk.requests * 1e6 for r in self.runs
                  if r.gateway_cpu_s is not None and r.wrk.requests]
        return median(values) if values else None

    @property
    def upstream_cpu_percent(self) -> float:
        return median(r.upstream_cpu_s / r.wrk.seconds * 100 for r in self.runs)

    @property
    def postgres_cpu_percent(self) -> float:
        return median(r.postgres_cpu_s / r.wrk.seconds * 100 for r in self.runs)

    @property
    def projector_cpu_percent(self) -> float | None:
        values = [r.projector_cpu_s / r.wrk.seconds * 100 for r in self.runs
                  if r.projector_cpu_s is not None]
        return median(values) if values else None

    @property
    def other_cpu_percent(self) -> float:
        return median(max(r.other_cpu_s, 0) / r.wrk.seconds * 100 for r in self.runs)

    @property
    def lag_samples(self) -> list[int]:
        return [x for r in self.runs for x in (r.lag_samples or [])]

    def lag_text(self) -> str:
        samples = self.lag_samples
        if not samples:
            return "—"
        return f"{median(samples):,.0f} / {max(samples):,}"

    @property
    def catch_up_s(self) -> float | None:
        values = [r.catch_up_s for r in self.runs if r.catch_up_s is not None]
        return median(values) if values else None

    @property
    def ledger_events_per_second(self) -> float | None:
        values = [r.ledger_events / r.wrk.seconds for r in self.runs
                  if r.ledger_events is not None]
        return median(values) if values else None

    @property
    def ledger_events(self) -> int | None:
        values = [r.ledger_events for r in self.runs if r.ledger_events is not None]
        return sum(values) if values else None

    def stalls_text(self) -> str:
        commits = [r.slow_commits for r in self.runs if r.slow_commits is not None]
        checkpoints = [r.checkpoints for r in self.runs if r.checkpoints is not None]
        if not commits and not checkpoints:
            return "—"
        return (f"{sum(commits) if commits else '—'} / "
                f"{sum(checkpoints) if checkpoints else '—'}")

    def ledger_matches(self) -> bool | None:
        """Every answered request has its event. wrk stops with up to `connections`
        requests in flight; the gateway still answers (and records) those, so the ledger
        may hold up to that many more events per run than wrk counted answers."""
        if self.ledger_events is None:
            return None
        return all(r.wrk.requests <= (r.ledger_events or 0)
                   <= r.wrk.requests + self.connections for r in self.runs)


def paired(direct: Cell, gateway: Cell) -> tuple[float, float]:
    """Median over same-moment pairs of (gateway ÷ direct req/s, gateway − direct p50)."""
    pairs = list(zip(direct.runs, gateway.runs, strict=False))
    ratio = median(g.wrk.rps / d.wrk.rps for d, g in pairs if d.wrk.rps)
    added = median(g.wrk.p50_ms - d.wrk.p50_ms for d, g in pairs)
    return ratio, added


def _f(value: float | None, digits: int = 1) -> str:
    return "—" if value is None else f"{value:,.{digits}f}"


def table(cells: list[Cell]) -> str:
    direct = {(c.endpoint, c.connections): c for c in cells if c.path == DIRECT}
    head = ("| endpoint | conc | path | req/s | p50 ms | p99 ms | non-2xx / socket err "
            "| ÷ direct req/s | + p50 ms | gw CPU µs/req | upstream CPU % | pg CPU % "
            "| projector CPU % | other CPU % | ledger events/s | ledger rows − answered "
            "| proj. lag events p50 / max "
            f"| ledger commits ≥ {SLOW_COMMIT_MS} ms / pg checkpoints |")
    lines = [head, "|" + "---|" * (head.count("|") - 1)]
    for cell in cells:
        ratio = added = None
        twin = direct.get((cell.endpoint, cell.connections))
        if cell.path != DIRECT and twin is not None:
            ratio, added = paired(twin, cell)
        events = cell.ledger_events
        match = "—" if events is None else f"{events - cell.requests:+,} " + (
            "✓" if cell.ledger_matches() else "✗")
        lines.append(
            f"| {cell.endpoint} | {cell.connections} | {cell.path} | {_f(cell.rps, 0)} "
            f"| {_f(cell.p50_ms, 2)} | {_f(cell.p99_ms, 2)} "
            f"| {cell.non_2xx} / {cell.socket_errors} "
            f"| {_f(ratio, 2)} | {_f(added, 2)} | {_f(cell.gateway_cpu_us_per_request, 0)} "
            f"| {_f(cell.upstream_cpu_percent, 0)} | {_f(cell.postgres_cpu_percent, 0)} "
            f"| {_f(cell.projector_cpu_percent, 0)} | {_f(cell.other_cpu_percent, 0)} "
            f"| {_f(cell.ledger_events_per_second, 0)} "
            f"| {match} | {cell.lag_text()} | {cell.stalls_text()} |")
    return "\n".join(lines)


@dataclass(frozen=True)
class Check:
    label: str
    passed: bool
    detail: str

    def line(self) -> str:
        return f"- {'PASS' if self.passed else 'FAIL'}  {self.label}: {self.detail}"


def targets(cells: list[Cell], gateway: str, peak_rss_mb: dict[int, float]) -> list[Check]:
    mine = [c for c in cells if c.path == gateway]
    direct = {(c.endpoint, c.connections): c for c in cells if c.path == DIRECT}
    checks = []
    chat64 = next((c for c in mine if c.endpoint == "chat" and c.connections == 64), None)
    if chat64 is not None:
        checks.append(Check(
            f"non-streaming chat at concurrency 64 ≥ {MIN_CHAT_RPS_AT_64:,.0f} req/s",
            chat64.rps >= MIN_CHAT_RPS_AT_64, f"{chat64.rps:,.0f} req/s (median)"))
    at1 = [(c, paired(direct[(c.endpoint, 1)], c)[1]) for c in mine
           if c.connections == 1 and (c.endpoint, 1) in direct]
    if at1:
        checks.append(Check(
            f"latency added over direct at concurrency 1, p50 ≤ {MAX_ADDED_P50_MS_AT_1} ms",
            all(added <= MAX_ADDED_P50_MS_AT_1 for _, added in at1),
            ", ".join(f"{c.endpoint} +{added:.2f} ms" for c, added in at1)))
    at64 = [c for c in mine if c.connections == 64]
    if at64:
        checks.append(Check(
            f"p99 at concurrency 64 ≤ {MAX_P99_MS_AT_64:.0f} ms",
            all(c.p99_ms <= MAX_P99_MS_AT_64 for c in at64),
            ", ".join(f"{c.endpoint} {c.p99_ms:.1f} ms" for c in at64)))
    if peak_rss_mb:
        worst = max(peak_rss_mb.values())
        checks.append(Check(
            f"peak RSS ≤ {MAX_RSS_MB_PER_PROCESS:.0f} MB per process",
            worst <= MAX_RSS_MB_PER_PROCESS,
            f"max {worst:.0f} MB over {len(peak_rss_mb)} process(es)"))
    errors = sum(c.non_2xx + c.socket_errors for c in mine)
    checks.append(Check("no error responses", errors == 0,
                        f"{errors} non-2xx or socket errors in {sum(c.requests for c in mine):,}"
                        " requests"))
    ledger = [c.ledger_matches() for c in mine if c.ledger_matches() is not None]
    if ledger:
        checks.append(Check("(extra) one usage event per answered request", all(ledger),
                            "ledger_events rows added per run vs requests wrk saw answered"))
    return checks
