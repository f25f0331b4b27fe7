"""The safety policy as a caller would meet it: what is spoken, which numbers, when it escalates."""

from __future__ import annotations

import itertools
import re
import shutil
from pathlib import Path

import pytest

from lingxi.safety import LEVEL_NAMES, SafetyDataError
from lingxi.safety.data import DATA_DIR
from lingxi.safety.policy import (
    LANGUAGES,
    LINES_FILE,
    TEMPLATES_FILE,
    Hotline,
    SafetyAction,
    decide,
    default_policy,
    load_hotlines,
    load_policy,
    load_templates,
    region_for,
)

METHOD_WORDS_ZH = ("药", "跳", "刀", "绳", "割", "吊", "烧炭", "楼", "桥", "枪", "农药", "煤气")
METHOD_WORDS_EN = ("pill", "pills", "jump", "knife", "rope", "hang", "gun", "overdose",
                   "bridge", "cut", "poison", "blade")


def numbers(action: SafetyAction) -> list[str]:
    return [line.number for line in action.hotlines]


# ---- level by level ------------------------------------------------------------------

@pytest.mark.parametrize("lang", ["zh", "en"])
def test_none_does_nothing(lang: str) -> None:
    assert decide("none", lang=lang) == SafetyAction("none", None, (), False, None)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_distress_offers_a_check_in_but_lets_the_model_reply(lang: str) -> None:
    action = decide("distress", lang=lang, region="HK")
    assert action.reply is None
    assert action.hotlines == ()
    assert not action.escalate
    assert action.check_in


@pytest.mark.parametrize("level", ["passive", "active"])
def test_passive_and_active_speak_a_template_with_the_crisis_line(level: str) -> None:
    action = decide(level, lang="zh")
    assert action.level == level
    assert action.reply is not None and "12356" in action.reply
    assert "伤害自己" in action.reply                        # asks directly about safety
    assert "110" not in action.reply and "120" not in action.reply
    assert numbers(action) == ["12356", "010-82951332", "400-161-9995", "962525"]
    assert all(line.kind == "crisis" and line.region == "CN" for line in action.hotlines)
    assert not action.escalate
    assert action.check_in is None


@pytest.mark.parametrize("level", ["passive", "active"])
def test_worry_for_someone_else_is_answered_as_a_bystander(level: str) -> None:
    """A friend who wants to die: the caller hears how to ask and stay with them and that the
    line takes calls from friends — not "are you thinking of hurting yourself"."""
    action = decide(level, lang="zh", about_other=True)
    assert action.reply is not None and "12356" in action.reply
    assert "你现在有伤害自己的想法吗" not in action.reply and "问他" in action.reply
    assert "你自己" in action.reply  # and the caller is asked after too
    assert numbers(action) == numbers(decide(level, lang="zh"))
    assert not action.escalate
    en = decide(level, lang="en", about_other=True)
    assert en.reply is not None and "988" in en.reply and "ask them" in en.reply.lower()
    assert "Are you having thoughts of hurting yourself" not in en.reply


@pytest.mark.parametrize("level", ["plan", "imminent"])
def test_someone_else_in_danger_now_means_emergency_services_for_them(level: str) -> None:
    action = decide(level, lang="en", about_other=True)
    assert action.escalate and action.reply is not None
    assert "911" in action.reply and "don't leave them alone" in action.reply
    assert numbers(action) == ["988", "911"]
    zh = decide(level, lang="zh", turn=1, about_other=True)
    assert zh.reply is not None and "110" in zh.reply and "120" in zh.reply
    assert "他" in zh.reply and "你手边有可以伤害自己的东西吗" not in zh.reply


@pytest.mark.parametrize("level", ["plan", "imminent"])
def test_plan_and_imminent_urge_emergency_services_and_escalate(level: str) -> None:
    action = decide(level, lang="zh")
    assert action.escalate
    assert action.reply is not None
    assert "110" in action.reply and "120" in action.reply and "12356" in action.reply
    assert "陪" in action.reply or "不会离开" in action.reply  # Lingxi stays
    assert numbers(action)[-2:] == ["110", "120"]
    assert {line.kind for line in action.hotlines} == {"crisis", "emergency"}

    us = decide(level, lang="en")
    assert us.reply is not None and "911" in us.reply and "988" in us.reply
    assert numbers(us) == ["988", "911"]


@pytest.mark.parametrize("level", ["plan", "imminent"])
@pytest.mark.parametrize("turn", [0, 1, 2])
def test_every_urgent_reply_asks_about_the_means_and_urges_help_at_once(level: str,
                                                                        turn: int) -> None:
    zh = decide(level, lang="zh", turn=turn).reply
    en = decide(level, lang="en", turn=turn).reply
    assert zh is not None and en is not None
    assert "110" in zh and "东西" in zh and "？" in zh  # the means, asked in the same reply
    assert "911" in en and re.search(r"\b(use|using|hurt yourself with)\b[^.]*\?", en)
    assert re.search(r"(放远|拿远|交给|离开它)", zh) and re.search(r"(out of reach|away)", en)


def test_level_names_are_case_insensitive_and_typos_fail_loudly() -> None:
    assert decide("ACTIVE", lang="en").level == "active"
    with pytest.raises(ValueError, match="unknown risk level"):
        decide("activ", lang="en")


# ---- regions -------------------------------------------------------------------------

@pytest.mark.parametrize(("region", "lang", "crisis", "emergency"), [
    ("HK", "zh", ["18111", "2896 0000"], ["999"]),
    ("TW", "zh", ["1925"], ["119", "110"]),
    ("US", "zh", ["988"], ["911"]),
    ("GB", "en", ["116 123"], ["999", "112"]),
    ("IE", "en", ["116 123"], ["112", "999"]),
    ("CN", "en", ["12356", "010-82951332", "400-161-9995", "962525"], ["110", "120"]),
])
def test_each_region_gets_its_own_numbers(region: str, lang: str, crisis: list[str],
                                          emergency: list[str]) -> None:
    active = decide("active", lang=lang, region=region)
    assert numbers(active) == crisis
    assert active.reply is not None and crisis[0] in active.reply
    plan = decide("plan", lang=lang, region=region)
    assert numbers(plan) == crisis + emergency
    assert plan.reply is not None and all(number in plan.reply for number in emergency)
    assert all(line.region == region for line in plan.hotlines)


def test_region_defaults_and_fallbacks() -> None:
    assert region_for("zh", None) == "CN"
    assert region_for("en", None) == "US"
    assert region_for("fr", None) == "US"                 # anything else is English
    assert region_for("zh", "hk") == "HK"
    assert region_for("en", "UK") == "GB"
    assert region_for("zh", "FR") == "CN"                 # unknown region: language default
    assert region_for("en", "") == "US"
    assert numbers(decide("active", lang="en", region="ZZ")) == ["988"]
    assert numbers(decide("active", lang="zh", region="ZZ"))[0] == "12356"


def test_other_languages_get_english() -> None:
    reply = decide("active", lang="de").reply
    assert reply is not None and reply.isascii()
    zh = decide("active", lang="zh-CN").reply
    assert zh is not None and not zh.isascii()


def test_dashed_numbers_are_spoken_as_digit_groups() -> None:
    reply = decide("active", lang="zh").reply
    assert reply is not None
    assert "010 82951332" in reply and "010-82951332" not in reply


def test_every_number_has_a_source_and_hours() -> None:
    for line in load_hotlines(DATA_DIR / LINES_FILE):
        assert isinstance(line, Hotline)
        assert line.source.strip() and line.hours.strip()
        assert line.kind in ("crisis", "emergency")


# ---- the texts -----------------------------------------------------------------------

def all_spoken_texts() -> list[str]:
    texts: list[str] = []
    for lang in LANGUAGES:
        for region in sorted(default_policy().regions):
            for level in LEVEL_NAMES:
                for turn, about_other in itertools.product(range(6), (False, True)):
                    action = decide(level, lang=lang, region=region, turn=turn,
                                    about_other=about_other)
                    texts += [t for t in (action.reply, action.check_in) if t]
    return texts


def test_no_text_mentions_a_method() -> None:
    for text in all_spoken_texts():
        for word in METHOD_WORDS_ZH:
            assert word not in text, (word, text)
        for word in METHOD_WORDS_EN:
            assert not re.search(rf"\b{word}\b", text, re.IGNORECASE), (word, text)


def test_texts_are_plain_speech() -> None:
    for text in all_spoken_texts():
        assert not re.search(r"https?://|www\.|[*#`_\[\]<>{}|]|\n", text), text
        assert not re.search(r"[/\\]", text), text


def test_variants_rotate_with_the_turn() -> None:
    for lang in LANGUAGES:
        for level in ("passive", "active", "plan", "imminent"):
            replies = [decide(level, lang=lang, turn=turn).reply for turn in range(3)]
            assert replies[0] != replies[1] != replies[2]
            assert decide(level, lang=lang, turn=3).reply == replies[0]
            others = [decide(level, lang=lang, turn=turn, about_other=True).reply
                      for turn in range(3)]
            assert others[0] != others[1] != others[2] and not set(others) & set(replies)
        checks = [decide("distress", lang=lang, turn=turn).check_in for turn in range(2)]
        assert checks[0] != checks[1]


# ---- malformed data ------------------------------------------------------------------

@pytest.fixture
def data(tmp_path: Path) -> Path:
    for name in (LINES_FILE, TEMPLATES_FILE):
        shutil.copy(DATA_DIR / name, tmp_path / name)
    return tmp_path


def test_a_copy_of_the_built_in_data_loads(data: Path) -> None:
    policy = load_policy(data)
    assert policy.regions == {"CN", "HK", "TW", "US", "GB", "IE"}
    assert policy.decide("active", lang="en").reply == decide("active", lang="en").reply


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.mark.parametrize(("file", "old", "new", "message"), [
    (TEMPLATES_FILE, "[en]", "[fr]", r"unknown top-level key\(s\) fr"),
    (TEMPLATES_FILE, "urgent = [\n    \"I'm", "urgency = [\n    \"I'm", "unknown group"),
    (TEMPLATES_FILE, "call {hotline}, and", "call, and", "must name the number with {hotline}"),
    (TEMPLATES_FILE, "{emergency} now, or", "{police} now, or", r"uses \{police\}"),
    (TEMPLATES_FILE, "I'm listening.", "See https://example.org", "markdown, a list or a link"),
    (TEMPLATES_FILE, "support = [", "support = 3\nold = [", "unknown group"),
    (LINES_FILE, 'number = "12356"', 'number = "call 12356"', "'number' must be digits"),
    (LINES_FILE, 'kind = "crisis"', 'kind = "hotline"', "'kind' must be one of"),
    (LINES_FILE, 'region = "HK"', 'region = "Hong Kong"', "two capital letters"),
    (LINES_FILE, 'source = "988 Suicide', 'sauce = "988 Suicide', r"unknown key\(s\) sauce"),
    (LINES_FILE, 'number = "911"', 'number = "988"', "already listed for US"),
    (LINES_FILE, 'number = "999"\nregion = "HK"\nkind = "emergency"',
     'number = "999"\nregion = "HK"\nkind = "crisis"', "region HK has no emergency line"),
    (LINES_FILE, "# ---- Mainland", "[[nope]]\n# ---- Mainland", r"top-level key\(s\) nope"),
])
def test_malformed_data_names_the_file(data: Path, file: str, old: str, new: str,
                                       message: str) -> None:
    edit(data / file, old, new)
    with pytest.raises(SafetyDataError, match=message) as caught:
        load_policy(data)
    assert str(caught.value).startswith(str(data / file))


def test_missing_language_or_group_is_named(tmp_path: Path) -> None:
    path = tmp_path / TEMPLATES_FILE
    groups = ('distress = ["好"]\nsupport = ["{hotline}"]\nurgent = ["{emergency}"]\n'
              'support_other = ["{hotline}"]\nurgent_other = ["{emergency}"]\n')
    path.write_text(f"[zh]\n{groups}", encoding="utf-8")
    with pytest.raises(SafetyDataError, match=r"templates.toml: missing language table \[en\]"):
        load_templates(path)
    path.write_text(f"[zh]\n{groups.replace('support = [', 'nope = [')}[en]\n{groups}",
                    encoding="utf-8")
    with pytest.raises(SafetyDataError, match=r"\[zh\] unknown group\(s\) nope"):
        load_templates(path)
    path.write_text(f"[zh]\n{groups.replace('urgent_other', '# urgent_other')}[en]\n{groups}",
                    encoding="utf-8")
    with pytest.raises(SafetyDataError, match=r"\[zh\] urgent_other: missing"):
        load_templates(path)
    unnamed = groups.replace('support_other = ["{hotline}', 'support_other = ["x')
    path.write_text(f"[zh]\n{groups}[en]\n{unnamed}", encoding="utf-8")
    with pytest.raises(SafetyDataError, match=r"\[en\] support_other: variant 1 must name"):
        load_templates(path)


def test_missing_or_broken_files_are_named(tmp_path: Path) -> None:
    with pytest.raises(SafetyDataError, match="data file not found"):
        load_policy(tmp_path)
    (tmp_path / LINES_FILE).write_text("[[line]\n", encoding="utf-8")
    with pytest.raises(SafetyDataError, match="not valid TOML"):
        load_hotlines(tmp_path / LINES_FILE)
