"""A real Lingxi server whose responder is the real one (companion or model by URL), with a
voice-recording fake TTS, driven by text turns over a real WebSocket."""

from __future__ import annotations

import contextlib
import json
import threading
import time
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import websockets
from websockets.asyncio.client import ClientConnection

from lingxi.assemble import build_responder
from lingxi.audio import Pcm
from lingxi.clock import Clock, MonotonicClock
from lingxi.config import Settings
from lingxi.engines.energy_vad import EnergyVad
from lingxi.engines.fake import FakeASR, FakeTTS
from lingxi.engines.llm import weights
from lingxi.engines.llm.embedded import EmbeddedOptions, ModelServer, thread_budget
from lingxi.interfaces import Engines, Responder, Voice
from lingxi.transport.app import create_app
from tests.chat_server import serve_asgi

PINNED_NOW = datetime(2026, 2, 17, 20, 30)  # 除夕 evening


@dataclass(frozen=True)
class Synthesis:
    text: str
    voice: Voice
    at: float  # time.monotonic()


class VoiceRecordingFakeTTS(FakeTTS):
    """FakeTTS that records every clause it is asked to speak, and in which voice."""

    def __init__(self, clock: Clock, ms_per_char: float = 2.0,
                 spoke: threading.Event | None = None) -> None:
        super().__init__(clock, ms_per_char=ms_per_char)
        self.spoken: list[Synthesis] = []
        self.spoke = spoke or threading.Event()  # set once it has been asked to say anything

    async def synthesize(self, text: str, voice: Voice) -> AsyncIterator[Pcm]:
        self.spoken.append(Synthesis(text, voice, time.monotonic()))
        self.spoke.set()
        async for chunk in super().synthesize(text, voice):
            yield chunk


@dataclass
class Live:
    port: int
    tts: VoiceRecordingFakeTTS
    responder: Responder

    @property
    def url(self) -> str:
        return f"ws://127.0.0.1:{self.port}/v1/realtime?model=lingxi-test"


@contextlib.contextmanager
def live_lingxi(settings: Settings | None = None, *, ms_per_char: float = 2.0,
                spoke: threading.Event | None = None) -> Iterator[Live]:
    settings = settings or Settings(duties=False)
    clock = MonotonicClock()
    tts = VoiceRecordingFakeTTS(clock, ms_per_char, spoke)
    responder = build_responder(settings, clock=clock, now=lambda: PINNED_NOW)
    engines = Engines(vad=EnergyVad(), asr=FakeASR(clock), responder=responder, tts=tts)
    with serve_asgi(create_app(settings, engines=engines, clock=clock)) as port:
        yield Live(port, tts, responder)


@dataclass
class Turn:
    said: str
    transcript: str
    events: list[dict[str, Any]] = field(default_factory=list)

    def of(self, kind: str) -> list[dict[str, Any]]:
        return [e for e in self.events if e["type"] == kind]


class TextCaller:
    def __init__(self, ws: ClientConnection) -> None:
        self.ws = ws

    async def send(self, event: dict[str, Any]) -> None:
        await self.ws.send(json.dumps(event, ensure_ascii=False))

    async def until(self, kind: str) -> list[dict[str, Any]]:
        events = []
        while True:
            event = json.loads(await self.ws.recv())
            events.append(event)
            if event["type"] == kind:
                return events

    async def update(self, session: dict[str, Any]) -> dict[str, Any]:
        await self.send({"type": "session.update", "session": session})
        events = await self.until("session.updated")
        errors = [e for e in events if e["type"] == "error"]
        assert not errors, errors
        return events[-1]

    async def say(self, text: str) -> Turn:
        """A text turn: the person's words, then a reply (audio + transcript)."""
        await self.send({"type": "conversation.item.create", "item": {
            "type": "message", "role": "user", "content": [{"type": "input_text", "text": text}]}})
        await self.send({"type": "response.create"})
        events = await self.until("response.done")
        transcript = "".join(e["delta"] for e in events
                             if e["type"] == "response.output_audio_transcript.delta")
        return Turn(text, transcript, events)


@contextlib.asynccontextmanager
async def calling(live: Live) -> AsyncIterator[TextCaller]:
    async with websockets.connect(live.url, max_size=None) as ws:
        caller = TextCaller(ws)
        await caller.until("session.created")
        yield caller


@contextlib.contextmanager
def real_voice_server(settings: Settings | None = None) -> Iterator[int]:
    """A server with the real voices and the offline companion (memory and duties off); text
    turns only (a fake recogniser). Yields its port. `settings`: others (a model by URL makes
    the skills' writer; the companion still answers the rest)."""
    from lingxi.engines.tts import build_tts

    settings = settings or Settings(duties=False, memory=False)
    clock = MonotonicClock()
    engines = Engines(vad=EnergyVad(), asr=FakeASR(clock),
                      responder=build_responder(settings.model_copy(update={"llm_base_url": None}),
                                                clock=clock, now=lambda: PINNED_NOW),
                      tts=build_tts(settings))
    with serve_asgi(create_app(settings, engines=engines, clock=clock)) as port:
        yield port


def embedded_model(context_per_call: int) -> ModelServer:
    """The embedded model with one slot and the machine's thread budget (to use in `with`)."""
    threads, batch = thread_budget()
    return ModelServer(EmbeddedOptions(model=weights.check(), threads=threads,
                                       batch_threads=batch, parallel=1,
                                       context_per_call=context_per_call))
