"""One call: a websocket client that sends paced audio and times the events it receives."""

from __future__ import annotations

import asyncio
import contextlib
import json
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed

from callbench.audio import AudioSet, delta_audio_ms

LEAD_MS = 400.0  # the server's default LINGXI_AUDIO_LEAD_MS
DELTA_TAG = '"response.output_audio.delta"'


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
