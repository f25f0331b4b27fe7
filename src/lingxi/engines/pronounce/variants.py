"""The Mandarin speaker's typical errors of a word: its pronunciations with one phone
substituted, its final consonant dropped, or a vowel added after it (`confusions.yaml`)."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from importlib import resources
from typing import Literal

import yaml


@dataclass(frozen=True, slots=True)
class Confusions:
    substitute: dict[str, tuple[str, ...]]
    final: dict[str, tuple[str, ...]]
    unstressed_final: dict[str, tuple[str, ...]]
    dropped_final: frozenset[str]
    vowel_after: frozenset[str]
    added_vowel: str
    # Substitutes not tried at a word's first sound (rounds 29 and 38).
    not_initial: dict[str, tuple[str, ...]]
    # Substitutes not tried directly before another vowel of the word (round 39).
    not_before_vowel: dict[str, tuple[str, ...]]
    # Substitutes tried only directly before a vowel of the word (round 39).
    only_before_vowel: dict[str, tuple[str, ...]]


@dataclass(frozen=True, slots=True)
class Variant:
    index: int  # which phone of the target is wrong
    kind: Literal["substitute", "drop", "add"]
    heard: str  # the substitute; "" when dropped; "K AH" when a vowel is added after K
    phones: tuple[str, ...]  # the whole word as it would then be said


@functools.cache
def load_confusions() -> Confusions:
    raw = yaml.safe_load(resources.files("lingxi.engines.pronounce")
                         .joinpath("confusions.yaml").read_text("utf-8"))

    def table(key: str) -> dict[str, tuple[str, ...]]:
        return {k: tuple(v) for k, v in raw[key].items()}

    return Confusions(table("substitute"), table("final"), table("unstressed_final"),
                      frozenset(raw["dropped_final"]), frozenset(raw["vowel_after"]),
                      raw["added_vowel"], table("not_initial"), table("not_before_vowel"),
                      table("only_before_vowel"))


def variants(target: tuple[str, ...], c: Confusions) -> list[Variant]:
    """Every typical single error of `target` (ARPAbet phones of one word); at the last phone
    of a word with another vowel, not those of `Confusions.unstressed_final` (round 28); at
    its first sound, not those of `Confusions.not_initial` (rounds 29 and 38); directly before
    another vowel of the word, not those of `Confusions.not_before_vowel`, and those of
    `Confusions.only_before_vowel` only there (round 39)."""
    out: list[Variant] = []
    last = len(target) - 1
    unstressed = sum(p in _VOWELS for p in target) > 1
    for i, phone in enumerate(target):
        subs = c.substitute.get(phone, ()) + (c.final.get(phone, ()) if i == last else ())
        if i == last and unstressed:
            subs = tuple(s for s in subs if s not in c.unstressed_final.get(phone, ()))
        if i == 0:
            subs = tuple(s for s in subs if s not in c.not_initial.get(phone, ()))
        before_vowel = i < last and target[i + 1] in _VOWELS
        banned = c.not_before_vowel if before_vowel else c.only_before_vowel
        subs = tuple(s for s in subs if s not in banned.get(phone, ()))
        out += [Variant(i, "substitute", s, (*target[:i], s, *target[i + 1:])) for s in subs]
    final = target[last]
    if final in c.dropped_final and last > 0:
        out.append(Variant(last, "drop", "", target[:last]))
    if final in c.vowel_after:
        out.append(Variant(last, "add", f"{final} {c.added_vowel}", (*target, c.added_vowel)))
    return out


_VOWELS = frozenset({"AA", "AE", "AH", "AO", "AW", "AY", "EH", "ER", "EY", "IH", "IY", "OW", "OY",
                     "UH", "UW"})


def is_vowel(phone: str) -> bool:
    return phone in _VOWELS


def error_class(name: str) -> str:
    """The kind of an error ("TH>S"): its margin is pooled over the kind where the error itself
    was seen too seldom to have its own. "dropped", "added", "vowel", "liquid" (l, n, r and
    their nasal twin), or "consonant"."""
    phone, _, heard = name.partition(">")
    if heard == "-":
        return "dropped"
    if heard.startswith("+"):
        return "added"
    if phone in _VOWELS:
        return "vowel"
    return "liquid" if phone in ("L", "N", "R", "NG") else "consonant"


def on_aligned(target: tuple[str, ...], aligned: tuple[str, ...], c: Confusions
               ) -> list[Variant]:
    """The typical errors of `target` (the dictionary's first pronunciation) as tried on
    `aligned`, the pronunciation the alignment chose: each at the place of its own phone there,
    found by the phone and its place among equal phones ("pumpkin" aligned P AH M K IH N: ɪ→iː
    on the IH, n→ŋ on the final N), the word said wrong built on `aligned`. An error whose phone
    is not in `aligned` (the second P) is not tried, nor one that holds only at a place the
    phone does not have there (a final-only error on a phone that is no longer last)."""
    if aligned == target:
        return variants(target, c)
    wanted = {_key(v, target) for v in variants(target, c)}
    return [v for v in variants(aligned, c) if _key(v, aligned) in wanted]


def _key(v: Variant, phones: tuple[str, ...]) -> tuple[str, int, str, str]:
    """An error by its phone, that phone's place among equal phones, its kind and what is
    heard."""
    phone = phones[v.index]
    return phone, phones[:v.index].count(phone), v.kind, v.heard
