"""Recognition by an OpenAI-compatible transcription server.

`POST {base}/v1/audio/transcriptions` with the utterance as a 16-bit mono WAV (multipart), as
served by speaches, faster-whisper-server, vLLM or OpenAI itself. The server is asked once
per utterance, at its end: partial hypotheses would cost a request per pause.
"""

from __future__ import annotations

import io
import wave

import httpx
import numpy as np

from lingxi.audio import Pcm
from lingxi.engines.asr.repetition import max_units, units
from lingxi.interfaces import RecognitionContext


class TranscriptionServerError(RuntimeError):
    """The server could not be reached or did not return a transcript."""


def wav_bytes(pcm: Pcm, sample_rate: int) -> bytes:
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(sample_rate)
        w.writeframes(pcm.astype("<i2").tobytes())
    return buffer.getvalue()


class OpenAIRecognizer:
    name = "openai-asr"
    sample_rate = 16000

    def __init__(self, base_url: str, *, model: str = "whisper-1", api_key: str | None = None,
                 timeout_s: float = 30.0, client: httpx.AsyncClient | None = None) -> None:
        base = base_url.rstrip("/")
        self.url = base + ("/audio/transcriptions" if base.endswith("/v1")
                           else "/v1/audio/transcriptions")
        self.model = model
        self._headers = {"Authorization": f"Bearer {api_key}"} if api_key else {}
        self._timeout = timeout_s
        self._client = client

    async def transcribe(self, pcm: Pcm, *, language: str | None, prompt: str = "") -> str:
        data = {"model": self.model, "response_format": "json"}
        if language:
            data["language"] = language
        if prompt:  # the API's own way to pass hotwords and the previous turn
            data["prompt"] = prompt
        files = {"file": ("speech.wav", wav_bytes(pcm, self.sample_rate), "audio/wav")}
        try:
            if self._client is not None:
                response = await self._client.post(self.url, data=data, files=files,
                                                   headers=self._headers, timeout=self._timeout)
            else:
                async with httpx.AsyncClient(timeout=self._timeout) as client:
                    response = await client.post(self.url, data=data, files=files,
                                                 headers=self._headers)
        except httpx.HTTPError as exc:
            raise TranscriptionServerError(
                f"transcription server {self.url} unreachable: {type(exc).__name__}") from exc
        if response.status_code != 200:
            raise TranscriptionServerError(
                f"transcription server {self.url} answered HTTP {response.status_code}")
        try:
            text = response.json()["text"]
        except (ValueError, KeyError, TypeError) as exc:
            raise TranscriptionServerError(
                f"transcription server {self.url} sent no 'text' field") from exc
        if not isinstance(text, str):
            raise TranscriptionServerError(f"transcription server {self.url}: 'text' not a string")
        # Never more words than the audio could hold (a broken server once sent 2M characters,
        # and every call paid for post-processing them).
        audio_s = len(pcm) / self.sample_rate
        limit = max_units(audio_s)
        if len(text) > 12 * limit or len(units(text)) > limit:  # the length first: cheap
            raise TranscriptionServerError(
                f"transcription server {self.url} sent {len(text)} characters for "
                f"{audio_s:.1f} s of audio")
        return text.strip()

    def stream(self, *, language: str | None, start_ms: float,
               context: RecognitionContext | None = None) -> OpenAIStream:
        return OpenAIStream(self, language, context.prompt() if context else "")


class OpenAIStream:
    def __init__(self, recognizer: OpenAIRecognizer, language: str | None,
                 prompt: str = "") -> None:
        self._recognizer = recognizer
        self._language = language
        self._prompt = prompt
        self._chunks: list[Pcm] = []

    def feed(self, pcm: Pcm) -> None:
        if len(pcm):
            self._chunks.append(pcm)

    async def hypothesis(self) -> str:
        return ""

    async def finish(self) -> str:
        pcm = np.concatenate(self._chunks) if self._chunks else np.zeros(0, dtype=np.int16)
        return await self._recognizer.transcribe(pcm, language=self._language,
                                                 prompt=self._prompt)
