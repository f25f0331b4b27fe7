"""Jurisdiction profiles (`LINGXI_SAFETY_PROFILE`): the duties a companion service owes where
it runs — how often it says it is an AI, when it suggests a break, whether a minor may be
offered a virtual partner or family member — as validated data (`data/profiles.toml`).

A profile sets the intervals and may replace any of the duty texts of `data/duties.toml`;
`default` is the strictest of the named ones together. docs/safety.md §5 names the law each
profile follows and what it does not cover.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from lingxi.safety.data import DATA_DIR, SafetyDataError, read_toml
from lingxi.safety.duties import TEXT_KEYS, DutyTexts, default_duties

PROFILES_FILE = "profiles.toml"
PROFILE_NAMES = ("default", "cn", "us-ca", "us-ny", "eu")
DEFAULT_PROFILE = "default"
_INTERVALS = ("disclosure_every_s", "break_after_s", "minor_break_after_s")
_KEYS = frozenset({"law", "region", *_INTERVALS, "minor_relationship_personas", "zh", "en"})
# Persona relationships a profile may keep from minors (the persona flag `relationship`).
RELATIONSHIPS = ("partner", "family")


@dataclass(frozen=True, slots=True)
class Profile:
    name: str
    law: str  # the law it follows, in words (docs and the annual report)
    region: str | None  # crisis lines when the session names no region (None: by language)
    duties: DutyTexts
    minor_relationship_personas: bool  # a minor may be a virtual partner's or relative's

    def persona_allowed(self, relationship: str, *, minor: bool) -> bool:
        """Whether a persona with this relationship may answer this caller."""
        return not minor or self.minor_relationship_personas or relationship not in \
            RELATIONSHIPS


def load_profiles(path: Path | None = None,
                  base: DutyTexts | None = None) -> dict[str, Profile]:
    """Every profile of the file, validated; `base`: the texts a profile does not replace."""
    path = path or DATA_DIR / PROFILES_FILE
    document = read_toml(path)
    missing = [name for name in PROFILE_NAMES if name not in document]
    if missing:
        raise SafetyDataError(f"{path}: missing profile(s): {', '.join(missing)}")
    unknown = sorted(set(document) - set(PROFILE_NAMES))
    if unknown:
        raise SafetyDataError(f"{path}: unknown profile(s): {', '.join(unknown)} "
                              f"(expected {', '.join(PROFILE_NAMES)})")
    texts = base or default_duties()
    return {name: _profile(f"{path}: [{name}]", name, document[name], texts)
            for name in PROFILE_NAMES}


def _profile(where: str, name: str, table: Any, base: DutyTexts) -> Profile:
    if not isinstance(table, dict):
        raise SafetyDataError(f"{where}: must be a table")
    extra = sorted(set(table) - _KEYS)
    if extra:
        raise SafetyDataError(f"{where}: unknown key(s): {', '.join(extra)}")
    try:
        law = table["law"]
        allowed = table["minor_relationship_personas"]
        intervals = [float(table[key]) for key in _INTERVALS]
    except KeyError as exc:
        raise SafetyDataError(f"{where}: missing key {exc}") from None
    except (TypeError, ValueError):
        raise SafetyDataError(f"{where}: the intervals must be numbers of seconds") from None
    region = table.get("region")
    if not isinstance(law, str) or not law.strip() or not isinstance(allowed, bool) or \
            (region is not None and not isinstance(region, str)):
        raise SafetyDataError(f"{where}: law must be text, region text or left out, "
                              "minor_relationship_personas true or false")
    if min(intervals) < 0:
        raise SafetyDataError(f"{where}: an interval cannot be negative (0: never)")
    every, after, minor_after = (value or None for value in intervals)
    duties = replace(base, disclosure_every_s=every, break_after_s=after,
                     minor_break_after_s=minor_after, **_texts(where, table, base))
    return Profile(name, law, region, duties, allowed)


def _texts(where: str, table: dict[str, Any], base: DutyTexts) -> dict[str, dict[str, str]]:
    """The duty texts with the profile's replacements (per language)."""
    out = {key: dict(getattr(base, key)) for key in TEXT_KEYS}
    for lang in ("zh", "en"):
        given = table.get(lang, {})
        if not isinstance(given, dict) or set(given) - set(TEXT_KEYS):
            raise SafetyDataError(f"{where}.{lang}: only {', '.join(TEXT_KEYS)} may be given")
        for key, text in given.items():
            if not isinstance(text, str) or not text.strip():
                raise SafetyDataError(f"{where}.{lang}: {key} must be non-empty text")
            out[key][lang] = text
    return out


@functools.cache
def default_profiles() -> dict[str, Profile]:
    return load_profiles()


def profile(name: str | None = None) -> Profile:
    """The named profile (None: `default`); ValueError names the profiles on a typo."""
    name = name or DEFAULT_PROFILE
    try:
        return default_profiles()[name]
    except KeyError:
        raise ValueError(f"unknown safety profile {name!r} "
                         f"(expected one of: {', '.join(PROFILE_NAMES)})") from None
