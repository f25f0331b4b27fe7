"""At a pause mid-turn the responder may read the reply's prompt ahead (priming.py): it is
given the words so far, nothing is said, and the turn still ends only when the caller does."""

from __future__ import annotations

from lingxi.engines.fake import SpeechScript
from tests.harness import CallHarness


async def test_a_pause_lets_the_model_read_ahead_without_answering() -> None:
    script = SpeechScript().say(0.5, 1.5, "我今天早上，").say(1.75, 2.8, "本来想去跑步的。")
    async with CallHarness(script=script, replies=["嗯。"]) as h:
        await h.speak_until(5.0)
    primed = h.responder.primed
    assert primed, "nothing was read ahead at the pause"
    ahead = primed[0]
    assert ahead.history[-1].role == "user" and ahead.history[-1].text == "我今天早上，"
    # One turn, one reply, after the caller finished; the reply's request carries the whole
    # sentence with the same conversation before it.
    assert len(h.of("response.created")) == 1
    assert all(r.at > 2.8 for r in h.of("response.created"))
    [asked] = h.responder.calls
    assert asked.history[-1].text == "我今天早上，本来想去跑步的。"
    assert asked.history[:-1] == ahead.history[:-1]
    assert asked.persona == ahead.persona and asked.memory_note == ahead.memory_note
