"""`make bench`: the gateway on PostgreSQL against the simulator, driven by wrk, one table.

Scenarios:
  standard  direct to the upstream (a static loopback server, or the simulator) and
            through the gateway, for chat, streamed chat and embeddings at concurrency 1,
            16 and 64; then issue 7's targets.
  slow      the simulator answers after 300 ms; 100 and 500 connections through the
            gateway show whether it holds many slow requests in flight without queueing.
  profile   py-spy samples the gateway during non-streamed chat at concurrency 64.

--gateway LABEL=COMMAND (repeatable) measures other gateway commands side by side, each
on its own database: an A/B test of a patched launcher against the current code.

Everything it starts (simulator, gateways, wrk) runs in a process group of its own and is
stopped in `finally`, and the database it creates is dropped, also after a failure.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import secrets
import shlex
import shutil
import signal
import string
import subprocess
import sys
import tempfile
import time
import urllib.request
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path
from statistics import median
from typing import Any

from bench import admin, profile
from bench.postgres import DatabaseProbe, ProjectionLagSampler, fresh_database
from bench.procs import (
    Service,
    command_line,
    cpu_used_since,
    free_port,
    host_busy_seconds,
    postgres_cpu_by_pid,
    raise_open_files_limit,
    thread_cpu_seconds,
)
from bench.report import DIRECT, SLOW_COMMIT_MS, Cell, Check, Run, table, targets
from bench.wrk import WrkResult, ensure_wrk, run_wrk

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = ROOT / ".venv" / "bin"

# Small, realistic bodies; the simulator answers 16 completion tokens by default.
MESSAGES = [{"role": "user", "content": "Write one friendly sentence about dentists."}]
ENDPOINTS: dict[str, tuple[str, dict[str, object]]] = {
    "chat": ("/v1/chat/completions", {"model": "gpt-4o-mini", "messages": MESSAGES}),
    "chat-stream": ("/v1/chat/completions",
                    {"model": "gpt-4o-mini", "messages": MESSAGES, "stream": True}),
    "embeddings": ("/v1/embeddings", {"model": "text-embedding-3-small",
                                      "input": "The quick brown fox jumps over the lazy dog"}),
}
# After a gateway run, wait for the group commit to store the last events before counting.
SETTLE_SECONDS = 0.4


def random_secret(length: int = 40) -> str:
    alphabet = string.ascii_letters + string.digits
    return "".join(secrets.choice(alphabet) for _ in range(length))


@dataclass
class Target:
    """Where wrk sends a row's requests: the simulator itself, or a gateway in front."""

    label: str
    base: str
    auth: str
    service: Service | None = None  # the gateway, whose CPU and memory are sampled
    probe: DatabaseProbe | None = None  # a connection to the gateway's own database
    projector: Service | None = None  # `llm-gateway projections run`, when separate


class Bench:
    def __init__(self, args: argparse.Namespace, stack: ExitStack):
        self.args = args
        self.stack = stack
        self.wrk = ensure_wrk()
        self.workdir = Path(tempfile.mkdtemp(prefix="llm-gw-bench-"))
        stack.callback(self._remove_workdir)
        self.services: list[Service] = []
        self.bodies = {}
        for name, (_, body) in ENDPOINTS.items():
            self.bodies[name] = self.workdir / f"{name}.json"
            self.bodies[name].write_text(json.dumps(body))

    def _remove_workdir(self) -> None:
        if self.args.keep_logs:
            print(f"logs kept in {self.workdir}")
        else:
            shutil.rmtree(self.workdir, ignore_errors=True)

    def _start(self, service: Service, ready_url: str) -> Service:
        self.services.append(service)
        self.stack.callback(service.stop)  # registered before start: a failed start is stopped
        service.start()
        service.wait_http(ready_url)
        return service

    def start_simulator(self, latency_ms: float) -> Target:
        port = free_port()
        env = None
        if self.args.upstream == "static" and not latency_ms:
            argv = [str(VENV_BIN / "python"), "-m", "bench.static_upstream", "--port", str(port)]
            env = {**os.environ, "PYTHONPATH": str(ROOT)}
        else:
            argv = [str(VENV_BIN / "llm-gateway"), "simulate-upstream", "--port", str(port)]
            if latency_ms:
                argv += ["--latency-ms", f"{latency_ms:g}"]
        base = f"http://127.0.0.1:{port}"
        service = Service("simulator", argv, self.workdir / "simulator.log", env=env,
                          cwd=self.workdir)
        self._start(service, base + "/v1/models")
        return Target(DIRECT, base, admin.PROVIDER_KEY, service)

    def start_gateway(self, label: str, command: list[str], workers: int, database_url: str,
                      admin_token: str, secret_key: str) -> Target:
        port = free_port()
        name = f"{label} w={workers}"
        cwd = Path(tempfile.mkdtemp(prefix=f"{label}-w{workers}-", dir=self.workdir))
        env = {**os.environ,
               "GATEWAY_DATABASE_URL": database_url,
               "GATEWAY_ENV": "development",
               "GATEWAY_DATA_DIR": str(cwd / "data"),
               "GATEWAY_SECRET_KEY": secret_key,
               "GATEWAY_ADMIN_TOKEN": admin_token,
               "GATEWAY_WORKERS": str(workers)}
        if self.args.projector:
            env["GATEWAY_SERVE_PROJECTIONS"] = "false"
        argv = [*command, "serve", "--port", str(port)]
        base = f"http://127.0.0.1:{port}"
        service = Service(name, argv, cwd / "gateway.log", env=env, cwd=cwd)
        self._start(service, base + "/healthz")
        projector = None
        if self.args.projector:
            # The production topology (docker-compose.yml): the read side in a process of
            # its own, started once the gateway has created the schema.
            projector = Service(f"{name} projector", [*command, "projections", "run"],
                                cwd / "projector.log", env=env, cwd=cwd)
            self.services.append(projector)
            self.stack.callback(projector.stop)
            projector.start()
        return Target(name, base, "", service, projector=projector)

    def start_all(self, latency_ms: float) -> tuple[Target, list[Target]]:
        """The simulator, and each gateway on a fresh database of its own: a gateway also
        runs the projections of its database, so sharing one would bill one gateway for
        another's traffic."""
        upstream = self.start_simulator(latency_ms)
        gateways = []
        for label, command in self.args.variants:
            for workers in self.args.workers:
                database_url = self.stack.enter_context(fresh_database())
                admin_token, secret_key = random_secret(), random_secret()
                gateway = self.start_gateway(label, command, workers, database_url,
                                             admin_token, secret_key)
                gateway.auth = admin.configure(gateway.base, admin_token,
                                               upstream.base + "/v1", self.args.limits)
                admin.wait_until_key_works(gateway.base, gateway.auth,
                                           self.bodies["chat"].read_bytes())
                gateway.probe = DatabaseProbe(database_url)
                self.stack.callback(gateway.probe.close)
                gateways.append(gateway)
        return upstream, gateways

    def measure(self, target: Target, upstream: Target, endpoint: str, connections: int,
                seconds: int, timeout_s: float = 5.0) -> Run:
        """One wrk run, with the CPU every party used meanwhile and, through the gateway,
        the usage events it stored and how far its projections trailed."""
        gateway = target.service if target.label != DIRECT else None
        assert upstream.service is not None
        cpu = self._cpu(upstream.service, gateway, target.projector)
        rows = target.probe.ledger_rows() if target.probe else 0
        url = target.base + ENDPOINTS[endpoint][0]
        headers = {"Authorization": f"Bearer {target.auth}"}
        if gateway is None:
            result = run_wrk(self.wrk, url, self.bodies[endpoint], connections, seconds,
                             headers, timeout_s)
            return self._run(result, cpu, self._cpu(upstream.service, None, None))
        assert target.probe is not None
        slow_commits = slow_commit_count(scrape_metrics(target))
        checkpoints = target.probe.checkpoints()
        with ProjectionLagSampler(target.probe) as lag:
            result = run_wrk(self.wrk, url, self.bodies[endpoint], connections, seconds,
                             headers, timeout_s)
        run = self._run(result, cpu, self._cpu(upstream.service, gateway,
                                               target.projector))  # wrk's window
        catch_up = target.probe.wait_caught_up() if lag.available else None
        time.sleep(SETTLE_SECONDS)
        gateway.sample_peak_rss()
        if target.projector is not None:
            target.projector.sample_peak_rss()
        run.ledger_events = target.probe.ledger_rows() - rows
        run.lag_samples = lag.samples if lag.available else None
        run.catch_up_s = catch_up
        run.checkpoints = target.probe.checkpoints() - checkpoints
        slow_after = slow_commit_count(scrape_metrics(target))
        if slow_commits is not None and slow_after is not None:
            run.slow_commits = slow_after - slow_commits
        return run

    @staticmethod
    def _cpu(upstream: Service, gateway: Service | None,
             projector: Service | None) -> dict[str, Any]:
        return {"host": host_busy_seconds(), "upstream": upstream.cpu_seconds(),
                "gateway": gateway.cpu_seconds() if gateway else 0.0,
                "projector": projector.cpu_seconds() if projector else 0.0,
                "postgres": postgres_cpu_by_pid()}

    @staticmethod
    def _run(result: WrkResult, before: dict[str, Any], after: dict[str, Any]) -> Run:
        used = {k: after[k] - before[k] for k in before if k != "postgres"}
        used["postgres"] = cpu_used_since(before["postgres"], after["postgres"])
        other = used["host"] - used["upstream"] - used["gateway"] - used["projector"] \
            - used["postgres"] - result.wrk_cpu_seconds
        return Run(result, used["upstream"], used["postgres"], other,
                   gateway_cpu_s=used["gateway"] if used["gateway"] else None,
                   projector_cpu_s=used["projector"] if used["projector"] else None)

    def measure_cell_group(self, targets_: list[Target], upstream: Target, endpoint: str,
                           connections: int, cells: list[Cell], timeout_s: float = 5.0) -> None:
        args = self.args
        group = [Cell(t.label, endpoint, connections) for t in targets_]
        for target in targets_:  # warm-up: connection pools, caches, CPU frequency
            self.measure(target, upstream, endpoint, connections, args.warmup, timeout_s)
        for _ in range(args.repeats):
            for target, cell in zip(targets_, group, strict=True):
                cell.runs.append(self.measure(target, upstream, endpoint, connections,
                                              args.duration, timeout_s))
        for cell in group:
            per_run = " / ".join(f"{r.wrk.p99_ms:.1f}" for r in cell.runs)
            stalls = "" if cell.path == DIRECT else \
                f"; ledger commits ≥ {SLOW_COMMIT_MS} ms / checkpoints: {cell.stalls_text()}"
            print(f"  {endpoint:<12} c={connections:<3} {cell.path:<12} {cell.rps:>8,.0f} req/s"
                  f"  p50 {cell.p50_ms:6.2f} ms  p99 {cell.p99_ms:7.2f} ms"
                  f"  errors {cell.non_2xx + cell.socket_errors}"
                  f"  (p99 of each run {per_run}{stalls})", flush=True)
        cells.extend(group)


def peak_rss_lines(gateway: Target) -> tuple[list[str], dict[int, float]]:
    """VmHWM of each process of one gateway; uvicorn's supervisor forks the workers."""
    service = gateway.service
    assert service is not None
    service.sample_peak_rss()
    peaks = {pid: kb / 1024 for pid, kb in service.peak_rss_kb.items()}
    lines = []
    if gateway.projector is not None:
        gateway.projector.sample_peak_rss()
        for pid, kb in gateway.projector.peak_rss_kb.items():
            lines.append(f"  {gateway.label}: pid {pid} projector "
                         f"(llm-gateway projections run): {kb / 1024:.0f} MB")
            peaks[pid] = kb / 1024
    for pid, mb in sorted(peaks.items()):
        if gateway.projector is not None and pid in gateway.projector.peak_rss_kb:
            continue
        cmd = command_line(pid)
        role = ("uvicorn worker" if "multiprocessing" in cmd and "resource_tracker" not in cmd
                else "multiprocessing helper" if "resource_tracker" in cmd
                else "serve (supervisor)" if len(peaks) > 1 else "serve (the one worker)")
        lines.append(f"  {gateway.label}: pid {pid} {role}: {mb:.0f} MB")
    return lines, peaks


def scrape_metrics(gateway: Target) -> dict[str, float]:
    """One process's Prometheus metrics (with several workers: whichever answers)."""
    try:
        with urllib.request.urlopen(gateway.base + "/metrics", timeout=5) as response:
            text = response.read().decode()
    except OSError:
        return {}
    values = {}
    for line in text.splitlines():
        match = re.match(r"^([a-zA-Z_:][\w:]*)(\{[^}]*\})?\s+([-+0-9.eEinfNa]+)$", line)
        if match:  # labelled series keep their labels: name{le="0.025"}
            values[match.group(1) + (match.group(2) or "")] = float(match.group(3))
    return values


def slow_commit_count(metrics: dict[str, float]) -> int | None:
    """Ledger commits of SLOW_COMMIT_MS or more so far, from the commit-time histogram."""
    total = metrics.get("gateway_usage_writer_commit_seconds_count")
    bucket = f'le="{SLOW_COMMIT_MS / 1000}"'
    fast = metrics.get(f"gateway_usage_writer_commit_seconds_bucket{{{bucket}}}")
    if total is None or fast is None:
        return None
    return int(total - fast)


def projection_lag(cells: list[Cell]) -> str:
    """Lag of the ledger's projections behind the ledger, sampled during the load."""
    sampled = [c for c in cells if c.lag_samples]
    if not sampled:
        return "n/a (no projections yet)"
    worst = max(sampled, key=lambda c: max(c.lag_samples))
    catch_up = [c.catch_up_s for c in sampled if c.catch_up_s is not None]
    text = (f"median {median(x for c in sampled for x in c.lag_samples):,.0f} events over all "
            f"rows, worst row {worst.endpoint} c={worst.connections}: median "
            f"{median(worst.lag_samples):,.0f}, max {max(worst.lag_samples):,} events "
            f"(≈ {max(worst.lag_samples) / max(worst.ledger_events_per_second or 1, 1) * 1000:,.0f}"
            f" ms of its traffic)")
    if catch_up:
        text += (f"; current again {median(catch_up) * 1000:,.0f} ms (median), "
                 f"{max(catch_up) * 1000:,.0f} ms (max) after load stopped")
    return text


def group_commit_line(metrics: dict[str, float]) -> str | None:
    count = metrics.get("gateway_usage_writer_batch_size_count")
    if not count:
        return None
    size = metrics["gateway_usage_writer_batch_size_sum"] / count
    commit_ms = metrics.get("gateway_usage_writer_commit_seconds_sum", 0) / count * 1000
    return (f"ledger group commit: {size:.1f} events per commit on average, "
            f"{commit_ms:.2f} ms per commit ({count:,.0f} commits; one process's /metrics)")


def machine_lines(wrk: str) -> list[str]:
    cpu = next((line.split(":", 1)[1].strip() for line in
                Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), "?")
    mem_kb = int(next(line.split()[1] for line in Path("/proc/meminfo").read_text()
                      .splitlines() if line.startswith("MemTotal")))
    wrk_version = subprocess.run([wrk, "--version"], capture_output=True, text=True)
    pg = subprocess.run(["psql", "-h", "127.0.0.1", "-U", "root", "-d", "postgres", "-Atc",
                         "show server_version"], capture_output=True, text=True)
    head = subprocess.run(["git", "-C", str(ROOT), "describe", "--always", "--dirty"],
                          capture_output=True, text=True).stdout.strip() or "?"
    return [
        f"code: {head} (git describe; -dirty = uncommitted changes measured too)",
        f"machine: {os.cpu_count()} CPUs ({cpu}), {mem_kb / 1024 / 1024:.1f} GiB RAM, "
        f"load average {' '.join(f'{x:.2f}' for x in os.getloadavg())} at start",
        f"python {platform.python_version()}, {(wrk_version.stdout or '?').splitlines()[0]}, "
        f"PostgreSQL {pg.stdout.strip() or '?'}",
    ]


def run_standard(bench: Bench) -> list[str]:
    args = bench.args
    upstream, gateways = bench.start_all(latency_ms=0)
    cells: list[Cell] = []
    print(f"measuring: {args.repeats} × {args.duration:g} s per row after "
          f"{args.warmup:g} s warm-up; direct and gateway runs alternate", flush=True)
    for endpoint in args.endpoints:
        for connections in args.concurrency:
            bench.measure_cell_group([upstream, *gateways], upstream, endpoint, connections,
                                     cells)
    out = ["", table(cells), ""]
    for gateway in gateways:
        rss_lines, peaks = peak_rss_lines(gateway)
        metrics = scrape_metrics(gateway)
        busiest = max((c for c in cells if c.path == gateway.label),
                      key=lambda c: c.ledger_events_per_second or 0)
        out += [f"### {gateway.label}", "",
                f"- usage events written: up to {busiest.ledger_events_per_second:,.0f}/s "
                f"({busiest.endpoint}, c={busiest.connections}); per-row figures above",
                f"- projection lag (sampled every 50 ms from rm_tracking and ledger_events): "
                f"{projection_lag([c for c in cells if c.path == gateway.label])}"]
        commit = group_commit_line(metrics)
        if commit:
            out.append(f"- {commit}")
        # uvicorn's supervisor kills and replaces a worker that misses its 5 s health check.
        assert gateway.service is not None
        died = gateway.service.log_matches(r"Child process \[\d+\] died")
        out += ["- peak RSS (VmHWM, per process; the target is per process):", *rss_lines,
                "", "Targets (issue 7):", ""]
        out += [check.line() for check in targets(cells, gateway.label, peaks)]
        out.append(Check("(extra) no worker replaced by uvicorn's supervisor", not died,
                         f"{len(died)} 'Child process [N] died' lines in the log").line())
        out.append("")
    direct_chat = max((c.rps for c in cells if c.path == DIRECT and c.endpoint == "chat"),
                      default=0)
    gateway_chat = max((c.rps for c in cells if c.path != DIRECT and c.endpoint == "chat"),
                       default=0)
    out.append(f"Upstream headroom: the upstream alone answers up to {direct_chat:,.0f} "
               f"non-streamed chat req/s, {direct_chat / max(gateway_chat, 1):.1f}× the "
               f"gateway's best {gateway_chat:,.0f}, so the gateway is what is measured.")
    return out


def run_slow(bench: Bench) -> list[str]:
    """A slow upstream: the gateway should hold every connection's request in flight and
    add little to the upstream's delay. Below its CPU capacity (the first, smaller
    concurrency) that shows the concurrency model; at 500 it also shows the CPU limit."""
    args = bench.args
    upstream, gateways = bench.start_all(latency_ms=args.slow_latency_ms)
    delay_s = args.slow_latency_ms / 1000
    cells: list[Cell] = []
    print(f"slow upstream ({args.slow_latency_ms:g} ms), "
          f"{' and '.join(map(str, args.slow_connections))} connections, "
          f"{args.repeats} × {args.slow_duration:g} s", flush=True)
    saved = args.duration, args.warmup
    args.duration, args.warmup = args.slow_duration, max(args.warmup, 2)
    try:
        for connections in args.slow_connections:
            bench.measure_cell_group([upstream, *gateways], upstream, "chat", connections,
                                     cells, timeout_s=30)
    finally:
        args.duration, args.warmup = saved
    out = ["", table(cells), "",
           f"ideal: connections / {args.slow_latency_ms:g} ms, with p50 = "
           f"{args.slow_latency_ms:g} ms", ""]
    for cell in cells:
        ideal = cell.connections / delay_s
        queued = cell.p50_ms - args.slow_latency_ms
        out.append(f"- c={cell.connections} {cell.path}: {cell.rps:,.0f} req/s = "
                   f"{cell.rps / ideal:.0%} of the ideal {ideal:,.0f}; p50 {cell.p50_ms:.1f} ms "
                   f"({queued:+.1f} ms over the upstream's delay), p99 {cell.p99_ms:.1f} ms, "
                   f"errors {cell.non_2xx + cell.socket_errors}")
    for gateway in gateways:
        rss_lines, _ = peak_rss_lines(gateway)
        out += ["", "peak RSS (VmHWM, per process):", *rss_lines]
    return out


def run_profile(bench: Bench) -> list[str]:
    args = bench.args
    py_spy = shutil.which("py-spy") or str(VENV_BIN / "py-spy")
    if not Path(py_spy).exists():
        raise SystemExit("the profile scenario needs py-spy: .venv/bin/pip install py-spy "
                         "(a tool for this run only, not a project dependency)")
    args.workers = [1]  # one process: py-spy follows one pid
    args.variants = args.variants[:1]
    upstream, (gateway,) = bench.start_all(latency_ms=0)
    assert gateway.service is not None
    # Per-thread CPU from /proc during an unprofiled run: the split between the event
    # loop and the ledger writer thread without any sampling in the way.
    threads_before = thread_cpu_seconds(gateway.service.pid)
    connections = args.profile_connections
    baseline = bench.measure(gateway, upstream, "chat", connections, args.duration)
    threads_after = thread_cpu_seconds(gateway.service.pid)
    raw = bench.workdir / "profile.txt"
    # Not --nonblocking: reading a running process's stacks gave torn, stale frames here
    # (uuid4 at 8% of samples, though it costs 2 µs); pausing at 100 Hz costs a few %.
    # --gil: only the thread holding the GIL is sampled. The gateway is GIL-bound, and
    # py-spy's idle detection counted threads blocked in Condition.wait as busy.
    spy = subprocess.Popen(
        [py_spy, "record", "--pid", str(gateway.service.pid), "--format", "raw", "--threads",
         "--gil", "--rate", "100", "--duration", str(args.profile_seconds), "--output", str(raw)],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True)
    try:
        time.sleep(0.5)  # let py-spy attach before load starts
        profiled = bench.measure(gateway, upstream, "chat", connections,
                                 args.profile_seconds - 1)
        _, spy_err = spy.communicate(timeout=60)
    finally:
        if spy.poll() is None:
            spy.kill()
            spy.wait()
    if not raw.exists():
        raise RuntimeError(f"py-spy wrote no profile: {spy_err.decode(errors='replace')}")
    if args.profile_output:
        shutil.copy(raw, args.profile_output)
    summary = profile.summarise(raw)
    names = summary.thread_names()
    busy = sorted(((after - threads_before.get(tid, 0.0), tid)
                   for tid, after in threads_after.items()), reverse=True)
    thread_lines = [f"  {seconds / baseline.wrk.seconds:6.1%} of a core  "
                    f"{names.get(tid, f'thread {tid}')}" for seconds, tid in busy[:5]]
    return ["", f"non-streamed chat, concurrency {connections}, gateway w=1: "
            f"{baseline.wrk.rps:,.0f} req/s without py-spy, {profiled.wrk.rps:,.0f} req/s "
            f"while sampled; gateway CPU "
            f"{baseline.gateway_cpu_s / baseline.wrk.requests * 1e6:.0f} µs/request",
            "", "CPU per thread during the unprofiled run (/proc/<pid>/task):", *thread_lines,
            "", profile.render(summary)]


def alive(pid: int, wait: float = 5.0) -> bool:
    """True if `pid` still runs after `wait` s (a killed process's helper, such as
    multiprocessing's resource tracker, may take a moment to notice and exit)."""
    deadline = time.monotonic() + wait
    while time.monotonic() < deadline:
        try:
            state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
        except (OSError, IndexError):
            return False
        if state in ("Z", "X"):
            return False
        time.sleep(0.1)
    return True


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="bench", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    numbers = lambda text: [int(x) for x in re.split(r"[,\s]+", text.strip()) if x]  # noqa: E731
    parser.add_argument("--scenario", choices=("standard", "slow", "profile"),
                        default="standard")
    parser.add_argument("--workers", type=numbers, default=[1],
                        help="gateway worker counts, e.g. '1 2': one gateway each")
    parser.add_argument("--concurrency", type=numbers, default=[1, 16, 64])
    parser.add_argument("--endpoints", type=lambda t: t.replace(",", " ").split(),
                        default=list(ENDPOINTS), help=f"some of: {' '.join(ENDPOINTS)}")
    # wrk takes whole seconds only.
    parser.add_argument("--duration", type=int, default=3, help="seconds per run")
    parser.add_argument("--warmup", type=int, default=1, help="seconds, once per row")
    parser.add_argument("--repeats", type=int, default=3, help="runs per row; medians shown")
    parser.add_argument(
        "--gateway", dest="variants", action="append", type=variant, metavar="LABEL=COMMAND",
        help="measure this gateway command (it gets `serve --port N`) side by side with "
             "others in the same run, e.g. a patched launcher; default "
             "gateway=.venv/bin/llm-gateway")
    parser.add_argument(
        "--projections-in-gateway", dest="projector", action="store_false",
        help="run the projections inside the serving process (GATEWAY_SERVE_PROJECTIONS "
             "default) instead of in a separate `llm-gateway projections run` process, the "
             "production topology")
    parser.add_argument(
        "--no-limits", dest="limits", action="store_false",
        help="leave the bench client without limits, so that admission skips the shared "
             "limit counters (by default it has limits it never reaches)")
    parser.add_argument(
        "--upstream", choices=("static", "simulator"), default="static",
        help="what answers the gateway: bench/static_upstream.py, fixed answers at a few µs "
             "of CPU each (the default: the gateway, not the upstream, is measured, and it "
             "shares the two cores), or the simulator (`llm-gateway simulate-upstream`, "
             "~160 µs of CPU an answer). The slow scenario always uses the simulator")
    parser.add_argument("--slow-latency-ms", type=float, default=300)
    parser.add_argument("--slow-connections", type=numbers, default=[100, 500])
    parser.add_argument("--slow-duration", type=int, default=6)
    parser.add_argument("--profile-seconds", type=int, default=12)
    parser.add_argument("--profile-connections", type=int, default=64)
    parser.add_argument("--profile-output", type=Path, help="keep py-spy's collapsed stacks")
    parser.add_argument("--save", type=Path, help="also write the report to this file")
    parser.add_argument("--keep-logs", action="store_true")
    args = parser.parse_args(argv)
    args.variants = args.variants or [("gateway", [str(VENV_BIN / "llm-gateway")])]
    return args


def variant(text: str) -> tuple[str, list[str]]:
    label, _, command = text.partition("=")
    if not label or not command.strip():
        raise argparse.ArgumentTypeError("expected LABEL=COMMAND")
    return label, shlex.split(command)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    # `kill` of the harness must still run the cleanup in `finally`.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    limit = raise_open_files_limit()
    # Before the header, which reports wrk's version: a fresh machine has no wrk yet.
    wrk = ensure_wrk()
    started = time.monotonic()
    header = [f"# LLM Gateway benchmark: scenario {args.scenario}, "
              f"gateway workers {' and '.join(map(str, args.workers))}",
              f"client limits: {'on (never reached)' if args.limits else 'off'}; projections: "
              f"{'a separate process' if args.projector else 'in the serving process'}; "
              f"upstream: {args.upstream if args.scenario != 'slow' else 'simulator'}",
              *machine_lines(wrk),
              f"open files limit {limit}"]
    print("\n".join(header), flush=True)
    with ExitStack() as stack:
        bench = Bench(args, stack)
        try:
            body = {"standard": run_standard, "slow": run_slow,
                    "profile": run_profile}[args.scenario](bench)
        except Exception:  # not on Ctrl-C or SIGTERM: the logs would only be noise then
            for service in bench.services:
                print(f"--- {service.name} log (tail) ---\n{service.log_tail()}",
                      file=sys.stderr)
            raise
        leftovers = [pid for s in bench.services for pid in s.tree()]
    report = "\n".join([*header, *body, "",
                        f"whole benchmark: {time.monotonic() - started:.0f} s"])
    print("\n".join(body[1:]) + f"\n\nwhole benchmark: {time.monotonic() - started:.0f} s",
          flush=True)
    if args.save:
        args.save.write_text(report + "\n")
    # After the ExitStack: every service stopped, the database dropped.
    still = [pid for pid in leftovers if alive(pid)]
    if still:
        print(f"warning: processes still alive after cleanup: {still}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
