"""Server → client events (GA names). One model per event type."""

from __future__ import annotations

import itertools
import os
import secrets
from typing import Any, Literal

from pydantic import BaseModel, Field, SerializerFunctionWrapHandler, model_serializer

from lingxi.protocol.items import Item
from lingxi.protocol.provenance import Provenance

_counter = itertools.count()
_prefix = os.urandom(4).hex()


def new_id(kind: str) -> str:
    """Events are numbered (cheap, ordered); sessions, responses and items get ids nobody
    can guess (the operator route and the export name them)."""
    if kind == "event":
        return f"event_{_prefix}{next(_counter):010d}"
    return f"{kind}_{secrets.token_hex(9)}"


class ServerEvent(BaseModel):
    event_id: str = Field(default_factory=lambda: new_id("event"))
    type: str


class _InConversation(ServerEvent):
    """An event that places an item: `previous_item_id` is always there, null for the first
    item, as the service sends it."""

    previous_item_id: str | None = None

    @model_serializer(mode="wrap")
    def _with_previous(self, handler: SerializerFunctionWrapHandler) -> dict[str, Any]:
        out: dict[str, Any] = handler(self)
        out.setdefault("previous_item_id", None)
        return out


class ErrorDetail(BaseModel):
    type: str = "invalid_request_error"
    code: str
    message: str
    param: str | None = None
    event_id: str | None = None


class ErrorEvent(ServerEvent):
    type: Literal["error"] = "error"
    error: ErrorDetail


class SessionCreated(ServerEvent):
    type: Literal["session.created"] = "session.created"
    session: dict[str, Any]


class SessionUpdated(ServerEvent):
    type: Literal["session.updated"] = "session.updated"
    session: dict[str, Any]


class SpeechStarted(ServerEvent):
    type: Literal["input_audio_buffer.speech_started"] = "input_audio_buffer.speech_started"
    audio_start_ms: int
    item_id: str


class SpeechStopped(ServerEvent):
    type: Literal["input_audio_buffer.speech_stopped"] = "input_audio_buffer.speech_stopped"
    audio_end_ms: int
    item_id: str


class BufferCommitted(_InConversation):
    type: Literal["input_audio_buffer.committed"] = "input_audio_buffer.committed"
    item_id: str


class BufferCleared(ServerEvent):
    type: Literal["input_audio_buffer.cleared"] = "input_audio_buffer.cleared"


class TimeoutTriggered(ServerEvent):
    type: Literal["input_audio_buffer.timeout_triggered"] = "input_audio_buffer.timeout_triggered"
    audio_start_ms: int
    audio_end_ms: int
    item_id: str


class ItemAdded(_InConversation):
    type: Literal["conversation.item.added"] = "conversation.item.added"
    item: Item


class ItemDone(_InConversation):
    type: Literal["conversation.item.done"] = "conversation.item.done"
    item: Item


class ItemRetrieved(ServerEvent):
    type: Literal["conversation.item.retrieved"] = "conversation.item.retrieved"
    item: Item


class ItemTruncated(ServerEvent):
    type: Literal["conversation.item.truncated"] = "conversation.item.truncated"
    item_id: str
    content_index: int
    audio_end_ms: int


class ItemDeleted(ServerEvent):
    type: Literal["conversation.item.deleted"] = "conversation.item.deleted"
    item_id: str


class TranscriptionDelta(ServerEvent):
    type: Literal["conversation.item.input_audio_transcription.delta"] = (
        "conversation.item.input_audio_transcription.delta"
    )
    item_id: str
    content_index: int = 0
    delta: str


class TranscriptionUsage(BaseModel):
    type: Literal["duration"] = "duration"
    seconds: float


class TranscriptionCompleted(ServerEvent):
    type: Literal["conversation.item.input_audio_transcription.completed"] = (
        "conversation.item.input_audio_transcription.completed"
    )
    item_id: str
    content_index: int = 0
    transcript: str
    usage: TranscriptionUsage


class TranscriptionFailed(ServerEvent):
    type: Literal["conversation.item.input_audio_transcription.failed"] = (
        "conversation.item.input_audio_transcription.failed"
    )
    item_id: str
    content_index: int = 0
    error: ErrorDetail


class StatusDetails(BaseModel):
    type: Literal["completed", "cancelled", "incomplete", "failed"]
    reason: str | None = None
    error: ErrorDetail | None = None


class Usage(BaseModel):
    total_tokens: int = 0
    input_tokens: int = 0
    output_tokens: int = 0


class ResponseObject(BaseModel):
    object: Literal["realtime.response"] = "realtime.response"
    id: str
    status: Literal["in_progress", "completed", "cancelled", "failed", "incomplete"]
    status_details: StatusDetails | None = None
    output: list[Item] = Field(default_factory=list)
    output_modalities: list[Literal["audio", "text"]]
    conversation_id: str | None = None
    metadata: dict[str, str] | None = None
    usage: Usage | None = None
    provenance: Provenance = Field(default_factory=Provenance)  # its output is AI-generated


class ResponseCreated(ServerEvent):
    type: Literal["response.created"] = "response.created"
    response: ResponseObject


class ResponseDone(ServerEvent):
    type: Literal["response.done"] = "response.done"
    response: ResponseObject


class _InResponse(ServerEvent):
    response_id: str
    item_id: str
    output_index: int = 0


class OutputItemAdded(ServerEvent):
    type: Literal["response.output_item.added"] = "response.output_item.added"
    response_id: str
    output_index: int = 0
    item: Item


class OutputItemDone(ServerEvent):
    type: Literal["response.output_item.done"] = "response.output_item.done"
    response_id: str
    output_index: int = 0
    item: Item


class Part(BaseModel):
    type: Literal["text", "audio"]
    text: str | None = None
    transcript: str | None = None


class ContentPartAdded(_InResponse):
    type: Literal["response.content_part.added"] = "response.content_part.added"
    content_index: int = 0
    part: Part


class ContentPartDone(_InResponse):
    type: Literal["response.content_part.done"] = "response.content_part.done"
    content_index: int = 0
    part: Part


class AudioDelta(_InResponse):
    type: Literal["response.output_audio.delta"] = "response.output_audio.delta"
    content_index: int = 0
    delta: str


class AudioDone(_InResponse):
    type: Literal["response.output_audio.done"] = "response.output_audio.done"
    content_index: int = 0


class AudioTranscriptDelta(_InResponse):
    type: Literal["response.output_audio_transcript.delta"] = (
        "response.output_audio_transcript.delta"
    )
    content_index: int = 0
    delta: str


class AudioTranscriptDone(_InResponse):
    type: Literal["response.output_audio_transcript.done"] = (
        "response.output_audio_transcript.done"
    )
    content_index: int = 0
    transcript: str


class TextDelta(_InResponse):
    type: Literal["response.output_text.delta"] = "response.output_text.delta"
    content_index: int = 0
    delta: str


class TextDone(_InResponse):
    type: Literal["response.output_text.done"] = "response.output_text.done"
    content_index: int = 0
    text: str


class FunctionCallArgumentsDelta(_InResponse):
    type: Literal["response.function_call_arguments.delta"] = (
        "response.function_call_arguments.delta"
    )
    call_id: str
    delta: str


class FunctionCallArgumentsDone(_InResponse):
    type: Literal["response.function_call_arguments.done"] = (
        "response.function_call_arguments.done"
    )
    call_id: str
    name: str
    arguments: str


class OutputAudioBufferCleared(ServerEvent):
    type: Literal["output_audio_buffer.cleared"] = "output_audio_buffer.cleared"
    response_id: str


class LingxiTurnMetrics(ServerEvent):
    """Per-reply latency split, sent only to clients that opted in to `lingxi.*` events."""

    type: Literal["lingxi.turn.metrics"] = "lingxi.turn.metrics"
    response_id: str
    timings_ms: dict[str, float]
    skill: str | None = None  # who answered: "safety", "whisper", the responder's name…


class LingxiInputAffect(ServerEvent):
    """How the caller sounded in a user turn (opt-in, like all lingxi.*): the page's mood cue.
    valence and arousal in [-1, 1]; cues are what was heard ("pitch_low", "slow", "whisper")."""

    type: Literal["lingxi.input.affect"] = "lingxi.input.affect"
    item_id: str
    label: str
    valence: float
    arousal: float
    whispering: bool = False
    cues: list[str] = Field(default_factory=list)


class LingxiNotice(ServerEvent):
    type: Literal["lingxi.notice"] = "lingxi.notice"
    code: str
    message: str


class LingxiSafetyNotice(ServerEvent):
    """Risk seen in the call: the crisis lines to show as a card (opt-in, like all lingxi.*)."""

    type: Literal["lingxi.safety.notice"] = "lingxi.safety.notice"
    response_id: str
    level: str
    escalate: bool
    hotlines: list[dict[str, str]]
