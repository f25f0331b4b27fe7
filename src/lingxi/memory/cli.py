"""`lingxi data export --user ID`, `lingxi data delete --user ID` and `lingxi data mood --user
ID` (the mood timeline as a table): the caller's data."""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from lingxi.memory import mood_store
from lingxi.memory.db import make_engine, migrate
from lingxi.memory.referrals import referrals_in
from lingxi.memory.service import safe_url
from lingxi.memory.store import MemoryStore


def add_data_commands(subparsers: argparse._SubParsersAction[argparse.ArgumentParser],
                      ) -> None:
    data = subparsers.add_parser("data", help="what is stored about a caller (privacy)",
                                 description="Export or delete everything stored about a caller.")
    commands = data.add_subparsers(dest="data_command", required=True)
    for name, text in (("export", "print everything stored about a user as JSON"),
                       ("delete", "delete everything stored about a user"),
                       ("mood", "print a user's mood timeline, a day a row (as on the page)")):
        command = commands.add_parser(name, help=text, description=text)
        command.add_argument("--user", required=True, help="the caller's id (session.lingxi.user)")
        command.add_argument("--config", type=Path, help="TOML file of settings")
        command.add_argument("--database-url", help="overrides LINGXI_DATABASE_URL")
        command.set_defaults(func=_run)


def add_report_command(subparsers: argparse._SubParsersAction[argparse.ArgumentParser],
                       ) -> None:
    """`lingxi safety report --year Y`: the year's crisis-line referrals as JSON."""
    text = ("print a calendar year's crisis-line referrals (counts only) as JSON, for an "
            "annual report such as California SB 243's")
    report = subparsers.add_parser("report", help=text, description=text)
    report.add_argument("--year", type=int,
                        help="the calendar year, UTC (default: the year before this one)")
    report.add_argument("--config", type=Path, help="TOML file of settings")
    report.add_argument("--database-url", help="overrides LINGXI_DATABASE_URL")
    report.set_defaults(func=_report)


def _report(args: argparse.Namespace) -> None:
    from lingxi.config import load_settings

    settings = load_settings(args.config, database_url=args.database_url)
    now = datetime.now(UTC)
    year: int = args.year or now.year - 1
    try:
        by_region = asyncio.run(_referrals(year, settings.database_url))
    except Exception as exc:
        print(f"lingxi safety report: the database {safe_url(settings.database_url)} failed: "
              f"{type(exc).__name__}: {str(exc).splitlines()[0][:200]}", file=sys.stderr)
        raise SystemExit(2) from None
    print(json.dumps(referral_report(year, by_region, settings.safety_profile, now),
                     ensure_ascii=False, indent=2))


def referral_report(year: int, by_region: dict[str, int], profile: str,
                    now: datetime) -> dict[str, Any]:
    return {
        "report": "crisis service provider referrals", "year": year,
        "crisis_referrals": sum(by_region.values()), "by_region": by_region,
        "counted": "each reply that offered a crisis line (a crisis reply, a blocked "
                   "reply's replacement, a goodbye during a crisis); no words, callers or "
                   "calls are kept",
        "protocols": {
            "detect": "every user turn is assessed by phrase rules and a learned risk model",
            "respond": "from passive risk up a prepared safe-messaging reply with the crisis "
                       "lines replaces the model's words; plan and imminent escalate to a human",
            "prevent": "every clause of a model's reply passes an output guard that blocks "
                       "encouragement of self-harm and methods"},
        "profile": profile, "generated_at": now.isoformat(timespec="seconds")}


async def _referrals(year: int, url: str | None) -> dict[str, int]:
    store = MemoryStore(make_engine(url))
    try:
        await migrate(store.engine)
        return await referrals_in(store, year)
    finally:
        await store.close()


def _run(args: argparse.Namespace) -> None:
    from lingxi.config import load_settings

    settings = load_settings(args.config, database_url=args.database_url)
    try:
        result = asyncio.run(_data(args.data_command, args.user, settings.database_url))
    except Exception as exc:
        print(f"lingxi data: the database {safe_url(settings.database_url)} failed: "
              f"{type(exc).__name__}: {str(exc).splitlines()[0][:200]}", file=sys.stderr)
        raise SystemExit(2) from None
    if result is None:
        print(f"lingxi data: nothing is stored for user {args.user!r}", file=sys.stderr)
        raise SystemExit(1)
    if args.data_command == "mood":
        print(mood_table(result))
        return
    print(json.dumps(result, ensure_ascii=False, indent=2))


def mood_table(data: dict[str, Any]) -> str:
    """The mood chart as a table: a day a row, mood (valence) and energy (arousal) from -1 to
    1, the turns that sounded low, the themes mentioned, the highest risk, check-ins."""
    consent = data["consent"]["state"] or "never asked"
    lines = [f"mood timeline: {consent}"]
    if not data["days"]:
        return "\n".join([*lines, "(no days kept)"])
    lines.append(f"{'day':<11}{'calls':>6}{'turns':>6}{'mood':>7}{'energy':>8}{'low':>5}"
                 f"  {'risk':<9}{'check-in':<9}themes")
    for d in data["days"]:
        themes = ", ".join(f"{k} {v}" for k, v in sorted(d["themes"].items())) or "-"
        lines.append(f"{d['day']:<11}{d['calls']:>6}{d['turns']:>6}{d['valence']:>+7.2f}"
                     f"{d['arousal']:>+8.2f}{d['low']:>5}  {d['risk']:<9}"
                     f"{'yes' if d['checkins'] else '':<9}{themes}")
    return "\n".join(lines)


async def _data(command: str, user: str, url: str | None) -> dict[str, Any] | None:
    store = MemoryStore(make_engine(url))
    try:
        await migrate(store.engine)
        if command == "export":
            return await store.export(user)
        if command == "mood":
            mood = await mood_store.export(store, user)
            return mood if mood["days"] or mood["consent"]["state"] else None
        return {"deleted": await store.delete_user(user), "user": user}
    finally:
        await store.close()
