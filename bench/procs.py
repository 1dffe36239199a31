"""Child processes of the benchmark, and what /proc says about them.

Every service starts in a session (and so a process group) of its own, so that stopping
it also stops whatever it forked: uvicorn's worker processes, multiprocessing helpers.
Nothing here touches a process the harness did not start.
"""

from __future__ import annotations

import contextlib
import os
import re
import resource
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def raise_open_files_limit(wanted: int = 65536) -> int:
    """500 slow connections need ~1,000 sockets in the gateway alone; children inherit."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    target = min(wanted, hard) if hard != resource.RLIM_INFINITY else wanted
    if soft < target:
        resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))
    return resource.getrlimit(resource.RLIMIT_NOFILE)[0]


@dataclass
class Service:
    """A long-running child (simulator, gateway) with its output in a log file."""

    name: str
    argv: list[str]
    log_path: Path
    env: dict[str, str] | None = None
    cwd: Path | None = None
    process: subprocess.Popen[bytes] | None = None
    peak_rss_kb: dict[int, int] = field(default_factory=dict)

    def start(self) -> Service:
        log = self.log_path.open("wb")
        self.process = subprocess.Popen(
            self.argv, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
            env=self.env, cwd=self.cwd, start_new_session=True)
        log.close()  # the child holds its own descriptor
        return self

    @property
    def pid(self) -> int:
        assert self.process is not None
        return self.process.pid

    def wait_http(self, url: str, timeout: float = 60.0) -> None:
        """Polls until `url` answers 200; fails early if the process died."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process is not None and self.process.poll() is not None:
                raise RuntimeError(f"{self.name} exited with {self.process.returncode}; "
                                   f"log:\n{self.log_tail()}")
            try:
                with urllib.request.urlopen(url, timeout=2) as response:
                    if response.status == 200:
                        return
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass
            time.sleep(0.2)
        raise RuntimeError(f"{self.name} did not answer {url} within {timeout:.0f}s; "
                           f"log:\n{self.log_tail()}")

    def tree(self) -> list[int]:
        return process_tree(self.pid) if self.running() else []

    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def cpu_seconds(self) -> float:
        return sum(cpu_seconds(pid) for pid in self.tree())

    def sample_peak_rss(self) -> None:
        """VmHWM is each process's own peak; keep the highest seen per pid."""
        for pid in self.tree():
            hwm = status_kb(pid, "VmHWM")
            if hwm:
                self.peak_rss_kb[pid] = max(hwm, self.peak_rss_kb.get(pid, 0))

    def log_matches(self, pattern: str) -> list[str]:
        try:
            text = self.log_path.read_text(errors="replace")
        except OSError:
            return []
        return re.findall(pattern, text)

    def log_tail(self, lines: int = 30) -> str:
        try:
            text = self.log_path.read_text(errors="replace")
        except OSError:
            return "(no log)"
        return "\n".join(text.splitlines()[-lines:])

    def stop(self, grace: float = 10.0) -> None:
        """SIGTERM to the whole group (graceful: the gateway flushes its ledger), then KILL."""
        if self.process is None:
            return
        pgid = self.process.pid  # start_new_session: the group id is the child's pid
        if self.process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(pgid, signal.SIGTERM)
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.process.wait(timeout=grace)
        # Workers may outlive their supervisor; the group id still names them.
        with contextlib.suppress(ProcessLookupError):
            os.killpg(pgid, signal.SIGKILL)
        if self.process.poll() is None:
            self.process.wait(timeout=5)


def _stat_fields(pid: int) -> list[str]:
    text = Path(f"/proc/{pid}/stat").read_text()
    # The command name may hold spaces and parentheses: split after its closing one.
    return text[text.rindex(")") + 2:].split()


def process_tree(root: int) -> list[int]:
    """`root` and all its descendants, found through /proc/*/stat parent ids."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            parent = int(_stat_fields(int(entry))[1])
        except (OSError, ValueError, IndexError):
            continue
        children.setdefault(parent, []).append(int(entry))
    found, todo = [], [root]
    while todo:
        pid = todo.pop()
        found.append(pid)
        todo.extend(children.get(pid, []))
    return found


def cpu_seconds(pid: int) -> float:
    """User + system time of a live process (its threads included)."""
    try:
        fields = _stat_fields(pid)
    except (OSError, ValueError):
        return 0.0
    return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS


def status_kb(pid: int, key: str) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(key + ":"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def command_line(pid: int) -> str:
    try:
        raw = Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return "?"
    return raw.replace(b"\0", b" ").decode(errors="replace").strip()


def children_cpu_seconds() -> float:
    """CPU of reaped children: around one wrk run, that is wrk's own CPU."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def thread_cpu_seconds(pid: int) -> dict[int, float]:
    """CPU time of each thread (native id) of a live process."""
    found = {}
    try:
        tids = os.listdir(f"/proc/{pid}/task")
    except OSError:
        return found
    for tid in tids:
        try:
            fields = Path(f"/proc/{pid}/task/{tid}/stat").read_text()
        except OSError:
            continue
        parts = fields[fields.rindex(")") + 2:].split()
        found[int(tid)] = (int(parts[11]) + int(parts[12])) / CLOCK_TICKS
    return found


def host_busy_seconds() -> float:
    """CPU time the whole machine spent busy, all cores, steal included (/proc/stat)."""
    fields = Path("/proc/stat").read_text().splitlines()[0].split()[1:]
    user, nice, system, _idle, _iowait, irq, softirq, steal = (int(x) for x in fields[:8])
    return (user + nice + system + irq + softirq + steal) / CLOCK_TICKS


def postgres_cpu_by_pid() -> dict[int, float]:
    """CPU of each PostgreSQL server process (they serve other clients too)."""
    found = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            text = Path(f"/proc/{entry}/stat").read_text()
        except OSError:
            continue
        if text[text.index("(") + 1:text.rindex(")")] == "postgres":
            fields = text[text.rindex(")") + 2:].split()
            found[int(entry)] = (int(fields[11]) + int(fields[12])) / CLOCK_TICKS
    return found


def cpu_used_since(before: dict[int, float], after: dict[int, float]) -> float:
    """Per process, so that backends that ended meanwhile do not count negative (their
    last moments are lost) and ones that started count whole."""
    return sum(seconds - before.get(pid, 0.0) for pid, seconds in after.items())
