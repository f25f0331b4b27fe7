"""What a call is set up with: limits, duties and safety, memory, skills, and where heavy work
runs. One per server; every call reads it."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from lingxi.engines.affect import CallerAffect
from lingxi.interfaces import AffectReader
from lingxi.memory.service import MemoryService
from lingxi.offload import inline
from lingxi.personas import PersonaBook, builtin_book
from lingxi.safety.audit import AuditLog
from lingxi.safety.escalation import EscalationNotifier
from lingxi.safety.model import RiskModel
from lingxi.safety.opinion import Ask, OpinionLimits
from lingxi.safety.profiles import Profile
from lingxi.safety.profiles import profile as default_profile
from lingxi.session.eot_head import FinishedReading
from lingxi.session.hearing import Hearing
from lingxi.session.limits import Limits
from lingxi.session.reply_audio import ReplySettings
from lingxi.skills import default_skills
from lingxi.turn import Skill


@dataclass(frozen=True, slots=True)
class CallSettings:
    max_message_bytes: int = 16 * 1024 * 1024
    max_buffer_s: float = 600.0
    min_speech_ms: float = 64.0
    echo_guard: bool = True  # the reply's own echo (a speaker, no AEC) does not interrupt it
    reply: ReplySettings = field(default_factory=ReplySettings)
    escalation: EscalationNotifier | None = None  # plan/imminent risk → signed webhook
    duties: bool = True  # AI disclosure at the start and every 3 h; break reminder after 2 h
    # Whose rules the duties follow (intervals, wording, minors' personas, default region).
    profile: Profile = field(default_factory=default_profile)
    audit: AuditLog | None = None  # where risk events are recorded
    risk_model: RiskModel | None = None  # the learned risk model beside the rules
    # semantic_vad's learned reading of words its rules leave open (None: the rules alone)
    eot_reader: FinishedReading | None = None
    # The language model asked about turns the risk model is unsure of (None: not asked).
    second_opinion: Ask | None = None
    opinion_limits: OpinionLimits = field(default_factory=OpinionLimits)
    minor_mode: bool = False  # treat every caller as a minor
    # The operator's profile allows a mood timeline for minors (with their consent); off, a
    # minor's call never asks for it nor keeps one.
    mood_minors: bool = False
    personas: PersonaBook = field(default_factory=builtin_book)  # who may answer
    memory: MemoryService | None = None  # remembering callers across calls (lingxi.memory)
    # What a turn can be besides the responder's answer, in the order the router asks them.
    skills: tuple[Skill, ...] = field(default_factory=default_skills)
    # Where risk assessment (and then the words' affect) runs: a worker thread in the server,
    # inline on virtual time.
    offload: Callable[[Callable[[], Any]], Awaitable[Any]] = inline
    max_item_chars: int = 20_000  # a user's text item longer than this is refused
    limits: Limits = field(default_factory=Limits)  # how fast one connection may send
    # How the caller feels, per turn (a reader per call: it learns the caller's voice); None:
    # no affect at all.
    affect: Callable[[], AffectReader] | None = CallerAffect
    # Where a turn's voice is heard: a thread of its own in the server, inline on virtual time.
    listen: Callable[[Callable[[], Any]], Awaitable[Any]] = inline
    # Where costly appends are heard (denoised, resampled, the VAD run on their frames): the
    # server's hearing thread, batching the VAD across calls; None: on the loop (virtual
    # time, where order is all).
    hearing: Hearing | None = None
    batch_vad: bool = True  # a VAD that batches hears every append there (else long ones)
