"""The mood timeline in the database: consent, per-turn rows, per-call and per-day summaries.

Each function is one transaction on a `MemoryStore`'s engine, run by the writer's task (never
on a call's audio path) or by the data routes and the CLI.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import delete, select

from lingxi.memory.mood import MoodSummary, MoodTurn, parse_themes, summarise_call, summarise_day
from lingxi.memory.schema import CallRecord, Mood, MoodCall, MoodConsent, MoodDay, User
from lingxi.memory.store import MemoryStore, utc

ON, OFF = "on", "off"


async def consent(store: MemoryStore, user_id: str) -> tuple[str | None, datetime | None]:
    """("on" | "off" | None when never asked or set, when they were asked)."""
    async with store.sessions() as s:
        row = await s.get(MoodConsent, user_id)
        return (row.state, utc(row.asked_at)) if row is not None else (None, None)


async def set_consent(store: MemoryStore, user_id: str, state: str, at: datetime, *,
                      asked: bool = False) -> None:
    """Record the caller's choice (`asked`: they were asked in a call just now). The page may
    set it before any call, so the user row is made if need be."""
    async with store.sessions.begin() as s:
        if await s.get(User, user_id) is None:
            s.add(User(id=user_id, created_at=at, last_seen_at=at))
            await s.flush()
        row = await s.get(MoodConsent, user_id)
        if row is None:
            s.add(MoodConsent(user_id=user_id, state=state, changed_at=at,
                              asked_at=at if asked else None))
        else:
            row.state, row.changed_at = state, at
            if asked:
                row.asked_at = at


async def summarise(store: MemoryStore, call_id: str, *, checked_in: bool = False) -> None:
    """Summarise a call's turns into its `mood_calls` row, and its day into `mood_days`."""
    async with store.sessions.begin() as s:
        rows = (await s.scalars(select(Mood).where(Mood.call_id == call_id)
                                .order_by(Mood.at, Mood.id))).all()
        if not rows:
            return
        turns = [_turn(r) for r in rows]
        day = turns[0].at.date()
        summary = summarise_call(turns, day, checked_in=checked_in)
        assert summary is not None
        user = rows[0].user_id
        await s.execute(delete(MoodCall).where(MoodCall.call_id == call_id))
        s.add(MoodCall(call_id=call_id, user_id=user, day=day, turns=summary.turns,
                       valence=summary.valence, arousal=summary.arousal, low=summary.low,
                       themes=summary.themes_json(), risk=summary.risk, checked_in=checked_in))
        await s.flush()
        calls = (await s.scalars(select(MoodCall).where(MoodCall.user_id == user,
                                                        MoodCall.day == day))).all()
        whole = summarise_day([_call(c) for c in calls])
        assert whole is not None
        await s.execute(delete(MoodDay).where(MoodDay.user_id == user, MoodDay.day == day))
        s.add(MoodDay(user_id=user, day=day, calls=whole.calls, turns=whole.turns,
                      valence=whole.valence, arousal=whole.arousal, low=whole.low,
                      themes=whole.themes_json(), risk=whole.risk, checkins=whole.checkins))


async def unsummarised(store: MemoryStore, user_id: str, current: str) -> list[str]:
    """Earlier calls with mood rows but no summary (the process stopped mid-call)."""
    async with store.sessions() as s:
        done = select(MoodCall.call_id).where(MoodCall.user_id == user_id)
        found = await s.scalars(select(Mood.call_id).where(
            Mood.user_id == user_id, Mood.call_id != current,
            Mood.call_id.not_in(done)).distinct())
        return list(found)


async def days(store: MemoryStore, user_id: str, since: date | None = None,
               ) -> list[MoodSummary]:
    """The caller's days, oldest first."""
    async with store.sessions() as s:
        query = select(MoodDay).where(MoodDay.user_id == user_id)
        if since is not None:
            query = query.where(MoodDay.day >= since)
        rows = (await s.scalars(query.order_by(MoodDay.day))).all()
    return [MoodSummary(day=r.day, turns=r.turns, valence=r.valence, arousal=r.arousal,
                        low=r.low, themes=parse_themes(r.themes), risk=r.risk, calls=r.calls,
                        checkins=r.checkins) for r in rows]


async def delete_timeline(store: MemoryStore, user_id: str) -> int:
    """Delete every mood row of the caller (turns, calls, days); returns the turns deleted.
    The consent row stays (it records that they said no)."""
    async with store.sessions.begin() as s:
        result = await s.execute(delete(Mood).where(Mood.user_id == user_id))
        for table in (MoodCall, MoodDay):
            await s.execute(delete(table).where(table.user_id == user_id))
        return int(getattr(result, "rowcount", 0) or 0)


async def export(store: MemoryStore, user_id: str) -> dict[str, Any]:
    """The caller's consent and summaries, for the export."""
    state, asked = await consent(store, user_id)
    async with store.sessions() as s:
        calls = (await s.scalars(select(MoodCall).where(MoodCall.user_id == user_id)
                                 .join(CallRecord, CallRecord.id == MoodCall.call_id)
                                 .order_by(CallRecord.started_at))).all()
    return {
        "consent": {"state": state, "asked_at": asked.isoformat() if asked else None},
        "calls": [{"call_id": c.call_id, "day": c.day.isoformat(), "turns": c.turns,
                   "valence": c.valence, "arousal": c.arousal, "low": c.low,
                   "themes": parse_themes(c.themes), "risk": c.risk,
                   "checked_in": c.checked_in} for c in calls],
        "days": [day_json(d) for d in await days(store, user_id)],
    }


def day_json(d: MoodSummary) -> dict[str, Any]:
    return {"day": d.day.isoformat(), "calls": d.calls, "turns": d.turns,
            "valence": d.valence, "arousal": d.arousal, "low": d.low, "themes": dict(d.themes),
            "risk": d.risk, "checkins": d.checkins}


def _turn(row: Mood) -> MoodTurn:
    at = utc(row.at)
    assert at is not None
    return MoodTurn(at=at, label=row.affect, valence=row.valence or 0.0,
                    arousal=row.arousal or 0.0, risk=row.risk,
                    themes=tuple(t for t in row.themes.split(",") if t))


def _call(row: MoodCall) -> MoodSummary:
    return MoodSummary(day=row.day, turns=row.turns, valence=row.valence, arousal=row.arousal,
                       low=row.low, themes=parse_themes(row.themes), risk=row.risk,
                       checkins=int(row.checked_in))
