"""How each clause of a reply is voiced: the caller's feeling answered in kind, the words'
own feeling otherwise, a model's tag obeyed (never spoken), whispering back to a whisper, and
safety over all of it."""

from __future__ import annotations

from collections.abc import AsyncIterator

from lingxi.interfaces import Affect, Feeling
from lingxi.skills import default_skills
from lingxi.skills.testing import FALLBACK_FAKE_WORDS, run_turn
from lingxi.turn import Say, Segment, Skill, Turn

SKILLS = default_skills()
HAPPY = Affect("happy", 0.8, 0.6)
SAD = Affect("sad", -0.7, -0.4)
WHISPERING = Affect("neutral", whispering=True, cues=("whisper",), from_voice=True)


class Saying(Skill):
    """A responder stand-in that says given clauses."""

    name = "saying"

    def __init__(self, *clauses: str) -> None:
        self.clauses = clauses

    async def perform(self, turn: Turn) -> AsyncIterator[Segment]:
        for clause in self.clauses:
            yield Say(clause)


def says(run_segments: list[Segment]) -> list[Say]:
    return [s for s in run_segments if isinstance(s, Say)]


async def test_good_news_is_answered_happily_with_a_wow() -> None:
    run = await run_turn(SKILLS, "我考上研究生了！", affect=HAPPY, language="zh")
    said = says(run.segments)
    assert said and all(s.style == "happy" for s in said)
    assert said[0].text.startswith("哇！") and FALLBACK_FAKE_WORDS in said[0].text


async def test_sad_news_is_answered_softly_with_a_sigh() -> None:
    run = await run_turn(SKILLS, "陪了我十年的老狗今天走了", affect=SAD, language="zh")
    said = says(run.segments)
    assert said and all(s.style == "sad" for s in said)
    assert said[0].text.startswith("唉")


async def test_a_tired_or_anxious_caller_hears_a_calm_voice() -> None:
    feelings: tuple[Feeling, ...] = ("tired", "anxious", "angry")
    for label in feelings:
        run = await run_turn(SKILLS, "嗯", affect=Affect(label, -0.4, 0.0))
        assert {s.style for s in says(run.segments)} == {"calm"}, label


async def test_an_interjection_is_not_doubled_and_comes_once() -> None:
    fallback = Saying("哇，太棒了！", "恭喜你！")
    run = await run_turn(SKILLS, "我升职了", affect=HAPPY, fallback=fallback)
    assert "".join(s.text for s in says(run.segments)) == "哇，太棒了！恭喜你！"


async def test_a_neutral_caller_hears_the_feeling_of_the_words_themselves() -> None:
    fallback = Saying("太好了，真为你高兴！", "明天见。")
    run = await run_turn(SKILLS, "你好", fallback=fallback)
    styles = {s.text: s.style for s in says(run.segments)}  # the guard cut the clauses
    assert styles == {"太好了，": "happy", "真为你高兴！": "happy", "明天见。": "normal"}


async def test_a_models_style_tag_is_obeyed_and_never_spoken() -> None:
    fallback = Saying("[playful] Guess what?", "（温暖）我一直在这里。")
    run = await run_turn(SKILLS, "hi", fallback=fallback)
    said = says(run.segments)
    assert [(s.style, s.text) for s in said] == [("playful", "Guess what?"),
                                                ("warm", "我一直在这里。")]


async def test_a_whispering_caller_is_whispered_to_and_a_speaking_one_spoken_to() -> None:
    run = await run_turn(SKILLS, "我跟你说个秘密", affect=WHISPERING)
    assert {s.style for s in says(run.segments)} == {"whisper"}
    run = await run_turn(SKILLS, "我跟你说个秘密", affect=Affect("neutral", from_voice=True))
    assert {s.style for s in says(run.segments)} == {"normal"}


async def test_a_crisis_is_said_calmly_however_happy_the_caller_sounds() -> None:
    run = await run_turn(SKILLS, "我不想活了", affect=HAPPY)
    assert run.skill == "safety"
    assert {s.style for s in says(run.segments)} == {"calm"}
    assert not any(s.text.startswith(("哇", "唉")) for s in says(run.segments))


async def test_a_caller_at_risk_never_hears_a_happy_or_playful_voice() -> None:
    from lingxi.safety.gate import SafetyGate

    gate = SafetyGate(duties=None)
    gate.observe("最近觉得活着好累，没什么意思")  # distress: the call's risk is raised
    assert gate.level != "none"
    fallback = Saying("[happy] 太好了！", "[playful] 来玩个游戏吧。", "我在。")
    run = await run_turn(SKILLS, "我中奖了，太开心了", affect=HAPPY, gate=gate, fallback=fallback)
    styles = {s.style for s in says(run.segments)}
    assert styles and not styles & {"happy", "playful"}
    assert not any(s.text.startswith("哇") for s in says(run.segments))


async def test_a_sad_caller_in_distress_still_hears_a_sigh() -> None:
    from lingxi.safety.gate import SafetyGate

    gate = SafetyGate(duties=None)
    gate.observe("最近觉得活着好累，没什么意思")  # distress
    assert gate.level == "distress"
    run = await run_turn(SKILLS, "陪了我十年的老狗今天走了", affect=SAD, gate=gate,
                         fallback=Saying("我在。"))
    said = says(run.segments)
    assert said and said[0].text.startswith("唉")
    assert not {s.style for s in said} & {"happy", "playful"}


async def test_a_call_that_only_reached_distress_is_light_again_once_calm() -> None:
    from lingxi.safety.gate import SafetyGate

    gate = SafetyGate(duties=None)
    for text in ("最近觉得活着好累，没什么意思", "今天天气不错", "我们聊点别的吧"):
        gate.observe(text)
    fallback = Saying("[happy] 太好了！", "我在。")
    run = await run_turn(SKILLS, "我中奖了，太开心了", affect=HAPPY, gate=gate, fallback=fallback)
    assert gate.level == "distress"  # the call's level stays; only the voice lightens
    said = says(run.segments)
    assert "happy" in {s.style for s in said} and said[0].text.startswith("哇")


async def test_two_calm_turns_after_distress_are_not_enough_for_a_light_voice() -> None:
    from lingxi.safety.gate import SafetyGate

    gate = SafetyGate(duties=None)
    for text in ("最近觉得活着好累，没什么意思", "今天天气不错"):
        gate.observe(text)
    fallback = Saying("[happy] 太好了！", "我在。")
    run = await run_turn(SKILLS, "我中奖了，太开心了", affect=HAPPY, gate=gate, fallback=fallback)
    said = says(run.segments)
    assert "happy" not in {s.style for s in said} and not said[0].text.startswith("哇")


async def test_safetys_other_words_are_warm_and_whispered_in_whisper_mode() -> None:
    run = await run_turn(SKILLS, "你是真人吗？", affect=HAPPY)
    assert run.skill == "safety"
    assert {s.style for s in says(run.segments)} == {"warm"}
    run = await run_turn(SKILLS, "你是真人吗？", style="whisper")
    assert {s.style for s in says(run.segments)} == {"whisper"}


async def test_a_tag_anywhere_in_a_clause_is_removed_and_the_first_one_counts() -> None:
    fallback = Saying("真为你开心【开心】！", "Guess [happy] what?")
    run = await run_turn(SKILLS, "hi", fallback=fallback)
    assert [(s.style, s.text) for s in says(run.segments)] == [
        ("happy", "真为你开心！"), ("happy", "Guess what?")]


async def test_a_full_width_tag_survives_the_spoken_style_filter() -> None:
    from lingxi.engines.spoken import _speakable

    assert _speakable("【难过】我懂。") == "【难过】我懂。"
