"""The load generator: wrk (C, epoll), installed from Debian when missing.

wrk rather than a Python client: on two shared cores a Python load generator would spend
more CPU per request than the gateway under test and become the bottleneck itself.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from bench.procs import children_cpu_seconds

SCRIPT = Path(__file__).with_name("wrk_post.lua")
RESULT_LINE = re.compile(r"^BENCH_RESULT (.*)$", re.MULTILINE)


def ensure_wrk() -> str:
    """The path of wrk, installing the Debian package non-interactively if needed."""
    found = shutil.which("wrk")
    if found:
        return found
    if shutil.which("apt-get") is None:
        raise SystemExit("wrk is missing and there is no apt-get: install wrk 4.x yourself")
    print("wrk not found: installing it with apt-get (Debian package 'wrk')", flush=True)
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    prefix = [] if os.geteuid() == 0 else ["sudo", "-n"]
    for argv in (["apt-get", "update", "-qq"], ["apt-get", "install", "-y", "-qq", "wrk"]):
        subprocess.run(prefix + argv, env=env, check=True, stdout=subprocess.DEVNULL)
    found = shutil.which("wrk")
    if not found:
        raise SystemExit("apt-get installed wrk but it is not on PATH")
    return found


@dataclass(frozen=True)
class WrkResult:
    requests: int
    seconds: float
    p50_ms: float
    p90_ms: float
    p99_ms: float
    max_ms: float
    non_2xx: int  # wrk counts HTTP status >= 400 here
    socket_errors: int  # connect, read, write errors and timeouts
    wrk_cpu_seconds: float

    @property
    def rps(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    @property
    def errors(self) -> int:
        return self.non_2xx + self.socket_errors


def run_wrk(wrk: str, url: str, body_file: Path, connections: int, seconds: int,
            headers: dict[str, str], timeout_s: float = 5.0) -> WrkResult:
    # One thread per core at most: the box has two, shared with the gateway and upstream.
    threads = 1 if connections == 1 else 2
    argv = [wrk, f"-t{threads}", f"-c{connections}", f"-d{seconds}s",
            f"--timeout={timeout_s:g}s", "-s", str(SCRIPT)]
    for name, value in headers.items():
        argv += ["-H", f"{name}: {value}"]
    argv += [url, "--", str(body_file)]
    cpu_before = children_cpu_seconds()
    done = subprocess.run(argv, capture_output=True, text=True, timeout=seconds + 60,
                          start_new_session=True)
    wrk_cpu = children_cpu_seconds() - cpu_before
    match = RESULT_LINE.search(done.stdout)
    if done.returncode != 0 or match is None:
        raise RuntimeError(f"wrk failed ({done.returncode}): {done.stdout}\n{done.stderr}")
    fields = {key: float(value) for key, value in
              (pair.split("=", 1) for pair in match.group(1).split())}
    return WrkResult(
        requests=int(fields["requests"]),
        seconds=fields["duration_us"] / 1e6,
        p50_ms=fields["p50_us"] / 1000,
        p90_ms=fields["p90_us"] / 1000,
        p99_ms=fields["p99_us"] / 1000,
        max_ms=fields["max_us"] / 1000,
        non_2xx=int(fields["status"]),
        socket_errors=int(fields["connect"] + fields["read"] + fields["write"]
                          + fields["timeout"]),
        wrk_cpu_seconds=wrk_cpu,
    )
