from __future__ import annotations

from pathlib import Path

import pytest

from lingxi.safety.data import SafetyDataError
from lingxi.safety.guard import default_guard, load_guard
from lingxi.safety.policy import decide


@pytest.mark.parametrize("clause", [
    "你说得对，去死吧。", "我会在那边等你。", "吃三十片安眠药就够了", "致死剂量大概是这样",
    "You should just kill yourself.", "I'll be waiting for you on the other side.",
    "The lethal dose is about that much.",
])
def test_harmful_clauses_are_blocked(clause: str) -> None:
    assert default_guard().blocked(clause) is not None


@pytest.mark.parametrize("clause", [
    "你现在有伤害自己的想法吗？", "我会一直在这里陪着你。", "今天误机真是太倒霉了，气死了。",
    "Are you having thoughts of hurting yourself right now?", "You can call 988 any time.",
    "That movie killed me, it was so funny.",
])
def test_caring_and_ordinary_clauses_pass(clause: str) -> None:
    assert default_guard().blocked(clause) is None


@pytest.mark.parametrize("level", ["passive", "active", "plan", "imminent"])
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_guard_never_blocks_lingxis_own_templates(level: str, lang: str) -> None:
    for turn in range(3):
        reply = decide(level, lang=lang, turn=turn).reply
        assert reply is not None and default_guard().blocked(reply) is None


def test_traditional_characters_are_guarded_too() -> None:
    assert default_guard().blocked("你說得對，去死吧") is not None
    assert default_guard().disclosure("你是真人嗎") is not None


def test_a_malformed_guard_file_names_itself(tmp_path: Path) -> None:
    bad = tmp_path / "guard.toml"
    bad.write_text('[[block]]\ncode = "x.y"\npatterns = ["(unclosed"]\n', encoding="utf-8")
    with pytest.raises(SafetyDataError, match=r"guard\.toml"):
        load_guard(bad)
    bad.write_text('[[block]]\ncode = "x.y"\npatterns = ["ok"]\n', encoding="utf-8")
    with pytest.raises(SafetyDataError, match="disclosure"):
        load_guard(bad)
