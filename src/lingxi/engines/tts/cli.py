"""`lingxi say "TEXT" -o OUT.wav`: speak text with the configured synthesizer into a WAV."""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
from pathlib import Path
from typing import Any

import numpy as np

from lingxi.audio import synthetic_wav
from lingxi.engines.tts.prosody import STYLES, styled
from lingxi.interfaces import SpeechSynthesizer, Voice


def add_tts_commands(sub: Any) -> None:
    say = sub.add_parser("say", help="speak text into a WAV file (speech synthesis)")
    say.add_argument("text", help="what to say (Chinese, English or both)")
    say.add_argument("-o", "--output", type=Path, required=True, help="WAV file to write")
    say.add_argument("--voice", default="auto",
                     help="zh, en, espeak-zh, espeak-en or auto (default: by script)")
    say.add_argument("--speed", type=float, default=1.0, help="1.0 normal, 1.2 faster")
    say.add_argument("--pitch", type=float, default=0.0, help="semitones up (+) or down (-)")
    say.add_argument("--volume", type=float, default=1.0, help="linear gain (1.0 = as is)")
    say.add_argument("--whisper", action="store_true", help="whisper instead of voice")
    say.add_argument("--style", choices=sorted(STYLES), default="normal",
                     help="a speaking style: happy, sad, calm... (prosody on any voice)")
    say.add_argument("--config", type=Path, help="TOML file of settings (tts, tts_url, ...)")
    say.set_defaults(func=_say)


async def _collect(tts: SpeechSynthesizer, text: str, voice: Voice) -> np.ndarray[Any, Any]:
    chunks = [pcm async for pcm in tts.synthesize(text, voice)]
    return np.concatenate(chunks) if chunks else np.zeros(0, np.int16)


def _say(args: argparse.Namespace) -> None:
    from lingxi.config import load_settings
    from lingxi.engines.tts import build_tts

    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    if not args.text.strip():
        sys.exit("lingxi say: nothing to say (the text is empty)")
    if not 0.25 <= args.speed <= 4.0 or args.volume < 0:
        sys.exit("lingxi say: --speed must be within 0.25..4 and --volume not negative")
    voice = styled(Voice(args.voice, speed=args.speed, pitch=args.pitch, volume=args.volume),
                   "whisper" if args.whisper else args.style)
    tts = build_tts(load_settings(args.config))
    pcm = asyncio.run(_collect(tts, args.text, voice))
    if not len(pcm):
        sys.exit("lingxi say: the text has nothing speakable in it")
    args.output.write_bytes(synthetic_wav(pcm, tts.sample_rate))  # marked as AI-generated
    print(f"{args.output}: {len(pcm) / tts.sample_rate:.2f} s at {tts.sample_rate} Hz")
