"""Voice frameworks against a real Lingxi server on loopback, used as their users use them.

- pipecat 1.14 (`pipecat.services.openai.realtime.llm.OpenAIRealtimeLLMService`, GA dialect):
  the service in a real `Pipeline` run by a `PipelineWorker`, between the context aggregator
  pair, as pipecat's realtime examples wire it; microphone audio goes in as
  `InputAudioRawFrame`s, the reply comes out as `TTSAudioRawFrame`s; a registered function runs
  when the model calls it.
- LiveKit Agents 1.8 (`livekit.plugins.openai.realtime.RealtimeModel`, GA dialect) without a
  LiveKit server: a `RealtimeSession` driven as `AgentSession` drives it (update the chat
  context and `generate_reply`; `push_audio`; on the server's speech start `interrupt()` and
  `truncate()` to what was played; tools through `update_tools` and `execute_function_call`).

Each holds a spoken turn with a barge-in, a text turn, a tool call and a camera picture (a
vision model sees it; without one it is kept unseen, never an error); every server event the
framework received validates against the openai SDK's GA models.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from collections.abc import AsyncIterator, Callable, Iterator
from typing import Any

import pytest
from livekit import rtc
from livekit.agents import llm as lk
from livekit.plugins.openai.realtime import RealtimeModel
from openai.types import realtime as oai
from pipecat.adapters.llm.schemas.function_schema import FunctionSchema
from pipecat.adapters.llm.schemas.tools_schema import ToolsSchema
from pipecat.frames.frames import (
    ErrorFrame,
    InputAudioRawFrame,
    InputImageRawFrame,
    InterruptionFrame,
    LLMRunFrame,
    TTSAudioRawFrame,
    TTSStartedFrame,
    UserStartedSpeakingFrame,
)
from pipecat.processors.aggregators.llm_context import LLMContext
from pipecat.services.llm_service import FunctionCallParams
from pipecat.services.openai.realtime import events as pipecat_events

from lingxi.config import Settings
from lingxi.engines.fake import SpeechScript
from tests.chat_server import ChatServer, chat_server
from tests.e2e.conftest import WIRE_RATE, ServerFactory
from tests.e2e.framework_drivers import (
    LiveKitCall,
    PipecatCall,
    livekit_call,
    messages,
    pipecat_call,
    until,
)
from tests.e2e.test_sdk_clients import (
    FIRST_WORDS,
    MODEL,
    MS_PER_CHAR,
    SECOND_WORDS,
    SHORT_ANSWER,
    STORY,
    STORY_MS,
    STREAM_S,
    VOICE_REPLIES,
    nonconforming,
    pcm_ms,
    pcm_rms,
    stream_audio,
    voice_script,
)
from tests.e2e.test_tools import ANSWER, CALL
from tests.responder.live import Live, live_lingxi

TEXT_REPLY = "Here is a kind thought."  # 1.8 s of FakeTTS audio
GREETING = "Hello."
USER_TEXT = "Say something nice."
WEATHER_QUESTION = "What's the weather in Paris?"


def statuses(raw: list[dict[str, Any]]) -> list[str]:
    return [e["response"]["status"] for e in raw if e["type"] == "response.done"]


def barge_in_checks(raw: list[dict[str, Any]]) -> None:
    """What the caller must see of a barge-in, whatever the client: the first reply cancelled
    for the user's turn, none of its audio after the user spoke again, the second complete."""
    assert statuses(raw) == ["cancelled", "completed"], statuses(raw)
    first = next(e["response"] for e in raw if e["type"] == "response.done")
    assert first["status_details"]["reason"] == "turn_detected"
    barge_in = [i for i, e in enumerate(raw) if e["type"] == "input_audio_buffer.speech_started"][1]
    late = [e for e in raw[barge_in:] if e["type"] == "response.output_audio.delta"
            and e["response_id"] == first["id"]]
    assert late == []
    transcripts = [e["transcript"] for e in raw
                   if e["type"] == "conversation.item.input_audio_transcription.completed"]
    assert transcripts == [FIRST_WORDS, SECOND_WORDS]


@contextlib.contextmanager
def picture_model(vision: bool) -> Iterator[tuple[ChatServer, Live]]:
    """Lingxi with a model by URL that is (or is not) given the images."""
    with chat_server(tokens=["A ", "red ", "square."]) as model, \
            live_lingxi(Settings(duties=False, llm_base_url=model.base_url,
                                 llm_vision=vision)) as live:
        yield model, live


def images_given(model: ChatServer) -> list[str]:
    """The image URLs in the model's (only) request."""
    (request,) = model.requests
    parts = [p for m in request["messages"] if isinstance(m["content"], list)
             for p in m["content"]]
    return [p["image_url"]["url"] for p in parts if p["type"] == "image_url"]


def item_added(raw: list[dict[str, Any]]) -> bool:
    return any(e["type"] == "conversation.item.added" for e in raw)


@contextlib.contextmanager
def weather_model() -> Iterator[tuple[ChatServer, Live]]:
    """Lingxi with a model by URL that calls get_weather, then answers from its output."""
    with chat_server(tokens=ANSWER, tool_calls=[CALL]) as model, \
            live_lingxi(Settings(duties=False, llm_base_url=model.base_url)) as live:
        yield model, live


def tool_calls_checks(model: ChatServer, output: str) -> None:
    """The model was given the client's tool, then its own call and the client's output."""
    assert model.requests[0]["tools"][0]["function"]["name"] == "get_weather"
    assert len(model.requests) == 2
    followed = model.requests[1]["messages"]
    assert followed[-2]["tool_calls"][0]["function"]["name"] == "get_weather"
    assert followed[-1]["role"] == "tool" and followed[-1]["content"] == output


# -- pipecat ----------------------------------------------------------------------------------


@pytest.fixture
def pipecat_events_seen(monkeypatch: pytest.MonkeyPatch) -> list[dict[str, Any]]:
    """Every server event pipecat's service parses, as it arrived on the wire."""
    seen: list[dict[str, Any]] = []
    parse: Callable[[str], Any] = pipecat_events.parse_server_event  # untyped upstream

    def tap(message: str) -> Any:
        seen.append(json.loads(message))
        return parse(message)

    monkeypatch.setattr(pipecat_events, "parse_server_event", tap)
    return seen


def pipecat_clean(call: PipecatCall) -> None:
    assert call.upstream.of(ErrorFrame) == [] and call.output.of(ErrorFrame) == []
    assert call.errors == []
    assert [e for e in call.raw if e["type"] == "error"] == []
    assert nonconforming(call.raw, beta=False) == []


async def test_pipecat_spoken_turn_with_a_barge_in(
        lingxi_server: ServerFactory, pipecat_events_seen: list[dict[str, Any]]) -> None:
    server = lingxi_server(voice_script(), (GREETING, *VOICE_REPLIES))
    context = LLMContext()
    transcription = pipecat_events.AudioInput(
        transcription=pipecat_events.InputAudioTranscription())
    session = pipecat_events.SessionProperties(
        audio=pipecat_events.AudioConfiguration(input=transcription))
    async with pipecat_call(server.port, context, pipecat_events_seen, session) as call:
        # As pipecat's realtime examples start: the service's first context sets the
        # conversation up and is answered (a context arriving first mid-call would be too).
        await call.worker.queue_frames([LLMRunFrame()])
        await until(lambda: len(statuses(call.raw)) == 1, 10, "the greeting")
        greeted, heard_from = len(call.raw), len(call.output.frames)

        async def microphone(chunk: bytes) -> None:
            await call.worker.queue_frame(
                InputAudioRawFrame(audio=chunk, sample_rate=WIRE_RATE, num_channels=1))

        await stream_audio(microphone, server.user_audio(STREAM_S))
        await until(lambda: len(statuses(call.raw)) == 3, 10, "the second reply")
    pipecat_clean(call)
    assert server.errors == []
    barge_in_checks(call.raw[greeted:])
    # Audio out of the pipeline: both replies, the first cut short by the barge-in.
    frames = call.output.frames[heard_from:]
    audio = b"".join(f.audio for f in frames if isinstance(f, TTSAudioRawFrame))
    assert {f.sample_rate for f in call.output.of(TTSAudioRawFrame)} == {WIRE_RATE}
    assert pcm_rms(audio) > 0.05
    whole = (len(STORY) + len(SHORT_ANSWER)) * MS_PER_CHAR
    assert len(SHORT_ANSWER) * MS_PER_CHAR < pcm_ms(audio) < whole - 1000
    # pipecat saw the user start speaking during the first reply and interrupted its output.
    kinds = [type(f) for f in frames]
    first_reply = kinds.index(TTSStartedFrame)
    assert UserStartedSpeakingFrame in kinds[first_reply:]
    assert InterruptionFrame in kinds[first_reply:]
    # ... and told the server how much it had played, as it does on a barge-in.
    truncated = [e for e in call.raw if e["type"] == "conversation.item.truncated"]
    assert truncated and all(0 < e["audio_end_ms"] < STORY_MS for e in truncated)
    # The user's two turns reached pipecat's context as transcripts.
    users = [m["content"] for m in messages(context) if m.get("role") == "user"]
    assert users == [FIRST_WORDS, SECOND_WORDS]


async def test_pipecat_text_turn(
        lingxi_server: ServerFactory, pipecat_events_seen: list[dict[str, Any]]) -> None:
    server = lingxi_server(SpeechScript(), [TEXT_REPLY])
    context = LLMContext(messages=[{"role": "user", "content": USER_TEXT}])
    async with pipecat_call(server.port, context, pipecat_events_seen) as call:
        await call.worker.queue_frames([LLMRunFrame()])
        await until(lambda: len(statuses(call.raw)) == 1, 10, "the reply")
        await until(lambda: len(context.get_messages()) == 2, 2, "the context")
    pipecat_clean(call)
    assert statuses(call.raw) == ["completed"]
    assert server.responder.calls[0].last_user_text == USER_TEXT
    assert messages(context)[-1] == {"role": "assistant", "content": TEXT_REPLY}
    assert abs(pcm_ms(call.audio()) - len(TEXT_REPLY) * MS_PER_CHAR) <= 60
    assert pcm_rms(call.audio()) > 0.05


async def test_pipecat_runs_a_registered_function(
        pipecat_events_seen: list[dict[str, Any]]) -> None:
    asked: list[dict[str, Any]] = []

    async def get_weather(params: FunctionCallParams) -> None:
        asked.append(dict(params.arguments))
        await params.result_callback({"sky": "sunny", "celsius": 21})

    weather = FunctionSchema(name="get_weather", description="The weather now in a city.",
                             properties={"city": {"type": "string"}}, required=["city"])
    context = LLMContext(messages=[{"role": "user", "content": WEATHER_QUESTION}],
                         tools=ToolsSchema(standard_tools=[weather]))
    with weather_model() as (model, live):
        async with pipecat_call(live.port, context, pipecat_events_seen) as call:
            call.service.register_function("get_weather", get_weather)
            await call.worker.queue_frames([LLMRunFrame()])
            await until(lambda: len(statuses(call.raw)) == 2, 10, "the answer after the call")
            await until(lambda: len(context.get_messages()) == 4, 2, "the context")
    pipecat_clean(call)
    assert asked == [{"city": "Paris"}]
    tool_calls_checks(model, '{"sky": "sunny", "celsius": 21}')
    said = messages(context)
    assert [m.get("role") for m in said] == ["user", "assistant", "tool", "assistant"]
    assert said[-1]["content"] == "".join(ANSWER)
    assert pcm_ms(call.audio()) > 0


@pytest.mark.parametrize("vision", [True, False], ids=["vision-model", "no-vision"])
async def test_pipecat_camera_frame_then_a_question(
        vision: bool, pipecat_events_seen: list[dict[str, Any]]) -> None:
    context = LLMContext(messages=[{"role": "user", "content": "What do you see?"}])
    with picture_model(vision) as (model, live):
        async with pipecat_call(live.port, context, pipecat_events_seen) as call:
            red = InputImageRawFrame(image=bytes([255, 0, 0]) * 64, size=(8, 8), format="RGB")
            await call.worker.queue_frame(red)
            await until(lambda: item_added(call.raw), 5, "the picture in the conversation")
            await call.worker.queue_frames([LLMRunFrame()])
            await until(lambda: len(statuses(call.raw)) == 1, 10, "the answer")
            await until(lambda: len(messages(context)) == 2, 2, "the context")
    pipecat_clean(call)  # an image never stops pipecat's loop with an error
    images = images_given(model)
    assert len(images) == (1 if vision else 0)
    assert all(url.startswith("data:image/jpeg;base64,") for url in images)
    assert messages(context)[-1] == {"role": "assistant", "content": "A red square."}


# -- LiveKit ----------------------------------------------------------------------------------


@contextlib.asynccontextmanager
async def livekit_session(port: int, caplog: pytest.LogCaptureFixture,
                          **options: Any) -> AsyncIterator[LiveKitCall]:
    """A LiveKit RealtimeModel pointed at Lingxi; afterwards, nothing went wrong for it."""
    caplog.set_level(logging.WARNING, logger="livekit")
    model = RealtimeModel(base_url=f"http://127.0.0.1:{port}/v1", api_key="test", model=MODEL,
                          **options)
    try:
        async with livekit_call(model.session()) as call:
            yield call
    finally:
        await model.aclose()
    failures = [r.getMessage() for r in caplog.records
                if r.name.startswith("livekit") and r.levelno >= logging.ERROR]
    assert failures == []
    assert call.errors == []
    assert nonconforming(call.raw, beta=False) == []


async def test_livekit_spoken_turn_with_a_barge_in(
        lingxi_server: ServerFactory, caplog: pytest.LogCaptureFixture) -> None:
    server = lingxi_server(voice_script(), VOICE_REPLIES)
    transcription = oai.AudioTranscription(model="gpt-4o-mini-transcribe")
    finals: list[str] = []
    truncated_at: list[int] = []
    async with livekit_session(server.port, caplog,
                               input_audio_transcription=transcription) as call:
        session = call.session
        session.on("input_audio_transcription_completed",
                   lambda e: finals.append(e.transcript) if e.is_final else None)

        def barge_in(_: lk.InputSpeechStartedEvent) -> None:
            # What AgentSession does when the user speaks over the agent.
            if session.has_active_generation:
                session.interrupt()
            if call.playing:
                message_id = call.playing.pop()
                truncated_at.append(call.heard[message_id].played_ms())
                session.truncate(message_id=message_id, modalities=["audio"],
                                 audio_end_ms=truncated_at[-1])

        session.on("input_speech_started", barge_in)

        async def microphone(chunk: bytes) -> None:
            session.push_audio(rtc.AudioFrame(chunk, WIRE_RATE, 1, len(chunk) // 2))

        await stream_audio(microphone, server.user_audio(STREAM_S))
        await until(lambda: len(statuses(call.raw)) == 2, 10, "the second reply")
        await until(lambda: not call.tasks, 2, "the streams to close")
    assert server.errors == []
    barge_in_checks(call.raw)
    assert finals == [FIRST_WORDS, SECOND_WORDS]
    story, answer = call.heard.values()
    assert 0 < story.samples * 1000 / WIRE_RATE < STORY_MS - 1000
    assert STORY.startswith(story.text)
    assert answer.text == SHORT_ANSWER
    assert abs(answer.samples * 1000 / WIRE_RATE - len(SHORT_ANSWER) * MS_PER_CHAR) <= 60
    # The server kept exactly what LiveKit said was played.
    echoed = [e["audio_end_ms"] for e in call.raw if e["type"] == "conversation.item.truncated"]
    assert echoed == truncated_at and 0 < truncated_at[0] < STORY_MS


async def test_livekit_text_turn(lingxi_server: ServerFactory,
                                 caplog: pytest.LogCaptureFixture) -> None:
    server = lingxi_server(SpeechScript(), [TEXT_REPLY])
    async with livekit_session(server.port, caplog) as call:
        context = call.session.chat_ctx.copy()
        context.add_message(role="user", content=USER_TEXT)
        await call.session.update_chat_ctx(context)
        await asyncio.wait_for(call.session.generate_reply(), 5)
        await until(lambda: len(statuses(call.raw)) == 1 and not call.tasks, 10, "the reply")
    assert statuses(call.raw) == ["completed"]
    assert server.responder.calls[0].last_user_text == USER_TEXT
    (reply,) = call.heard.values()
    assert reply.text == TEXT_REPLY
    assert abs(reply.samples * 1000 / WIRE_RATE - len(TEXT_REPLY) * MS_PER_CHAR) <= 60
    said = [(m.role, m.text_content) for m in call.session.chat_ctx.messages()]
    assert said == [("user", USER_TEXT), ("assistant", TEXT_REPLY)]


async def test_livekit_runs_a_function_tool(caplog: pytest.LogCaptureFixture) -> None:
    asked: list[str] = []

    @lk.function_tool
    async def get_weather(city: str) -> str:
        """The weather now in a city."""
        asked.append(city)
        return "sunny, 21 degrees"

    with weather_model() as (model, live):
        async with livekit_session(live.port, caplog, modalities=["text"]) as call:
            session = call.session
            await session.update_tools([get_weather])
            context = session.chat_ctx.copy()
            context.add_message(role="user", content=WEATHER_QUESTION)
            await session.update_chat_ctx(context)
            generation = await asyncio.wait_for(session.generate_reply(), 5)
            calls = [c async for c in generation.function_stream]
            tools = lk.ToolContext([get_weather])
            results = [await lk.execute_function_call(lk.FunctionToolCall(
                name=c.name, arguments=c.arguments, call_id=c.call_id), tools) for c in calls]
            context = session.chat_ctx.copy()
            context.items.extend(r.fnc_call_out for r in results if r.fnc_call_out)
            await session.update_chat_ctx(context)
            await asyncio.wait_for(session.generate_reply(), 5)
            await until(lambda: len(statuses(call.raw)) == 2 and not call.tasks, 10,
                        "the answer after the call")
    assert [(c.name, json.loads(c.arguments)) for c in calls] == [("get_weather",
                                                                   {"city": "Paris"})]
    assert asked == ["Paris"]
    tool_calls_checks(model, "sunny, 21 degrees")
    assert [h.text for h in call.heard.values()] == ["".join(ANSWER)]
    assert statuses(call.raw) == ["completed", "completed"]


@pytest.mark.parametrize("vision", [True, False], ids=["vision-model", "no-vision"])
async def test_livekit_video_frame_then_a_question(
        vision: bool, caplog: pytest.LogCaptureFixture) -> None:
    with picture_model(vision) as (model, live):
        async with livekit_session(live.port, caplog, modalities=["text"]) as call:
            rgba = bytes([255, 0, 0, 255]) * 64
            call.session.push_video(rtc.VideoFrame(8, 8, rtc.VideoBufferType.RGBA, rgba))
            await until(lambda: item_added(call.raw), 5, "the picture in the conversation")
            context = call.session.chat_ctx.copy()
            context.add_message(role="user", content="What do you see?")
            await call.session.update_chat_ctx(context)
            await asyncio.wait_for(call.session.generate_reply(), 5)
            await until(lambda: len(statuses(call.raw)) == 1 and not call.tasks, 10, "the answer")
    images = images_given(model)
    assert len(images) == (1 if vision else 0)
    assert all(url.startswith("data:image/") for url in images)
    assert [h.text for h in call.heard.values()] == ["A red square."]
