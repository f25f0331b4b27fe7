"""Drivers for the voice frameworks in test_frameworks.py: pipecat's realtime service in a
real pipeline, and LiveKit's RealtimeSession with a listener for what it delivers, each keeping
the raw server events it received for the SDK's schema check."""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import AsyncIterable, AsyncIterator, Callable
from dataclasses import dataclass, field
from typing import Any

from livekit import rtc
from livekit.agents import llm as lk
from livekit.plugins.openai.realtime import RealtimeSession
from loguru import logger as loguru_logger
from pipecat.frames.frames import EndFrame, Frame, TTSAudioRawFrame
from pipecat.pipeline.pipeline import Pipeline
from pipecat.pipeline.worker import PipelineWorker
from pipecat.processors.aggregators.llm_context import LLMContext
from pipecat.processors.aggregators.llm_response_universal import LLMContextAggregatorPair
from pipecat.processors.frame_processor import FrameDirection, FrameProcessor
from pipecat.services.openai.realtime import events as pipecat_events
from pipecat.services.openai.realtime.llm import OpenAIRealtimeLLMService
from pipecat.workers.runner import WorkerRunner

from tests.e2e.conftest import WIRE_RATE
from tests.e2e.test_sdk_clients import MODEL


async def until(done: Callable[[], bool], within_s: float, what: str) -> None:
    """Wait for a condition the framework's callbacks make true (a hang guard, not a timing)."""
    deadline = time.monotonic() + within_s
    while not done():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        await asyncio.sleep(0.02)


class Recorder(FrameProcessor):
    """Records the frames passing one way; the app's output transport would sit here."""

    def __init__(self, direction: FrameDirection) -> None:
        super().__init__()
        self.direction = direction
        self.frames: list[Frame] = []
        self.arrived: list[float] = []  # time.monotonic() of each frame, for bench/

    async def process_frame(self, frame: Frame, direction: FrameDirection) -> None:
        await super().process_frame(frame, direction)
        if direction == self.direction:
            self.frames.append(frame)
            self.arrived.append(time.monotonic())
        await self.push_frame(frame, direction)

    def of(self, kind: type[Frame]) -> list[Any]:
        return [f for f in self.frames if isinstance(f, kind)]


@dataclass
class PipecatCall:
    service: OpenAIRealtimeLLMService
    worker: PipelineWorker
    context: LLMContext
    output: Recorder  # downstream of the service: audio, text, interruptions
    upstream: Recorder  # what the service pushes back: errors, transcriptions
    raw: list[dict[str, Any]]
    errors: list[str]  # pipecat's own ERROR log lines

    def audio(self) -> bytes:
        return b"".join(f.audio for f in self.output.of(TTSAudioRawFrame))


@contextlib.asynccontextmanager
async def pipecat_call(port: int, context: LLMContext, raw: list[dict[str, Any]],
                       session: pipecat_events.SessionProperties | None = None,
                       ) -> AsyncIterator[PipecatCall]:
    service = OpenAIRealtimeLLMService(
        api_key="test", base_url=f"ws://127.0.0.1:{port}/v1/realtime",
        settings=OpenAIRealtimeLLMService.Settings(
            model=MODEL, session_properties=session or pipecat_events.SessionProperties()))
    user, assistant = LLMContextAggregatorPair(context)
    upstream, output = Recorder(FrameDirection.UPSTREAM), Recorder(FrameDirection.DOWNSTREAM)
    worker = PipelineWorker(Pipeline([upstream, user, service, output, assistant]),
                            cancel_on_idle_timeout=False)
    started = asyncio.Event()

    async def _started(*_: Any) -> None:
        started.set()

    worker.add_event_handler("on_pipeline_started", _started)

    errors: list[str] = []
    sink = loguru_logger.add(lambda m: errors.append(str(m)), level="ERROR")
    runner = WorkerRunner(handle_sigint=False)
    await runner.add_workers(worker)
    running = asyncio.create_task(runner.run())
    try:
        async with asyncio.timeout(10):
            await started.wait()
        yield PipecatCall(service, worker, context, output, upstream, raw, errors)
        await worker.queue_frame(EndFrame())
        async with asyncio.timeout(10):
            await running
    finally:
        running.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await running
        loguru_logger.remove(sink)


def messages(context: LLMContext) -> list[dict[str, Any]]:
    """The context's messages as the plain dicts this test gives and expects."""
    said = context.get_messages()
    assert all(isinstance(m, dict) for m in said)
    return [dict(m) for m in said]  # type: ignore[arg-type]


@dataclass
class Heard:
    """One assistant message as LiveKit delivered it, with when its audio started."""

    started: float = 0.0
    samples: int = 0
    text: str = ""

    def played_ms(self) -> int:
        return int(min((time.monotonic() - self.started) * 1000, 1000 * self.samples / WIRE_RATE))


@dataclass
class LiveKitCall:
    session: RealtimeSession
    raw: list[dict[str, Any]] = field(default_factory=list)
    errors: list[lk.RealtimeModelError] = field(default_factory=list)
    heard: dict[str, Heard] = field(default_factory=dict)
    playing: list[str] = field(default_factory=list)
    tasks: set[asyncio.Task[None]] = field(default_factory=set)

    async def listen(self, generation: lk.GenerationCreatedEvent) -> None:
        async for message in generation.message_stream:
            heard = self.heard.setdefault(message.message_id, Heard())

            async def audio(stream: AsyncIterable[rtc.AudioFrame], heard: Heard = heard,
                            message_id: str = message.message_id) -> None:
                async for frame in stream:
                    if not heard.samples:
                        heard.started = time.monotonic()
                        self.playing.append(message_id)
                    heard.samples += frame.samples_per_channel

            async def text(stream: AsyncIterable[str], heard: Heard = heard) -> None:
                async for delta in stream:
                    heard.text += delta

            await asyncio.gather(audio(message.audio_stream), text(message.text_stream))


@contextlib.asynccontextmanager
async def livekit_call(session: RealtimeSession) -> AsyncIterator[LiveKitCall]:
    """Listen to a session as an app does: raw events, errors, and every generation's
    messages (text and audio) as they stream; the session is closed at the end."""
    call = LiveKitCall(session)
    session.on("openai_server_event_received", call.raw.append)
    session.on("error", call.errors.append)

    def created(generation: lk.GenerationCreatedEvent) -> None:
        task = asyncio.create_task(call.listen(generation))
        call.tasks.add(task)
        task.add_done_callback(call.tasks.discard)

    session.on("generation_created", created)
    try:
        yield call
    finally:
        await session.aclose()

