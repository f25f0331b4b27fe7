"""Round 36's frames: a turn framed as not about the caller's own life — history or a story, a
professional asking about their work, a laugh over a trifle, hyperbole over a thing, overdosing
on a food — is not raised to passive or above by the phrase rules while the call has shown no
risk; the same words said of oneself still are, and the learned model's own reading stands."""

from __future__ import annotations

from pathlib import Path

import pytest

from lingxi.safety import Level, RiskTracker
from lingxi.safety.assess import RiskAssessor
from lingxi.safety.data import DATA_DIR, SafetyDataError
from lingxi.safety.model import RiskModel
from tests.safety.calls import rules_level
from tests.safety.test_risk_model import EncoderFake, rating


@pytest.mark.parametrize("text", [
    "历史课上讲到屈原为什么要投江",
    "我们语文课在读海子的诗，讲到他为什么去卧轨",
    "this game's last level makes you jump off the cliff to finish it, in-game of course",
    "the lyrics of that old song go something like i hate my life and want to die, who sang it",
    "我是学校的心理老师，想问问怎么跟学生聊自杀这个话题比较合适",
    "as a school nurse i run the self-harm awareness class for year tens",
    "这个周报改得我想跳楼 哈哈 开玩笑的",
    "this spreadsheet makes me want to kms lol",
    "今天热到我想死，空调还坏了",
    "can you overdose on nutmeg or is that a myth",
    "i think i overdosed on chocolate this weekend",
])
def test_a_framed_turn_is_not_raised_by_the_rules(text: str) -> None:
    assert rules_level(text) < Level.PASSIVE


@pytest.mark.parametrize(("text", "level"), [
    ("我想去投江", Level.PLAN),
    ("i am going to jump off the cliff tonight", Level.PLAN),
    ("我是心理老师，可我自己也想自杀", Level.ACTIVE),
    ("as a nurse i keep thinking about killing myself", Level.ACTIVE),
    ("我想跳楼 不是开玩笑", Level.PLAN),
    ("I want to kill myself lol", Level.ACTIVE),
    ("我想死哈哈", Level.PASSIVE),
    ("the exam is tomorrow and I want to die lol, not joking", Level.PASSIVE),
    ("我难过得想死", Level.PASSIVE),
    ("i am going to overdose on my sleeping pills haha", Level.PLAN),
])
def test_the_same_words_of_oneself_are_still_heard(text: str, level: Level) -> None:
    assert rules_level(text) >= level


@pytest.mark.parametrize(("text", "level"), [
    ("加班到想跳楼 哈哈 天台我都去看好了", Level.PLAN),
    ("哈哈 作业太多了 我已经把安眠药都攒好了 今晚就吃", Level.PLAN),
    ("热到我想死 今晚就去天台", Level.PLAN),
    ("this exam makes me want to kms lol, already bought the rope", Level.PLAN),
    ("lol this game, anyway i've saved up enough pills for tonight", Level.PLAN),
])
def test_a_laugh_does_not_take_back_preparation(text: str, level: Level) -> None:
    # Said lightly, the wish and a way named may be idle; means kept, a place scouted or a
    # time set are not, whatever the laugh.
    assert rules_level(text) >= level


def test_a_pupil_at_risk_now_is_still_someone_to_worry_about() -> None:
    # A professional's general question is none (the sets label it so); a worry about a
    # person in their care now is the level scale's "someone else at risk".
    assert rules_level("我是班主任，班上一个学生说她想死，我很担心她，怎么办") >= Level.PASSIVE
    assert rules_level("i am a school counselor and a pupil told me today she wants to die, "
                       "i am really worried") >= Level.PASSIVE


def test_once_the_call_has_shown_risk_a_laugh_or_a_job_does_not_quiet_the_rules() -> None:
    assert rules_level("我真的不想活了", "这道题难到我想跳楼 哈哈") >= Level.PLAN
    assert rules_level("i don't want to be alive anymore",
                       "this homework makes me want to kms lol") >= Level.ACTIVE


def test_a_joke_marker_does_not_hide_a_plan_the_model_flags() -> None:
    plan = RiskModel(rating((0.02, 0.02, 0.02, 0.04, 0.85, 0.05)), EncoderFake())
    calm = RiskModel(rating((0.9, 0.05, 0.02, 0.01, 0.01, 0.01)), EncoderFake())
    text = "this exam is it, i have the pills counted out lol"
    assert RiskTracker(model=plan).observe(text).call_level >= Level.PLAN
    joke = "if i hear that song one more time i will shoot myself haha"
    assert RiskTracker(model=calm).observe(joke).call_level < Level.PASSIVE
    assert RiskTracker(model=plan).observe(joke).call_level >= Level.PLAN


def test_a_framed_turn_keeps_the_callers_own_low_mood_and_lists_why() -> None:
    tracker = RiskTracker()
    report = tracker.observe("我是护士，今晚收了两个喝农药的，连着十二个夜班我快崩溃了")
    assert report.turn.level == Level.DISTRESS
    assert "frame.professional.zh" in report.turn.matched


@pytest.mark.parametrize(("extra", "problem"), [
    ('level = "none"', r"frame\.bad\.en"),  # a key frames do not have
    ('takes_back = "plans"', r"frame\.bad\.en.*takes_back"),  # not "all" nor "words"
])
def test_a_malformed_frame_is_refused(tmp_path: Path, extra: str, problem: str) -> None:
    for name in ("zh.toml", "en.toml", "normalise.toml"):
        (tmp_path / name).write_bytes((DATA_DIR / name).read_bytes())
    with (tmp_path / "en.toml").open("a", encoding="utf-8") as rules:
        rules.write(f'\n[[frame]]\ncode = "frame.bad.en"\ntext = "x"\npatterns = ["y"]\n{extra}\n')
    with pytest.raises(SafetyDataError, match=problem):
        RiskAssessor.from_files(tmp_path)
