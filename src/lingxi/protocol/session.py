"""Session configuration in the GA shape, with partial-update merging."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from lingxi.audio import WireFormat
from lingxi.protocol.provenance import Provenance

Modality = Literal["audio", "text"]


class _Model(BaseModel):
    # Clients send fields Lingxi does not act on (noise_reduction, tracing, prompt, …); they
    # are kept and echoed back rather than rejected, as the official server does.
    model_config = ConfigDict(extra="allow")


class PcmFormat(_Model):
    type: Literal["audio/pcm"] = "audio/pcm"
    rate: Literal[24000] = 24000


class PcmuFormat(_Model):
    type: Literal["audio/pcmu"]


class PcmaFormat(_Model):
    type: Literal["audio/pcma"]


AudioFormat = Annotated[PcmFormat | PcmuFormat | PcmaFormat, Field(discriminator="type")]


def wire_format(fmt: PcmFormat | PcmuFormat | PcmaFormat) -> WireFormat:
    if isinstance(fmt, PcmFormat):
        return WireFormat("pcm16", fmt.rate)
    return WireFormat("pcmu" if isinstance(fmt, PcmuFormat) else "pcma", 8000)


class ServerVad(_Model):
    type: Literal["server_vad"] = "server_vad"
    threshold: float = Field(0.5, ge=0.0, le=1.0)
    prefix_padding_ms: int = Field(300, ge=0, le=5000)
    silence_duration_ms: int = Field(500, ge=0, le=10_000)
    create_response: bool = True
    interrupt_response: bool = True
    idle_timeout_ms: int | None = Field(None, ge=5000, le=30_000)


class SemanticVad(_Model):
    type: Literal["semantic_vad"] = "semantic_vad"
    eagerness: Literal["low", "medium", "high", "auto"] = "auto"
    create_response: bool = True
    interrupt_response: bool = True


TurnDetection = Annotated[ServerVad | SemanticVad, Field(discriminator="type")]


class Transcription(_Model):
    model: str | None = None
    language: str | None = None
    prompt: str | None = None


class NoiseReduction(_Model):
    type: Literal["near_field", "far_field"] = "near_field"


class AudioInput(_Model):
    format: AudioFormat = Field(default_factory=PcmFormat)
    transcription: Transcription | None = None
    turn_detection: TurnDetection | None = Field(default_factory=ServerVad)
    # The caller's audio is cleaned of noise before anything listens to it (DeepFilterNet3).
    noise_reduction: NoiseReduction | None = None


class AudioOutput(_Model):
    format: AudioFormat = Field(default_factory=PcmFormat)
    voice: str = Field("default", max_length=64)
    speed: float = Field(1.0, ge=0.25, le=4.0)


class AudioConfig(_Model):
    input: AudioInput = Field(default_factory=AudioInput)
    output: AudioOutput = Field(default_factory=AudioOutput)


class LingxiOptions(_Model):
    """Lingxi's own session fields. `events: true` opts in to `lingxi.*` server events."""

    events: bool = False
    # Where the caller is, for crisis lines ("CN", "HK", "TW", "US", "GB", "IE"); default by
    # language (zh → CN, en → US).
    region: str | None = None
    # Minor mode: the guardian's contact is alerted from `active` risk, breaks every 40 min.
    minor: bool = False
    # Who answers (a persona id from lingxi.personas); None keeps the server's default.
    persona: str | None = None
    # A stable id of the caller, chosen by the client (the page keeps an anonymous one), so
    # that memory can follow the person across calls; None: nothing is remembered.
    user: str | None = Field(None, max_length=128)
    # The caller's language preference for replies and the page.
    language: Literal["zh", "en", "auto"] = "auto"
    # Whether the server cuts an interrupted reply to what its playback estimate says was
    # heard, and says so (`conversation.item.truncated`). Off, as with OpenAI: a client that
    # plays audio itself truncates with what it really played. The page turns it on.
    server_truncation: bool = False
    # How Lingxi speaks until asked otherwise ("小声跟我说" → whisper, "正常说话" → normal).
    style: Literal["normal", "whisper"] = "normal"


class SessionConfig(_Model):
    # "transcription": the caller's speech is transcribed as it comes; nothing is answered.
    type: Literal["realtime", "transcription"] = "realtime"
    id: str | None = None
    object: Literal["realtime.session"] = "realtime.session"
    model: str = Field("lingxi", max_length=128)
    instructions: str = ""
    output_modalities: list[Modality] = Field(
        default_factory=lambda: list[Modality](["audio"]), min_length=1, max_length=1
    )
    max_output_tokens: int | Literal["inf"] = "inf"
    temperature: float | None = Field(None, ge=0.0, le=2.0)  # for the model; None: its own
    tools: list[dict[str, Any]] = Field(default_factory=list)
    tool_choice: str | dict[str, Any] = "auto"
    audio: AudioConfig = Field(default_factory=AudioConfig)
    lingxi: LingxiOptions | None = None

    @property
    def audio_output(self) -> bool:
        return "audio" in self.output_modalities

    @property
    def answers(self) -> bool:
        """Whether this session replies at all (a transcription session only listens)."""
        return self.type == "realtime"

    def wire_dump(self) -> dict[str, Any]:
        data = self.model_dump(mode="json")
        for key in ("lingxi", "temperature"):
            if data.get(key) is None:
                data.pop(key, None)
        if not self.answers:  # a transcription session has input audio only
            data = {k: v for k, v in data.items() if k in _TRANSCRIPTION_FIELDS}
            data["audio"] = {"input": data["audio"]["input"]}
            return data
        data[_SERVERS] = Provenance().model_dump(mode="json")  # what it says is AI-generated
        return data


_TRANSCRIPTION_FIELDS = frozenset({"type", "id", "object", "audio", "lingxi"})
_SERVERS = "provenance"  # the server's word: a client's update (or echo) cannot change it


# Fields whose value is replaced wholesale rather than merged key by key.
_REPLACE_KEYS = frozenset({"turn_detection", "format", "tools", "output_modalities"})


def merge_update(current: dict[str, Any], update: dict[str, Any]) -> dict[str, Any]:
    """Apply a partial update: only the fields it carries change (nested objects merge)."""
    merged = dict(current)
    for key, value in update.items():
        old = merged.get(key)
        if isinstance(value, dict) and isinstance(old, dict) and key not in _REPLACE_KEYS:
            merged[key] = merge_update(old, value)
        elif (
            key == "turn_detection"
            and isinstance(value, dict)
            and isinstance(old, dict)
            and value.get("type", old.get("type")) == old.get("type")
        ):
            merged[key] = {**old, **value}
        else:
            merged[key] = value
    return merged


def apply_update(session: SessionConfig, update: dict[str, Any]) -> SessionConfig:
    """Return the updated session; raises pydantic.ValidationError, leaving `session` intact."""
    update = {k: v for k, v in update.items() if k not in ("id", "object", _SERVERS)}
    if "type" in update and update["type"] not in ("realtime", "transcription"):
        raise ValueError("sessions are of type 'realtime' or 'transcription'")
    merged = merge_update(session.model_dump(mode="json"), update)
    merged["id"] = session.id
    return SessionConfig.model_validate(merged)


def first_error(exc: ValidationError) -> tuple[str, str]:
    """(param, message) of the first validation problem, in wire terms."""
    err = exc.errors()[0]
    loc = ".".join(str(p) for p in err["loc"])
    return loc, err["msg"]
