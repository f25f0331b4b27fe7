"""A call on a speakerphone: the reply comes back into the microphone. With the echo guard on
the reply is not cut short by its own echo; with it off, it is (virtual time, energy VAD)."""

from __future__ import annotations

import base64
import dataclasses
from collections.abc import AsyncIterator

import numpy as np

from lingxi.audio import Pcm, WireFormat
from lingxi.engines.fake import SpeechScript
from lingxi.interfaces import Voice
from lingxi.session.call import Call, CallSettings
from tests.harness import CallHarness
from tests.unit.test_echo_guard import voice

WIRE = WireFormat("pcm16", 24000)
REPLY = "从前有一座山，山上住着一只小狐狸。"


class SyllableTTS:
    """Speech-like audio (syllables rising and falling), so an echo has a rhythm to match."""

    name = "syllable-tts"
    sample_rate = 16000

    def duration_ms(self, text: str, voice: Voice | None = None) -> float:
        return 200.0 * len(text)

    async def synthesize(self, text: str, voice: Voice) -> AsyncIterator[Pcm]:
        audio = np.clip(voice_of(text), -32768, 32767).astype(np.int16)
        for i in range(0, len(audio), 640):
            yield audio[i : i + 640]


def voice_of(text: str) -> np.ndarray[tuple[int], np.dtype[np.float64]]:
    return voice(0.2 * len(text), 180.0, seed=len(text))


async def call_on_a_speaker(guard: bool | None = None, interrupt: bool = False) -> CallHarness:
    """The caller asks, then the reply's echo (delayed 120 ms, 10 dB down) is heard, and
    with `interrupt` the caller talking over it at 4 s. `guard` None: the default settings."""
    script = SpeechScript().say(0.5, 1.5, "讲个故事。")
    if interrupt:
        script.say(4.0, 5.0, "等一下！")
    h = CallHarness(script=script, replies=[REPLY, "好的。"],
                    settings=CallSettings(duties=False) if guard is None
                    else CallSettings(duties=False, echo_guard=guard))
    h.engines = dataclasses.replace(h.engines, tts=SyllableTTS())
    h.call = Call(h.engines, h.clock, settings=h.settings)
    caller = script.render(24000, 14.0).astype(np.float64)
    speaker = np.zeros(len(caller) + 24000 * 20)
    played_to = 0  # where the client's playback reached (samples since the call began)
    seen = 0
    async with h:
        step = 480  # 20 ms
        for at in range(0, len(caller) - step, step):
            for sent in h.channel.sent[seen:]:  # the client plays each chunk once it has it
                if sent.type == "response.output_audio.delta":
                    pcm = WIRE.decode(base64.b64decode(sent.event["delta"])).astype(np.float64)
                    start = max(played_to, round(sent.at * 24000))
                    speaker[start : start + len(pcm)] = pcm
                    played_to = start + len(pcm)
                elif sent.type == "input_audio_buffer.speech_started" and sent.at > 2.0:
                    speaker[round(sent.at * 24000):] = 0.0  # the client stops playing
            seen = len(h.channel.sent)
            delay = 2880  # 120 ms
            echo = speaker[max(0, at - delay) : at - delay + step] if at >= delay \
                else np.zeros(step)
            mic = caller[at : at + step] + 0.3 * echo
            await h.send({"type": "input_audio_buffer.append", "audio": base64.b64encode(
                WIRE.encode(np.clip(mic, -32768, 32767).astype(np.int16))).decode()})
            await h.wait(step / 24000)
    return h


async def test_the_replys_echo_cuts_it_short_without_the_guard() -> None:
    h = await call_on_a_speaker(guard=False)
    assert h.of("response.done")[0].event["response"]["status"] == "cancelled"


async def test_by_default_the_reply_is_not_cut_short_by_its_own_echo() -> None:
    h = await call_on_a_speaker()
    assert len(h.of("input_audio_buffer.speech_started")) == 1  # the caller's question only
    assert h.of("response.done")[0].event["response"]["status"] == "completed"


async def test_by_default_the_caller_still_interrupts_over_the_echo() -> None:
    h = await call_on_a_speaker(interrupt=True)
    barge = h.of("input_audio_buffer.speech_started")[1]
    assert 4.0 <= barge.at <= 4.5  # the caller's words, not the echo before them
    assert h.of("response.done")[0].event["response"]["status"] == "cancelled"
