"""`lingxi transcribe FILE.wav [--language zh|en]`: print what a recording says.

Reads 8-, 16-, 24- or 32-bit PCM WAV at any sample rate (mono; stereo is refused rather than
guessed at) and uses the configured recogniser (embedded Whisper, or a server by URL).
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import wave
from pathlib import Path
from typing import Any

import numpy as np

from lingxi.audio import Pcm


class WavFormatError(ValueError):
    """A file that is not a WAV this command can read; the message says what to do."""


_CONVERT = "convert it with e.g. `sox IN -c 1 -b 16 OUT.wav`"


def read_wav(path: Path, sample_rate: int) -> Pcm:
    """Mono int16 PCM at `sample_rate` from a PCM WAV file."""
    try:
        with wave.open(str(path), "rb") as w:
            channels, width, rate = w.getnchannels(), w.getsampwidth(), w.getframerate()
            raw = w.readframes(w.getnframes())
    except FileNotFoundError:
        raise
    except (wave.Error, EOFError) as exc:
        reason = str(exc) or "truncated"
        raise WavFormatError(f"{path} is not a PCM WAV file ({reason}); {_CONVERT}") from exc
    if channels != 1:
        raise WavFormatError(f"{path} has {channels} channels; only mono is read: {_CONVERT}")
    pcm = _to_int16(raw, width, path)
    if rate != sample_rate:
        import soxr

        pcm = np.asarray(soxr.resample(pcm, rate, sample_rate, quality="HQ"), dtype=np.int16)
    return pcm


def _to_int16(raw: bytes, width: int, path: Path) -> Pcm:
    if width == 1:  # 8-bit WAV is unsigned
        return ((np.frombuffer(raw, np.uint8).astype(np.int16) - 128) << 8).astype(np.int16)
    if width == 2:
        return np.frombuffer(raw, "<i2").astype(np.int16)
    if width == 3:
        b = np.frombuffer(raw, np.uint8).reshape(-1, 3)
        return (b[:, 1].astype(np.uint16) | (b[:, 2].astype(np.uint16) << 8)).view(np.int16)
    if width == 4:
        return (np.frombuffer(raw, "<i4") >> 16).astype(np.int16)
    raise WavFormatError(f"{path} has {8 * width}-bit samples; {_CONVERT}")


async def _transcribe(asr: Any, pcm: Pcm, language: str | None) -> str:
    stream = asr.stream(language=language, start_ms=0.0)
    stream.feed(pcm)
    text: str = await stream.finish()
    return text


def _run(args: argparse.Namespace) -> None:
    from lingxi.config import load_settings
    from lingxi.engines.asr import build_asr
    from lingxi.engines.asr.model_files import ModelFilesError

    try:
        settings = load_settings(args.config)
        asr = build_asr(settings, warm=False)
        pcm = read_wav(args.file, asr.sample_rate)
        text = asyncio.run(_transcribe(asr, pcm, args.language))
    except (WavFormatError, ModelFilesError, FileNotFoundError, ValueError,
            RuntimeError) as exc:
        print(f"lingxi transcribe: {exc}", file=sys.stderr)
        raise SystemExit(2) from None
    print(text)


def add_asr_commands(sub: Any) -> None:
    p = sub.add_parser("transcribe", help="print the transcript of a WAV file")
    p.add_argument("file", type=Path, help="a PCM WAV file (mono, any sample rate)")
    p.add_argument("--language", choices=["zh", "en"],
                   help="the language spoken (default: detected)")
    p.add_argument("--config", type=Path, help="TOML file of settings (keys as in LINGXI_*)")
    p.set_defaults(func=_run)
