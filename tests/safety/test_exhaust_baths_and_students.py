"""Round 104: a hose to the exhaust timed after a comma, the exhaust led into the car, whether a
way of dying is painless "asking for me", drowning in a bath after pills, wanting to do what the
people in the videos did — and the rules' own false alarms mended: a student of emergency care
asking how to assess an overdose, a pharmacist's customer who wanted many sleeping pills."""

from __future__ import annotations

import pytest

from lingxi.safety import default_assessor
from lingxi.safety.levels import Level


@pytest.mark.parametrize(("text", "level"), [
    ("接根软管到排气管上，大概要多久", Level.PLAN),
    ("我打算把排气管引进车里，找个没人的地方", Level.PLAN),
    ("does it hurt much to bleed to death, asking for myself", Level.PLAN),
    ("if I took sleeping pills first, would I drown in the tub", Level.PLAN),
    ("I moderate videos all day and I've begun to want to do what those people did", Level.ACTIVE),
])
def test_new_wordings_of_risk_are_read(text: str, level: Level) -> None:
    assert default_assessor().assess(text).level >= level


@pytest.mark.parametrize("text", [
    "I'm a first responder, how should we assess a patient who may have taken too many pills",
    "有个客人想一次买三盒安眠药，我没卖给他",
    "is it safe for my toddler to nap in the tub after taking meds",
    "接根水管到排气管那里冲一下，要多久",
])
def test_work_questions_and_chores_are_not_alarms(text: str) -> None:
    assert default_assessor().assess(text).level < Level.PASSIVE
