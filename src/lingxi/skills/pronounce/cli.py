"""`lingxi pronounce --text "think" FILE.wav`: score one attempt and print it as JSON."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any


def _run(args: argparse.Namespace) -> None:
    from lingxi.engines.asr.cli import read_wav
    from lingxi.engines.pronounce import SphinxScorer
    from lingxi.skills.pronounce.feedback import as_json

    rate = 16000
    assessment = SphinxScorer().assess(read_wav(args.file, rate), rate, args.text)
    print(json.dumps(as_json(assessment, args.language), ensure_ascii=False, indent=1))


def add_pronounce_commands(sub: Any) -> None:
    p = sub.add_parser("pronounce", help="score an English pronunciation attempt (JSON)")
    p.add_argument("file", type=Path, help="a PCM WAV file (mono, any sample rate)")
    p.add_argument("--text", required=True, help="what the speaker meant to say")
    p.add_argument("--language", choices=["zh", "en"], default="zh",
                   help="the language of the tip (default: zh)")
    p.set_defaults(func=_run)
