"""The risk assessor: one user turn in, an `Assessment` out, in well under a millisecond.

How a turn is read (all phrases live in `data/*.toml`, none in code):

1. The transcript is normalised (`normalise.py`): Traditional → Simplified, recogniser
   homophones, punctuation as clause breaks, spoken contractions.
2. Masks set aside idioms and hyperbole (累死了, "this movie killed me"), negations ("我不是想
   死" — which still count as distress) and talk about someone else ("我朋友说她想死" — which
   counts as passive: someone is worried about a person at risk). A masked span is replaced
   by a clause break so no later rule can match inside it.
3. Rules match what is left. A rule with `needs` counts at its level only when the call has
   reached a level (`needs = "passive"`) or raised a flag (`needs = "place"`) — "哪座桥最高"
   is a tourist's question on its own and a plan after "我不想活了" — and otherwise at its
   `otherwise` level, if any. Flags raised by any rule of the turn count at once, so "我在
   河边，马上就跳" is read as one picture.
4. Frames: a turn framed as not about the caller's own life — a history lesson, a
   professional's question about their work, a laugh, hyperbole over a thing — is not raised
   above distress by the rules while the call has shown no risk (below passive); the learned
   model, which reads the whole turn, still rates it (`RiskTracker`). In a call already at
   passive or higher the rules stand: "开玩笑的" after "我不想活了" is no reason to hear less.

The turn's level is the highest level any reason supports. The Chinese and the English rules
both run on any turn that has Chinese characters and Latin letters — callers switch language
mid-sentence — whatever `lang` the caller was said to speak.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from lingxi.safety.data import (
    DATA_DIR,
    NORMALISE_FILE,
    RULE_FILES,
    Frame,
    Mask,
    Rule,
    Ruleset,
    load_normalise,
    load_rules,
)
from lingxi.safety.levels import Assessment, Level, Reason
from lingxi.safety.normalise import Normaliser
from lingxi.text import has_han

_BREAK = ","
_LATIN = re.compile(r"[a-z]")
_WORDS = re.compile(r"[^\W_]")  # a letter, digit or Han character left after the masks


@dataclass(frozen=True, slots=True)
class CallContext:
    """What earlier turns of the same call established: the call's level and raised flags."""

    level: Level = Level.NONE
    flags: frozenset[str] = frozenset()


@dataclass(frozen=True, slots=True)
class Evaluation:
    """An assessment plus the context flags this turn raised (for `RiskTracker`)."""

    assessment: Assessment
    flags: frozenset[str] = field(default_factory=frozenset)
    # The learned model's ceiling for this turn: it held nothing but masked phrases that carry
    # one (the highest of theirs); None: the model's level stands.
    model_ceiling: Level | None = None


# Plan-level reasons a frame of the caller's own words said lightly (`takes_back = "words"`)
# may take back: a way named or asked about. Preparation (means kept, a place scouted, a time
# set, a note, goodbyes) and every imminent reason stay: a laugh does not make a prepared plan
# a joke.
_NAMED_WAY = ("plan.method", "plan.ask_")


def _taken_back(frame: Frame, reason: Reason) -> bool:
    """Whether `frame` takes this reason back; distress and below always stay."""
    if reason.level <= Level.DISTRESS:
        return False
    if frame.takes_back == "all":
        return True
    return reason.level < Level.PLAN or (reason.level == Level.PLAN
                                         and reason.code.startswith(_NAMED_WAY))


class RiskAssessor:
    """Stateless and thread-safe once built; share one per process (`default_assessor()`)."""

    def __init__(self, rules: Ruleset, normaliser: Normaliser) -> None:
        self._masks = rules.masks
        self._rules = rules.rules
        self._frames = rules.frames
        self._normalise = normaliser

    @classmethod
    def from_files(cls, data_dir: Path | None = None) -> RiskAssessor:
        """Load `zh.toml`, `en.toml` and `normalise.toml` from `data_dir` (default: built in)."""
        folder = DATA_DIR if data_dir is None else data_dir
        rules = load_rules([folder / name for name in RULE_FILES])
        return cls(rules, Normaliser(load_normalise(folder / NORMALISE_FILE)))

    def normalise(self, text: str) -> str:
        """The turn as the learned models read it: the rules also apply the replacements
        marked `rules_only` (`evaluate`), which the models were not trained with."""
        return self._normalise(text, rules=False)

    def assess(self, text: str, context: CallContext | None = None) -> Assessment:
        """The risk `text` shows on its own, or in the light of `context` when given."""
        return self.evaluate(text, context or CallContext()).assessment

    def evaluate(self, text: str, context: CallContext) -> Evaluation:
        normalised = self._normalise(text)
        scripts = _scripts(normalised)
        masked, reasons, matched, ceilings, mask_flags = self._apply_masks(normalised, scripts)
        ceiling = max(ceilings) if ceilings and not _WORDS.search(masked) else None
        found = [rule for rule in self._rules
                 if rule.script in scripts and self._fires(rule, masked, normalised)]
        matched.extend(rule.code for rule in found)
        flags = mask_flags.union(*(rule.sets for rule in found))
        reasons.extend(_weigh(found, context, flags, reasons))
        ordered = sorted(_unique(reasons), key=lambda reason: -reason.level)
        raised = bool(ordered) and ordered[0].level > Level.DISTRESS
        frame = self._frame(normalised, scripts, context) if raised else None
        if frame is not None:
            # Distress stays ("我是护士，我快崩溃了" is still the caller's own low mood), and a
            # laugh takes back only words, not preparation (`_taken_back`). The rules' matches
            # stay listed (why the frame mattered), and their flags stay raised, so a later
            # turn is still read in their light.
            matched.append(frame.code)
            ordered = [reason for reason in ordered if not _taken_back(frame, reason)]
        level = ordered[0].level if ordered else Level.NONE
        return Evaluation(Assessment(level, tuple(ordered), tuple(dict.fromkeys(matched))),
                          flags, ceiling)

    def _frame(self, text: str, scripts: frozenset[str], context: CallContext) -> Frame | None:
        """The first frame that sets this turn apart from the caller's own life, or None.
        Only while the call is below passive: once risk has been heard, a laugh or a
        "I'm a nurse" is no reason for the rules to hear less."""
        if context.level >= Level.PASSIVE:
            return None
        for frame in self._frames:
            if frame.script in scripts and frame.pattern.search(text) is not None and (
                    frame.unless is None or frame.unless.search(text) is None):
                return frame
        return None

    def _apply_masks(self, text: str, scripts: frozenset[str]
                     ) -> tuple[str, list[Reason], list[str], list[Level], frozenset[str]]:
        reasons: list[Reason] = []
        matched: list[str] = []
        ceilings: list[Level] = []
        flags: frozenset[str] = frozenset()
        original = text
        for mask in self._masks:
            if mask.script not in scripts or (
                    mask.unless is not None and mask.unless.search(original)):
                continue
            text, count = mask.pattern.subn(_BREAK, text)
            if count:
                matched.append(mask.code)
                if mask.level > Level.NONE:
                    reasons.append(_reason(mask, mask.level))
                if mask.model is not None:
                    ceilings.append(mask.model)
                flags |= mask.sets
        return text, reasons, matched, ceilings, flags

    @staticmethod
    def _fires(rule: Rule, masked: str, normalised: str) -> bool:
        if rule.pattern.search(masked) is None:
            return False
        return rule.unless is None or rule.unless.search(normalised) is None


def _scripts(text: str) -> frozenset[str]:
    """Which rule files can match: "any" always, "han"/"latin" when the text has one."""
    scripts = {"any"}
    if has_han(text):
        scripts.add("han")
    if _LATIN.search(text):
        scripts.add("latin")
    return frozenset(scripts)


def _weigh(found: list[Rule], context: CallContext, flags: frozenset[str],
           earlier: list[Reason]) -> list[Reason]:
    """Reasons from the rules that matched, settling `needs` against the call and this turn."""
    flags = context.flags | flags
    reasons = [_reason(rule, rule.level) for rule in found if not _conditional(rule)]
    pending = [rule for rule in found if _conditional(rule)]
    reached = max([context.level, *(r.level for r in earlier), *(r.level for r in reasons)])
    progress = True
    while pending and progress:  # a satisfied rule may raise the level another one needs
        progress = False
        for rule in list(pending):
            if _satisfied(rule, reached, flags):
                reasons.append(_reason(rule, rule.level))
                reached = max(reached, rule.level)
                pending.remove(rule)
                progress = True
    reasons.extend(_reason(rule, rule.otherwise) for rule in pending
                   if rule.otherwise is not None and rule.otherwise > Level.NONE)
    return [reason for reason in reasons if reason.level > Level.NONE]


def _conditional(rule: Rule) -> bool:
    return rule.needs_level is not None or rule.needs_flag is not None


def _satisfied(rule: Rule, reached: Level, flags: frozenset[str]) -> bool:
    if rule.needs_level is not None:
        return reached >= rule.needs_level
    return rule.needs_flag in flags


def _reason(item: Mask | Rule, level: Level) -> Reason:
    return Reason(code=item.code, level=level, text=item.text, about_other=item.about_other)


def _unique(reasons: Iterable[Reason]) -> list[Reason]:
    best: dict[str, Reason] = {}
    for reason in reasons:
        if reason.code not in best or best[reason.code].level < reason.level:
            best[reason.code] = reason
    return list(best.values())


@functools.cache
def default_assessor() -> RiskAssessor:
    """The assessor over the built-in data, loaded (and validated) once per process."""
    return RiskAssessor.from_files()
