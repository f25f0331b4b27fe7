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
    engines: Literal["fake"] = "fake"
    # Protocol limits.
    max_message_bytes: int = Field(16 * 1024 * 1024, ge=1024)
    max_buffer_s: float = Field(600.0, gt=0)
    # permessage-deflate: base64 audio shrinks ~25% but costs ~20% more server CPU.
    ws_compression: bool = False
    # Turn-taking and output pacing.
    min_speech_ms: float = Field(64.0, ge=0)
    audio_chunk_ms: float = Field(100.0, ge=10, le=1000)
    audio_lead_ms: float = Field(400.0, ge=0, le=10_000)
    # Fake engines (until real models are wired): simulated engine delays, seconds.
    fake_asr_delay_s: float = Field(0.0, ge=0)
    fake_first_token_s: float = Field(0.0, ge=0)
    fake_token_interval_s: float = Field(0.0, ge=0)
    fake_tts_first_chunk_s: float = Field(0.0, ge=0)
    # Companion duties: say "I am an AI" at the start of a call and every 3 hours, and
    # suggest a break after 2 hours (texts in lingxi/safety/data/duties.toml).
    duties: bool = True
    minor_mode: bool = False  # every call is treated as a minor's (a deployment for children)
    # Escalation: at plan/imminent risk a signed webhook goes to an emergency contact or a
    # human operator (HMAC-SHA256 with the secret, header X-Lingxi-Signature).
    safety_webhook_url: str | None = None
    safety_webhook_secret: str | None = None
    # Human takeover: POST /v1/calls/{id}/say with this bearer token (disabled when unset).
    operator_token: str | None = None
    # The audit log of risk events (JSON lines); default ~/.local/share/lingxi/.
    safety_audit_log: Path | None = None
    safety_audit_text: bool = False  # include what was said (off: level, time, action only)
    log_level: str = "INFO"

    # -- speech recognition and voice activity (engines/asr, engines/vad) ------------------
    # (end of asr settings)

    # -- speech synthesis (engines/tts) ------------------------------------------------------
    # (end of tts settings)

    # -- the responder: LLM by URL, offline companion, personas ------------------------------
    # A folder of extra personas (YAML, SillyTavern .json/.png cards); same ids replace built-ins.
    personas_dir: Path | None = None
    # (end of responder settings)

    # -- memory (the database) ---------------------------------------------------------------
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
