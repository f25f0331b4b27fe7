"""`lingxi data export --user ID` and `lingxi data delete --user ID`: the caller's data."""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from pathlib import Path

from lingxi.memory.db import make_engine, migrate
from lingxi.memory.service import safe_url
from lingxi.memory.store import MemoryStore


def add_data_commands(subparsers: argparse._SubParsersAction[argparse.ArgumentParser],
                      ) -> None:
    data = subparsers.add_parser("data", help="what is stored about a caller (privacy)",
                                 description="Export or delete everything stored about a caller.")
    commands = data.add_subparsers(dest="data_command", required=True)
    for name, text in (("export", "print everything stored about a user as JSON"),
                       ("delete", "delete everything stored about a user")):
        command = commands.add_parser(name, help=text, description=text)
        command.add_argument("--user", required=True, help="the caller's id (session.lingxi.user)")
        command.add_argument("--config", type=Path, help="TOML file of settings")
        command.add_argument("--database-url", help="overrides LINGXI_DATABASE_URL")
        command.set_defaults(func=_run)


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
    print(json.dumps(result, ensure_ascii=False, indent=2))


async def _data(command: str, user: str, url: str | None) -> dict[str, object] | None:
    store = MemoryStore(make_engine(url))
    try:
        await migrate(store.engine)
        if command == "export":
            return await store.export(user)
        return {"deleted": await store.delete_user(user), "user": user}
    finally:
        await store.close()
