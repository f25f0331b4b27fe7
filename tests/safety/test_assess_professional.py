"""Round 14's masks: people at work speaking of those in their care (a ward nurse, a coroner,
a counsellor) and "suicide" used for something else (a baseball play, a career move, a death
in history) are not the caller's own risk; beside each, the sentence on the same words that
must still be heard (a clinician who is at risk, a question about which bridge has no net)."""

from __future__ import annotations

import pytest

from lingxi.safety import Level
from tests.safety.calls import rules_level


@pytest.mark.parametrize("turns", [
    ("I work nights in the ICU and one of our patients overdosed again, rough shift",),
    ("part of my job is to screen residents for suicide risk when they arrive",),
    ("the workshop taught us how to dress self-harm wounds properly",),
    ("急诊今天送来一个吃了老鼠药的大爷，洗了胃，命保住了",),
    ("我们学校下午有个心理老师来做自杀干预讲座",),
    ("我带的个案说想死的那次，我陪他做了安全计划",),
    ("that trade was financial suicide, I should have sold in March",),
    ("our coach made us run suicide sprints until we nearly threw up",),
    ("was that ruled a suicide or an accident, the poet who drowned in 1930?",),
    # round 56: a volunteer, a moderator, a pharmacy, a trainer said in other ways
    ("I volunteer with a suicide prevention lifeline, how do I open when a caller sounds flat",),
    ("as a first year crisis line volunteer, what do I say if someone mentions pills",),
    ("i moderate a recovery forum and people post self-harm photos, how do others handle it",),
    ("我在一家药房上班，有人一次买好几盒安眠药，按规定该怎么问",),
    ("我在一个贴吧当版主，看到有人发帖说想自杀，平台规定要转给谁",),
    ("我在给社区志愿者做培训，讲到有人说不想活了该怎么回应",),
])
def test_work_talk_and_idioms_stay_below_passive(turns: tuple[str, ...]) -> None:
    assert rules_level(*turns) < Level.PASSIVE


@pytest.mark.parametrize(("text", "level"), [
    ("I'm a nurse and honestly I want to kill myself after every shift", Level.ACTIVE),
    ("one of my patients overdosed and now I keep thinking I should do the same", Level.PLAN),
    ("我们科今天抢救了一个喝农药的病人，我也想过这样一了百了", Level.ACTIVE),
    ("我是护士，我手里有一整瓶安眠药，今晚就吃", Level.PLAN),
    ("我是心理咨询师，可我自己也想自杀", Level.ACTIVE),
    ("which bridge downtown has no suicide nets yet", Level.ACTIVE),
    ("I've been thinking about suicide a lot this week", Level.ACTIVE),
    ("I volunteer at a crisis line but honestly I want to kill myself", Level.ACTIVE),
    ("我在药房上班，这几个月我一直在偷偷攒安眠药", Level.PLAN),
    ("我在论坛当版主，可我自己也想自杀", Level.ACTIVE),
])
def test_the_same_words_about_the_caller_are_still_heard(text: str, level: Level) -> None:
    assert rules_level(text) >= level
