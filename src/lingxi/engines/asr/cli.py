"""`lingxi transcribe FILE.wav [--language zh|en]`: print what a recording says.

Reads 8/16/24/32-bit integer or 32/64-bit float WAV at any sample rate (mono; stereo is
refused rather than guessed at) and uses the configured recogniser (embedded Whisper, or a
server by URL).
"""

from __future__ import annotations

import argparse
import asyncio
import struct
import sys
from pathlib import Path
from typing import Any

import numpy as np

from lingxi.audio import Pcm


class WavFormatError(ValueError):
    """A file that is not a WAV this command can read; the message says what to do."""


_CONVERT = "convert it with e.g. `sox IN -c 1 -b 16 OUT.wav`"
_PCM, _FLOAT, _EXTENSIBLE = 1, 3, 0xFFFE


def read_wav(path: Path, sample_rate: int) -> Pcm:
    """Mono int16 PCM at `sample_rate` from a WAV file (integer or float samples)."""
    data = path.read_bytes()
    if len(data) < 12 or data[:4] != b"RIFF" or data[8:12] != b"WAVE":
        raise WavFormatError(f"{path} is not a WAV file; {_CONVERT}")
    fmt, samples = _chunks(data, path)
    tag, channels, rate = struct.unpack_from("<HHI", fmt)
    bits = struct.unpack_from("<H", fmt, 14)[0]
    if tag == _EXTENSIBLE and len(fmt) >= 26:
        tag = struct.unpack_from("<H", fmt, 24)[0]  # the sub-format GUID starts with the tag
    if channels != 1:
        raise WavFormatError(f"{path} has {channels} channels; only mono is read: {_CONVERT}")
    pcm = _to_int16(samples, tag, bits, path)
    if rate != sample_rate:
        import soxr

        pcm = np.asarray(soxr.resample(pcm, rate, sample_rate, quality="HQ"), dtype=np.int16)
    return pcm


def _chunks(data: bytes, path: Path) -> tuple[bytes, bytes]:
    fmt: bytes | None = None
    pos = 12
    while pos + 8 <= len(data):
        name, size = data[pos:pos + 4], struct.unpack_from("<I", data, pos + 4)[0]
        body = data[pos + 8:pos + 8 + size]
        if name == b"fmt ":
            fmt = body
        elif name == b"data" and fmt is not None and len(fmt) >= 16:
            return fmt, body
        pos += 8 + size + (size & 1)
    raise WavFormatError(f"{path} is not a PCM WAV file (no fmt/data chunk); {_CONVERT}")


def _to_int16(raw: bytes, tag: int, bits: int, path: Path) -> Pcm:
    width = bits // 8
    raw = raw[: len(raw) - len(raw) % max(1, width)]
    if tag == _FLOAT and bits in (32, 64):
        x = np.frombuffer(raw, "<f4" if bits == 32 else "<f8")
        return np.clip(np.round(x * 32767), -32768, 32767).astype(np.int16)
    if tag != _PCM:
        raise WavFormatError(f"{path} is not a PCM WAV file (format {tag}); {_CONVERT}")
    if bits == 8:  # 8-bit WAV is unsigned
        return ((np.frombuffer(raw, np.uint8).astype(np.int16) - 128) << 8).astype(np.int16)
    if bits == 16:
        return np.frombuffer(raw, "<i2").astype(np.int16)
    if bits == 24:
        b = np.frombuffer(raw, np.uint8).reshape(-1, 3)
        return (b[:, 1].astype(np.uint16) | (b[:, 2].astype(np.uint16) << 8)).view(np.int16)
    if bits == 32:
        return (np.frombuffer(raw, "<i4") >> 16).astype(np.int16)
    raise WavFormatError(f"{path} has {bits}-bit samples; {_CONVERT}")


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
