"""Round 23's masks (bench/risk23_rule.md): a professional speaking of a patient or caller, a
treat or a show "overdosed on", a video game's jump, a kitchen cut on the hand, a history lesson
or a song title, "kms" over a sent message, hyperbole closed by a laugh, pruning, leaving a chat,
goodbyes at a leaving do, rope for a load — none of them the caller's own risk; beside them,
sentences on the same words that must still be heard. Every sentence is new (no risk set's)."""

from __future__ import annotations

import pytest

from lingxi.safety import Level
from tests.safety.calls import rules_level


@pytest.mark.parametrize("text", [
    "I work on a crisis line and a caller told me he'd been cutting, how do I log that",
    "as a school nurse, what do I do when a pupil discloses self-harm to me",
    "I'm a paramedic and a teenager overdosed at the festival, she pulled through",
    "overdosed on cooking shows again, now I want to bake everything",
    "in Minecraft I keep falling off the cliff into lava",
    "kms, I just replied-all to the whole department with my shopping list",
    "I just dropped my ice cream on the pavement lmao kms",
    "we're cutting the raspberry canes back to the ground this weekend",
    "I'm going to unalive this spreadsheet before lunch",
    "the rope is to lash the kayak onto the trailer",
    "我是社工，今天有个来访者说起自残的事，我做了转介",
    "这一关要从塔顶跳下去才能过，我试了好多次",
    "刮鳞的时候刀划了一下手，不要紧",
    "语文课讲屈原投江的故事",
    "这首歌叫最后的告别，你听过吗",
    "天天开会开到想死哈哈哈",
])
def test_new_masks_keep_these_below_passive(text: str) -> None:
    assert rules_level(text) < Level.PASSIVE


@pytest.mark.parametrize(("text", "level"), [
    ("kms, I just sent my ex a goodbye and I'm done with everything", Level.ACTIVE),
    ("I'm a nurse and a patient told me she's suicidal, and honestly I want to kill myself too",
     Level.ACTIVE),
    ("I bought rope to tie to the tree in the back garden tonight", Level.PLAN),
    ("我是病人我不想活了", Level.PASSIVE),
    ("我不玩游戏了想跳楼", Level.ACTIVE),
    ("切菜的时候我拿刀割了手腕", Level.ACTIVE),
    ("难受得想死，真的撑不下去了", Level.PASSIVE),
])
def test_the_same_words_about_the_caller_are_still_heard(text: str, level: Level) -> None:
    assert rules_level(text) >= level
