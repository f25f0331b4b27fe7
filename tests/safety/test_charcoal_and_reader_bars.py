"""Round 90: charcoal burning in a sealed room or car is an emergency in English as in Chinese; the
lexical reader is surer of words that name no one else, and less sure of a lone passive wish it
finds harmless (hyperbole)."""

from __future__ import annotations

import pytest

from lingxi.safety import RiskTracker
from lingxi.safety.cues import names_someone_else
from lingxi.safety.levels import Level
from lingxi.safety.model import default_risk_model
from lingxi.safety.reading import (
    LEXICAL_SURE,
    LEXICAL_SURE_OWN,
    LEXICAL_VETO,
    LEXICAL_VETO_PASSIVE,
    LEXICAL_VETO_UNCUED,
    TurnWords,
)
from tests.safety.calls import rules_level


@pytest.mark.parametrize("text", [
    "I taped the gaps around the bathroom door and the charcoal is burning now",
    "the charcoal is lit in the car and the windows are up, goodbye",
    "I sealed the kitchen and lit the charcoal",
])
def test_charcoal_burning_in_a_sealed_room_is_an_emergency_to_the_rules(text: str) -> None:
    assert rules_level(text) == Level.IMMINENT


def test_asking_how_to_seal_a_room_for_charcoal_is_a_plan() -> None:
    assert rules_level("how do I seal the bedroom so the charcoal does its job") == Level.PLAN


@pytest.mark.parametrize("text", [
    "the charcoal grill is lit, closing the lid for ten minutes",
    "we lit the charcoal in the fire pit and the kids are roasting marshmallows",
    "lit the charcoal on the balcony barbecue, burgers in twenty",
])
def test_charcoal_for_cooking_is_not(text: str) -> None:
    assert rules_level(text) == Level.NONE


def test_saying_it_is_not_for_grilling_does_not_hide_the_plan() -> None:
    assert rules_level("I bought charcoal and sealed the bathroom, and I'm not grilling") >= \
        Level.PLAN


@pytest.mark.parametrize("text, other", [
    ("我爸坐在天台上乘凉", True), ("my sister took all her pills", True), ("ta说不想活了", True),
    ("the charcoal is lit and the windows are taped", False), ("我已经在桥上了", False),
])
def test_another_person_named_is_told_from_letters_inside_words(text: str, other: bool) -> None:
    assert names_someone_else(text) is other


def test_the_reader_needs_less_to_raise_words_about_the_caller_alone() -> None:
    assert TurnWords(cued=True, about_someone=False).sure == LEXICAL_SURE_OWN < LEXICAL_SURE
    assert TurnWords(cued=True, about_someone=True).sure == LEXICAL_SURE


def test_a_lone_passive_wish_has_the_higher_veto_bar_unless_said_in_slang() -> None:
    for cued in (True, False):
        words = TurnWords(cued=cued, about_someone=False)
        assert words.veto(Level.PASSIVE) == LEXICAL_VETO_PASSIVE
        assert words.veto(Level.PLAN) == (LEXICAL_VETO if cued else LEXICAL_VETO_UNCUED)
    assert TurnWords(cued=True, about_someone=False, slang=True).veto(Level.PASSIVE) == LEXICAL_VETO


def test_hyperbole_about_a_week_off_is_not_a_wish_to_die() -> None:
    report = RiskTracker(model=default_risk_model()).observe(
        "I'd literally die for a week off right now")
    assert report.call_level <= Level.DISTRESS
