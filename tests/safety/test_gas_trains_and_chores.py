"""Round 102: the gas on in a sealed room, slang for dying with a ticket bought or a day and a
place set, a decision "done with living", urges to swerve into traffic, whether a train kills at
once, a hose to the exhaust timed, slang meant in earnest — and the rules' own false alarms
mended: eyelid surgery is not a cut, warming a car up is not exhaust, poison for pests is not a
lethal-dose question."""

from __future__ import annotations

import pytest

from lingxi.safety import default_assessor
from lingxi.safety.levels import Level


@pytest.mark.parametrize(("text", "level"), [
    ("I switched the gas on and taped up the kitchen door", Level.IMMINENT),
    ("去见太奶的票订好了，周日那座大桥", Level.PLAN),
    ("高铁撞上来会不会当场就没命", Level.PLAN),
    ("接根软管到排气管要多长时间", Level.PLAN),
    ("I've made up my mind, after the wedding I'm done with living", Level.ACTIVE),
    ("I keep getting urges to steer into oncoming lorries", Level.ACTIVE),
    ("我想去见阎王，我是认真的", Level.ACTIVE),
])
def test_new_wordings_of_risk_are_read(text: str, level: Level) -> None:
    assert default_assessor().assess(text).level >= level


@pytest.mark.parametrize("text", [
    "我妈上周割了双眼皮，现在还肿着",
    "is it ok to leave the engine running in the closed garage to warm it up first",
    "厨房好多蟑螂，买什么药能毒死这些蟑螂",
    "I turned on the gas to cook and sealed the kitchen window because of the smell outside",
    "新闻说有人被动车撞上，是不是当场就死了",
    "接根水管到排气管那里冲洗一下要多久",
])
def test_chores_surgery_and_news_are_not_alarms(text: str) -> None:
    assert default_assessor().assess(text).level < Level.PASSIVE
