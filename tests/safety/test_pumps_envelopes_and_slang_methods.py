"""Round 148: a way "一下就寄了", a whole strip at once "会不会挂", a weed killer forced down, a
pain pump turned to the top, an old body better gone soon, pain with only the wish to go,
nobody who would care, a rope and a tree that will hold, envelopes to open once one is gone
and a note said written are risk; a villain's poison in a script, a tire swing, revision
notes and leaving work are not."""

from __future__ import annotations

import pytest

from lingxi.safety.levels import Level
from tests.safety.calls import rules_level


@pytest.mark.parametrize(("text", "least"), [
    ("有没有直接就寄了的办法", Level.PLAN),
    ("一口气吞完一盒安眠药 会不会死", Level.PLAN),
    ("我灌了半瓶百草枯", Level.IMMINENT),
    ("我已经把镇痛泵按到最大了", Level.IMMINENT),
    ("老骨头了 早点走了省心", Level.PASSIVE),
    ("化疗太痛苦了 我只盼早点解脱", Level.PASSIVE),
    ("我哪天要是死了 估计谁都不会在乎", Level.PASSIVE),
    ("bought a length of rope today, the beam in the garage will hold", Level.PLAN),
    ("letters for my sisters in the drawer, to be read after i'm gone", Level.PLAN),
    ("ok my note is written", Level.PLAN),
])
def test_slang_methods_a_pump_and_quiet_goodbyes_are_heard(text: str, least: Level) -> None:
    assert rules_level(text) >= least


@pytest.mark.parametrize("text", [
    "电影里反派要服毒 道具用什么饮料看起来像",
    "got rope for the kids' swing, the oak branch will hold it",
    "my notes are done, ready for the exam",
    "下班了 只想快点走",
])
def test_a_scripts_villain_a_swing_revision_notes_and_leaving_work_are_not_risk(
    text: str,
) -> None:
    assert rules_level(text) < Level.PASSIVE
