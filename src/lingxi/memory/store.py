"""Reads and writes, each one transaction. The call path never awaits these directly: writes
go through `lingxi.memory.writer`, and the one read (recall) happens as a call starts."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import delete, func, select, update
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from lingxi.memory.mood import MoodTurn
from lingxi.memory.schema import (
    CallRecord,
    Fact,
    Mood,
    MoodCall,
    MoodConsent,
    MoodDay,
    PracticeScore,
    Turn,
    User,
)


def utc(value: datetime | None) -> datetime | None:
    """SQLite hands back naive datetimes; everything stored is UTC."""
    if value is None or value.tzinfo is not None:
        return value
    return value.replace(tzinfo=UTC)


BOOKMARK = "bookmark"  # a fact kind: where the caller's story stopped (one per caller)


@dataclass(frozen=True, slots=True)
class FactView:
    id: str
    kind: str
    text: str
    lang: str
    at: datetime
    happened_on: datetime | None = None
    asked_at: datetime | None = None
    call_id: str | None = None


@dataclass(frozen=True, slots=True)
class Recall:
    """What is loaded about a caller as a call starts."""

    persona: str | None = None
    facts: tuple[FactView, ...] = ()  # newest first
    calls: int = 0


@dataclass(frozen=True, slots=True)
class TurnWrite:
    """One finished turn, with what was learnt from it (user turns)."""

    user_id: str
    call_id: str
    item_id: str
    role: str
    text: str
    at: datetime
    facts: Sequence[FactView] = ()
    mood: MoodTurn | None = None  # kept only when the caller agreed to the mood timeline


@dataclass
class MemoryStore:
    engine: AsyncEngine
    sessions: async_sessionmaker[AsyncSession] = field(init=False)

    def __post_init__(self) -> None:
        self.sessions = async_sessionmaker(self.engine, expire_on_commit=False)

    # -- writes ---------------------------------------------------------------------------

    async def open_call(self, user_id: str, call_id: str, at: datetime,
                        persona: str | None) -> None:
        async with self.sessions.begin() as s:
            user = await s.get(User, user_id)
            persona = persona[:64] if persona else None
            if user is None:
                s.add(User(id=user_id, created_at=at, last_seen_at=at, persona=persona))
            else:
                user.last_seen_at = at
                if persona:
                    user.persona = persona
            if await s.get(CallRecord, call_id) is None:
                await s.flush()
                s.add(CallRecord(id=call_id, user_id=user_id, started_at=at))

    async def set_persona(self, user_id: str, persona: str) -> None:
        async with self.sessions.begin() as s:
            await s.execute(update(User).where(User.id == user_id)
                            .values(persona=persona[:64]))

    async def add_turn(self, turn: TurnWrite) -> None:
        async with self.sessions.begin() as s:
            row = Turn(call_id=turn.call_id, user_id=turn.user_id, item_id=_ref(turn.item_id),
                       role=turn.role, text=_clean(turn.text), at=turn.at)
            s.add(row)
            await s.flush()  # the facts point at the turn they came from
            for f in turn.facts:
                s.add(Fact(id=f.id, user_id=turn.user_id, call_id=turn.call_id, turn_id=row.id,
                           kind=f.kind, text=_clean(f.text)[:200], lang=f.lang, at=f.at,
                           happened_on=f.happened_on))
            if turn.mood is not None:
                m = turn.mood
                s.add(Mood(call_id=turn.call_id, user_id=turn.user_id, at=m.at,
                           affect=m.label[:16], risk=m.risk[:16], valence=m.valence,
                           arousal=m.arousal, themes=",".join(m.themes)[:80]))

    async def update_heard(self, call_id: str, item_id: str, text: str) -> None:
        """A reply was cut short after it was stored: keep only what was heard."""
        async with self.sessions.begin() as s:
            await s.execute(update(Turn).where(Turn.call_id == call_id,
                                               Turn.item_id == _ref(item_id))
                            .values(text=_clean(text)))

    async def end_call(self, call_id: str, at: datetime) -> None:
        async with self.sessions.begin() as s:
            await s.execute(update(CallRecord).where(CallRecord.id == call_id)
                            .values(ended_at=at))

    async def mark_asked(self, fact_ids: Sequence[str], at: datetime) -> None:
        async with self.sessions.begin() as s:
            await s.execute(update(Fact).where(Fact.id.in_(list(fact_ids))).values(asked_at=at))

    async def keep_bookmark(self, user_id: str, call_id: str, text: str, at: datetime) -> None:
        """The caller's one bookmark, replaced ("" deletes it): a fact of its own kind, so
        deleting the caller deletes it with everything else."""
        async with self.sessions.begin() as s:
            await s.execute(delete(Fact).where(Fact.user_id == user_id, Fact.kind == BOOKMARK))
            if text:
                s.add(Fact(id=uuid.uuid4().hex, user_id=user_id, call_id=call_id, kind=BOOKMARK,
                           text=text[:200], lang="", at=at))

    async def forget(self, fact_id: str) -> None:
        """Delete a fact, and the words it came from."""
        async with self.sessions.begin() as s:
            fact = await s.get(Fact, fact_id)
            if fact is None:
                return
            if fact.turn_id is not None:
                await s.execute(update(Turn).where(Turn.id == fact.turn_id).values(text=""))
            await s.delete(fact)

    async def purge(self, before: datetime) -> int:
        """Retention: delete transcripts older than `before` (facts stay, unlinked)."""
        async with self.sessions.begin() as s:
            await s.execute(update(Fact).where(Fact.turn_id.in_(
                select(Turn.id).where(Turn.at < before))).values(turn_id=None))
            result = await s.execute(delete(Turn).where(Turn.at < before))
            return int(getattr(result, "rowcount", 0) or 0)

    async def delete_user(self, user_id: str) -> bool:
        """Delete everything stored about a user. Explicit, table by table, so nothing
        depends on the database enforcing cascades."""
        async with self.sessions.begin() as s:
            existed = await s.get(User, user_id) is not None
            for table in (MoodDay, MoodCall, MoodConsent, Mood, PracticeScore, Fact, Turn,
                          CallRecord):
                await s.execute(delete(table).where(table.user_id == user_id))
            await s.execute(delete(User).where(User.id == user_id))
        if self.engine.dialect.name == "sqlite":
            # The write-ahead log still holds the deleted rows until it is folded back into
            # the (secure_delete) database file and emptied.
            async with self.engine.connect() as c:
                await c.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        return existed

    # -- reads ----------------------------------------------------------------------------

    async def recall(self, user_id: str, limit: int = 100) -> Recall:
        """The caller's persona and newest facts (indexes on (user_id, at) and (user_id,
        kind, at) keep it quick however many facts there are)."""
        async with self.sessions() as s:
            persona = (await s.execute(select(User.persona).where(User.id == user_id))).first()
            if persona is None:
                return Recall()
            rows = list((await s.execute(select(*_FACT_COLUMNS).where(Fact.user_id == user_id)
                                         .order_by(Fact.at.desc()).limit(limit))).all())
            # The name is said once, and the bookmark kept once: neither may drop out behind
            # newer facts.
            for kind in ("name", BOOKMARK):
                if not any(r.kind == kind for r in rows):
                    rows += (await s.execute(select(*_FACT_COLUMNS).where(
                        Fact.user_id == user_id, Fact.kind == kind)
                        .order_by(Fact.at.desc()).limit(1))).all()
            calls = int(await s.scalar(select(func.count()).select_from(CallRecord).where(
                CallRecord.user_id == user_id)) or 0)
        return Recall(persona=persona[0], facts=tuple(_view(r) for r in rows), calls=calls)

    async def export(self, user_id: str) -> dict[str, Any] | None:
        async with self.sessions() as s:
            user = await s.get(User, user_id)
            if user is None:
                return None
            calls = (await s.scalars(select(CallRecord).where(CallRecord.user_id == user_id)
                                     .order_by(CallRecord.started_at))).all()
            turns = (await s.scalars(select(Turn).where(Turn.user_id == user_id)
                                     .order_by(Turn.at, Turn.id))).all()
            facts = (await s.scalars(select(Fact).where(Fact.user_id == user_id)
                                     .order_by(Fact.at))).all()
            moods = (await s.scalars(select(Mood).where(Mood.user_id == user_id)
                                     .order_by(Mood.at, Mood.id))).all()
        return {
            "user": {"id": user.id, "created_at": iso(user.created_at),
                     "last_seen_at": iso(user.last_seen_at), "persona": user.persona},
            "calls": [{"id": c.id, "started_at": iso(c.started_at),
                       "ended_at": iso(c.ended_at)} for c in calls],
            "turns": [{"id": t.id, "call_id": t.call_id, "item_id": t.item_id, "role": t.role,
                       "text": t.text, "at": iso(t.at)} for t in turns],
            "facts": [{"id": f.id, "kind": f.kind, "text": f.text, "lang": f.lang,
                       "at": iso(f.at), "happened_on": iso(f.happened_on),
                       "asked_at": iso(f.asked_at), "call_id": f.call_id,
                       "turn_id": f.turn_id} for f in facts],
            "moods": [{"call_id": m.call_id, "at": iso(m.at), "affect": m.affect,
                       "risk": m.risk, "valence": m.valence, "arousal": m.arousal,
                       "themes": [t for t in m.themes.split(",") if t]} for m in moods],
            "mood": await _mood_export(self, user_id),
            "practice": await _practice_export(self, user_id),
        }

    async def close(self) -> None:
        await self.engine.dispose()


async def _mood_export(store: MemoryStore, user_id: str) -> dict[str, Any]:
    # Imported here: the mood store builds on this module.
    from lingxi.memory import mood_store

    return await mood_store.export(store, user_id)


async def _practice_export(store: MemoryStore, user_id: str) -> list[dict[str, Any]]:
    from lingxi.memory import practice_store

    return await practice_store.export(store, user_id)


def _ref(item_id: str) -> str:
    """Item ids come from clients and have no length limit on the wire."""
    return item_id[:64]


def _clean(text: str) -> str:
    """PostgreSQL text cannot hold NUL; nothing a person said contains one."""
    return text.replace("\x00", "")


def iso(value: datetime | None) -> str | None:
    value = utc(value)
    return value.isoformat() if value is not None else None


_FACT_COLUMNS = (Fact.id, Fact.kind, Fact.text, Fact.lang, Fact.at, Fact.happened_on,
                 Fact.asked_at, Fact.call_id)


def _view(row: Any) -> FactView:
    at = utc(row.at)
    assert at is not None
    return FactView(id=row.id, kind=row.kind, text=row.text, lang=row.lang, at=at,
                    happened_on=utc(row.happened_on), asked_at=utc(row.asked_at),
                    call_id=row.call_id)
