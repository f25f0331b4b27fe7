#!/usr/bin/env python
"""End-to-end call benchmark: a real `lingxi serve` subprocess (fake engines) and plain
`websockets` clients streaming real-time audio.

Sections
  barge  barge-in latency: the client starts speaking while a reply plays; speech onset (wall
         time of the first append carrying speech) → speech_started, → last audio delta of the
         cancelled reply, → response.done (cancelled).
  turn   turn latency: end of speech (wall time of the last append carrying speech) → first
         audio delta, split with the `lingxi.turn.metrics` event into endpointing (+transport)
         vs post-endpoint engine time and server overhead; once with engine delays 0 and once
         with simulated delays.
  load   concurrency ramp: N calls each speaking, listening, barging in or letting the reply
         finish, for a fixed time per step; lateness of every paced audio delta against its
         real-time schedule, server CPU (from /proc), server-side event lag (/metrics), and the
         client's own CPU.

Run:  .venv/bin/python bench/bench_call.py --section all [--quick] [--json OUT]
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import contextlib
import json
import multiprocessing as mp
import os
import platform
import random
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from importlib.metadata import version
from pathlib import Path
from typing import Any

import numpy as np
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed, WebSocketException

from lingxi.engines.fake import SpeechScript

SAMPLE_RATE = 24000
LEAD_MS = 400.0  # the server's default LINGXI_AUDIO_LEAD_MS
DELTA_TAG = '"response.output_audio.delta"'
CLK_TCK = os.sysconf("SC_CLK_TCK")


# ---------------------------------------------------------------------------------------------
# statistics and tables


def pct(values: Sequence[float], q: float) -> float | None:
    if not values:
        return None
    return float(np.percentile(np.asarray(values, dtype=np.float64), q))


def summary(values: Sequence[float]) -> dict[str, float | int | None]:
    return {
        "n": len(values), "p50": pct(values, 50), "p95": pct(values, 95),
        "p99": pct(values, 99), "max": max(values) if values else None,
        "mean": float(np.mean(values)) if values else None,
    }


def fmt(x: float | int | None, digits: int = 1) -> str:
    if x is None:
        return "-"
    if isinstance(x, int):
        return str(x)
    return f"{x:.{digits}f}"


def table(headers: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    widths = [max(len(h), *(len(r[i]) for r in rows)) if rows else len(h)
              for i, h in enumerate(headers)]
    def line(cells: Sequence[str]) -> str:
        return "  ".join(c.ljust(w) if i == 0 else c.rjust(w)
                         for i, (c, w) in enumerate(zip(cells, widths, strict=True)))
    out = [line(headers), "  ".join("-" * w for w in widths)]
    out.extend(line(r) for r in rows)
    return "\n".join(out)


def stat_row(label: str, values: Sequence[float], *, p99: bool = True) -> list[str]:
    s = summary(values)
    row = [label, fmt(s["n"]), fmt(s["p50"]), fmt(s["p95"])]
    if p99:
        row.append(fmt(s["p99"]))
    row.append(fmt(s["max"]))
    return row


# ---------------------------------------------------------------------------------------------
# machine and server process


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


class ServerProcess:
    """`python -m lingxi.cli serve` on a free port; optionally under cProfile."""

    def __init__(self, env: dict[str, str], *, profile_out: str | None = None,
                 log_path: str | None = None) -> None:
        self.env = env
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
        if self.profile_out:
            cmd += ["-m", "cProfile", "-o", self.profile_out]
        cmd += ["-m", "lingxi.cli", "serve", "--host", "127.0.0.1", "--port", str(self.port)]
        env = {**os.environ, "LINGXI_LOG_LEVEL": "WARNING", **self.env}
        with open(self.log_path, "ab") as log:
            self.proc = subprocess.Popen(cmd, env=env, stdout=log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 30
        while True:
            if self.proc.poll() is not None:
                raise RuntimeError(
                    f"server exited with {self.proc.returncode}; see {self.log_path}")
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/healthz", timeout=2):
                    break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.1)
        return self

    def __exit__(self, *exc: object) -> None:
        if self.proc is None:
            return
        self.proc.send_signal(signal.SIGINT)
        try:
            self.proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()

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


Histogram = list[tuple[float, float]]


def parse_histogram(text: str, name: str) -> Histogram:
    pattern = re.compile(rf'^{re.escape(name)}_bucket\{{le="([^"]+)"\}} (\S+)$', re.M)
    return [(float(le), float(count)) for le, count in pattern.findall(text)]


def parse_gauge(text: str, name: str) -> float | None:
    m = re.search(rf"^{re.escape(name)} (\S+)$", text, re.M)
    return float(m.group(1)) if m else None


def histogram_diff(before: Histogram, after: Histogram) -> Histogram:
    old = dict(before)
    return [(le, count - old.get(le, 0.0)) for le, count in after]


def histogram_quantile_ms(h: Histogram, q: float) -> float | None:
    """Upper bound (ms) of the bucket holding quantile q (inf when past the last bucket)."""
    if not h or h[-1][1] <= 0:
        return None
    target = q * h[-1][1]
    for le, count in h:
        if count >= target:
            return le * 1000
    return float("inf")


# ---------------------------------------------------------------------------------------------
# pre-encoded audio


class AudioSet:
    """Append messages, built once: speech chunks (a voiced tone) and one silence chunk."""

    def __init__(self, chunk_ms: int, max_speech_s: float = 4.0) -> None:
        self.chunk_ms = chunk_ms
        n = SAMPLE_RATE * chunk_ms // 1000
        speech = SpeechScript().say(0.0, max_speech_s, "x").render(SAMPLE_RATE, max_speech_s)
        self.speech = [self._message(speech[i : i + n]) for i in range(0, len(speech) - n + 1, n)]
        self.silence = self._message(np.zeros(n, dtype=np.int16))

    @staticmethod
    def _message(pcm: np.ndarray[Any, np.dtype[np.int16]]) -> bytes:
        audio = base64.b64encode(pcm.astype("<i2").tobytes()).decode("ascii")
        return json.dumps({"type": "input_audio_buffer.append", "audio": audio}).encode()

    def chunks_for(self, seconds: float) -> int:
        return max(1, min(len(self.speech), round(seconds * 1000 / self.chunk_ms)))


def _string_field(raw: str, key: str, start: int = 0) -> tuple[int, int]:
    """(begin, end) of the string value of `"key": "..."` in a JSON text, without parsing."""
    k = raw.find(f'"{key}"', start)
    if k < 0:
        return -1, -1
    q = raw.find('"', k + len(key) + 3)
    end = raw.find('"', q + 1)
    return q + 1, end


def delta_audio_ms(raw: str) -> tuple[str, float]:
    """(response_id, milliseconds of PCM16 24 kHz audio) of an output audio delta event."""
    a, b = _string_field(raw, "response_id")
    rid = raw[a:b]
    a, b = _string_field(raw, "delta", b)
    n = b - a
    pad = (raw[b - 1] == "=") + (raw[b - 2] == "=") if n >= 2 else 0
    n_bytes = n // 4 * 3 - pad
    return rid, 1000.0 * (n_bytes // 2) / SAMPLE_RATE


# ---------------------------------------------------------------------------------------------
# one call


class CallGone(Exception):
    pass


@dataclass
class Samples:
    """Everything measured in one client process (ms unless named otherwise)."""

    recording: bool = False
    lag_ms: list[float] = field(default_factory=list)
    send_late_ms: list[float] = field(default_factory=list)
    turn_ms: list[float] = field(default_factory=list)
    stopped_ms: list[float] = field(default_factory=list)
    turn_metrics: list[dict[str, float]] = field(default_factory=list)
    barge_ss_ms: list[float] = field(default_factory=list)
    barge_last_delta_ms: list[float] = field(default_factory=list)
    barge_done_ms: list[float] = field(default_factory=list)
    barge_queued_ms: list[float] = field(default_factory=list)
    ping_ms: list[float] = field(default_factory=list)
    barge_missed: int = 0
    no_reply: int = 0
    turns: int = 0
    deltas: int = 0
    appends: int = 0
    errors: dict[str, int] = field(default_factory=dict)
    connect_failures: int = 0
    disconnects: int = 0


class Resp:
    __slots__ = ("created_at", "done", "done_at", "first_delta", "first_delta_at", "id",
                 "last_delta_at", "metrics", "metrics_ready", "n_deltas", "pos_ms", "reason",
                 "status")

    def __init__(self, rid: str, now: float) -> None:
        self.id = rid
        self.created_at = now
        self.first_delta_at: float | None = None
        self.last_delta_at: float | None = None
        self.pos_ms = 0.0
        self.n_deltas = 0
        self.done_at: float | None = None
        self.status: str | None = None
        self.reason: str | None = None
        self.metrics: dict[str, float] | None = None
        self.first_delta = asyncio.Event()
        self.done = asyncio.Event()
        self.metrics_ready = asyncio.Event()

    def queued_ms(self, at: float) -> float:
        """Reply audio the client holds but has not played at `at` (real-time playback)."""
        if self.first_delta_at is None:
            return 0.0
        return max(0.0, self.pos_ms - max(0.0, (at - self.first_delta_at) * 1000))


class Call:
    def __init__(self, ws: ClientConnection, audio: AudioSet, samples: Samples) -> None:
        self.ws = ws
        self.audio = audio
        self.samples = samples
        self.closed = False
        self.speech_total = 0
        self.speech_sent = 0
        self.onset_at: float | None = None
        self.speech_started_at: float | None = None
        self.speech_stopped_at: float | None = None
        self._speak: asyncio.Future[tuple[float, float]] | None = None
        self.responses: dict[str, Resp] = {}
        self.new_responses: asyncio.Queue[Resp] = asyncio.Queue()
        self.receiver: asyncio.Task[None] | None = None

    # -- sending (driven by a Pacer) --------------------------------------------------------

    async def send_tick(self) -> None:
        speaking = self.speech_sent < self.speech_total
        msg = self.audio.speech[self.speech_sent] if speaking else self.audio.silence
        try:
            await self.ws.send(msg, text=True)
        except ConnectionClosed:
            self._gone()
            return
        self.samples.appends += 1
        if not speaking:
            return
        now = time.monotonic()
        self.speech_sent += 1
        if self.speech_sent == 1:
            self.onset_at = now
            self.speech_started_at = None
            self.speech_stopped_at = None
        if self.speech_sent == self.speech_total and self._speak is not None:
            assert self.onset_at is not None
            if not self._speak.done():
                self._speak.set_result((self.onset_at, now))
            self._speak = None

    async def speak(self, seconds: float) -> tuple[float, float]:
        """Speak for `seconds` from the next tick; returns (onset, end) send times."""
        if self.closed:
            raise CallGone
        fut: asyncio.Future[tuple[float, float]] = asyncio.get_running_loop().create_future()
        self._speak = fut
        self.speech_sent = 0
        self.speech_total = self.audio.chunks_for(seconds)
        return await fut

    def drain_responses(self) -> None:
        while not self.new_responses.empty():
            self.new_responses.get_nowait()

    async def next_response(self, within_s: float) -> Resp | None:
        try:
            return await asyncio.wait_for(self.new_responses.get(), within_s)
        except TimeoutError:
            return None

    def _gone(self) -> None:
        if not self.closed:
            self.closed = True
            if self.samples.recording:
                self.samples.disconnects += 1
        if self._speak is not None and not self._speak.done():
            self._speak.set_exception(CallGone())
            self._speak = None

    # -- receiving --------------------------------------------------------------------------

    async def receive_loop(self) -> None:
        try:
            async for raw in self.ws:
                now = time.monotonic()
                if isinstance(raw, bytes):
                    continue
                if raw.find(DELTA_TAG, 0, 200) >= 0:
                    self._on_delta(raw, now)
                else:
                    self._on_event(json.loads(raw), now)
        except (ConnectionClosed, OSError):
            pass
        finally:
            self._gone()

    def _response(self, rid: str, now: float) -> Resp:
        resp = self.responses.get(rid)
        if resp is None:
            resp = self.responses[rid] = Resp(rid, now)
            self.new_responses.put_nowait(resp)
        return resp

    def _on_delta(self, raw: str, now: float) -> None:
        rid, ms = delta_audio_ms(raw)
        resp = self._response(rid, now)
        if resp.first_delta_at is None:
            resp.first_delta_at = now
            resp.first_delta.set()
            lag = 0.0
        else:
            # Due when the client's playback reaches `lead` before this delta's start; the
            # first `lead` ms of audio may (and does) go out at once, at t0.
            due = resp.first_delta_at + max(0.0, resp.pos_ms - LEAD_MS) / 1000
            lag = max(0.0, now - due) * 1000
        resp.pos_ms += ms
        resp.n_deltas += 1
        resp.last_delta_at = now
        if self.samples.recording:
            self.samples.deltas += 1
            self.samples.lag_ms.append(lag)

    def _on_event(self, event: dict[str, Any], now: float) -> None:
        kind = event.get("type")
        if kind == "input_audio_buffer.speech_started":
            if self.speech_started_at is None and self.onset_at is not None:
                self.speech_started_at = now
        elif kind == "input_audio_buffer.speech_stopped":
            if self.speech_stopped_at is None:
                self.speech_stopped_at = now
        elif kind == "response.created":
            self._response(event["response"]["id"], now)
        elif kind == "response.done":
            body = event["response"]
            resp = self._response(body["id"], now)
            resp.done_at = now
            resp.status = body.get("status")
            resp.reason = (body.get("status_details") or {}).get("reason")
            resp.done.set()
        elif kind == "lingxi.turn.metrics":
            resp = self._response(event["response_id"], now)
            resp.metrics = {k: float(v) for k, v in event["timings_ms"].items()}
            resp.metrics_ready.set()
        elif kind == "error":
            code = str((event.get("error") or {}).get("code"))
            self.samples.errors[code] = self.samples.errors.get(code, 0) + 1


async def open_call(url: str, audio: AudioSet, samples: Samples, *, deflate: bool,
                    events: bool = True) -> Call:
    ws = await connect(url, compression="deflate" if deflate else None, max_size=None,
                       open_timeout=60, ping_interval=None, close_timeout=5)
    call = Call(ws, audio, samples)
    if events:
        await ws.send(json.dumps({"type": "session.update",
                                  "session": {"lingxi": {"events": True}}}))
    call.receiver = asyncio.create_task(call.receive_loop())
    return call


async def close_calls(calls: Sequence[Call]) -> None:
    async def one(call: Call) -> None:
        with contextlib.suppress(Exception):
            await asyncio.wait_for(call.ws.close(), 5)
        if call.receiver is not None:
            call.receiver.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await call.receiver

    await asyncio.gather(*(one(c) for c in calls))


class Pacer:
    """Sends one chunk per call per period on a fixed monotonic schedule (no drift)."""

    def __init__(self, calls: list[Call], period_s: float, start: float, samples: Samples) -> None:
        self.calls = calls
        self.period_s = period_s
        self.start = start
        self.samples = samples
        self.stopped = False

    async def run(self) -> None:
        due = self.start
        while not self.stopped:
            now = time.monotonic()
            if due > now:
                await asyncio.sleep(due - now)
                now = time.monotonic()
            if self.samples.recording:
                self.samples.send_late_ms.append((now - due) * 1000)
            for call in self.calls:
                if not call.closed:
                    await call.send_tick()
            due += self.period_s


def start_pacers(calls: list[Call], chunk_ms: int, samples: Samples,
                 groups: int) -> tuple[list[Pacer], list[asyncio.Task[None]]]:
    groups = max(1, min(groups, len(calls)))
    period = chunk_ms / 1000
    t0 = time.monotonic() + 0.05
    pacers = [Pacer(calls[g::groups], period, t0 + g * period / groups, samples)
              for g in range(groups)]
    return pacers, [asyncio.create_task(p.run()) for p in pacers]


async def stop_pacers(pacers: list[Pacer], tasks: list[asyncio.Task[None]]) -> None:
    for p in pacers:
        p.stopped = True
    for t in tasks:
        t.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)


async def wait_event(ev: asyncio.Event, within_s: float) -> bool:
    try:
        await asyncio.wait_for(ev.wait(), within_s)
    except TimeoutError:
        return False
    return True


async def sleep_until(t: float) -> None:
    await asyncio.sleep(max(0.0, t - time.monotonic()))


def record_barge(samples: Samples, resp: Resp, onset: float, call: Call) -> None:
    """A barge-in attempt on `resp` whose speech began at `onset` (resp.done already set)."""
    if resp.status != "cancelled" or resp.done_at is None:
        samples.barge_missed += 1
        return
    last = resp.last_delta_at if resp.last_delta_at is not None else onset
    samples.barge_last_delta_ms.append(max(0.0, last - onset) * 1000)
    samples.barge_done_ms.append((resp.done_at - onset) * 1000)
    samples.barge_queued_ms.append(resp.queued_ms(resp.done_at))
    if call.speech_started_at is not None:
        samples.barge_ss_ms.append((call.speech_started_at - onset) * 1000)


# ---------------------------------------------------------------------------------------------
# section: barge-in


async def barge_call(call: Call, turns: int, rng: random.Random, samples: Samples) -> None:
    await asyncio.sleep(rng.uniform(0.1, 0.6))
    call.drain_responses()
    await call.speak(1.0)
    resp = await call.next_response(5)
    for _ in range(turns):
        if resp is None or not await wait_event(resp.first_delta, 5):
            samples.no_reply += 1
            return
        assert resp.first_delta_at is not None
        await sleep_until(resp.first_delta_at + rng.uniform(0.6, 0.9))
        call.drain_responses()
        onset, _end = await call.speak(rng.uniform(0.8, 1.1))
        if not await wait_event(resp.done, 5):
            samples.barge_missed += 1
        else:
            record_barge(samples, resp, onset, call)
        samples.turns += 1
        resp = await call.next_response(5)
    if resp is not None:  # let the last reply go (cancel it so the call ends quietly)
        with contextlib.suppress(ConnectionClosed):
            await call.ws.send(json.dumps({"type": "response.cancel"}))


async def run_barge_async(url: str, calls_n: int, turns: int, chunk_ms: int, seed: int,
                          deflate: bool) -> Samples:
    samples = Samples()
    audio = AudioSet(chunk_ms)
    calls = [await open_call(url, audio, samples, deflate=deflate) for _ in range(calls_n)]
    pacers, tasks = start_pacers(calls, chunk_ms, samples, groups=len(calls))
    samples.recording = True
    per_call = [turns // calls_n + (1 if i < turns % calls_n else 0) for i in range(calls_n)]
    await asyncio.gather(*(barge_call(c, n, random.Random(seed + i), samples)
                           for i, (c, n) in enumerate(zip(calls, per_call, strict=True))))
    samples.recording = False
    await stop_pacers(pacers, tasks)
    await close_calls(calls)
    return samples


# ---------------------------------------------------------------------------------------------
# section: turn latency


async def turn_call(call: Call, turns: int, rng: random.Random, samples: Samples,
                    speech_s: tuple[float, float]) -> None:
    for _ in range(turns):
        await asyncio.sleep(rng.uniform(0.2, 0.5))
        call.drain_responses()
        _onset, end = await call.speak(rng.uniform(*speech_s))
        resp = await call.next_response(10)
        if resp is None or not await wait_event(resp.first_delta, 10):
            samples.no_reply += 1
            continue
        assert resp.first_delta_at is not None
        samples.turns += 1
        samples.turn_ms.append((resp.first_delta_at - end) * 1000)
        if call.speech_stopped_at is not None:
            samples.stopped_ms.append((call.speech_stopped_at - end) * 1000)
        await wait_event(resp.done, 15)
        if await wait_event(resp.metrics_ready, 2) and resp.metrics is not None:
            samples.turn_metrics.append({**resp.metrics,
                                         "client_total_ms": (resp.first_delta_at - end) * 1000})


async def run_turn_async(url: str, calls_n: int, turns: int, chunk_ms: int, seed: int,
                         deflate: bool, speech_s: tuple[float, float]) -> Samples:
    samples = Samples()
    audio = AudioSet(chunk_ms)
    calls = [await open_call(url, audio, samples, deflate=deflate) for _ in range(calls_n)]
    pacers, tasks = start_pacers(calls, chunk_ms, samples, groups=len(calls))
    samples.recording = True
    per_call = [turns // calls_n + (1 if i < turns % calls_n else 0) for i in range(calls_n)]
    await asyncio.gather(*(turn_call(c, n, random.Random(seed + i), samples, speech_s)
                           for i, (c, n) in enumerate(zip(calls, per_call, strict=True))))
    samples.recording = False
    await stop_pacers(pacers, tasks)
    await close_calls(calls)
    return samples


# ---------------------------------------------------------------------------------------------
# section: load (runs in worker processes)


@dataclass(frozen=True)
class WorkerArgs:
    url: str
    calls: int
    duration_s: float
    chunk_ms: int
    seed: int
    deflate: bool
    probe: bool
    pacer_groups: int


@dataclass
class WorkerResult:
    samples: Samples
    cpu_s: float
    wall_s: float
    connected: int
    error: str | None = None


async def load_call(call: Call, rng: random.Random, samples: Samples, stop_at: float) -> None:
    await asyncio.sleep(rng.uniform(0.0, 2.0))
    while time.monotonic() < stop_at and not call.closed:
        call.drain_responses()
        onset, end = await call.speak(rng.uniform(1.2, 1.8))
        resp = await call.next_response(8)
        if resp is None or not await wait_event(resp.first_delta, 8):
            if samples.recording:
                samples.no_reply += 1
            continue
        assert resp.first_delta_at is not None
        if samples.recording:
            samples.turns += 1
            samples.turn_ms.append((resp.first_delta_at - end) * 1000)
            if call.speech_started_at is not None:
                samples.barge_ss_ms.append((call.speech_started_at - onset) * 1000)
        await sleep_until(resp.first_delta_at + rng.uniform(1.0, 2.0))
        if rng.random() < 0.5 and not resp.done.is_set():
            # barge in: the next loop iteration speaks over the reply
            call.drain_responses()
            onset, end = await call.speak(rng.uniform(1.2, 1.8))
            if await wait_event(resp.done, 5):
                if samples.recording:
                    record_barge(samples, resp, onset, call)
            elif samples.recording:
                samples.barge_missed += 1
            resp = await call.next_response(8)
            if resp is None or not await wait_event(resp.first_delta, 8):
                if samples.recording:
                    samples.no_reply += 1
                continue
            assert resp.first_delta_at is not None
            if samples.recording:
                samples.turns += 1
                samples.turn_ms.append((resp.first_delta_at - end) * 1000)
            await sleep_until(resp.first_delta_at + rng.uniform(1.0, 2.0))
        await wait_event(resp.done, 10)
        await asyncio.sleep(rng.uniform(0.3, 1.0))


async def ping_probe(call: Call, samples: Samples, stop_at: float) -> None:
    while time.monotonic() < stop_at and not call.closed:
        try:
            t = time.monotonic()
            waiter = await call.ws.ping()
            await asyncio.wait_for(waiter, 5)
            if samples.recording:
                samples.ping_ms.append((time.monotonic() - t) * 1000)
        except (TimeoutError, ConnectionClosed):
            pass
        await asyncio.sleep(0.25)


async def load_worker_async(args: WorkerArgs, barrier: Any) -> WorkerResult:
    samples = Samples()
    audio = AudioSet(args.chunk_ms)
    gate = asyncio.Semaphore(32)

    async def one() -> Call | None:
        async with gate:
            try:
                return await open_call(args.url, audio, samples, deflate=args.deflate)
            except (OSError, WebSocketException, TimeoutError):
                samples.connect_failures += 1
                return None

    opened = await asyncio.gather(*(one() for _ in range(args.calls)))
    calls = [c for c in opened if c is not None]
    await asyncio.to_thread(barrier.wait, 300)
    t0, cpu0 = time.monotonic(), time.process_time()
    stop_at = t0 + args.duration_s
    samples.recording = True
    pacers, tasks = start_pacers(calls, args.chunk_ms, samples, groups=args.pacer_groups)
    rng = random.Random(args.seed)
    controllers = [asyncio.create_task(load_call(c, random.Random(rng.random()), samples,
                                                 stop_at)) for c in calls]
    if args.probe and calls:
        controllers.append(asyncio.create_task(ping_probe(calls[0], samples, stop_at)))
    await sleep_until(stop_at)
    samples.recording = False
    wall, cpu = time.monotonic() - t0, time.process_time() - cpu0
    for c in controllers:
        c.cancel()
    await asyncio.gather(*controllers, return_exceptions=True)
    await stop_pacers(pacers, tasks)
    result = WorkerResult(samples, cpu, wall, len(calls))
    await close_calls(calls)
    return result


def load_worker(args: WorkerArgs, barrier: Any, out: Any) -> None:
    try:
        result = asyncio.run(load_worker_async(args, barrier))
    except BaseException as exc:  # report, never hang the parent
        with contextlib.suppress(Exception):
            barrier.abort()
        result = WorkerResult(Samples(), 0.0, 0.0, 0, error=f"{type(exc).__name__}: {exc}")
    out.put(result)


@dataclass
class StepResult:
    calls: int
    client_procs: int
    duration_s: float
    connected: int
    turns: int
    deltas: int
    appends: int
    lag: dict[str, float | int | None]
    turn: dict[str, float | int | None]
    speech_started: dict[str, float | int | None]
    barge_done: dict[str, float | int | None]
    send_late: dict[str, float | int | None]
    ping: dict[str, float | int | None]
    server_cpu_pct: float
    server_sys_pct: float
    client_cpu_pct: float
    system_busy_pct: float
    server_rss_mb: float
    server_event_lag_p50_ms: float | None
    server_event_lag_p99_ms: float | None
    server_event_lag_mean_ms: float | None
    server_send_late_p99_ms: float | None
    server_overhead_p95_ms: float | None
    calls_active_after: float | None
    barge_missed: int
    no_reply: int
    connect_failures: int
    disconnects: int
    errors: dict[str, int]
    worker_errors: list[str]
    failed: bool = False
    fail_reason: str = ""


def hist_mean_ms(before: str, after: str, name: str) -> float | None:
    def sc(text: str, suffix: str) -> float:
        m = re.search(rf"^{name}_{suffix} (\S+)$", text, re.M)
        return float(m.group(1)) if m else 0.0

    n = sc(after, "count") - sc(before, "count")
    return None if n <= 0 else 1000 * (sc(after, "sum") - sc(before, "sum")) / n


def run_load_step(srv: ServerProcess, calls: int, procs: int, duration_s: float, chunk_ms: int,
                  seed: int, deflate: bool, stop_lag_ms: float) -> StepResult:
    ctx = mp.get_context("spawn")
    procs = max(1, min(procs, calls))
    barrier = ctx.Barrier(procs + 1)
    out = ctx.Queue()
    share = [calls // procs + (1 if i < calls % procs else 0) for i in range(procs)]
    workers = []
    for i, n in enumerate(share):
        wa = WorkerArgs(srv.ws_url, n, duration_s, chunk_ms, seed * 1000 + i, deflate,
                        probe=(i == 0), pacer_groups=max(1, 40 // chunk_ms * 2))
        p = ctx.Process(target=load_worker, args=(wa, barrier, out), daemon=True)
        p.start()
        workers.append(p)
    before = srv.scrape()
    with contextlib.suppress(Exception):  # a worker failed: its error is in its result
        barrier.wait(300)
    t0, (usr0, sys0), (busy0, tot0) = time.monotonic(), srv.cpu_split(), system_busy_ticks()
    time.sleep(duration_s)
    wall = time.monotonic() - t0
    (usr1, sys1), (busy1, tot1), rss = srv.cpu_split(), system_busy_ticks(), srv.rss_mb()
    after = srv.scrape()
    results: list[WorkerResult] = []
    for _ in workers:
        try:
            results.append(out.get(timeout=120))
        except Exception as exc:
            results.append(WorkerResult(Samples(), 0.0, 0.0, 0, error=f"no result: {exc}"))
    for p in workers:
        p.join(30)
        if p.is_alive():
            p.terminate()
    time.sleep(1.5)
    active = parse_gauge(srv.scrape(), "lingxi_calls_active")

    s = Samples()
    for r in results:
        for name in ("lag_ms", "send_late_ms", "turn_ms", "barge_ss_ms", "barge_done_ms",
                     "ping_ms"):
            getattr(s, name).extend(getattr(r.samples, name))
        s.turns += r.samples.turns
        s.deltas += r.samples.deltas
        s.appends += r.samples.appends
        s.no_reply += r.samples.no_reply
        s.barge_missed += r.samples.barge_missed
        s.connect_failures += r.samples.connect_failures
        s.disconnects += r.samples.disconnects
        for k, v in r.samples.errors.items():
            s.errors[k] = s.errors.get(k, 0) + v
    lag_h = histogram_diff(parse_histogram(before, "lingxi_event_lag_seconds"),
                           parse_histogram(after, "lingxi_event_lag_seconds"))
    late_h = histogram_diff(parse_histogram(before, "lingxi_audio_send_late_seconds"),
                            parse_histogram(after, "lingxi_audio_send_late_seconds"))
    ovh_h = histogram_diff(parse_histogram(before, "lingxi_turn_server_overhead_seconds"),
                           parse_histogram(after, "lingxi_turn_server_overhead_seconds"))
    client_cpu = sum(r.cpu_s for r in results)
    step = StepResult(
        calls=calls, client_procs=procs, duration_s=duration_s,
        connected=sum(r.connected for r in results), turns=s.turns, deltas=s.deltas,
        appends=s.appends, lag=summary(s.lag_ms), turn=summary(s.turn_ms),
        speech_started=summary(s.barge_ss_ms), barge_done=summary(s.barge_done_ms),
        send_late=summary(s.send_late_ms), ping=summary(s.ping_ms),
        server_cpu_pct=100 * (usr1 - usr0 + sys1 - sys0) / wall,
        server_sys_pct=100 * (sys1 - sys0) / wall, client_cpu_pct=100 * client_cpu / wall,
        system_busy_pct=100 * (busy1 - busy0) / max(1, tot1 - tot0) * (os.cpu_count() or 1),
        server_rss_mb=rss,
        server_event_lag_p50_ms=histogram_quantile_ms(lag_h, 0.5),
        server_event_lag_p99_ms=histogram_quantile_ms(lag_h, 0.99),
        server_event_lag_mean_ms=hist_mean_ms(before, after, "lingxi_event_lag_seconds"),
        server_overhead_p95_ms=histogram_quantile_ms(ovh_h, 0.95),
        server_send_late_p99_ms=histogram_quantile_ms(late_h, 0.99),
        calls_active_after=active, barge_missed=s.barge_missed, no_reply=s.no_reply,
        connect_failures=s.connect_failures, disconnects=s.disconnects, errors=s.errors,
        worker_errors=[r.error for r in results if r.error],
    )
    reasons = []
    if step.worker_errors:
        reasons.append("worker error")
    if step.connect_failures:
        reasons.append(f"{step.connect_failures} connect failures")
    if step.disconnects:
        reasons.append(f"{step.disconnects} disconnects")
    p99 = step.lag["p99"]
    if p99 is None or float(p99) > stop_lag_ms:
        reasons.append(f"lag p99 > {stop_lag_ms:.0f} ms")
    if step.turns and step.no_reply > 0.05 * (step.turns + step.no_reply):
        reasons.append(f"{step.no_reply} turns without reply")
    step.failed = bool(reasons)
    step.fail_reason = ", ".join(reasons)
    return step


# ---------------------------------------------------------------------------------------------
# orchestration and reports


_EXTRA_ENV: dict[str, str] = {}


def engine_env(asr: float, first_token: float, tts: float) -> dict[str, str]:
    return {"LINGXI_FAKE_ASR_DELAY_S": str(asr), "LINGXI_FAKE_FIRST_TOKEN_S": str(first_token),
            "LINGXI_FAKE_TTS_FIRST_CHUNK_S": str(tts), **_EXTRA_ENV}


def env_pair(text: str) -> tuple[str, str]:
    key, sep, value = text.partition("=")
    if not sep or not key:
        raise argparse.ArgumentTypeError(f"expected KEY=VALUE, got {text!r}")
    return key, value


def section_barge(args: argparse.Namespace) -> dict[str, Any]:
    env = engine_env(args.asr_delay, args.first_token_delay, args.tts_delay)
    cpu0 = time.process_time()
    t0 = time.monotonic()
    with ServerProcess(env, profile_out=args.profile_server) as srv:
        srv_cpu0 = srv.cpu_seconds()
        s = asyncio.run(run_barge_async(srv.ws_url, args.barge_calls, args.barge_turns,
                                        args.chunk_ms, args.seed, args.deflate))
        srv_cpu = srv.cpu_seconds() - srv_cpu0
    wall = time.monotonic() - t0
    print(f"\n## Barge-in latency ({len(s.barge_done_ms)} barge-ins over {args.barge_calls} "
          f"calls; {args.chunk_ms} ms appends; VAD 32 ms frames, min speech 64 ms; onset "
          "600-900 ms after the reply's first audio delta)")
    headers = ["from speech onset to … (ms)", "n", "p50", "p95", "p99", "max"]
    print(table(headers, [
        stat_row("input_audio_buffer.speech_started", s.barge_ss_ms),
        stat_row("last audio delta of the cancelled reply (≥0)", s.barge_last_delta_ms),
        stat_row("response.done (status cancelled)", s.barge_done_ms),
        stat_row("[client-held unplayed reply audio at done]", s.barge_queued_ms),
    ]))
    print(f"missed (reply not cancelled): {s.barge_missed}; no reply: {s.no_reply}; "
          f"errors: {s.errors or 0}; client pacing lateness p99 "
          f"{fmt(pct(s.send_late_ms, 99))} ms; client CPU "
          f"{fmt(100 * (time.process_time() - cpu0) / wall)} %, server CPU "
          f"{fmt(100 * srv_cpu / wall)} %")
    return {"samples": {k: summary(getattr(s, k)) for k in (
        "barge_ss_ms", "barge_last_delta_ms", "barge_done_ms", "barge_queued_ms",
        "send_late_ms")}, "missed": s.barge_missed, "no_reply": s.no_reply, "errors": s.errors,
        "raw": {"speech_started_ms": s.barge_ss_ms, "last_delta_ms": s.barge_last_delta_ms,
                "done_ms": s.barge_done_ms}}


def section_turn(args: argparse.Namespace) -> dict[str, Any]:
    configs = [(0.0, 0.0, 0.0), (args.sim_asr_delay, args.sim_first_token_delay,
                                 args.sim_tts_delay)]
    out: dict[str, Any] = {}
    for asr, tok, tts in configs:
        label = f"asr={asr}s first_token={tok}s tts_first_chunk={tts}s"
        with ServerProcess(engine_env(asr, tok, tts)) as srv:
            s = asyncio.run(run_turn_async(srv.ws_url, args.turn_calls, args.turn_turns,
                                           args.chunk_ms, args.seed, args.deflate,
                                           args.turn_speech_s))
        m = s.turn_metrics

        def col(key: str, rows: list[dict[str, float]] = m) -> list[float]:
            return [r[key] for r in rows if key in r]

        endpointing = [r["client_total_ms"] - r["first_audio_ms"] for r in m
                       if "first_audio_ms" in r]
        print(f"\n## Turn latency — engine delays {label} ({len(s.turn_ms)} turns over "
              f"{args.turn_calls} calls; server_vad silence_duration_ms 500)")
        headers = ["end of speech → … (ms)", "n", "p50", "p95", "p99", "max"]
        print(table(headers, [
            stat_row("first audio delta (client, total)", s.turn_ms),
            stat_row("  speech_stopped arrives (client)", s.stopped_ms),
            stat_row("  endpointing+transport = total − first_audio", endpointing),
            stat_row("  post-endpoint first_audio_ms (server)", col("first_audio_ms")),
            stat_row("    engine_ms", col("engine_ms")),
            stat_row("      asr_wait_ms", col("asr_wait_ms")),
            stat_row("      responder_first_token_ms", col("responder_first_token_ms")),
            stat_row("      tts_first_chunk_ms", col("tts_first_chunk_ms")),
            stat_row("    server_overhead_ms", col("server_overhead_ms")),
        ]))
        print(f"no reply: {s.no_reply}; errors: {s.errors or 0}; client pacing lateness p99 "
              f"{fmt(pct(s.send_late_ms, 99))} ms")
        out[label] = {
            "total_ms": summary(s.turn_ms), "speech_stopped_ms": summary(s.stopped_ms),
            "endpointing_ms": summary(endpointing),
            **{k: summary(col(k)) for k in ("first_audio_ms", "engine_ms", "asr_wait_ms",
                                            "responder_first_token_ms", "tts_first_chunk_ms",
                                            "server_overhead_ms")},
            "raw_metrics": m,
        }
    return out


def section_load(args: argparse.Namespace) -> dict[str, Any]:
    steps = [n for n in args.steps if n <= args.max_calls]
    env = engine_env(args.asr_delay, args.first_token_delay, args.tts_delay)
    results: list[StepResult] = []
    print(f"\n## Concurrency ramp ({args.load_duration:.0f} s per step, {args.load_chunk_ms} ms "
          f"appends, permessage-deflate {'on' if args.deflate else 'off'}; each call: speak "
          "1.2-1.8 s, reply, listen 1-2 s, barge in (50 %) or let it finish)")
    print("   lag = lateness of each paced audio delta vs its real-time due time "
          "(t0 + max(0, pos − 400 ms)); live progress:")
    with ServerProcess(env, profile_out=args.profile_server) as srv:
        for n in steps:
            procs = args.client_procs or (1 if n < 100 else 2)
            r = run_load_step(srv, n, procs, args.load_duration, args.load_chunk_ms, args.seed,
                              args.deflate, args.stop_lag_ms)
            results.append(r)
            print(f"   {n:4d} calls: lag p99 {fmt(r.lag['p99'])} ms, server CPU "
                  f"{r.server_cpu_pct:.0f} %, client CPU {r.client_cpu_pct:.0f} %"
                  f"{'  FAILED: ' + r.fail_reason if r.failed else ''}", flush=True)
            if r.failed:
                break
            time.sleep(1.0)

    print(table(
        ["calls", "procs", "deltas", "lag p50", "p95", "p99", "max", "turn p50", "p95",
         "onset→ss p95", "→done p95", "srv CPU%", "(sys)", "cli CPU%", "sys busy%", "cli late p99",
         "ping p99"],
        [[str(r.calls), str(r.client_procs), str(r.deltas), fmt(r.lag["p50"]),
          fmt(r.lag["p95"]), fmt(r.lag["p99"]), fmt(r.lag["max"]), fmt(r.turn["p50"]),
          fmt(r.turn["p95"]), fmt(r.speech_started["p95"]), fmt(r.barge_done["p95"]),
          fmt(r.server_cpu_pct, 0), fmt(r.server_sys_pct, 0), fmt(r.client_cpu_pct, 0),
          fmt(r.system_busy_pct, 0),
          fmt(r.send_late["p99"]), fmt(r.ping["p99"])] for r in results]))
    print()
    print(table(
        ["calls", "connected", "turns", "srv evlag p50≤", "p99≤", "mean", "srv late p99≤",
         "srv ovh p95≤",
         "RSS MB", "active after", "missed barge", "no reply", "errors", "status"],
        [[str(r.calls), str(r.connected), str(r.turns), fmt(r.server_event_lag_p50_ms),
          fmt(r.server_event_lag_p99_ms), fmt(r.server_event_lag_mean_ms, 2),
          fmt(r.server_send_late_p99_ms), fmt(r.server_overhead_p95_ms),
          fmt(r.server_rss_mb, 0), fmt(r.calls_active_after, 0),
          str(r.barge_missed), str(r.no_reply), str(sum(r.errors.values())),
          ("FAIL: " + r.fail_reason) if r.failed else "ok"] for r in results]))
    ok = [r.calls for r in results if not r.failed and r.lag["p99"] is not None
          and float(r.lag["p99"]) <= 50.0]
    best = max(ok) if ok else None
    print(f"largest step with delta lag p99 ≤ 50 ms: {best if best is not None else 'none'}")
    print("   (ms unless noted; 'srv evlag' = lingxi_event_lag_seconds, enqueue→write, bucket "
          "upper bounds; 'srv late' = lingxi_audio_send_late_seconds, paced audio wake-up "
          "lateness; 'cli late' = client pacer lateness; 'ping' = ws ping RTT on one call)")
    for r in results:
        if r.worker_errors:
            print(f"   worker errors at {r.calls}: {r.worker_errors}")
    return {"steps": [asdict(r) for r in results], "largest_ok_calls": best}


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--section", choices=["barge", "turn", "load", "all"], default="all")
    p.add_argument("--quick", action="store_true", help="small N: a smoke run under ~60 s")
    p.add_argument("--json", metavar="OUT", help="write results as JSON")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--chunk-ms", type=int, choices=[20, 40, 100], default=20,
                   help="append size for the barge and turn sections")
    p.add_argument("--load-chunk-ms", type=int, choices=[20, 40, 100], default=40,
                   help="append size for the load section")
    p.add_argument("--deflate", action="store_true",
                   help="negotiate permessage-deflate (the openai SDK's default)")
    p.add_argument("--barge-turns", type=int, default=30)
    p.add_argument("--barge-calls", type=int, default=3)
    p.add_argument("--turn-turns", type=int, default=30)
    p.add_argument("--turn-calls", type=int, default=5)
    p.add_argument("--asr-delay", type=float, default=0.0,
                   help="LINGXI_FAKE_ASR_DELAY_S for barge and load")
    p.add_argument("--first-token-delay", type=float, default=0.0,
                   help="LINGXI_FAKE_FIRST_TOKEN_S for barge and load")
    p.add_argument("--tts-delay", type=float, default=0.0,
                   help="LINGXI_FAKE_TTS_FIRST_CHUNK_S for barge and load")
    p.add_argument("--sim-asr-delay", type=float, default=0.3,
                   help="the turn section's second run: ASR delay (s)")
    p.add_argument("--sim-first-token-delay", type=float, default=0.2)
    p.add_argument("--sim-tts-delay", type=float, default=0.1)
    p.add_argument("--steps", type=lambda s: [int(x) for x in s.split(",")],
                   default=[25, 50, 75, 100, 150, 200, 300, 400],
                   help="concurrency steps, e.g. 25,50")
    p.add_argument("--max-calls", type=int, default=10_000)
    p.add_argument("--load-duration", type=float, default=20.0, help="seconds per step")
    p.add_argument("--client-procs", type=int, default=0,
                   help="client processes for the load (0: 1 below 100 calls, else 2)")
    p.add_argument("--stop-lag-ms", type=float, default=250.0,
                   help="a step fails (and the ramp stops) when delta lag p99 exceeds this")
    p.add_argument("--server-env", type=env_pair, action="append", default=[],
                   metavar="KEY=VALUE", help="extra environment for the server (repeatable), "
                   "e.g. LINGXI_MIN_SPEECH_MS=32 or PYTHONPATH=DIR-with-uvloop")
    p.add_argument("--profile-server", metavar="PROF",
                   help="run the server under cProfile (barge/load sections), write stats here")
    args = p.parse_args(argv)
    args.turn_speech_s = (1.2, 1.8)
    if args.quick:
        args.barge_turns, args.barge_calls = 6, 2
        args.turn_turns, args.turn_calls = 4, 2
        args.turn_speech_s = (0.6, 0.9)
        args.steps = [s for s in (10, 25) if s <= args.max_calls]
        args.load_duration = 5.0
    return args


def main(argv: Sequence[str] | None = None) -> None:
    args = parse_args(argv)
    _EXTRA_ENV.update(dict(args.server_env))
    facts = machine_facts()
    started = time.monotonic()
    print("# Lingxi call benchmark (fake engines, real server subprocess, websockets clients)")
    print(table(["machine", "value"], [[k, str(v)] for k, v in facts.items()]))
    if _EXTRA_ENV:
        print(f"extra server environment: {_EXTRA_ENV}")
    results: dict[str, Any] = {"machine": facts, "args": {
        k: v for k, v in vars(args).items() if isinstance(v, int | float | str | list | tuple)}}
    if args.section in ("barge", "all"):
        results["barge"] = section_barge(args)
    if args.section in ("turn", "all"):
        results["turn"] = section_turn(args)
    if args.section in ("load", "all"):
        results["load"] = section_load(args)
    print(f"\n(total bench time {time.monotonic() - started:.0f} s)")
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=1, ensure_ascii=False))
        print(f"results written to {args.json}")


if __name__ == "__main__":
    main()
