"""Through the real server, the real voices and the offline companion: the reply to good news
is measurably livelier (Praat) than the reply to sad news."""

from __future__ import annotations

import base64
from collections.abc import Iterator

import numpy as np
import pytest
import websockets

from tests.affect.prosody import Heard, hear, livelier
from tests.responder.live import TextCaller, real_voice_server

WIRE = 24_000


@pytest.fixture(scope="module")
def server() -> Iterator[int]:
    with real_voice_server() as port:
        yield port


async def reply_to(port: int, words: str) -> tuple[Heard, str]:
    """A new call, one text turn; how its spoken reply sounds, and its words."""
    url = f"ws://127.0.0.1:{port}/v1/realtime?model=lingxi-test"
    async with websockets.connect(url, max_size=None) as ws:
        caller = TextCaller(ws)
        await caller.until("session.created")
        turn = await caller.say(words)
    pcm = np.frombuffer(b"".join(base64.b64decode(e["delta"])
                                 for e in turn.of("response.output_audio.delta")), "<i2")
    assert len(pcm) > WIRE, "the reply has less than a second of audio"
    return hear(pcm, WIRE, turn.transcript), turn.transcript


async def test_good_news_is_answered_livelier_than_sad_news(server: int) -> None:
    good, good_words = await reply_to(server, "我考上研究生了！")
    sad, sad_words = await reply_to(server, "陪了我十年的老狗今天走了")
    assert good_words.startswith("哇") and sad_words.startswith("唉")
    assert livelier(good, sad), (good, sad)
    assert good.level_db > sad.level_db  # and sad news is answered more softly
