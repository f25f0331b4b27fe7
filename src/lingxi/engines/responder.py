"""The responder Lingxi runs with: a language model by URL when one is configured, the offline
companion otherwise (and as the model's fallback), always filtered for speech."""

from __future__ import annotations

from lingxi.clock import Clock, MonotonicClock
from lingxi.companion import CompanionResponder, local_now
from lingxi.companion.engine import Now
from lingxi.config import Settings
from lingxi.engines.llm import ChatClient, ChatConfig, LlmOptions, LlmResponder
from lingxi.engines.spoken import SpokenStyle
from lingxi.interfaces import Responder
from lingxi.personas import PersonaBook, load_book


def chat_config(settings: Settings) -> ChatConfig:
    assert settings.llm_base_url is not None
    return ChatConfig(
        base_url=settings.llm_base_url, model=settings.llm_model, api_key=settings.llm_api_key,
        connect_timeout_s=settings.llm_connect_timeout_s,
        read_timeout_s=settings.llm_read_timeout_s, retries=settings.llm_retries,
        max_tokens=settings.llm_max_tokens, temperature=settings.llm_temperature)


def build_responder(settings: Settings, *, clock: Clock | None = None, now: Now = local_now,
                    book: PersonaBook | None = None) -> Responder:
    """`LINGXI_LLM_BASE_URL` set: the model answers (the companion stands in when it cannot);
    unset: the offline companion answers."""
    book = book or load_book(settings.personas_dir, settings.default_persona)
    companion = CompanionResponder(book, now)
    if not settings.llm_base_url:
        return SpokenStyle(companion)
    clock = clock or MonotonicClock()
    options = LlmOptions(first_token_s=settings.llm_first_token_s,
                         retry_after_s=settings.llm_retry_after_s,
                         history_turns=settings.llm_history_turns,
                         summary_chars=settings.llm_summary_chars)
    chat = ChatClient(chat_config(settings), sleep=clock.sleep)
    return SpokenStyle(LlmResponder(chat, book, companion, clock, options))
