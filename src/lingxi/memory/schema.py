"""The tables. Changes to them ship as Alembic migrations in `lingxi/memory/migrations`."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, Date, DateTime, Float, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    pass


class User(Base):
    """A caller, by the stable id their client supplies (`session.lingxi.user`)."""

    __tablename__ = "users"
    id: Mapped[str] = mapped_column(String(128), primary_key=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    last_seen_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    persona: Mapped[str | None] = mapped_column(String(64))  # the last persona they chose


class CallRecord(Base):
    __tablename__ = "calls"
    id: Mapped[str] = mapped_column(String(64), primary_key=True)  # the session id
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    started_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    ended_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class Turn(Base):
    """What each side said; for the assistant, what was heard (after truncation)."""

    __tablename__ = "turns"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    call_id: Mapped[str] = mapped_column(ForeignKey("calls.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    item_id: Mapped[str] = mapped_column(String(64))
    role: Mapped[str] = mapped_column(String(16))
    text: Mapped[str] = mapped_column(Text)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True))

    __table_args__ = (Index("ix_turns_user_at", "user_id", "at"),)


class Fact(Base):
    """A short remembered statement, in the caller's words, with where it came from."""

    __tablename__ = "facts"
    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    call_id: Mapped[str | None] = mapped_column(ForeignKey("calls.id", ondelete="SET NULL"))
    turn_id: Mapped[int | None] = mapped_column(ForeignKey("turns.id", ondelete="SET NULL"))
    kind: Mapped[str] = mapped_column(String(16))  # name, event, like, family, work, place, date
    text: Mapped[str] = mapped_column(String(200))
    lang: Mapped[str] = mapped_column(String(8))
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    # When it happened, as far as the words say ("昨天" → the day before `at`).
    happened_on: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # An event the companion has asked after (and heard an answer to) is no longer open.
    asked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    __table_args__ = (Index("ix_facts_user_at", "user_id", "at"),
                      Index("ix_facts_user_kind_at", "user_id", "kind", "at"))


class Mood(Base):
    """The mood timeline, kept only with the caller's consent: per user turn, how the caller
    sounded (label, valence, arousal), the call's risk level and the screening themes their
    words mentioned (never the words themselves)."""

    __tablename__ = "moods"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    call_id: Mapped[str] = mapped_column(ForeignKey("calls.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    affect: Mapped[str] = mapped_column(String(16))
    risk: Mapped[str] = mapped_column(String(16))
    valence: Mapped[float | None] = mapped_column(Float)
    arousal: Mapped[float | None] = mapped_column(Float)
    themes: Mapped[str] = mapped_column(String(80), default="")  # comma-separated


class MoodConsent(Base):
    """Whether the caller agreed to the mood timeline ("on"/"off"), and when they were asked:
    asked once, so a caller who said no (or did not answer) is not asked again in calls."""

    __tablename__ = "mood_consent"
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"),
                                         primary_key=True)
    state: Mapped[str] = mapped_column(String(8))
    asked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    changed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class MoodCall(Base):
    """One call's mood summary (written when the call ends, off the audio path)."""

    __tablename__ = "mood_calls"
    call_id: Mapped[str] = mapped_column(ForeignKey("calls.id", ondelete="CASCADE"),
                                         primary_key=True)
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    day: Mapped[date] = mapped_column(Date)
    turns: Mapped[int] = mapped_column(Integer)
    valence: Mapped[float] = mapped_column(Float)
    arousal: Mapped[float] = mapped_column(Float)
    low: Mapped[int] = mapped_column(Integer)  # turns that sounded low (sad, tired)
    themes: Mapped[str] = mapped_column(Text)  # JSON: theme → turns that mentioned it
    risk: Mapped[str] = mapped_column(String(16))  # the highest level of the call
    checked_in: Mapped[bool] = mapped_column(Boolean, default=False)


class MoodDay(Base):
    """One day of a caller's mood: their calls that day, taken together."""

    __tablename__ = "mood_days"
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"),
                                         primary_key=True)
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    calls: Mapped[int] = mapped_column(Integer)
    turns: Mapped[int] = mapped_column(Integer)
    valence: Mapped[float] = mapped_column(Float)
    arousal: Mapped[float] = mapped_column(Float)
    low: Mapped[int] = mapped_column(Integer)
    themes: Mapped[str] = mapped_column(Text)
    risk: Mapped[str] = mapped_column(String(16))
    checkins: Mapped[int] = mapped_column(Integer)


class CrisisReferrals(Base):
    """How many times a crisis line was offered (a reply naming one), per calendar year (UTC)
    and region of the lines: the counts an annual report needs (California SB 243), with no
    words, no caller and no call."""

    __tablename__ = "crisis_referrals"
    year: Mapped[int] = mapped_column(Integer, primary_key=True)
    region: Mapped[str] = mapped_column(String(8), primary_key=True)
    count: Mapped[int] = mapped_column(Integer)


class PracticeScore(Base):
    """One scored pronunciation attempt: the word practised and its 0–100 score (no audio, no
    other words), so the coach can say how a word went in an earlier call."""

    __tablename__ = "practice_scores"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    call_id: Mapped[str | None] = mapped_column(ForeignKey("calls.id", ondelete="SET NULL"))
    word: Mapped[str] = mapped_column(String(64))
    score: Mapped[int] = mapped_column(Integer)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True))

    __table_args__ = (Index("ix_practice_user_at", "user_id", "at"),)
