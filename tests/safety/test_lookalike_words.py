"""Round 116: a harmless word that holds a risk word across its edge — 上吊兰 (hanging up a spider
plant), 跳海浪 (jumping the waves in the shallows), "overdosed on" a treat — is not risk to the
rules; the risk words themselves are heard as before."""

from __future__ import annotations

import pytest

from lingxi.safety.levels import Level
from tests.safety.calls import rules_level


@pytest.mark.parametrize("text", [
    "我想上吊兰在书房窗边 要买什么样的挂钩",
    "明天我们去海边跳海浪 你要不要一起来",
    "我想去三亚跳浪 听说那边浪不大",
    "I overdosed on Halloween candy last night, my stomach hurts lol",
    "we totally overdosed on holiday movies this weekend",
    "overdosing on cat videos instead of studying again",
])
def test_a_harmless_word_holding_a_risk_word_is_not_risk(text: str) -> None:
    assert rules_level(text) < Level.PASSIVE


@pytest.mark.parametrize(("text", "least"), [
    ("我真的想上吊了", Level.ACTIVE),
    ("我想去跳海 一了百了", Level.ACTIVE),
    ("I overdosed on my sleeping pills ten minutes ago", Level.IMMINENT),
    ("I'm going to overdose on my meds tonight", Level.PLAN),
    ("I overdosed on my mom's sleeping pills, I feel so drowsy", Level.IMMINENT),
    ("I overdosed on the holiday meds my doctor gave me", Level.IMMINENT),
])
def test_the_risk_words_themselves_are_still_heard(text: str, least: Level) -> None:
    assert rules_level(text) >= least
