"""Jurisdiction profiles: each one's duties (intervals and words) through the duty and safety
code, the minor's persona rule, and a malformed profile file failing with its name."""

from __future__ import annotations

from pathlib import Path

import pytest

from lingxi.personas import PersonaBook, builtin_book
from lingxi.personas.model import Persona
from lingxi.safety.data import SafetyDataError
from lingxi.safety.duties import Duties
from lingxi.safety.gate import SafetyGate
from lingxi.safety.profiles import PROFILE_NAMES, load_profiles, profile
from lingxi.skills import default_skills
from lingxi.skills.testing import FALLBACK_FAKE_WORDS, run_turn
from lingxi.turn import SafetyNotice, Say, SwitchPersona

HOUR = 3600.0
SKILLS = default_skills()


def partner_persona() -> Persona:
    """A persona flagged as a virtual partner (as an operator's persona file would be)."""
    return Persona.model_validate({
        "id": "xiaomei", "name": {"zh": "小美", "en": "Mei"}, "relationship": "partner",
        "description": {"zh": "你的虚拟女友。", "en": "Your virtual girlfriend."},
        "greeting": {"zh": "亲爱的，你来啦。", "en": "Hi, darling."},
        "system_prompt": "You are Mei, the caller's affectionate girlfriend.",
        "style": {"zh": "亲昵。", "en": "Affectionate."}})


def book_with_partner() -> PersonaBook:
    return PersonaBook([*builtin_book(), partner_persona()])


def test_every_profile_loads_and_the_default_is_the_strictest() -> None:
    profiles = load_profiles()
    assert set(profiles) == set(PROFILE_NAMES)
    strictest = profiles["default"].duties
    for each in profiles.values():
        duties = each.duties
        for name in ("disclosure_every_s", "break_after_s", "minor_break_after_s"):
            mine, theirs = getattr(strictest, name), getattr(duties, name)
            assert mine is not None and (theirs is None or mine <= theirs), (each.name, name)
        assert not each.minor_relationship_personas or profiles["default"]. \
            minor_relationship_personas


def test_cn_reminds_after_two_hours_of_continuous_use() -> None:
    duties = Duties(0.0, profile("cn").duties)
    assert "人工智能" in duties.before_reply(1.0, "zh")
    assert duties.before_reply(2 * HOUR - 60, "zh") == ""
    assert "休息" in duties.before_reply(2 * HOUR + 1, "zh")
    assert duties.before_reply(2 * HOUR + 120, "zh") == ""  # said once per interval


def test_us_ca_tells_a_minor_every_three_hours_to_rest_and_that_it_is_not_human() -> None:
    duties = Duties(0.0, profile("us-ca").duties)
    duties.before_reply(0.0, "en", minor=True)
    assert duties.before_reply(2.5 * HOUR, "en", minor=True) == ""
    reminder = duties.before_reply(3 * HOUR + 1, "en", minor=True)
    assert "break" in reminder and "AI" in reminder and "not a person" in reminder


def test_us_ny_discloses_at_the_start_and_again_every_three_hours() -> None:
    duties = Duties(0.0, profile("us-ny").duties)
    assert "not talking with a human" in duties.before_reply(0.0, "en")
    assert "not talking with a human" not in duties.before_reply(2.9 * HOUR, "en")
    assert "not talking with a human" in duties.before_reply(3.1 * HOUR, "en")


def test_eu_discloses_at_the_start() -> None:
    duties = Duties(0.0, profile("eu").duties)
    assert "AI" in duties.before_reply(0.0, "en")


def test_a_profile_names_the_region_of_its_crisis_lines() -> None:
    assert profile("cn").region == "CN"
    assert profile("us-ca").region == profile("us-ny").region == "US"
    assert profile("eu").region is None and profile().region is None


def test_an_unknown_profile_is_named() -> None:
    with pytest.raises(ValueError, match="us-ca"):
        profile("us-tx")


PROFILES_TOML = Path(__file__).parents[2] / "src/lingxi/safety/data/profiles.toml"
BREAKS = "break_after_s = 7200         # own\nminor_break_after_s = 2400   # own\n"


@pytest.mark.parametrize(("old", "new", "complaint"), [
    ("[cn]", "[cn_old]", "missing profile"),
    ("[eu]\n", "[eu]\nbreak_every_s = 1\n", "unknown key"),
    (BREAKS, "break_after_s = -1\nminor_break_after_s = 2400\n", "negative"),
    ("[us-ny.en]\n", "[us-ny.en]\ngreeting = 'hello'\n", "only disclosure"),
])
def test_a_malformed_profile_file_fails_with_its_name(tmp_path: Path, old: str, new: str,
                                                       complaint: str) -> None:
    text = PROFILES_TOML.read_text("utf-8")
    assert old in text
    path = tmp_path / "profiles.toml"
    path.write_text(text.replace(old, new, 1), "utf-8")
    with pytest.raises(SafetyDataError, match=str(path)) as raised:
        load_profiles(path)
    assert complaint in str(raised.value)


# -- minors and virtual partners / family members -------------------------------------------

async def test_a_minor_asking_for_a_virtual_partner_is_kindly_refused_under_cn() -> None:
    gate = SafetyGate(duties=None, minor=lambda: True, profile=profile("cn"))
    run = await run_turn(SKILLS, "换小美来跟我说", personas=book_with_partner(), gate=gate)
    assert run.turn.persona == "companion" and run.skill == "safety"
    said = run.expect.next(Say)
    assert "未成年" in said.text and said.persona == "companion"
    run.expect.no_more()


async def test_an_adult_may_have_the_virtual_partner() -> None:
    gate = SafetyGate(duties=None, minor=lambda: False, profile=profile("cn"))
    run = await run_turn(SKILLS, "换小美来跟我说", personas=book_with_partner(), gate=gate)
    run.expect.next(SwitchPersona, persona="xiaomei")
    assert run.said == FALLBACK_FAKE_WORDS


async def test_a_minor_already_on_a_partner_persona_is_moved_to_the_default() -> None:
    gate = SafetyGate(duties=Duties(0.0, profile("cn").duties), minor=lambda: True,
                      profile=profile("cn"))
    run = await run_turn(SKILLS, "你好呀", persona="xiaomei", personas=book_with_partner(),
                         gate=gate)
    run.expect.next(SwitchPersona, persona="companion")
    said = run.expect.next(Say)
    assert "人工智能" in said.text and "未成年" in said.text  # the disclosure, then the refusal


async def test_a_minor_in_crisis_on_a_partner_persona_hears_the_crisis_reply_as_default() -> None:
    gate = SafetyGate(duties=None, minor=lambda: True, profile=profile("cn"))
    run = await run_turn(SKILLS, "我不想活了", persona="xiaomei", personas=book_with_partner(),
                         gate=gate)
    run.expect.next(SwitchPersona, persona="companion")
    run.expect.next(SafetyNotice)
    assert run.turn.persona == "companion"


def test_a_minors_persona_list_does_not_offer_the_virtual_partner(tmp_path: Path) -> None:
    import yaml

    from lingxi.config import Settings
    from lingxi.transport.app import create_app
    from tests.harness import local_client

    (tmp_path / "xiaomei.yaml").write_text(yaml.safe_dump(
        partner_persona().model_dump(mode="json"), allow_unicode=True), "utf-8")
    listed: dict[str, set[str]] = {}
    for minor_mode in (False, True):
        app = create_app(Settings(duties=False, memory=False, safety_profile="cn",
                                  personas_dir=tmp_path, minor_mode=minor_mode))
        with local_client(app) as client:
            for query in ("", "?minor=true"):
                answer = client.get(f"/v1/personas{query}").json()
                listed[f"{minor_mode}{query}"] = {p["id"] for p in answer["personas"]}
    assert "xiaomei" in listed["False"]
    assert "xiaomei" not in listed["False?minor=true"] | listed["True"]
    assert "companion" in listed["True"]
