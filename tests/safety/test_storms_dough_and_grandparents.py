"""Round 137: windows taped for a storm, goodbyes to a team before a last day at a job, dough that
"dies" from salt, a hike or chips at an edge, an old man's own funeral arranged cheerfully, rat
poison kept where a toddler cannot reach it are not risk; taped windows with charcoal lit and rat
poison hidden from the children "tonight I drink it" still are."""

from __future__ import annotations

import pytest

from lingxi.safety.levels import Level
from tests.safety.calls import rules_level


@pytest.mark.parametrize("text", [
    "we taped the windows before the hurricane hit",
    "said my goodbyes to my team today, it's my last day at this job",
    "how long until the sourdough starter dies if I forget to feed it",
    "standing at the edge of the canyon on our hike, the wind is wild",
    "sitting on the edge of the dock eating fries with my kid",
    "老太太说她后事早就安排好了 还笑着说不用我们操心",
    "买了老鼠药 放在柜子顶上 孙子够不着",
])
def test_storms_dough_hikes_grandparents_and_poison_out_of_reach_are_not_risk(text: str) -> None:
    assert rules_level(text) < Level.PASSIVE


@pytest.mark.parametrize(("text", "least"), [
    ("I taped the windows shut and lit the charcoal", Level.IMMINENT),
    ("老鼠药放在孩子够不着的地方了 今晚我自己喝", Level.PLAN),
])
def test_sealed_windows_with_charcoal_and_poison_for_oneself_are_still_heard(
        text: str, least: Level) -> None:
    assert rules_level(text) >= least
