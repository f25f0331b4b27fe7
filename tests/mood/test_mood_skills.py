"""The mood skills on the router (no server): consent asked once, at a greeting, plainly;
yes and no; "stop tracking my mood" from anyone; the check-in a trend calls for, with the
support line and never a label; the voice self-check; and safety first, always."""

from __future__ import annotations

from lingxi.interfaces import Affect, ChatMessage
from lingxi.safety.gate import SafetyGate
from lingxi.skills import default_skills
from lingxi.skills.checkin import support_line
from lingxi.skills.testing import run_turn
from lingxi.turn import SafetyNotice, Say
from tests.mood.fakes import DECLINING, DueMood, FakeMood

LABELS = ("抑郁", "抑郁症", "depress", "disorder", "病", "diagnosed")
EARLIER = (ChatMessage("user", "你好"), ChatMessage("assistant", "你好呀"))


async def test_a_returning_caller_is_asked_once_at_a_greeting() -> None:
    mood = FakeMood()
    run = await run_turn(default_skills(), "你好", mood=mood)
    assert run.skill == "mood"
    said = run.said
    # What is kept, what it is for, how to delete it; that feeling is read from the voice.
    for part in ("心情", "声音", "不记原话", "别记我的心情了", "删掉", "不是诊断", "愿意吗"):
        assert part in said
    assert mood.asking and mood.events == ["ask"]
    again = await run_turn(default_skills(), "你好", mood=FakeMood(asked=True))
    assert again.skill == "fallback-fake"


async def test_no_question_for_a_first_call_a_low_caller_or_a_minor() -> None:
    cases = [(FakeMood(returning=False), "你好", None),
             (FakeMood(), "你好", Affect("sad", -0.6, -0.3)),
             (FakeMood(), "你好，我最近老是失眠", None),
             (FakeMood(allowed=False), "你好", None)]
    for mood, words, affect in cases:
        run = await run_turn(default_skills(), words, mood=mood, affect=affect)
        assert run.skill != "mood" and not mood.asking, words


async def test_yes_turns_it_on_and_no_leaves_it_off() -> None:
    yes = FakeMood(asked=True, asking=True)
    run = await run_turn(default_skills(), "好的，可以", mood=yes, history=EARLIER)
    assert run.skill == "mood" and yes.on and "心情图" in run.said
    no = FakeMood(asked=True, asking=True)
    run = await run_turn(default_skills(), "No thanks", mood=no, language="en")
    assert run.skill == "mood" and no.state == "off" and not no.on


async def test_something_else_after_the_question_leaves_it_off_and_is_answered() -> None:
    mood = FakeMood(asked=True, asking=True)
    run = await run_turn(default_skills(), "今天我去公园散步了", mood=mood)
    assert run.skill == "fallback-fake"  # their words are answered, not the question
    assert mood.state == "off" and not mood.asking


async def test_stop_tracking_turns_it_off_and_deletes() -> None:
    for words, lang in (("别记我的心情了", "zh"), ("Please stop tracking my mood", "en")):
        mood = DueMood()
        run = await run_turn(default_skills(), words, mood=mood, language=lang)
        assert run.skill == "mood" and mood.stopped == 1 and not mood.on
        assert ("删掉" in run.said) if lang == "zh" else ("deleted" in run.said)


async def test_a_minor_cannot_turn_it_on() -> None:
    mood = FakeMood(allowed=False)
    run = await run_turn(default_skills(), "帮我记录我的心情", mood=mood)
    assert run.skill == "mood" and not mood.on and "没有开启" in run.said


async def test_the_check_in_says_what_was_noticed_and_offers_the_line() -> None:
    mood = DueMood()
    run = await run_turn(default_skills(), "你好", mood=mood)
    assert run.skill == "checkin" and mood.checkins == 1
    said = run.said
    assert "9次" in said and "睡不好" in said  # the numbers it rests on
    assert "12356" in said.replace(" ", "")  # the region's crisis line (CN for Chinese)
    assert "做个自测" in said
    assert not any(word in said for word in LABELS)
    english = await run_turn(default_skills(), "hi", mood=DueMood(), language="en")
    assert "988" in english.said and "9 times" in english.said
    assert not any(word in english.said.lower() for word in LABELS)
    later = await run_turn(default_skills(), "你好", mood=mood)  # once is enough
    assert later.skill != "checkin"
    # The session's region picks the line (Hong Kong: a line of its own, not the mainland's).
    hong_kong = await run_turn(default_skills(), "你好", mood=DueMood(), region="HK")
    assert "12356" not in hong_kong.said.replace(" ", "")
    assert support_line("zh", "HK").split()[-1] in hong_kong.said


async def test_the_voice_self_check_asks_two_questions_and_never_labels() -> None:
    mood = DueMood()
    first = await run_turn(default_skills(), "好，做个自测吧", mood=mood)
    assert first.skill == "checkin" and mood.selfcheck == [] and "第一个问题" in first.said
    unclear = await run_turn(default_skills(), "嗯……我想想", mood=mood)
    assert "没听清" in unclear.said and mood.selfcheck == []
    second = await run_turn(default_skills(), "几乎每天都这样", mood=mood)
    assert "第二个问题" in second.said and mood.selfcheck == [3]
    result = await run_turn(default_skills(), "一半以上的天数吧", mood=mood)
    assert mood.selfcheck is None
    assert "12356" in result.said.replace(" ", "") and "不是诊断" in result.said
    assert not any(word in result.said for word in LABELS)
    calm = FakeMood(state="on", selfcheck=[0])
    light = await run_turn(default_skills(), "没有", mood=calm)
    assert "12356" not in light.said.replace(" ", "") and calm.selfcheck is None


async def test_acute_risk_goes_to_safety_before_any_check_in() -> None:
    """The router asks safety first: with a check-in due (or a self-check running), a crisis
    turn gets the crisis reply and the check-in waits."""
    for mood in (DueMood(), FakeMood(state="on", trend=DECLINING, selfcheck=[2])):
        gate = SafetyGate(duties=None)
        run = await run_turn(default_skills(), "我不想活了", mood=mood, gate=gate)
        assert run.skill == "safety"
        assert isinstance(run.segments[0], SafetyNotice)
        assert mood.checkins == 0
        assert any(isinstance(s, Say) and "12356" in s.text.replace(" ", "")
                   for s in run.segments)
