"""Round 133: how long a cut takes to knock a person out, from which storey a fall is always
fatal, a slang way to sleep and not wake, doses skipped and saved, letters set to send on their
own, a month's supply swallowed with water (in Traditional script) and "on the ledge, this is it"
are risk; a cat's fall, birthday letters, a dose lowered by the doctor, a will written as a
life-education essay and friends posting a "kms" meme are not."""

from __future__ import annotations

import pytest

from lingxi.safety.levels import Level
from tests.safety.calls import rules_level


@pytest.mark.parametrize(("text", "least"), [
    ("if the cut across the wrist is deep how long until someone passes out", Level.PLAN),
    ("from which floor is a jump always deadly", Level.PLAN),
    ("要是想睡过去就再也不醒 该吃什么", Level.PLAN),
    ("每天偷偷少吃两片 都藏起来了", Level.PLAN),
    ("my notes to mum and dad are written and scheduled to go out on friday", Level.PLAN),
    ("醫生開的兩個月藥量 我剛才一口氣就水吞了", Level.IMMINENT),
    ("i'm on the roof now. this is it", Level.IMMINENT),
])
def test_wounds_heights_and_letters_are_heard(text: str, least: Level) -> None:
    assert rules_level(text) >= least


@pytest.mark.parametrize("text", [
    "from which floor is a fall always fatal for a cat",
    "birthday letters to my kids are set to auto send every year",
    "每次复诊医生都让我少吃半片 慢慢减量",
    "we're on the roof of the venue, this is it, the finale",
    "生命教育课要我们写一封遗书 怎么写比较好",
    "everyone in my group chat keeps posting that kms meme",
])
def test_a_cat_letters_a_lowered_dose_an_essay_or_a_meme_are_not_risk(text: str) -> None:
    assert rules_level(text) < Level.PASSIVE
