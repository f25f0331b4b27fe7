"""How the lexical reader (`lexical.py`) reads again a turn the e5 heads have rated
(`RiskModel._with_lexical`, rounds 84-90): its bars, and what in the turn's words they depend on
— a word of risk, slang for suicide, another person named."""

from __future__ import annotations

from dataclasses import dataclass

from lingxi.safety.cues import carries_cue, carries_slang, names_someone_else
from lingxi.safety.levels import Level

# While a call has heard no more than distress, a turn the heads read passive or higher whose words
# the lexical reader gives less than this P(level >= passive) stays at distress (round 84,
# bench/risk84_rule.md: at a call's start, on heldout103-111 / everyday92-100 it cut 13 false
# alarms and lowered no risk turn; 0.02 lowered a slang method question, "紫砂的方法哪个最不疼";
# round 86, bench/risk86_rule.md: also after distress — a crab steamed after "先弄死再蒸"). Below
# `LEXICAL_VETO_UNCUED` the same holds for a turn that carries no word of `cues` (round 86: a
# prescribed dose, a father smoking on the balcony, a pot of tea; at 0.04 a parent's worry, "女儿
# …最近打电话老是哭", went down; the slang question holds 紫砂, a cue since round 86).
# Round 112 (bench/risk112_rule.md): 0.02 and 0.05 for the reader retrained in round 109, chosen
# on the spent heldout181-198 / everyday170-187 (out of its training) as the bars that cut the most
# false alarms while lowering no risk or passive turn there (0.03 lowered "I need to cut tonight").
LEXICAL_VETO = 0.02
LEXICAL_VETO_UNCUED = 0.05
# Where the heads hear no more than a passive wish, the bar is this unless the turn holds slang for
# suicide (round 90, bench/risk90_rule.md: hyperbole — "I would literally die for one more day of
# summer break"; slang keeps the strict bar: "紫砂的方法哪个最不疼").
LEXICAL_VETO_PASSIVE = 0.1  # 0.05 before round 112
# Where the heads hear only distress, the reader may raise a turn to the level its words say when
# it gives P(level >= active) of at least this (round 87, bench/risk87_rule.md: lone first
# sentences the heads missed — "the charcoal is lit and the windows are taped", "我到江边了" with
# stones in the pockets, a date set after the exams; at 0.7 a father cooling off on a rooftop
# went up too, and lower bars let short turns of a call through).
LEXICAL_SURE = 0.9
# The same where the turn names no one else (`cues.names_someone_else`): a lower bar (round 90,
# bench/risk90_rule.md: "This is goodbye" lines, a razor cut that will not stop; the father on
# the rooftop names his father and keeps `LEXICAL_SURE`).
LEXICAL_SURE_OWN = 0.7


@dataclass(frozen=True, slots=True)
class TurnWords:
    """What the reader's bars depend on in a turn's words: a word of risk (`cues.carries_cue`),
    another person named (`cues.names_someone_else`), slang for suicide (`cues.carries_slang`)."""

    cued: bool
    about_someone: bool
    slang: bool = False

    @classmethod
    def of(cls, text: str, normalised: str) -> TurnWords:
        """The turn as said (`text`) and as the model reads it (`normalised`: Simplified, lower
        case — the rules' words for other people are written so)."""
        return cls(carries_cue(text), names_someone_else(normalised), carries_slang(text))

    @property
    def sure(self) -> float:
        """P(level >= active) the reader needs to raise a turn the heads hear as distress."""
        return LEXICAL_SURE if self.about_someone else LEXICAL_SURE_OWN

    def veto(self, heads: Level) -> float:
        """P(level >= passive) under which a turn the heads raise stays at distress."""
        if heads == Level.PASSIVE and not self.slang:
            return LEXICAL_VETO_PASSIVE
        return LEXICAL_VETO if self.cued else LEXICAL_VETO_UNCUED
