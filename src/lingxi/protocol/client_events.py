"""Client → server events (GA names), parsed strictly into one model per event type."""

from __future__ import annotations

import json
import re
from typing import Annotated, Any, Literal

import orjson
from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, ValidationError

from lingxi.protocol.items import Item


class ProtocolError(Exception):
    """A client mistake: reported as an `error` event; the session carries on."""

    def __init__(
        self,
        code: str,
        message: str,
        *,
        param: str | None = None,
        event_id: str | None = None,
        error_type: str = "invalid_request_error",
    ) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.param = param
        self.event_id = event_id
        self.error_type = error_type


class _Event(BaseModel):
    model_config = ConfigDict(extra="ignore")
    event_id: str | None = None


class SessionUpdate(_Event):
    type: Literal["session.update"]
    session: dict[str, Any]


class BufferAppend(_Event):
    type: Literal["input_audio_buffer.append"]
    audio: str


class BufferCommit(_Event):
    type: Literal["input_audio_buffer.commit"]


class BufferClear(_Event):
    type: Literal["input_audio_buffer.clear"]


class ItemCreate(_Event):
    type: Literal["conversation.item.create"]
    item: Item
    previous_item_id: str | None = None


class ItemTruncate(_Event):
    type: Literal["conversation.item.truncate"]
    item_id: str
    content_index: int = Field(0, ge=0)
    audio_end_ms: int = Field(ge=0)


class ItemDelete(_Event):
    type: Literal["conversation.item.delete"]
    item_id: str


class ItemRetrieve(_Event):
    type: Literal["conversation.item.retrieve"]
    item_id: str


class ResponseParams(BaseModel):
    model_config = ConfigDict(extra="ignore")
    output_modalities: list[Literal["audio", "text"]] | None = None
    instructions: str | None = None
    conversation: Literal["auto", "none"] | None = None
    metadata: dict[str, str] | None = None
    tools: list[dict[str, Any]] | None = None
    tool_choice: str | dict[str, Any] | None = None
    # What this response answers instead of the conversation: items, or references to
    # conversation items (`{"type": "item_reference", "id": ...}`).
    input: list[dict[str, Any]] | None = None
    max_output_tokens: int | Literal["inf"] | None = None
    temperature: float | None = Field(None, ge=0.0, le=2.0)
    audio: dict[str, Any] | None = None  # {"output": {"voice": ...}}: this reply's voice

    @property
    def voice(self) -> str | None:
        output = (self.audio or {}).get("output")
        voice = output.get("voice") if isinstance(output, dict) else None
        return voice if isinstance(voice, str) else None


class ResponseCreate(_Event):
    type: Literal["response.create"]
    response: ResponseParams = Field(default_factory=ResponseParams)


class ResponseCancel(_Event):
    type: Literal["response.cancel"]
    response_id: str | None = None


class OutputAudioBufferClear(_Event):
    type: Literal["output_audio_buffer.clear"]


ClientEvent = Annotated[
    SessionUpdate
    | BufferAppend
    | BufferCommit
    | BufferClear
    | ItemCreate
    | ItemTruncate
    | ItemDelete
    | ItemRetrieve
    | ResponseCreate
    | ResponseCancel
    | OutputAudioBufferClear,
    Field(discriminator="type"),
]

_ADAPTER: TypeAdapter[ClientEvent] = TypeAdapter(ClientEvent)
_ITEM: TypeAdapter[Item] = TypeAdapter(Item)


def parse_item(data: dict[str, Any], param: str) -> Item:
    """One conversation item given inline (a response's `input`)."""
    try:
        return _ITEM.validate_python(data)
    except ValidationError as exc:
        err = exc.errors()[0]
        where = ".".join([param, *(str(p) for p in err["loc"][1:])])
        raise ProtocolError("invalid_value", f"Invalid {where}: {err['msg']}",
                            param=where) from exc
CLIENT_EVENT_TYPES = frozenset(
    {
        "session.update",
        "input_audio_buffer.append",
        "input_audio_buffer.commit",
        "input_audio_buffer.clear",
        "conversation.item.create",
        "conversation.item.truncate",
        "conversation.item.delete",
        "conversation.item.retrieve",
        "response.create",
        "response.cancel",
        "output_audio_buffer.clear",
    }
)


def decode_json(raw: str | bytes) -> dict[str, Any]:
    try:
        data = orjson.loads(raw)  # the fast path: every audio append comes through here
    except orjson.JSONDecodeError:
        # What orjson refuses (bad JSON, but also NaN, lone surrogates, deep nesting) the
        # stdlib reads or rejects as before. (An integer past 64 bits reads as a float here:
        # every integer the protocol takes is bounded far below, so it is refused either way.)
        try:
            data = json.loads(raw)
        except (json.JSONDecodeError, UnicodeDecodeError) as exc:
            raise ProtocolError("invalid_json",
                                f"The message is not valid JSON: {exc}") from exc
    if not isinstance(data, dict):
        raise ProtocolError("invalid_json", "Each message must be a JSON object")
    if _may_hold_surrogate(raw) and _has_lone_surrogate(data):
        # Echoed back (an item, a session field), it could not be written as UTF-8.
        raise ProtocolError("invalid_json", "The message holds a lone UTF-16 surrogate "
                            "(\\ud800-\\udfff without its pair); send valid Unicode text.")
    return data


_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F][0-9a-fA-F]{2}")
_SURROGATE_ESCAPE_BYTES = re.compile(rb"\\u[dD][89a-fA-F][0-9a-fA-F]{2}")


def _may_hold_surrogate(raw: str | bytes) -> bool:
    """A cheap look for an escaped surrogate (audio appends never hold a backslash)."""
    if isinstance(raw, bytes):
        return b"\\u" in raw and _SURROGATE_ESCAPE_BYTES.search(raw) is not None
    return "\\u" in raw and _SURROGATE_ESCAPE.search(raw) is not None


def _has_lone_surrogate(value: object) -> bool:
    if isinstance(value, str):
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            return True
        return False
    if isinstance(value, dict):
        return any(_has_lone_surrogate(k) or _has_lone_surrogate(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_has_lone_surrogate(v) for v in value)
    return False


def parse_event(data: dict[str, Any]) -> ClientEvent:
    event_id = data.get("event_id") if isinstance(data.get("event_id"), str) else None
    kind = data.get("type")
    if kind == "input_audio_buffer.append" and isinstance(data.get("audio"), str):
        # Appends are most of the traffic (25 a second per call at 40 ms); their only field
        # is checked right here, so skip the generic validator.
        return BufferAppend.model_construct(type=kind, audio=data["audio"], event_id=event_id)
    if not isinstance(kind, str):
        raise ProtocolError("missing_type", "The event has no 'type' field", param="type",
                            event_id=event_id)
    if kind not in CLIENT_EVENT_TYPES:
        raise ProtocolError(
            "invalid_event_type", f"Unknown event type '{kind}'", param="type", event_id=event_id
        )
    try:
        return _ADAPTER.validate_python(data)
    except ValidationError as exc:
        err = exc.errors()[0]
        param = ".".join(str(p) for p in err["loc"][1:])
        raise ProtocolError(
            "invalid_value", f"Invalid '{kind}' event: {param}: {err['msg']}",
            param=param or None, event_id=event_id,
        ) from exc
