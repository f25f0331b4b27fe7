"""Whisper mode through the real server and the real voices: a text turn asks for a whisper and
the reply's audio measures as whispered with an independent pitch tracker (Praat), later
replies stay whispered, and "speak normally" brings the voice back."""

from __future__ import annotations

import base64
from collections.abc import Iterator

import numpy as np
import parselmouth
import pytest
import websockets

from tests.responder.live import TextCaller, Turn, real_voice_server

WIRE = 24_000
WHISPERED = 0.15  # at most this share of the sounding frames may carry a pitch
VOICED = 0.5  # normal speech: about 80% of them do


def voiced_share(turn: Turn) -> float:
    """Praat's pitch track (not the WORLD analysis that made the whisper) over the frames
    that carry sound: the share that is voiced."""
    pcm = np.frombuffer(b"".join(base64.b64decode(e["delta"])
                                 for e in turn.of("response.output_audio.delta")), "<i2")
    assert len(pcm) > WIRE // 2, "the reply has less than half a second of audio"
    x = pcm.astype(np.float64) / 32768.0
    pitch = parselmouth.Sound(x, sampling_frequency=WIRE).to_pitch(
        time_step=0.01, pitch_floor=70, pitch_ceiling=900)
    f0 = pitch.selected_array["frequency"]
    hop = WIRE // 100
    centre = [int(t * WIRE) for t in pitch.xs()]
    level = np.array([np.sqrt(np.mean(x[max(0, c - hop // 2): c + hop // 2] ** 2))
                      for c in centre])
    sounding = level > 0.1 * level.max()
    return float(np.mean(f0[sounding] > 0))


def style_of(turn: Turn) -> str | None:
    updates = turn.of("session.updated")
    return updates[-1]["session"]["lingxi"]["style"] if updates else None


@pytest.fixture(scope="module")
def server() -> Iterator[int]:
    with real_voice_server() as port:
        yield port


@pytest.mark.parametrize(("whisper", "then", "normal"), [
    ("小声跟我说句悄悄话", "今天上班好累啊", "好了，正常说话吧"),
    ("Can you whisper to me?", "I had a really long day at work.", "Okay, speak normally now."),
])
async def test_whisper_mode_is_heard_as_a_whisper_until_normal_speech_is_asked_for(
        server: int, whisper: str, then: str, normal: str) -> None:
    url = f"ws://127.0.0.1:{server}/v1/realtime?model=lingxi-test"
    async with websockets.connect(url, max_size=None) as ws:
        caller = TextCaller(ws)
        await caller.until("session.created")
        await caller.update({"type": "realtime", "lingxi": {"events": True}})

        asked = await caller.say(whisper)
        assert style_of(asked) == "whisper"
        assert asked.transcript
        assert voiced_share(asked) <= WHISPERED

        later = await caller.say(then)
        assert style_of(later) is None  # nothing changed: the mode holds
        assert voiced_share(later) <= WHISPERED

        back = await caller.say(normal)
        assert style_of(back) == "normal"
        assert voiced_share(back) >= VOICED
