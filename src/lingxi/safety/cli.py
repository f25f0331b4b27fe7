"""`lingxi safety assess`: risk levels for JSON lines on standard input.

Each input line is a JSON object::

    {"text": "我不想活了", "lang": "zh", "call": "c1", "id": 7}

`text` is required; `lang` ("zh" or "en") is optional and only echoed, since both languages'
rules always run (callers switch mid-sentence); `call` groups lines into one call, read in
order through one `RiskTracker`, so a later turn is judged in the light of earlier ones and
the call's level never drops; `id` is echoed. Each input line gives exactly one output line::

    {"level": "passive", "reasons": [{"code": "...", "level": "passive", "text": "..."}],
     "matched": ["..."], "call": "c1", "turn": 1, "call_level": "passive", "id": 7}

A line that cannot be read gives `{"error": "...", "line": N}` and processing goes on; blank
lines are skipped. Output is flushed line by line, so the command works as a coprocess. Exit
status 0, or 2 when the phrase data cannot be loaded.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import IO, Any

from lingxi.safety.assess import RiskAssessor, default_assessor
from lingxi.safety.data import SafetyDataError
from lingxi.safety.tracker import RiskTracker

LANGS = ("zh", "en")
MAX_TEXT = 20_000


class BadLine(ValueError):
    """An input line that cannot be assessed; the message goes into the error line."""


def add_safety_commands(subparsers: argparse._SubParsersAction[argparse.ArgumentParser],
                        ) -> argparse._SubParsersAction[argparse.ArgumentParser]:
    """Register `safety assess` on a parser's subcommands (as `lingxi safety assess`); the
    safety commands come back, for commands other parts add (`safety report`)."""
    safety = subparsers.add_parser("safety", help="emotional-safety tools",
                                   description="Emotional-safety tools.")
    commands = safety.add_subparsers(dest="safety_command", required=True)
    _add_assess(commands)
    return commands


def _add_assess(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    assess = subparsers.add_parser(
        "assess", help="risk level of each JSON line on standard input",
        description="Read JSON lines {\"text\": ..., \"lang\": \"zh\"|\"en\", \"call\": ...} "
                    "from standard input; write one JSON line per input with the risk level "
                    "(none, distress, passive, active, plan, imminent) and the reasons.")
    assess.add_argument("--data", type=Path, metavar="DIR",
                        help="folder with zh.toml, en.toml and normalise.toml "
                             "(default: the built-in phrase data)")
    assess.set_defaults(func=run_assess)


def run_assess(args: argparse.Namespace) -> None:
    """The `assess` command: standard input to standard output."""
    try:
        data: Path | None = args.data
        assessor = default_assessor() if data is None else RiskAssessor.from_files(data)
    except SafetyDataError as exc:
        print(f"lingxi safety assess: {exc}", file=sys.stderr)
        raise SystemExit(2) from None
    assess_lines(sys.stdin.buffer, sys.stdout, assessor)


def assess_lines(lines: Iterable[bytes], out: IO[str], assessor: RiskAssessor) -> int:
    """Write one JSON line to `out` per non-blank input line; return how many were bad."""
    trackers: dict[str, RiskTracker] = {}
    bad = 0
    for number, raw in enumerate(lines, 1):
        if not raw.strip():
            continue
        try:
            result = _assess_line(raw, assessor, trackers)
        except BadLine as exc:
            bad += 1
            result = {"error": f"line {number}: {exc}", "line": number}
        out.write(json.dumps(result, ensure_ascii=False) + "\n")
        out.flush()
    return bad


def _assess_line(raw: bytes, assessor: RiskAssessor,
                 trackers: dict[str, RiskTracker]) -> dict[str, Any]:
    request = _parse(raw)
    text: str = request["text"]
    call = request.get("call")
    result: dict[str, Any]
    if call is None:
        result = assessor.assess(text).as_json()
    else:
        tracker = trackers.setdefault(call, RiskTracker(assessor))
        report = tracker.observe(text)
        result = report.turn.as_json()
        result.update(call=call, turn=tracker.turns, call_level=report.call_level.label)
    for key in ("lang", "id"):
        if request.get(key) is not None:
            result[key] = request[key]
    return result


def _parse(raw: bytes) -> dict[str, Any]:
    try:
        request = json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise BadLine("not UTF-8 text") from None
    except json.JSONDecodeError as exc:
        raise BadLine(f"not valid JSON ({exc.msg} at column {exc.colno})") from None
    if not isinstance(request, dict):
        raise BadLine("expected a JSON object such as {\"text\": \"...\"}")
    text = request.get("text")
    if not isinstance(text, str):
        raise BadLine("'text' is required and must be a string")
    if len(text) > MAX_TEXT:
        raise BadLine(f"'text' is longer than {MAX_TEXT} characters")
    lang = request.get("lang")
    if lang is not None and lang not in LANGS:
        raise BadLine(f"'lang' must be one of {', '.join(LANGS)} (or left out), not {lang!r}")
    call = request.get("call")
    if call is not None and not isinstance(call, str):
        raise BadLine("'call' must be a string")
    return request


def main(argv: Sequence[str] | None = None) -> int:
    """`python -m lingxi.safety.cli assess` — the same command without the main CLI."""
    parser = argparse.ArgumentParser(prog="python -m lingxi.safety.cli",
                                     description="Emotional-safety tools.")
    _add_assess(parser.add_subparsers(dest="safety_command", required=True))
    args = parser.parse_args(argv)
    args.func(args)
    return 0


if __name__ == "__main__":
    sys.exit(main())
