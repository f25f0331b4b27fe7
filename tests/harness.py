"""A call on a virtual clock, driven through an in-memory channel (no network, no real time)."""

from __future__ import annotations

import asyncio
import base64
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from starlette.testclient import TestClient

from lingxi.audio import Pcm, WireFormat
from lingxi.clock import VirtualClock
from lingxi.engines.energy_vad import EnergyVad
from lingxi.engines.fake import FakeASR, FakeResponder, FakeTTS, SpeechScript
from lingxi.interfaces import Engines
from lingxi.protocol.dialect import Dialect
from lingxi.session.call import Call, CallSettings

# session.update switching to semantic end-of-turn detection.
SEMANTIC = {"type": "session.update", "session": {"audio": {"input": {
    "turn_detection": {"type": "semantic_vad", "eagerness": "medium"}}}}}


@dataclass
class Sent:
    at: float
    event: dict[str, Any]

    @property
    def type(self) -> str:
        return str(self.event["type"])


class MemoryChannel:
    def __init__(self, clock: VirtualClock, send_delay_s: float = 0.0) -> None:
        self.clock = clock
        self.send_delay_s = send_delay_s  # a slow network: each send takes this long
        self.inbox: asyncio.Queue[str | bytes | None] = asyncio.Queue()
        self.sent: list[Sent] = []

    async def receive(self) -> str | bytes | None:
        return await self.inbox.get()

    async def send(self, text: str) -> None:
        if self.send_delay_s:
            await self.clock.sleep(self.send_delay_s)
        self.sent.append(Sent(self.clock.now(), json.loads(text)))


@dataclass
class CallHarness:
    script: SpeechScript = field(default_factory=SpeechScript)
    replies: Sequence[str] = ("好的，我明白了。你慢慢说，我一直都在这里陪着你。",)
    first_token_delay_s: float = 0.0
    asr_delay_s: float = 0.0
    asr_partial_delay_s: float = 0.0  # how long a decode at a pause takes
    asr_fails: bool = False
    tts_delay_s: float = 0.0
    ms_per_char: float = 80.0
    # Duties (disclosure, break reminders) are tested on their own; elsewhere replies are
    # compared word for word, so they are off unless a test passes settings with them on.
    settings: CallSettings = field(default_factory=lambda: CallSettings(duties=False))
    dialect: Dialect | None = None
    send_delay_s: float = 0.0
    # The server cuts interrupted replies to what it estimates was heard (as for the page).
    server_truncation: bool = False

    def __post_init__(self) -> None:
        self.clock = VirtualClock()
        self.responder = FakeResponder(self.clock, first_token_delay_s=self.first_token_delay_s,
                                       replies=self.replies)
        self.tts = FakeTTS(self.clock, ms_per_char=self.ms_per_char,
                           first_chunk_delay_s=self.tts_delay_s)
        self.engines = Engines(
            vad=EnergyVad(),
            asr=FakeASR(self.clock, self.script, final_delay_s=self.asr_delay_s,
                        partial_delay_s=self.asr_partial_delay_s, fail=self.asr_fails),
            responder=self.responder, tts=self.tts)
        self.call = Call(self.engines, self.clock, settings=self.settings, dialect=self.dialect)
        self.channel = MemoryChannel(self.clock, self.send_delay_s)
        self._task: asyncio.Task[None] | None = None
        self._pcm: Pcm | None = None
        self._sent_audio_s = 0.0

    async def __aenter__(self) -> CallHarness:
        self._task = asyncio.create_task(self.call.run(self.channel))
        await self.clock.advance(0)
        if self.server_truncation:
            await self.send({"type": "session.update",
                             "session": {"lingxi": {"server_truncation": True}}})
        return self

    async def __aexit__(self, *exc: object) -> None:
        self.channel.inbox.put_nowait(None)
        await self.clock.advance(0)
        assert self._task is not None
        await asyncio.wait_for(self._task, 5)

    def assert_alive(self) -> None:
        assert self._task is not None
        assert not self._task.done(), f"the call ended: {self._task.exception()!r}"

    async def send(self, event: dict[str, Any] | str | bytes) -> None:
        raw = event if isinstance(event, str | bytes) else json.dumps(event)
        self.channel.inbox.put_nowait(raw)
        await self.clock.advance(0)

    async def speak_until(self, until_s: float, *, chunk_ms: float = 20.0,
                          wire: WireFormat | None = None) -> None:
        """Stream the script's audio in real (virtual) time up to `until_s` of input audio."""
        wire = wire or WireFormat("pcm16", 24000)
        if self._pcm is None:
            self._pcm = self.script.render(wire.sample_rate, 120.0)
        step = int(wire.sample_rate * chunk_ms / 1000)
        while self._sent_audio_s < until_s - 1e-9:
            a = round(self._sent_audio_s * wire.sample_rate)
            chunk = self._pcm[a : a + step]
            audio = base64.b64encode(wire.encode(chunk)).decode()
            await self.send({"type": "input_audio_buffer.append", "audio": audio})
            self._sent_audio_s += chunk_ms / 1000
            await self.clock.advance(chunk_ms / 1000)

    async def wait(self, seconds: float) -> None:
        await self.clock.advance(seconds)

    # -- what the client saw ----------------------------------------------------------------

    def of(self, kind: str) -> list[Sent]:
        return [s for s in self.channel.sent if s.type == kind]

    def first(self, kind: str) -> Sent:
        found = self.of(kind)
        assert found, f"no {kind} event; saw {[s.type for s in self.channel.sent]}"
        return found[0]

    def errors(self) -> list[dict[str, Any]]:
        return [s.event["error"] for s in self.of("error")]

    def audio_ms(self, response_id: str, rate: int = 24000, width: int = 2) -> float:
        total = sum(len(base64.b64decode(s.event["delta"]))
                    for s in self.of("response.output_audio.delta")
                    if s.event["response_id"] == response_id)
        return 1000.0 * total / (rate * width)

    def decoded_audio(self, response_id: str, wire: WireFormat) -> Pcm:
        parts = [wire.decode(base64.b64decode(s.event["delta"]))
                 for s in self.of("response.output_audio.delta")
                 if s.event["response_id"] == response_id]
        return np.concatenate(parts) if parts else np.zeros(0, np.int16)

    async def retrieve(self, item_id: str) -> dict[str, Any]:
        before = len(self.of("conversation.item.retrieved"))
        await self.send({"type": "conversation.item.retrieve", "item_id": item_id})
        for _ in range(100):  # on a slow link the answer takes a while
            if len(self.of("conversation.item.retrieved")) > before or self.errors():
                break
            await self.clock.advance(0.01)
        retrieved = self.of("conversation.item.retrieved")
        assert len(retrieved) == before + 1, self.errors()
        return retrieved[-1].event["item"]  # type: ignore[no-any-return]


def local_client(app: Any) -> TestClient:
    """Starlette's test client as a local user's: loopback address and host name (its default
    "testserver" host is refused like any foreign name by the access guard)."""
    return TestClient(app, base_url="http://127.0.0.1", client=("127.0.0.1", 50000))
