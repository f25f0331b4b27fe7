"""Persona switches inside a call (virtual clock): the switch happens before the responder
runs, the reply takes the new persona's voice, and safety's words keep the plain voice."""

from __future__ import annotations

from collections.abc import AsyncIterator

from lingxi.audio import Pcm
from lingxi.engines.tts.prosody import styled
from lingxi.interfaces import Voice
from lingxi.personas import builtin_book
from tests.harness import CallHarness


def record_voices(h: CallHarness) -> list[Voice]:
    voices: list[Voice] = []
    synthesize = h.tts.synthesize

    async def recording(text: str, voice: Voice) -> AsyncIterator[Pcm]:
        voices.append(voice)
        async for chunk in synthesize(text, voice):
            yield chunk

    h.tts.synthesize = recording  # type: ignore[method-assign]
    return voices


async def say(h: CallHarness, text: str) -> None:
    await h.send({"type": "conversation.item.create", "item": {
        "type": "message", "role": "user", "content": [{"type": "input_text", "text": text}]}})
    await h.send({"type": "response.create"})
    await h.wait(10.0)


async def test_a_switch_by_voice_reaches_responder_voice_and_session() -> None:
    book = builtin_book()
    async with CallHarness(replies=["好的。"]) as h:
        voices = record_voices(h)
        await say(h, "你好")
        await say(h, "让孙悟空来跟我说")
        await say(h, "再说一句")
    personas = [r.persona for r in h.responder.calls]
    assert personas == ["companion", "sunwukong", "sunwukong"]
    assert voices[0] == book.voice("companion") and voices[-1] == book.voice("sunwukong")
    updates = [s.event["session"] for s in h.of("session.updated")]
    assert updates[-1]["lingxi"]["persona"] == "sunwukong"
    assert h.call.session.lingxi is not None and h.call.session.lingxi.persona == "sunwukong"


async def test_no_switch_without_a_known_persona_or_a_new_turn() -> None:
    async with CallHarness(replies=["好的。"]) as h:
        await say(h, "让他来吧")
        await h.send({"type": "response.create"})  # a reply with no new words
        await h.wait(10.0)
    assert [r.persona for r in h.responder.calls] == ["companion", "companion"]
    assert not h.of("session.updated")


async def test_safety_replies_keep_the_plain_voice() -> None:
    book = builtin_book()
    async with CallHarness(replies=["好的。"]) as h:
        voices = record_voices(h)
        await h.send({"type": "session.update", "session": {"lingxi": {"persona": "sunwukong"}}})
        await say(h, "你好")
        await say(h, "我不想活了")
    assert voices[0] == book.voice("sunwukong")
    # The crisis reply is not played in character: the default voice, calm.
    assert voices[-1] == styled(book.voice("companion"), "calm")
