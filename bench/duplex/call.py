"""One bench call against a real `lingxi serve`, played like a client does.

The microphone sends audio in real time, each chunk once it has been "recorded" (so the
server never hears the future), and the bench knows when every sample was said. Replies are
"played" from their first audio delta in real time; when the server says the caller started
speaking, playback stops and what was heard is truncated, as OpenAI's clients and Lingxi's
page do.

With a `Speaker`, the call is a phone on speaker without echo cancellation: what the client
plays comes back into its microphone, later and quieter, mixed with the caller's voice.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import json
import time
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import websockets
from websockets.asyncio.client import ClientConnection

from duplex.clips import WIRE, Pcm

CHUNK_S = 0.04


@dataclass
class Response:
    id: str
    created: float
    item_id: str = ""
    first_audio: float | None = None
    audio_ms: float = 0.0
    text: str = ""
    status: str = ""  # completed | cancelled | incomplete | failed, once done
    done_at: float | None = None
    muted: bool = False  # the client stopped playing it (later audio for it is dropped)
    timings_ms: dict[str, float] = field(default_factory=dict)  # lingxi.turn.metrics

    def heard_ms(self, now: float) -> float:
        if self.first_audio is None:
            return 0.0
        return min(self.audio_ms, 1000.0 * (now - self.first_audio))


class Speaker:
    """The client's loudspeaker heard by its own microphone: played audio comes back
    `delay_ms` later at `gain_db` (a plain delay and level; the guard cancels a fixed filter
    by design, so none is simulated)."""

    def __init__(self, delay_ms: float, gain_db: float) -> None:
        self.delay_s = delay_ms / 1000.0
        self.gain = 10.0 ** (gain_db / 20.0)
        self._played: list[tuple[float, Pcm]] = []  # (monotonic start, audio) as scheduled

    def play(self, at: float, pcm: Pcm) -> None:
        self._played.append((at, pcm))

    def stop(self, now: float) -> None:
        """Playback stops: nothing scheduled after `now` is heard."""
        kept: list[tuple[float, Pcm]] = []
        for at, pcm in self._played:
            if at < now:
                kept.append((at, pcm[:max(0, int((now - at) * WIRE))]))
        self._played = kept

    def echo(self, t0: float, n: int) -> np.ndarray[Any, np.dtype[np.float64]]:
        """The echo in the `n` microphone samples that start at monotonic time `t0`."""
        out = np.zeros(n)
        start = t0 - self.delay_s
        for at, pcm in self._played:
            lo = round((at - start) * WIRE)
            a, b = max(0, lo), min(n, lo + len(pcm))
            if a < b:
                out[a:b] += pcm[a - lo : b - lo] * self.gain
        return out


class Mic:
    """Caller audio on a sample clock: what is queued is sent chunk by chunk in real time."""

    def __init__(self, speaker: Speaker | None = None) -> None:
        self.t0 = time.monotonic()  # the sample clock starts with the call
        self.speaker = speaker
        self._queued: list[Pcm] = []
        self._queued_n = 0
        self.sent = 0  # samples sent so far

    def say(self, pcm: Pcm, after_ms: float = 0.0) -> tuple[int, int]:
        """Queue speech after what is queued (and `after_ms` of silence); its sample span."""
        if after_ms > 0:
            self._queue(np.zeros(int(after_ms * WIRE / 1000), np.int16))
        start = self.sent + self._queued_n
        self._queue(pcm)
        return start, start + len(pcm)

    def _queue(self, pcm: Pcm) -> None:
        self._queued.append(pcm)
        self._queued_n += len(pcm)

    def at(self, sample: int) -> float:
        """When that sample was said (monotonic seconds)."""
        return self.t0 + sample / WIRE

    def _take(self, n: int) -> Pcm:
        data = np.concatenate([*self._queued, np.zeros(0, np.int16)])
        chunk = data[:n]
        rest = data[n:]
        self._queued, self._queued_n = ([rest] if len(rest) else []), len(rest)
        if len(chunk) < n:
            chunk = np.concatenate([chunk, np.zeros(n - len(chunk), np.int16)])
        return chunk

    async def run(self, ws: ClientConnection) -> None:
        n = int(CHUNK_S * WIRE)
        while True:
            await asyncio.sleep(max(0.0, self.at(self.sent + n) - time.monotonic()))
            pcm = self._take(n)
            if self.speaker is not None:
                mixed = pcm + self.speaker.echo(self.at(self.sent), n)
                pcm = np.clip(mixed, -32768, 32767).astype(np.int16)
            chunk = pcm.astype("<i2").tobytes()
            self.sent += n
            await ws.send(json.dumps({"type": "input_audio_buffer.append",
                                      "audio": base64.b64encode(chunk).decode()}))


@dataclass
class CallLog:
    """What the client saw, with receive times (monotonic seconds)."""

    started: list[float] = field(default_factory=list)  # speech_started
    stopped: list[float] = field(default_factory=list)  # speech_stopped
    stopped_at_ms: list[float] = field(default_factory=list)  # its audio_end_ms
    heard: list[str] = field(default_factory=list)  # final transcripts of the caller's turns
    responses: list[Response] = field(default_factory=list)
    changed: asyncio.Event = field(default_factory=asyncio.Event)

    def after(self, t: float) -> list[Response]:
        return [r for r in self.responses if r.created >= t]


class BenchCall:
    def __init__(self, ws: ClientConnection, speaker: Speaker | None = None) -> None:
        self.ws = ws
        self.mic = Mic(speaker)
        self.log = CallLog()
        self._by_id: dict[str, Response] = {}

    async def receive(self) -> None:
        async for raw in self.ws:
            now = time.monotonic()
            e: dict[str, Any] = json.loads(raw)
            kind = e["type"]
            if kind == "input_audio_buffer.speech_started":
                self.log.started.append(now)
                await self._stop_playback(now)
            elif kind == "input_audio_buffer.speech_stopped":
                self.log.stopped.append(now)
                self.log.stopped_at_ms.append(float(e.get("audio_end_ms", "nan")))
            elif kind == "conversation.item.input_audio_transcription.completed":
                self.log.heard.append(e["transcript"])
            elif kind == "response.created":
                r = Response(e["response"]["id"], now)
                self._by_id[r.id] = r
                self.log.responses.append(r)
            elif kind == "response.output_audio.delta" and e["response_id"] in self._by_id:
                r = self._by_id[e["response_id"]]
                r.item_id = e["item_id"]
                r.first_audio = r.first_audio or now
                pcm = np.frombuffer(base64.b64decode(e["delta"]), "<i2")
                if self.mic.speaker is not None and not r.muted:
                    # played right after what came before it (or now, after a gap)
                    at = max(now, r.first_audio + r.audio_ms / 1000.0)
                    self.mic.speaker.play(at, pcm)
                r.audio_ms += 1000.0 * len(pcm) / WIRE
            elif kind == "response.output_audio_transcript.delta" and \
                    e["response_id"] in self._by_id:
                self._by_id[e["response_id"]].text += e["delta"]
            elif kind == "lingxi.turn.metrics" and e["response_id"] in self._by_id:
                self._by_id[e["response_id"]].timings_ms = e["timings_ms"]
            elif kind == "response.done" and e["response"]["id"] in self._by_id:
                r = self._by_id[e["response"]["id"]]
                r.status, r.done_at = e["response"]["status"], now
            self.log.changed.set()

    async def _stop_playback(self, now: float) -> None:
        """What a client does on speech_started: stop the reply it is playing, and tell the
        server how much of it was heard."""
        for r in self.log.responses:
            r.muted = True
            playing = r.first_audio is not None and r.heard_ms(now) < r.audio_ms
            if playing and r.item_id:
                await self.ws.send(json.dumps({
                    "type": "conversation.item.truncate", "item_id": r.item_id,
                    "content_index": 0, "audio_end_ms": int(r.heard_ms(now))}))
                r.audio_ms = r.heard_ms(now)  # playback stopped here
        if self.mic.speaker is not None:
            self.mic.speaker.stop(now)

    async def until(self, done: Any, deadline: float) -> bool:
        """Wait until `done()` holds (checked on each event) or the deadline passes."""
        while not done():
            left = deadline - time.monotonic()
            if left <= 0:
                return False
            self.log.changed.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self.log.changed.wait(), min(left, 0.1))
        return True


async def open_call(url: str, lang: str, turn: dict[str, Any] | None) -> ClientConnection:
    ws = await websockets.connect(url, max_size=None)
    audio_in: dict[str, Any] = {"transcription": {"language": lang}}
    if turn is not None:
        audio_in["turn_detection"] = turn
    await ws.send(json.dumps({"type": "session.update", "session": {
        "type": "realtime", "lingxi": {"language": lang, "events": True},  # the turn's split
        "audio": {"input": audio_in}}}))
    return ws
