"""Audio at the edge: wire formats (PCM16 24 kHz, G.711 μ-law/A-law) and resampling.

Engines work at whatever rate they need; the session converts at the boundary with one
stateful resampler per direction so chunk joins never click.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass
from typing import Literal

import numpy as np
import numpy.typing as npt
import soxr

Pcm = npt.NDArray[np.int16]
WireKind = Literal["pcm16", "pcmu", "pcma"]


class AudioFormatError(ValueError):
    """Audio bytes that cannot be what the session says they are."""


def _ulaw_decode_table() -> npt.NDArray[np.int16]:
    u = ~np.arange(256, dtype=np.int32) & 0xFF
    sign = u & 0x80
    exponent = (u >> 4) & 0x07
    mantissa = u & 0x0F
    magnitude = (((mantissa << 3) + 0x84) << exponent) - 0x84
    return np.where(sign != 0, -magnitude, magnitude).astype(np.int16)


def _alaw_decode_table() -> npt.NDArray[np.int16]:
    a = np.arange(256, dtype=np.int32) ^ 0x55
    sign = a & 0x80
    exponent = (a >> 4) & 0x07
    mantissa = a & 0x0F
    magnitude = np.where(
        exponent == 0,
        (mantissa << 4) + 8,
        ((mantissa << 4) + 0x108) << np.maximum(exponent - 1, 0),
    )
    return np.where(sign != 0, magnitude, -magnitude).astype(np.int16)


def _nearest_code_table(decode: npt.NDArray[np.int16]) -> npt.NDArray[np.uint8]:
    """For every int16 value, the code whose decoded value is nearest (exact quantiser)."""
    # Ties (μ-law has +0 and −0) go to the higher code, the one standard encoders emit.
    order = np.lexsort((-np.arange(256), decode))
    levels = decode[order].astype(np.int32)
    x = np.arange(-32768, 32768, dtype=np.int32)
    hi = np.clip(np.searchsorted(levels, x), 1, len(levels) - 1)
    lo = hi - 1
    pick = np.where(np.abs(levels[hi] - x) < np.abs(x - levels[lo]), hi, lo)
    return order[pick].astype(np.uint8)


_ULAW_DECODE = _ulaw_decode_table()
_ALAW_DECODE = _alaw_decode_table()
_ULAW_ENCODE = _nearest_code_table(_ULAW_DECODE)
_ALAW_ENCODE = _nearest_code_table(_ALAW_DECODE)


@dataclass(frozen=True, slots=True)
class WireFormat:
    kind: WireKind
    sample_rate: int

    @property
    def bytes_per_sample(self) -> int:
        return 2 if self.kind == "pcm16" else 1

    def samples(self, data: bytes) -> int:
        """How many samples `data` holds; AudioFormatError if it is not whole samples."""
        if self.kind == "pcm16" and len(data) % 2:
            raise AudioFormatError(
                f"PCM16 audio must have an even number of bytes, got {len(data)}"
            )
        return len(data) // self.bytes_per_sample

    def decode(self, data: bytes) -> Pcm:
        self.samples(data)
        if self.kind == "pcm16":
            return np.frombuffer(data, dtype="<i2").astype(np.int16)
        codes = np.frombuffer(data, dtype=np.uint8)
        table = _ULAW_DECODE if self.kind == "pcmu" else _ALAW_DECODE
        return table[codes]

    def encode(self, pcm: Pcm) -> bytes:
        if self.kind == "pcm16":
            return pcm.astype("<i2", copy=False).tobytes()
        table = _ULAW_ENCODE if self.kind == "pcmu" else _ALAW_ENCODE
        return table[pcm.astype(np.int32) + 32768].tobytes()

    def duration_ms(self, n_bytes: int) -> float:
        return 1000.0 * n_bytes / (self.bytes_per_sample * self.sample_rate)


class StreamResampler:
    """Stateful mono int16 resampler; identity when the rates match."""

    def __init__(self, in_rate: int, out_rate: int) -> None:
        self.in_rate = in_rate
        self.out_rate = out_rate
        self._stream = (
            None
            if in_rate == out_rate
            else soxr.ResampleStream(in_rate, out_rate, 1, dtype="int16", quality="HQ")
        )

    def process(self, pcm: Pcm, *, last: bool = False) -> Pcm:
        if self._stream is None:
            return pcm
        out = self._stream.resample_chunk(pcm, last=last)
        return np.asarray(out, dtype=np.int16)


def samples_to_ms(n_samples: int, sample_rate: int) -> float:
    return 1000.0 * n_samples / sample_rate


# A WAV file of Lingxi's speech says it is AI-generated in its LIST/INFO chunk (EU AI Act Art.
# 50(2)): ISFT names the software, ICMT says "AI-generated" with the IPTC digital source type
# (the vocabulary lingxi.protocol.provenance uses on the wire). Players ignore the chunk.
SYNTHETIC_INFO = {
    "ISFT": "Lingxi",
    "ICMT": "AI-generated speech (synthetic audio). digital source type: "
            "http://cv.iptc.org/newscodes/digitalsourcetype/trainedAlgorithmicMedia",
}


def synthetic_wav(pcm: Pcm, sample_rate: int) -> bytes:
    """Mono 16-bit WAV of synthetic speech, marked as AI-generated (LIST/INFO)."""
    fmt = struct.pack("<HHIIHH", 1, 1, sample_rate, sample_rate * 2, 2, 16)
    info = b"INFO" + b"".join(_chunk(key.encode("ascii"), value.encode("utf-8") + b"\0")
                              for key, value in SYNTHETIC_INFO.items())
    body = (b"WAVE" + _chunk(b"fmt ", fmt) + _chunk(b"LIST", info)
            + _chunk(b"data", pcm.astype("<i2").tobytes()))
    return b"RIFF" + struct.pack("<I", len(body)) + body


def wav_info(data: bytes) -> dict[str, str]:
    """The LIST/INFO entries of a WAV file ({} if it has none)."""
    if data[:4] != b"RIFF" or data[8:12] != b"WAVE":
        raise AudioFormatError("not a WAV file")
    found: dict[str, str] = {}
    at = 12
    while at + 8 <= len(data):
        kind, size = data[at:at + 4], struct.unpack("<I", data[at + 4:at + 8])[0]
        body = data[at + 8:at + 8 + size]
        if kind == b"LIST" and body[:4] == b"INFO":
            sub = 4
            while sub + 8 <= len(body):
                key, length = body[sub:sub + 4], struct.unpack("<I", body[sub + 4:sub + 8])[0]
                value = body[sub + 8:sub + 8 + length]
                found[key.decode("ascii", "replace")] = value.rstrip(b"\0").decode("utf-8",
                                                                                   "replace")
                sub += 8 + length + (length & 1)
        at += 8 + size + (size & 1)
    return found


def _chunk(kind: bytes, body: bytes) -> bytes:
    """A RIFF chunk, padded to an even length as the format requires."""
    return kind + struct.pack("<I", len(body)) + body + (b"\0" if len(body) & 1 else b"")
