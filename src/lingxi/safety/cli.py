"""`lingxi safety assess`: risk levels, by the phrase rules, the learned model and both.

    lingxi safety assess "我不想活了" "药我都攒好了"     # the turns of one call, in order
    lingxi safety assess --plain < lines.txt          # one utterance a line, each on its own
    lingxi safety assess < requests.jsonl             # JSON lines, as below

A JSON input line is an object::

    {"text": "我不想活了", "lang": "zh", "call": "c1", "id": 7}

`text` is required; `lang` ("zh" or "en") is optional and only echoed, since both languages'
rules always run (callers switch mid-sentence); `call` groups lines into one call, read in
order through one `RiskTracker`, so a later turn is judged in the light of earlier ones and
the call's level never drops; `id` is echoed. Each input gives exactly one output line::

    {"level": "active", "reasons": [{"code": "...", "level": "...", "text": "..."}],
     "matched": ["..."], "rules": "passive", "model": "active",
     "model_probabilities": {"none": 0.01, ...}, "call": "c1", "turn": 1,
     "call_level": "active", "id": 7}

`level` is the combined level (the higher of the rules' and the model's, as calls use it);
`rules` and `model` are each one's own. With `--no-model` the rules alone answer (no `rules`,
`model` keys). A line that cannot be read gives `{"error": "...", "line": N}` and processing
goes on; blank lines are skipped. Output is flushed line by line, so the command works as a
coprocess. Exit status 0, or 2 when the phrase data cannot be loaded.
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
from lingxi.safety.levels import LEVEL_NAMES
from lingxi.safety.model import RiskModel
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
        "assess", help="risk level of TEXT, or of each line on standard input",
        description="Assess each TEXT (the turns of one call, in order) or, without TEXT, each "
                    "line of standard input: JSON lines {\"text\": ..., \"lang\": "
                    "\"zh\"|\"en\", \"call\": ...}, or plain lines with --plain. One JSON "
                    "line out per input: the combined risk level (none, distress, passive, "
                    "active, plan, imminent), the rules' and the learned model's levels, and "
                    "the reasons.")
    assess.add_argument("text", nargs="*", metavar="TEXT",
                        help="what was said (several: the turns of one call)")
    assess.add_argument("--plain", action="store_true",
                        help="standard input is plain text, one utterance a line")
    assess.add_argument("--no-model", dest="model", action="store_false",
                        help="the phrase rules alone (no learned model; no encoder to load)")
    assess.add_argument("--data", type=Path, metavar="DIR",
                        help="folder with zh.toml, en.toml and normalise.toml "
                             "(default: the built-in phrase data)")
    assess.set_defaults(func=run_assess)


def run_assess(args: argparse.Namespace) -> None:
    """The `assess` command: TEXT arguments, or standard input, to standard output."""
    try:
        data: Path | None = args.data
        assessor = default_assessor() if data is None else RiskAssessor.from_files(data)
    except SafetyDataError as exc:
        print(f"lingxi safety assess: {exc}", file=sys.stderr)
        raise SystemExit(2) from None
    model = _model() if args.model else None
    if args.text:
        lines = [json.dumps({"text": text, "call": "args"}).encode() for text in args.text]
        assess_lines(lines, sys.stdout, assessor, model)
        return
    assess_lines(sys.stdin.buffer, sys.stdout, assessor, model, plain=args.plain)


def _model() -> RiskModel:
    from lingxi.config import Settings
    from lingxi.safety.model import default_risk_model

    return default_risk_model(Settings().safety_encoder)  # the server's, LINGXI_SAFETY_ENCODER


def assess_lines(lines: Iterable[bytes], out: IO[str], assessor: RiskAssessor,
                 model: RiskModel | None = None, *, plain: bool = False) -> int:
    """Write one JSON line to `out` per non-blank input line; return how many were bad.
    `plain`: each line is an utterance's text, not a JSON object."""
    trackers: dict[str, RiskTracker] = {}
    bad = 0
    for number, raw in enumerate(lines, 1):
        if not raw.strip():
            continue
        try:
            request = _plain(raw) if plain else _parse(raw)
            result = _assessed(request, assessor, model, trackers)
        except BadLine as exc:
            bad += 1
            result = {"error": f"line {number}: {exc}", "line": number}
        out.write(json.dumps(result, ensure_ascii=False) + "\n")
        out.flush()
    return bad


def _assessed(request: dict[str, Any], assessor: RiskAssessor, model: RiskModel | None,
              trackers: dict[str, RiskTracker]) -> dict[str, Any]:
    text: str = request["text"]
    call = request.get("call")
    tracker = (RiskTracker(assessor, model) if call is None
               else trackers.setdefault(call, RiskTracker(assessor, model)))
    report = tracker.observe(text)
    result = report.turn.as_json()
    if report.model is not None and report.rules is not None:
        result.update(rules=report.rules.level.label, model=report.model.level.label,
                      model_probabilities={name: round(p, 3) for name, p in zip(
                          LEVEL_NAMES, report.model.probabilities, strict=True)})
    if call is not None:
        result.update(call=call, turn=tracker.turns, call_level=report.call_level.label)
    for key in ("lang", "id"):
        if request.get(key) is not None:
            result[key] = request[key]
    return result


def _plain(raw: bytes) -> dict[str, Any]:
    try:
        text = raw.decode("utf-8").strip()
    except UnicodeDecodeError:
        raise BadLine("not UTF-8 text") from None
    if len(text) > MAX_TEXT:
        raise BadLine(f"the line is longer than {MAX_TEXT} characters")
    return {"text": text}


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
