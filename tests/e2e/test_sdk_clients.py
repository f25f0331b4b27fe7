"""End to end: the official clients, used as a user would, against a real Lingxi server.

- `openai` GA (`client.realtime.connect`) and beta (`client.beta.realtime.connect`, which sends
  `OpenAI-Beta: realtime=v1`): a voice call in real time with a barge-in, a truncate of what was
  played and a retrieve of what the assistant is remembered to have said. One conversation per
  dialect (module-scoped), checked by several tests; every server event it received is validated
  against the SDK's own event models.
- `openai-agents` (`RealtimeRunner`): the same voice call; the Agents SDK validates every server
  event strictly with pydantic, so any drift shows as an `error` event or a logged failure.
- A text-only conversation through the GA client (with and without the `lingxi.*` opt-in).

The user's speech is a scripted tone the energy VAD detects; FakeASR transcribes it from the same
script, so transcripts are known. Audio goes out in 100 ms appends paced in real time.
"""

from __future__ import annotations

import asyncio
import base64
import concurrent.futures
import contextlib
import json
import logging
import time
from collections.abc import Awaitable, Callable, Coroutine
from dataclasses import dataclass, field
from typing import Annotated, Any, TypeVar, cast

import numpy as np
import pydantic
import pytest
from agents.realtime import RealtimeAgent, RealtimeRunner
from openai import AsyncOpenAI
from openai.types import realtime as ga_types
from openai.types.beta import realtime as beta_types
from openai.types.beta.realtime.session_update_event_param import Session as BetaSession
from openai.types.realtime import RealtimeSessionCreateRequestParam

from lingxi.engines.fake import SpeechScript
from lingxi.interfaces import ReplyRequest
from tests.e2e.conftest import WIRE_RATE, LingxiServer, ServerFactory

T = TypeVar("T")

MODEL = "lingxi-test"
MS_PER_CHAR = 80.0  # FakeTTS

# What the user says, in seconds of the input audio stream. The first reply starts about 0.55 s
# after the first utterance ends (500 ms of silence + VAD framing) and would last 5.4 s, so the
# second utterance, at 3.0 s, barges in about 1.1 s into it.
# A story on a theme: the responder's to make up (the storyteller tells only its library's).
FIRST_WORDS = "Hello there, can you talk to me about foxes for a while?"
SECOND_WORDS = "Wait, I have a question first."
STREAM_S = 6.0
STORY = "Once upon a time, a little fox lived by a quiet river in the hills."  # 5.36 s of audio
SHORT_ANSWER = "Sure, go ahead."  # 1.2 s of audio
VOICE_REPLIES = (STORY, SHORT_ANSWER)
STORY_MS = len(STORY) * MS_PER_CHAR
INSTRUCTIONS = "You are Lingxi, a warm and patient companion."


def voice_script() -> SpeechScript:
    return SpeechScript().say(0.3, 1.3, FIRST_WORDS).say(3.0, 3.8, SECOND_WORDS)


# -- helpers ----------------------------------------------------------------------------------


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def pcm_ms(pcm16: bytes | bytearray) -> float:
    return 1000.0 * (len(pcm16) // 2) / WIRE_RATE


def pcm_rms(pcm16: bytes | bytearray) -> float:
    x = np.frombuffer(bytes(pcm16), dtype="<i2").astype(np.float32) / 32768.0
    return float(np.sqrt(np.mean(x * x))) if len(x) else 0.0


async def stream_audio(
    send: Callable[[bytes], Awaitable[object]], audio: bytes, chunk_ms: int = 100
) -> None:
    """Send audio as a microphone would: each chunk once it has been 'captured', in real time."""
    step = 2 * WIRE_RATE * chunk_ms // 1000
    t0 = time.monotonic()
    for i, at in enumerate(range(0, len(audio), step)):
        await asyncio.sleep(max(0.0, t0 + (i + 1) * chunk_ms / 1000 - time.monotonic()))
        await send(audio[at : at + step])


def run_in_own_loop(coro: Coroutine[Any, Any, T]) -> T:
    """Run a client conversation on its own event loop (for module-scoped fixtures)."""
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coro).result()


GA_EVENT = pydantic.TypeAdapter(ga_types.RealtimeServerEvent)
BETA_EVENT = pydantic.TypeAdapter(beta_types.RealtimeServerEvent)
# What openai-agents uses: the same union, discriminated on `type` (an unknown type fails).
GA_EVENT_STRICT: pydantic.TypeAdapter[Any] = pydantic.TypeAdapter(
    Annotated[ga_types.RealtimeServerEvent, pydantic.Field(discriminator="type")])
BETA_EVENT_STRICT: pydantic.TypeAdapter[Any] = pydantic.TypeAdapter(
    Annotated[beta_types.RealtimeServerEvent, pydantic.Field(discriminator="type")])


def nonconforming(events: list[dict[str, Any]], *, beta: bool) -> list[str]:
    """Each server event that the SDK's own models reject, with the reason."""
    adapters = (BETA_EVENT_STRICT, BETA_EVENT) if beta else (GA_EVENT_STRICT, GA_EVENT)
    problems = []
    for event in events:
        for adapter in adapters:
            try:
                adapter.validate_python(event)
            except pydantic.ValidationError as exc:
                errors = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}"
                                   for e in exc.errors()[:3])
                problems.append(f"{json.dumps(event)[:1500]} -> {errors}")
                break
    return problems


# -- one voice call through the openai SDK (GA or beta) ----------------------------------------


@dataclass(frozen=True)
class Names:
    """Event names that differ between the dialects."""

    audio_delta: str
    audio_done: str
    transcript_delta: str
    transcript_done: str
    item_added: str


GA_NAMES = Names("response.output_audio.delta", "response.output_audio.done",
                 "response.output_audio_transcript.delta",
                 "response.output_audio_transcript.done", "conversation.item.added")
BETA_NAMES = Names("response.audio.delta", "response.audio.done",
                   "response.audio_transcript.delta", "response.audio_transcript.done",
                   "conversation.item.created")

GA_SESSION: RealtimeSessionCreateRequestParam = {
    "type": "realtime",
    "instructions": INSTRUCTIONS,
    "output_modalities": ["audio"],
    "audio": {
        "input": {
            "format": {"type": "audio/pcm", "rate": 24000},
            "transcription": {"model": "gpt-4o-mini-transcribe"},
            "turn_detection": {"type": "server_vad", "threshold": 0.5, "prefix_padding_ms": 300,
                               "silence_duration_ms": 500, "create_response": True,
                               "interrupt_response": True},
        },
        "output": {"format": {"type": "audio/pcm", "rate": 24000}, "voice": "marin"},
    },
}

BETA_SESSION: BetaSession = {
    "instructions": INSTRUCTIONS,
    "modalities": ["text", "audio"],
    "voice": "alloy",
    "input_audio_format": "pcm16",
    "output_audio_format": "pcm16",
    "input_audio_transcription": {"model": "whisper-1"},
    "turn_detection": {"type": "server_vad", "threshold": 0.5, "prefix_padding_ms": 300,
                       "silence_duration_ms": 500, "create_response": True,
                       "interrupt_response": True},
}


@dataclass
class Received:
    at: float
    data: dict[str, Any]
    sdk_type: str  # `.type` of the event as the SDK parsed it

    @property
    def type(self) -> str:
        return str(self.data["type"])

    def __getitem__(self, key: str) -> Any:
        return self.data[key]


@dataclass
class Playback:
    """A client speaker: plays a response's audio in real time from its first chunk."""

    response_id: str
    item_id: str
    started_at: float
    received_ms: float = 0.0
    stopped_at_ms: int | None = None

    def played_ms(self, now: float) -> float:
        return min(self.received_ms, (now - self.started_at) * 1000.0)


@dataclass
class CallRecord:
    beta: bool
    names: Names
    events: list[Received] = field(default_factory=list)
    audio: dict[str, bytearray] = field(default_factory=dict)  # by response id
    playbacks: list[Playback] = field(default_factory=list)
    truncate_sent: tuple[str, int] | None = None
    retrieved: dict[str, Any] | None = None
    responder_calls: list[ReplyRequest] = field(default_factory=list)
    server_errors: list[str] = field(default_factory=list)

    def of(self, kind: str) -> list[Received]:
        return [e for e in self.events if e.type == kind]

    def index(self, event: Received) -> int:
        return next(i for i, e in enumerate(self.events) if e is event)

    def response_ids(self) -> list[str]:
        return [e["response"]["id"] for e in self.of("response.created")]

    def done(self, response_id: str) -> Received:
        return next(e for e in self.of("response.done") if e["response"]["id"] == response_id)

    def summary(self) -> str:
        return ", ".join(e.type for e in self.events if "delta" not in e.type)


async def voice_call(server: LingxiServer, *, beta: bool) -> CallRecord:
    """Talk, listen, barge in, truncate what was played, retrieve the assistant item."""
    rec = CallRecord(beta=beta, names=BETA_NAMES if beta else GA_NAMES)
    names = rec.names
    client = AsyncOpenAI(api_key="test", websocket_base_url=server.ws_base)
    manager = (client.beta.realtime.connect(model=MODEL) if beta
               else client.realtime.connect(model=MODEL))
    async with manager as connection:
        conn: Any = connection  # the GA and beta connections share this surface

        async def receive() -> Received:
            raw = await conn.recv_bytes()
            got = Received(time.monotonic(), json.loads(raw), str(conn.parse_event(raw).type))
            rec.events.append(got)
            return got

        await conn.session.update(session=BETA_SESSION if beta else GA_SESSION)
        async with asyncio.timeout(5):
            while (await receive()).type not in ("session.updated", "error"):
                pass

        async def append(chunk: bytes) -> None:
            await conn.input_audio_buffer.append(audio=b64(chunk))

        sender = asyncio.create_task(stream_audio(append, server.user_audio(STREAM_S)))
        playing: Playback | None = None
        retrieve_sent = False

        def finished() -> bool:
            dones = rec.of("response.done")
            truncated = rec.truncate_sent is None or rec.retrieved is not None
            return (len(dones) >= 2 and dones[-1]["response"]["status"] != "in_progress"
                    and truncated)

        try:
            async with asyncio.timeout(STREAM_S + 10):
                while not finished():
                    got = await receive()
                    if got.type == names.audio_delta:
                        chunk = base64.b64decode(got["delta"])
                        rid = got["response_id"]
                        rec.audio.setdefault(rid, bytearray()).extend(chunk)
                        if playing is None or playing.response_id != rid:
                            if any(p.response_id == rid for p in rec.playbacks):
                                continue  # this response was stopped: late audio is dropped
                            playing = Playback(rid, got["item_id"], got.at)
                            rec.playbacks.append(playing)
                        playing.received_ms += pcm_ms(chunk)
                    elif got.type == "input_audio_buffer.speech_started" and playing is not None:
                        # The user talks over the reply: stop the speaker, tell the server
                        # how much was actually played.
                        heard = int(playing.played_ms(got.at))
                        playing.stopped_at_ms = heard
                        if heard < playing.received_ms:
                            rec.truncate_sent = (playing.item_id, heard)
                            await conn.conversation.item.truncate(
                                item_id=playing.item_id, content_index=0, audio_end_ms=heard)
                        playing = None
                    elif (got.type == "conversation.item.truncated" and not retrieve_sent
                          and rec.truncate_sent == (got["item_id"], got["audio_end_ms"])):
                        retrieve_sent = True
                        await conn.conversation.item.retrieve(item_id=got["item_id"])
                    elif got.type == "conversation.item.retrieved":
                        rec.retrieved = got["item"]
            await sender
            # Whatever is still on its way (nothing should be) is recorded too.
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(0.3):
                    while True:
                        await receive()
        except TimeoutError:
            raise AssertionError(f"the call did not finish; events: {rec.summary()}") from None
        finally:
            sender.cancel()
    rec.responder_calls = list(server.responder.calls)
    rec.server_errors = [r.getMessage() for r in server.errors]
    return rec


@pytest.fixture(scope="module", params=["ga", "beta"])
def call(request: pytest.FixtureRequest, lingxi_server_for_module: ServerFactory) -> CallRecord:
    server = lingxi_server_for_module(voice_script(), VOICE_REPLIES)
    return run_in_own_loop(voice_call(server, beta=request.param == "beta"))


def test_session_reports_model_and_update(call: CallRecord) -> None:
    assert call.events[0].type == "session.created"
    if not call.beta:
        # (The beta session object's `model` is an enum of OpenAI's models: see the
        # conformance test.)
        assert call.events[0]["session"]["model"] == MODEL
    updated = call.of("session.updated")
    assert len(updated) == 1
    session = updated[0]["session"]
    if call.beta:
        # The beta dialect: flat session fields.
        assert session["modalities"] == ["text", "audio"]
        assert session["input_audio_format"] == "pcm16"
        assert session["output_audio_format"] == "pcm16"
        assert session["turn_detection"]["type"] == "server_vad"
        assert session["turn_detection"]["silence_duration_ms"] == 500
        assert session["input_audio_transcription"]["model"] == "whisper-1"
        assert "audio" not in session and "output_modalities" not in session
    else:
        assert session["type"] == "realtime"
        assert session["output_modalities"] == ["audio"]
        assert session["audio"]["input"]["format"] == {"type": "audio/pcm", "rate": 24000}
        assert session["audio"]["input"]["turn_detection"]["silence_duration_ms"] == 500
        assert session["audio"]["output"]["voice"] == "marin"
    assert session["instructions"] == INSTRUCTIONS


def test_no_errors_and_no_extension_events(call: CallRecord) -> None:
    assert [e.data for e in call.of("error")] == []
    assert [e.type for e in call.events if e.type.startswith("lingxi.")] == []
    assert call.server_errors == []
    # The SDK keeps the type string of every event, known or not.
    assert [(e.type, e.sdk_type) for e in call.events if e.type != e.sdk_type] == []


def test_dialect_event_names(call: CallRecord) -> None:
    kinds = {e.type for e in call.events}
    if call.beta:
        expected = {"response.audio.delta", "response.audio_transcript.delta",
                    "response.audio.done", "response.audio_transcript.done",
                    "conversation.item.created"}
        foreign = {"response.output_audio.delta", "response.output_audio_transcript.delta",
                   "conversation.item.added", "conversation.item.done"}
    else:
        expected = {"response.output_audio.delta", "response.output_audio_transcript.delta",
                    "response.output_audio.done", "response.output_audio_transcript.done",
                    "conversation.item.added", "conversation.item.done"}
        foreign = {"response.audio.delta", "response.audio_transcript.delta",
                   "conversation.item.created"}
    assert expected <= kinds
    assert kinds & foreign == set()


def test_user_turns_detected_and_transcribed(call: CallRecord) -> None:
    started = call.of("input_audio_buffer.speech_started")
    stopped = call.of("input_audio_buffer.speech_stopped")
    committed = call.of("input_audio_buffer.committed")
    completed = call.of("conversation.item.input_audio_transcription.completed")
    assert len(started) == len(stopped) == len(committed) == len(completed) == 2, call.summary()
    # Onsets on the input audio's timeline, less the 300 ms prefix padding.
    assert abs(started[0]["audio_start_ms"] - 0) <= 100
    assert abs(started[1]["audio_start_ms"] - (3000 - 300)) <= 150
    assert abs(stopped[0]["audio_end_ms"] - 1300) <= 150
    assert abs(stopped[1]["audio_end_ms"] - 3800) <= 150
    for s, st, c in zip(started, stopped, committed, strict=True):
        assert s["item_id"] == st["item_id"] == c["item_id"]
        assert call.index(s) < call.index(st) < call.index(c)
    by_item = {e["item_id"]: e["transcript"] for e in completed}
    assert [by_item[c["item_id"]] for c in committed] == [FIRST_WORDS, SECOND_WORDS]
    # The user items reached the conversation.
    added = {e["item"]["id"] for e in call.of(call.names.item_added)}
    assert {c["item_id"] for c in committed} <= added


def test_reply_audio_arrives(call: CallRecord) -> None:
    first, _ = call.response_ids()
    created = call.of("response.created")[0]
    assert created["response"]["status"] == "in_progress"
    stopped_first = call.of("input_audio_buffer.speech_stopped")[0]
    assert call.index(stopped_first) < call.index(created)
    audio = call.audio[first]
    assert pcm_ms(audio) > 500
    assert pcm_rms(audio) > 0.05, "the reply audio is silent"
    deltas = [e for e in call.of(call.names.transcript_delta) if e["response_id"] == first]
    assert deltas
    assert STORY.startswith("".join(e["delta"] for e in deltas))
    item = next(e["item"] for e in call.of("response.output_item.added")
                if e["response_id"] == first)
    assert item["role"] == "assistant"
    assert {e["item_id"] for e in call.of(call.names.audio_delta)
            if e["response_id"] == first} == {item["id"]}


def test_barge_in_cancels_reply(call: CallRecord) -> None:
    first, second = call.response_ids()
    done = call.done(first)
    response = done["response"]
    assert response["status"] == "cancelled"
    assert response["status_details"]["reason"] == "turn_detected"
    barge_in = call.of("input_audio_buffer.speech_started")[1]
    assert call.index(barge_in) < call.index(done)
    # Nothing of the cancelled response arrives after its response.done.
    after = call.events[call.index(done) + 1 :]
    late = [e.type for e in after if e.data.get("response_id") == first]
    assert late == []
    # The reply really was cut: less audio arrived than the whole story.
    assert pcm_ms(call.audio[first]) < STORY_MS - 1000
    assert response["output"][0]["status"] == "incomplete"
    # The second utterance got its own reply, which completed.
    assert second != first
    assert call.done(second)["response"]["status"] == "completed"


def test_truncate_keeps_only_heard_words(call: CallRecord) -> None:
    assert call.truncate_sent is not None, "the reply was no longer playing at the barge-in"
    item_id, audio_end_ms = call.truncate_sent
    # The server may also truncate the item itself at the barge-in (its own estimate of what
    # was played); the client's truncate comes after and has the last word.
    echoes = [e for e in call.of("conversation.item.truncated") if e["item_id"] == item_id]
    assert echoes and echoes[-1]["audio_end_ms"] == audio_end_ms, [e.data for e in echoes]
    assert echoes[-1]["content_index"] == 0
    assert call.retrieved is not None, call.summary()
    assert call.retrieved["id"] == item_id
    assert call.retrieved["role"] == "assistant"
    heard = call.retrieved["content"][0]["transcript"]
    assert heard and STORY.startswith(heard) and len(heard) < len(STORY), heard
    assert abs(len(heard) - audio_end_ms / MS_PER_CHAR) <= 3, (heard, audio_end_ms)
    # The model is asked to continue from what the user heard, not from what it wrote.
    assert len(call.responder_calls) == 2
    history = call.responder_calls[1].history
    assert [m.text for m in history if m.role == "assistant"] == [heard.strip()]
    assert [m.text for m in history if m.role == "user"] == [FIRST_WORDS, SECOND_WORDS]


def test_second_reply_plays_completely(call: CallRecord) -> None:
    _, second = call.response_ids()
    done = call.done(second)["response"]
    assert done["status"] == "completed"
    part = done["output"][0]["content"][0]
    assert part["transcript"] == SHORT_ANSWER
    transcript_done = [e for e in call.of(call.names.transcript_done)
                       if e["response_id"] == second]
    assert [e["transcript"] for e in transcript_done] == [SHORT_ANSWER]
    assert abs(pcm_ms(call.audio[second]) - len(SHORT_ANSWER) * MS_PER_CHAR) <= 60


def test_response_events_are_ordered(call: CallRecord) -> None:
    for rid in call.response_ids():
        kinds = [e.type for e in call.events
                 if e.data.get("response_id") == rid
                 or (e.type in ("response.created", "response.done")
                     and e["response"]["id"] == rid)]
        assert kinds[0] == "response.created" and kinds[-1] == "response.done", kinds
        assert kinds.count("response.created") == kinds.count("response.done") == 1
        n = call.names
        first_delta = min(i for i, k in enumerate(kinds) if k.endswith(".delta"))
        last_delta = max(i for i, k in enumerate(kinds) if k.endswith(".delta"))
        assert kinds[:first_delta] == ["response.created", "response.output_item.added",
                                       "response.content_part.added"], kinds
        assert {n.audio_delta, n.transcript_delta} <= set(kinds[first_delta:last_delta + 1])
        tail = kinds[last_delta + 1 :]
        closing = ["response.content_part.done", "response.output_item.done", "response.done"]
        if call.done(rid)["response"]["status"] == "completed":
            assert tail == [n.audio_done, n.transcript_done, *closing], kinds
        else:
            assert tail[-3:] == closing and set(tail[:-3]) <= {n.audio_done, n.transcript_done}


def test_server_events_conform_to_sdk_models(call: CallRecord) -> None:
    rejected = nonconforming([e.data for e in call.events], beta=call.beta)
    assert rejected == [], "server events the SDK's own models reject:\n" + "\n".join(rejected)


# -- openai-agents ----------------------------------------------------------------------------


async def test_agents_sdk_voice_call(
    lingxi_server: ServerFactory, caplog: pytest.LogCaptureFixture
) -> None:
    server = lingxi_server(voice_script(), VOICE_REPLIES)
    caplog.set_level(logging.WARNING, logger="openai.agents")
    runner = RealtimeRunner(RealtimeAgent(name="lingxi", instructions=INSTRUCTIONS))
    session = await runner.run(
        model_config={"url": server.realtime_url(MODEL), "api_key": "test"})
    kinds: list[str] = []
    raw: list[dict[str, Any]] = []
    errors: list[Any] = []
    audio = bytearray()
    async with session:
        sender = asyncio.create_task(stream_audio(session.send_audio,
                                                  server.user_audio(STREAM_S)))
        draining = False
        try:
            async with asyncio.timeout(STREAM_S + 10) as budget:
                async for event in session:
                    kinds.append(event.type)
                    if event.type == "raw_model_event" and event.data.type == "raw_server_event":
                        raw.append(cast(dict[str, Any], event.data.data))
                    elif event.type == "audio":
                        audio.extend(event.audio.data)
                    elif event.type == "error":
                        errors.append(event.error)
                    dones = [e for e in raw if e["type"] == "response.done"]
                    if not draining and len(dones) >= 2:
                        # Done; keep listening a little for anything that comes after.
                        draining = True
                        budget.reschedule(asyncio.get_running_loop().time() + 0.5)
        except TimeoutError:
            if not draining:
                raise AssertionError(f"the call did not finish; events: {kinds}") from None
        finally:
            sender.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await sender
    raw_kinds = [e["type"] for e in raw]
    assert raw[0]["type"] == "session.created" and raw[0]["session"]["model"] == MODEL
    assert errors == []
    assert "exception" not in kinds
    failures = [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR]
    assert failures == []
    assert nonconforming(raw, beta=False) == []
    assert [k for k in raw_kinds if k.startswith("lingxi.")] == []
    assert server.errors == []
    # Audio both ways, a barge-in and the reply after it.
    assert pcm_ms(audio) > 1000 and pcm_rms(audio) > 0.05
    assert "audio_interrupted" in kinds
    dones = [e["response"] for e in raw if e["type"] == "response.done"]
    assert [d["status"] for d in dones] == ["cancelled", "completed"]
    assert dones[0]["status_details"]["reason"] == "turn_detected"
    transcripts = [e["transcript"] for e in raw
                   if e["type"] == "conversation.item.input_audio_transcription.completed"]
    assert transcripts == [FIRST_WORDS, SECOND_WORDS]
    # The agent's barge-in handling truncated the interrupted reply to what it had played.
    truncated = [e for e in raw if e["type"] == "conversation.item.truncated"]
    assert truncated and all(e["audio_end_ms"] < STORY_MS for e in truncated)
    interrupted_at = kinds.index("audio_interrupted")
    assert "audio" in kinds[:interrupted_at] and "audio" in kinds[interrupted_at:]


# -- text only, GA ----------------------------------------------------------------------------

TEXT_REPLY = "Of course. Here is a thought: small kindnesses add up to a good day."
USER_TEXT = "Say something nice, please."


@pytest.mark.parametrize("lingxi_events", [False, True], ids=["stock", "lingxi-events"])
async def test_ga_text_conversation(lingxi_server: ServerFactory, lingxi_events: bool) -> None:
    server = lingxi_server(SpeechScript(), [TEXT_REPLY])
    client = AsyncOpenAI(api_key="test", websocket_base_url=server.ws_base)
    events: list[dict[str, Any]] = []
    async with client.realtime.connect(model=MODEL) as conn:
        session: dict[str, Any] = {"type": "realtime", "output_modalities": ["text"],
                                   "instructions": INSTRUCTIONS,
                                   "audio": {"input": {"turn_detection": None}}}
        if lingxi_events:
            session["lingxi"] = {"events": True}
        await conn.send(cast(Any, {"type": "session.update", "session": session}))
        await conn.conversation.item.create(item={
            "type": "message", "role": "user",
            "content": [{"type": "input_text", "text": USER_TEXT}]})
        await conn.response.create()
        async with asyncio.timeout(5):
            while True:
                raw = await conn.recv_bytes()
                event = json.loads(raw)
                assert conn.parse_event(raw).type == event["type"]
                events.append(event)
                if event["type"] == "response.done" and not lingxi_events:
                    break
                if event["type"].startswith("lingxi.turn"):
                    break
    kinds = [e["type"] for e in events]
    assert "error" not in kinds, events
    assert kinds[:2] == ["session.created", "session.updated"]
    assert events[1]["session"]["output_modalities"] == ["text"]
    assert events[1]["session"]["audio"]["input"]["turn_detection"] is None
    user_added = next(e for e in events if e["type"] == "conversation.item.added")
    assert user_added["item"]["role"] == "user"
    assert user_added["item"]["content"][0]["text"] == USER_TEXT
    deltas = [e["delta"] for e in events if e["type"] == "response.output_text.delta"]
    assert len(deltas) > 1
    assert "".join(deltas) == TEXT_REPLY
    assert [e["text"] for e in events if e["type"] == "response.output_text.done"] == [TEXT_REPLY]
    done = [e for e in events if e["type"] == "response.done"]
    assert len(done) == 1
    assert done[0]["response"]["status"] == "completed"
    assert done[0]["response"]["output_modalities"] == ["text"]
    assert done[0]["response"]["output"][0]["content"][0]["text"] == TEXT_REPLY
    assert not any("audio" in k for k in kinds), kinds
    assert server.responder.calls[0].last_user_text == USER_TEXT
    extensions = [k for k in kinds if k.startswith("lingxi.")]
    if lingxi_events:
        assert events[1]["session"]["lingxi"]["events"] is True
        assert "lingxi.turn.metrics" in extensions
    else:
        assert extensions == []
    stock = [e for e in events if not e["type"].startswith("lingxi.")]
    assert nonconforming(stock, beta=False) == []
    assert server.errors == []
