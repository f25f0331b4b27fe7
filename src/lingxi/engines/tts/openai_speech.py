"""Any OpenAI-compatible speech server as the synthesizer (POST {base}/v1/audio/speech).

Works with OpenAI itself and with self-hosted servers that copy its API. Audio streams back
as raw 16-bit PCM (OpenAI's "pcm": 24 kHz mono) or as a WAV stream, and is passed on as it
arrives. Volume applies per chunk; pitch and whisper need the whole clip (WORLD), so with
those the clip is collected first.
"""

from __future__ import annotations

import logging
import struct
from collections.abc import AsyncIterator
from typing import Literal

import httpx
import numpy as np

from lingxi.audio import Pcm, StreamResampler
from lingxi.engines.tts.effects import to_pcm16, world
from lingxi.interfaces import Voice

log = logging.getLogger(__name__)
_LOCAL_NAMES = ("default", "auto", "zh", "en", "espeak-zh", "espeak-en")


class SpeechServerError(RuntimeError):
    """The speech server could not be reached or refused the request."""


class _WavStream:
    """Reads a streamed WAV: the header first, then 16-bit mono samples as they come."""

    def __init__(self) -> None:
        self.rate: int | None = None
        self._head = b""

    def feed(self, data: bytes) -> bytes:
        if self.rate is not None:
            return data
        self._head += data
        if len(self._head) >= 12 and (self._head[:4] != b"RIFF" or self._head[8:12] != b"WAVE"):
            raise SpeechServerError("speech server sent something that is not a WAV file")
        if len(self._head) > 65536:
            raise SpeechServerError("speech server sent a WAV header with no audio")
        at = self._head.find(b"data")
        fmt = self._head.find(b"fmt ")
        if at < 0 or fmt < 0 or len(self._head) < at + 8:
            return b""
        channels, rate = struct.unpack_from("<HI", self._head, fmt + 10)
        bits = struct.unpack_from("<H", self._head, fmt + 22)[0]
        if channels != 1 or bits != 16:
            raise SpeechServerError(f"speech server sent {channels}-channel {bits}-bit WAV; "
                                    "only 16-bit mono is supported")
        self.rate = int(rate)
        rest, self._head = self._head[at + 8 :], b""
        return rest


class OpenAISpeech:
    name = "openai-speech"

    def __init__(self, base_url: str, *, model: str = "tts-1", voice: str | None = None,
                 api_key: str | None = None, response_format: Literal["pcm", "wav"] = "pcm",
                 pcm_rate: int = 24000, sample_rate: int = 24000, timeout_s: float = 30.0,
                 ) -> None:
        self.url = base_url.rstrip("/").removesuffix("/v1") + "/v1/audio/speech"
        self.model = model
        self.voice = voice
        self.response_format = response_format
        self.pcm_rate = pcm_rate
        self.sample_rate = sample_rate
        self.headers = {"Authorization": f"Bearer {api_key}"} if api_key else {}
        self.timeout = httpx.Timeout(timeout_s)

    def _voice_name(self, voice: Voice) -> str:
        if self.voice:
            return self.voice
        return "alloy" if voice.name in _LOCAL_NAMES else voice.name

    async def synthesize(self, text: str, voice: Voice) -> AsyncIterator[Pcm]:
        body = {"model": self.model, "voice": self._voice_name(voice), "input": text,
                "response_format": self.response_format, "speed": voice.speed}
        # A name the server knows is its own voice; Lingxi's pitch is for Lingxi's voices.
        pitch = voice.pitch if voice.name in _LOCAL_NAMES else 0.0
        whole_clip = pitch != 0.0 or voice.pitch_range != 1.0 or voice.style == "whisper"
        collected: list[Pcm] = []
        try:
            async with httpx.AsyncClient(timeout=self.timeout) as client, client.stream(
                    "POST", self.url, json=body, headers=self.headers) as response:
                if response.status_code != 200:
                    detail = (await response.aread())[:300].decode(errors="replace")
                    raise SpeechServerError(
                        f"speech server {self.url} answered {response.status_code}: {detail}")
                kind = response.headers.get("content-type", "").split(";")[0].strip().lower()
                if kind.startswith(("text/", "application/json", "application/xml")):
                    # An error page with status 200 would be played as full-scale noise.
                    raise SpeechServerError(
                        f"speech server {self.url} sent {kind}, not audio")
                async for pcm in self._decode(response):
                    if whole_clip:
                        collected.append(pcm)
                    elif len(pcm):
                        yield _gain(pcm, voice.volume)
        except httpx.HTTPError as e:
            raise SpeechServerError(f"speech server {self.url} failed: {e!r}") from e
        if collected:
            audio = np.concatenate(collected).astype(np.float32) / 32768.0
            audio = world(audio, self.sample_rate, semitones=pitch,
                          whisper=voice.style == "whisper", pitch_range=voice.pitch_range)
            yield to_pcm16(audio, voice.volume)

    async def _decode(self, response: httpx.Response) -> AsyncIterator[Pcm]:
        wav = _WavStream() if self.response_format == "wav" else None
        resampler: StreamResampler | None = None
        carry = b""
        async for data in response.aiter_bytes():
            if wav is not None:
                data = wav.feed(data)
                if wav.rate is None:
                    continue
            rate = wav.rate if wav is not None and wav.rate else self.pcm_rate
            resampler = resampler or StreamResampler(rate, self.sample_rate)
            data = carry + data
            cut = len(data) // 2 * 2
            carry = data[cut:]
            yield resampler.process(np.frombuffer(data[:cut], "<i2").astype(np.int16))
        if resampler is not None:
            yield resampler.process(np.zeros(0, np.int16), last=True)


def _gain(pcm: Pcm, volume: float) -> Pcm:
    if volume == 1.0:
        return pcm
    return to_pcm16(pcm.astype(np.float32) / 32768.0, volume)
