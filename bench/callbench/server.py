"""The machine, the `lingxi serve` subprocess and its CPU and memory from /proc."""

from __future__ import annotations

import contextlib
import os
import platform
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from importlib.metadata import version
from pathlib import Path
from typing import Any

import numpy as np

CLK_TCK = os.sysconf("SC_CLK_TCK")

# Extra server environment from --server-env, added to every server the sections start.
EXTRA_ENV: dict[str, str] = {}


def engine_env(asr: float, first_token: float, tts: float) -> dict[str, str]:
    return {"LINGXI_FAKE_ASR_DELAY_S": str(asr), "LINGXI_FAKE_FIRST_TOKEN_S": str(first_token),
            "LINGXI_FAKE_TTS_FIRST_CHUNK_S": str(tts), **EXTRA_ENV}


def machine_facts() -> dict[str, Any]:
    model = ""
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    try:
        affinity = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        affinity = os.cpu_count() or 0
    return {
        "cpu_count": os.cpu_count(), "usable_cores": affinity, "cpu_model": model,
        "python": platform.python_version(), "implementation": platform.python_implementation(),
        "platform": platform.platform(), "websockets": version("websockets"),
        "uvicorn": version("uvicorn"), "numpy": np.__version__,
    }


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


# ---------------------------------------------------------------------------------------------
# /proc readings


def _own_cpu(pid: int) -> tuple[float, float, int]:
    """(user, system, parent pid) of one process, from /proc/PID/stat."""
    text = Path(f"/proc/{pid}/stat").read_text()
    fields = text[text.rindex(")") + 2 :].split()
    return int(fields[11]) / CLK_TCK, int(fields[12]) / CLK_TCK, int(fields[1])


def proc_cpu_split(pid: int) -> tuple[float, float]:
    """(user, system) CPU seconds of a process and its live children (server workers)."""
    user, system, _ = _own_cpu(pid)
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or int(entry.name) == pid:
            continue
        try:
            u, s, ppid = _own_cpu(int(entry.name))
        except (OSError, ValueError):
            continue
        if ppid == pid:
            user, system = user + u, system + s
    return user, system


def proc_cpu_seconds(pid: int) -> float:
    return sum(proc_cpu_split(pid))


def loop_sched(pid: int) -> tuple[float, float]:
    """(CPU seconds, seconds waiting for a CPU) of the server's main thread, where its event
    loop runs (one worker), from /proc/PID/task/PID/schedstat. The wait is what a shared
    machine costs it: time it was ready to run while other processes had the cores."""
    try:
        run_ns, wait_ns, _ = Path(f"/proc/{pid}/task/{pid}/schedstat").read_text().split()
    except (OSError, ValueError):
        return 0.0, 0.0
    return int(run_ns) / 1e9, int(wait_ns) / 1e9


def thread_cpu(pid: int) -> dict[str, float]:
    """CPU seconds by thread of the server and its workers (each process's main thread, where
    its event loop runs, is "loop"; the rest by their OS name), from each task's schedstat:
    what each part costs, much less moved by a busy machine than lag is."""
    out: dict[str, float] = {}
    for proc in [pid, *_children(pid)]:
        for task in Path(f"/proc/{proc}/task").glob("*"):
            try:
                run_ns = int((task / "schedstat").read_text().split()[0])
                name = "loop" if task.name == str(proc) else (task / "comm").read_text().strip()
            except (OSError, ValueError, IndexError):
                continue
            name = name.rstrip("0123456789_") or name  # a pool's threads together
            out[name] = out.get(name, 0.0) + run_ns / 1e9
    return out


def _children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit() and int(entry.name) != pid:
            try:
                if _own_cpu(int(entry.name))[2] == pid:
                    found.append(int(entry.name))
            except (OSError, ValueError):
                continue
    return found


def proc_rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def system_busy_ticks() -> tuple[int, int]:
    """(busy, total) jiffies over all cores, from /proc/stat."""
    parts = [int(x) for x in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    idle = parts[3] + (parts[4] if len(parts) > 4 else 0)
    total = sum(parts[:8])
    return total - idle, total


# ---------------------------------------------------------------------------------------------
# the server subprocess


class ServerProcess:
    """`python -m lingxi.cli serve` on a free port; optionally under cProfile."""

    def __init__(self, env: dict[str, str], *, profile_out: str | None = None,
                 log_path: str | None = None, start_timeout_s: float = 30.0) -> None:
        self.env = env
        self.start_timeout_s = start_timeout_s  # real models load for tens of seconds
        self.profile_out = profile_out
        self.log_path = log_path or f"/tmp/lingxi-bench-server-{os.getpid()}.log"
        self.port = 0
        self.proc: subprocess.Popen[bytes] | None = None

    @property
    def pid(self) -> int:
        assert self.proc is not None
        return self.proc.pid

    @property
    def ws_url(self) -> str:
        return f"ws://127.0.0.1:{self.port}/v1/realtime?model=bench"

    def __enter__(self) -> ServerProcess:
        self.port = free_port()
        cmd = [sys.executable]
        if self.profile_out:  # the loop's thread, in its own CPU seconds
            cmd += [str(Path(__file__).with_name("loop_profile.py")), self.profile_out]
        else:
            cmd += ["-m", "lingxi.cli"]
        cmd += ["serve", "--host", "127.0.0.1", "--port", str(self.port)]
        env = {**os.environ, "LINGXI_LOG_LEVEL": "WARNING", **self.env}
        with open(self.log_path, "ab") as log:
            self.proc = subprocess.Popen(cmd, env=env, stdout=log, stderr=subprocess.STDOUT)
        self._wait_healthy(self.proc)
        return self

    def _wait_healthy(self, proc: subprocess.Popen[bytes]) -> None:
        deadline = time.monotonic() + self.start_timeout_s
        while True:
            if proc.poll() is not None:
                raise RuntimeError(
                    f"server exited with {proc.returncode}; see {self.log_path}")
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/healthz", timeout=2):
                    break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.1)

    def __exit__(self, *exc: object) -> None:
        if self.proc is None:
            return
        self.proc.send_signal(signal.SIGINT)
        try:
            self.proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()

    def toggle_profile(self) -> None:
        """Start or stop the loop profile (only while a measured step runs)."""
        if self.profile_out and self.proc is not None:
            self.proc.send_signal(signal.SIGUSR1)

    def cpu_seconds(self) -> float:
        return proc_cpu_seconds(self.pid)

    def cpu_split(self) -> tuple[float, float]:
        return proc_cpu_split(self.pid)

    def rss_mb(self) -> float:
        return proc_rss_mb(self.pid)

    def scrape(self) -> str:
        url = f"http://127.0.0.1:{self.port}/metrics"
        with urllib.request.urlopen(url, timeout=30) as resp:
            body: bytes = resp.read()
        return body.decode()
