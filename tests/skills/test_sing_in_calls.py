"""Singing through the real server and the real voices: a text turn asks for a song, its sung
audio arrives with the lyric line as the transcript and measures in tune (Praat); the caller
stops it, asks to go on (the cut line starts again) and switches songs."""

from __future__ import annotations

import base64
import json
import time
from collections.abc import Iterator
from typing import Any

import numpy as np
import pytest
import websockets

from lingxi.audio import Pcm
from lingxi.skills.sing.library import song
from tests.responder.live import TextCaller, real_voice_server
from tests.skills.sing_measure import measure, score

WIRE = 24_000
HEARD_S = 2.4  # the first four notes of 小星星 (0.55 s each), then the caller stops it
STOPPED_WITHIN_S = 0.5


@pytest.fixture(scope="module")
def server() -> Iterator[int]:
    with real_voice_server() as port:
        yield port


async def sing_then_stop(caller: TextCaller, text: str,
                         heard_s: float) -> tuple[str, Pcm, float]:
    """Ask, listen for `heard_s` of sung audio, then cancel: (first line, audio, seconds
    from the cancel to the reply's end)."""
    await caller.send({"type": "conversation.item.create", "item": {
        "type": "message", "role": "user", "content": [{"type": "input_text", "text": text}]}})
    await caller.send({"type": "response.create"})
    line, chunks = "", list[Pcm]()
    while sum(len(c) for c in chunks) < heard_s * WIRE:
        event: dict[str, Any] = json.loads(await caller.ws.recv())
        assert event["type"] not in ("error", "response.done"), event
        if event["type"] == "response.output_audio_transcript.delta" and not line:
            line = event["delta"]
        elif event["type"] == "response.output_audio.delta":
            chunks.append(np.frombuffer(base64.b64decode(event["delta"]), "<i2"))
    t = time.monotonic()
    await caller.send({"type": "response.cancel"})
    done = (await caller.until("response.done"))[-1]
    assert done["response"]["status"] == "cancelled"
    return line, np.concatenate(chunks), time.monotonic() - t


async def test_a_song_is_sung_in_tune_stopped_resumed_at_the_cut_line_and_switched(
        server: int) -> None:
    url = f"ws://127.0.0.1:{server}/v1/realtime?model=lingxi-test"
    twinkle, tigers = song("twinkle-zh"), song("tigers-zh")
    async with websockets.connect(url, max_size=None) as ws:
        caller = TextCaller(ws)
        await caller.until("session.created")

        line, pcm, stop_s = await sing_then_stop(caller, "唱两句小星星", HEARD_S)
        assert line == twinkle.captions()[0]
        assert stop_s < STOPPED_WITHIN_S
        notes = score(twinkle, [0])[:4]
        m = measure(pcm[: int((notes[-1].end_ms + 40) * WIRE / 1000)], WIRE, notes)
        assert m.median_cents <= 20.0, m.cents

        line, _, _ = await sing_then_stop(caller, "接着唱", 0.5)
        assert line == twinkle.captions()[0]  # it was cut in its first line

        line, _, _ = await sing_then_stop(caller, "换一首，唱两只老虎", 0.5)
        assert line == tigers.captions()[0]
