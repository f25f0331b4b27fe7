"""`lingxi personas list` and `lingxi personas check FILE…` (YAML or SillyTavern cards)."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from lingxi.personas.book import load_book, load_persona_file
from lingxi.personas.model import PersonaError


def add_persona_commands(subparsers: argparse._SubParsersAction[argparse.ArgumentParser],
                         ) -> None:
    personas = subparsers.add_parser("personas", help="list and check personas",
                                     description="List personas; check persona files.")
    sub = personas.add_subparsers(dest="personas_command", required=True)
    listing = sub.add_parser("list", help="the personas a server would offer (JSON lines)")
    listing.add_argument("--dir", type=Path, help="a folder of extra personas")
    listing.add_argument("--lang", choices=("zh", "en"), help="texts in this language")
    listing.set_defaults(func=run_list)
    check = sub.add_parser("check", help="validate persona files (.yaml, .json/.png cards)")
    check.add_argument("files", type=Path, nargs="+")
    check.set_defaults(func=run_check)


def run_list(args: argparse.Namespace) -> None:
    try:
        book = load_book(args.dir)
    except PersonaError as exc:
        print(f"error: {exc}", file=sys.stderr)
        raise SystemExit(1) from exc
    for persona in book:
        print(json.dumps(persona.summary(args.lang), ensure_ascii=False))


def run_check(args: argparse.Namespace) -> None:
    failed = False
    for path in args.files:
        try:
            persona = load_persona_file(path)
        except PersonaError as exc:
            print(f"error: {exc}")
            failed = True
            continue
        print(f"ok: {path}: id {persona.id}, {persona.name.zh} / {persona.name.en}")
    if failed:
        raise SystemExit(1)
