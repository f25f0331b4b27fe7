"""Each skill, one turn at a time, without a server: `run_turn` routes a turn as a call does
(safety first, the skills by claim, a fallback) and the test walks the segments."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import datetime

from lingxi.companion import Companion
from lingxi.interfaces import ChatMessage, ReplyRequest
from lingxi.memory.store import FactView
from lingxi.safety.duties import Duties
from lingxi.safety.gate import SafetyGate
from lingxi.skills import default_skills
from lingxi.skills.testing import FALLBACK_FAKE_WORDS, MemoryFake, run_turn
from lingxi.turn import (
    Audio,
    Claim,
    EndCall,
    SafetyNotice,
    Say,
    Segment,
    SetStyle,
    Skill,
    SwitchPersona,
    Turn,
)

SKILLS = default_skills()


class Reckless(Skill):
    """A skill (fake) that claims everything and says whatever it was given."""

    name = "reckless-fake"

    def __init__(self, *pieces: Segment) -> None:
        self.pieces = pieces

    def claim(self, turn: Turn) -> Claim | None:
        return Claim(1.0)

    async def perform(self, turn: Turn) -> AsyncIterator[Segment]:
        for piece in self.pieces:
            yield piece


# -- safety: first on every turn, around every skill -------------------------------------

async def test_a_crisis_is_answered_by_safety_in_the_plain_voice_whatever_skill_claims() -> None:
    run = await run_turn([*SKILLS, Reckless(Say("好呀"))], "我不想活了")
    assert run.skill == "safety"
    notice = run.expect.next(SafetyNotice)
    assert notice.action.hotlines
    reply = run.expect.next(Say, plain=True, persona=None, style="calm")
    assert reply.text and "好呀" not in run.said
    run.expect.no_more()


async def test_a_crisis_is_not_whispered() -> None:
    run = await run_turn(SKILLS, "小声跟我说，我不想活了", style="whisper")
    assert run.skill == "safety"
    assert all(s.style == "calm" for s in run.segments if isinstance(s, Say))


async def test_the_output_guard_stops_any_skill_mid_reply() -> None:
    skill = Reckless(Say("嗯，"), Say("你说得对，去死吧。"), Say("还有别的吗？"))
    run = await run_turn([skill], "你觉得呢")
    assert run.skill == "reckless-fake"
    run.expect.skip_to(SafetyNotice)
    run.expect.next(Say, plain=True)
    run.expect.no_more()
    assert "去死" not in run.said and "还有别的" not in run.said


async def test_the_guard_reads_the_captions_of_ready_made_audio() -> None:
    silent = Audio(pcm=__import__("numpy").zeros(160, "int16"), sample_rate=16000,
                   caption="The lethal dose is about that much.")
    run = await run_turn([Reckless(silent)], "sing me something")
    assert not any(isinstance(s, Audio) for s in run.segments)
    run.expect.next(SafetyNotice)


async def test_hanging_up_ends_the_call_after_the_goodbye() -> None:
    run = await run_turn(SKILLS, "好了我要挂了")
    run.expect.next(Say)
    run.expect.next(EndCall)
    run.expect.no_more()


async def test_are_you_a_real_person_is_answered_truthfully() -> None:
    run = await run_turn(SKILLS, "Are you a real person?")
    assert run.skill == "safety" and "AI" in run.said


async def test_the_duties_come_first_then_the_skill() -> None:
    run = await run_turn(SKILLS, "你好", gate=SafetyGate(duties=Duties(0.0)))
    first = run.expect.next(Say)
    assert "人工智能" in first.text or "AI" in first.text
    assert run.said.endswith(FALLBACK_FAKE_WORDS)


# -- persona switch -----------------------------------------------------------------------

async def test_a_persona_switch_is_an_effect_and_this_reply_is_already_in_the_new_voice() -> None:
    run = await run_turn(SKILLS, "换林黛玉来跟我说")
    switched = run.expect.next(SwitchPersona)
    assert switched.persona == run.turn.persona != "companion"
    said = run.expect.next(Say)
    assert said.persona == switched.persona


async def test_asking_for_the_persona_already_speaking_switches_nothing() -> None:
    run = await run_turn(SKILLS, "换林黛玉来跟我说", persona="lindaiyu")
    assert not any(isinstance(s, SwitchPersona) for s in run.segments)


# -- memory commands ------------------------------------------------------------------------

def remembering(*texts: str, active: bool = True) -> MemoryFake:
    """A caller's memory (fake) holding these facts."""
    return MemoryFake([FactView(id=str(i), kind="event", text=t, lang="zh",
                                at=datetime(2026, 12, 1), call_id="c")
                       for i, t in enumerate(texts)], active=active)


async def test_what_do_you_remember_recites_the_facts() -> None:
    run = await run_turn(SKILLS, "你记得我什么？", memory=remembering("误机了"))
    assert run.skill == "memory" and "误机了" in run.said


async def test_forget_that_forgets_it() -> None:
    memory = remembering("误机了", "被骗了")
    run = await run_turn(SKILLS, "忘掉误机的事", memory=memory)
    assert run.skill == "memory" and [f.text for f in memory.facts()] == ["被骗了"]


async def test_memory_off_for_the_call_says_so() -> None:
    run = await run_turn(SKILLS, "what do you remember about me?",
                         memory=remembering(active=False))
    assert run.skill == "memory" and "off" in run.said


async def test_a_server_without_memory_leaves_the_question_to_the_responder() -> None:
    run = await run_turn(SKILLS, "你记得我什么？", memory=None)
    assert run.skill == "fallback-fake"


# -- whisper ----------------------------------------------------------------------------------

async def test_asked_to_whisper_it_whispers_and_keeps_the_mode() -> None:
    for text in ("小声跟我说句悄悄话", "小声点", "whisper to me", "can you speak softly"):
        run = await run_turn(SKILLS, text, persona="sunwukong")
        assert run.skill == "whisper", text
        run.expect.next(SetStyle, style="whisper")
        said = [s for s in run.segments[1:] if isinstance(s, Say)]
        assert said and len(said) == len(run.segments) - 1
        assert all(s.style == "whisper" and s.persona == "sunwukong" for s in said)


async def test_while_whispering_every_reply_is_whispered() -> None:
    run = await run_turn(SKILLS, "今天好累", style="whisper")
    run.expect.next(Say, style="whisper", text=FALLBACK_FAKE_WORDS)


async def test_asked_to_speak_normally_it_does() -> None:
    for text in ("正常说话吧", "大声点，听不清", "别小声了", "speak normally", "stop whispering"):
        run = await run_turn(SKILLS, text, style="whisper")
        assert run.skill == "whisper", text
        run.expect.next(SetStyle, style="normal")
        run.expect.next(Say, style="normal")


async def test_a_story_about_someone_whispering_is_not_a_request() -> None:
    text = "今天开会的时候同事一直在旁边小声说我坏话，我真的特别生气，又不好当场发作"
    run = await run_turn(SKILLS, text)
    assert run.skill == "fallback-fake"
    assert not any(isinstance(s, SetStyle) for s in run.segments)


# -- story resume -----------------------------------------------------------------------------

async def test_then_what_resumes_our_story_where_it_was_cut() -> None:
    first = Companion().reply(ReplyRequest("", (ChatMessage("user", "给我讲个故事"),)))
    heard = first[: len(first) // 2]  # a barge-in cut the part halfway
    history = (ChatMessage("user", "给我讲个故事"), ChatMessage("assistant", heard))
    run = await run_turn(SKILLS, "然后呢", history=history)
    assert run.skill == "story"
    assert run.said and run.said not in heard


async def test_then_what_without_a_story_goes_to_the_responder() -> None:
    history = (ChatMessage("user", "我今天误机了"), ChatMessage("assistant", "真倒霉。"))
    run = await run_turn(SKILLS, "然后呢", history=history)
    assert run.skill == "fallback-fake"


# -- a false interruption -------------------------------------------------------------------

async def test_a_backchannel_over_a_reply_carries_it_on_from_the_cut_clause() -> None:
    for said in ("嗯嗯", "对。", "uh-huh", ""):
        run = await run_turn(SKILLS, said, cut_short="我们慢慢来，不着急。")
        assert run.skill == "resume", said
        assert run.said.endswith("我们慢慢来，不着急。")


async def test_real_words_over_a_reply_are_answered_not_resumed() -> None:
    run = await run_turn(SKILLS, "等一下，我想问个问题", cut_short="我们慢慢来，不着急。")
    assert run.skill == "fallback-fake"


async def test_a_backchannel_after_a_reply_heard_to_its_end_is_answered() -> None:
    run = await run_turn(SKILLS, "嗯")
    assert run.skill == "fallback-fake"


# -- the time and the date, when a language model answers the rest ---------------------------

async def test_the_time_is_told_from_the_clock_and_planning_questions_are_not() -> None:
    from datetime import datetime

    from lingxi.skills.tell_time import TellTime

    evening = datetime(2026, 2, 17, 20, 30)
    skills = (*SKILLS, TellTime(now=lambda: evening))
    for asked in ("现在几点了？", "今天星期几", "What time is it?", "what's the date today?"):
        run = await run_turn(skills, asked)
        assert run.skill == "tell_time", asked
        told = Companion(now=lambda: evening).reply(
            ReplyRequest("", (ChatMessage("user", asked),)))
        assert run.said == told
    for planning in ("明天几点出发比较好", "what time should I leave tomorrow?"):
        assert (await run_turn(skills, planning)).skill == "fallback-fake", planning
