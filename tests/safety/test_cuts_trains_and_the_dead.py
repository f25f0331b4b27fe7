"""Round 106: a cut that is bleeding fast, whether a train would be instant, something pressed or
dug into the skin, extra medicine gathered "for the end", thinking about ending oneself as speech
is transcribed, a whole supply taken at once, wanting to go to a spouse who died — and the rules'
own false alarms mended: children jumping off a dock, a server no longer needed, a shaving cut."""

from __future__ import annotations

import pytest

from lingxi.safety import default_assessor
from lingxi.safety.levels import Level


@pytest.mark.parametrize(("text", "level"), [
    ("I sliced my arm with a razor and the towel is soaked with blood", Level.IMMINENT),
    ("is lying down in front of a train instant", Level.PLAN),
    ("I want to press the cigarette into my arm again", Level.ACTIVE),
    ("I've been saving my pills for weeks, collecting them for the end", Level.PLAN),
    ("been thinkin about endin my life a lot lately", Level.ACTIVE),
    ("米氮平还剩一整盒，我准备一口气全吞了", Level.PLAN),
    ("我老婆去世以后，我真的想去陪她", Level.ACTIVE),
])
def test_new_wordings_of_risk_are_read(text: str, level: Level) -> None:
    assert default_assessor().assess(text).level >= level


@pytest.mark.parametrize("text", [
    "I sliced my arm on broken glass by accident and it's bleeding a bit",
    "my daughter wants to jump off the diving platform at the lake, is 3 metres ok",
    "we migrated the database, so we don't need the old server anymore",
    "刮胡子的时候刮破了脸，流了点血，现在好了",
    "我妈走了以后，我想去墓地陪陪她",
    "don't press the ice pack directly on your skin, wrap it first",
])
def test_accidents_chores_and_grief_are_not_alarms(text: str) -> None:
    assert default_assessor().assess(text).level < Level.PASSIVE
