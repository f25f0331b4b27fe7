"""Loading and validating the assessor's data files (TOML under `lingxi/safety/data/`).

A *rule file* (`zh.toml`, `en.toml`) holds two kinds of tables:

- `[[mask]]`: phrases set aside before any rule looks at the text — idioms and hyperbole
  (笑死我了, "kill the process"), negations ("我不是想死"), talk about someone else. A mask
  may carry a level of its own (a negation still shows distress; a friend at risk is
  `passive`). Masks run in file order, so a negation listed first wins over a later idiom.
  A mask may also carry `model`: the highest level the learned model may give a turn that is
  nothing but masked phrases, said before the call has shown any risk (the model reads "我刚
  才在路上看到" as an attempt under way; the rules never looked at it), and `unless`, as a
  rule's: patterns that, found anywhere in the turn, leave the mask unapplied (a nurse's
  patient overdosed, "and now I keep thinking I should do the same"), and `sets`, as a rule's:
  a caller stargazing on a roof is still on the roof, so a wish said there later is read at
  the place though the turn that said where was set aside.
  A mask or a rule may say `about = "other"`: its words are about someone else at risk (a
  friend who wants to die, a brother on a ledge now), so the reply speaks to a worried
  bystander unless the caller's own risk is heard too (`RiskTracker.about_other`).
- `[[rule]]`: a risk signal with a `level`. Optional keys: `unless` (patterns that, found
  anywhere in the turn, cancel the rule: "看烟花" on a rooftop), `sets` (context flags the
  rule raises for the rest of the call, e.g. `place`), `needs` (a level the call must have
  reached, or a flag that must be raised, for the rule to count at `level`) and `otherwise`
  (the level it counts at when `needs` is not met; left out, the rule then does not count).
- `[[frame]]`: how the turn is framed — a history lesson, a professional asking about their
  work, a laugh, hyperbole over a thing. A frame found in a turn of a call that has not yet
  reached passive stops the rules from raising that turn (their matches are still listed);
  the learned model's reading of the turn stands, so risk it hears is not hidden by a "haha".
  `unless`, as a rule's: patterns that leave the frame off ("不是开玩笑", "I'm worried");
  `takes_back = "words"` for a frame of the caller's own words said lightly (a laugh,
  hyperbole): it takes back only wishing and a way named or asked about, never preparation or
  an act ("天台我都去看好了 哈哈"); by default ("all") every reason above distress.

Every table needs `code` (unique, lowercase dotted), `text` (a short human reason) and
`patterns` (regular expressions, matched case-insensitively against normalised text).
A rule file may declare `script = "han"` (its patterns all need a Chinese character) or
`script = "latin"` (they all need a Latin letter); the assessor then skips the file's masks
and rules for turns without one, which halves the work on a one-language turn. A rule file
may name regex fragments once in a `[define]` table (`means = "安眠药|农药"`) and
use them as `%means%` in any pattern of that file (a fragment may use earlier fragments).
A *normalisation file* (`normalise.toml`) holds the Traditional→Simplified character pairs
and ordered ASR/spelling replacements. Anything malformed raises `SafetyDataError`, whose
message starts with the file's path and names the table and key at fault.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from lingxi.safety.levels import LEVEL_NAMES, Level

DATA_DIR = Path(__file__).with_name("data")
RULE_FILES: tuple[str, ...] = ("zh.toml", "en.toml")
NORMALISE_FILE = "normalise.toml"

_CODE = re.compile(r"[a-z][a-z0-9_]*(\.[a-z0-9_]+)+")
_FLAG = re.compile(r"[a-z][a-z_]*")
_REFERENCE = re.compile(r"%([a-z][a-z0-9_]*)%")
_MASK_KEYS = frozenset({"code", "text", "level", "patterns", "model", "unless", "about", "sets"})
_FRAME_KEYS = frozenset({"code", "text", "patterns", "unless", "takes_back"})
# What a frame takes back: every reason above distress (the words are about someone else or
# a thing), or only words of wishing and a way named or asked about (the caller's own words
# said lightly: preparation and acts stay).
TAKES_BACK = ("all", "words")
_RULE_KEYS = frozenset({"code", "text", "level", "patterns", "unless", "needs", "otherwise",
                        "sets", "about"})
ABOUT = ("self", "other")  # whose risk a mask's or a rule's words are about


SCRIPTS = ("any", "han", "latin")


class SafetyDataError(ValueError):
    """A data file is missing or malformed; the message names the file and the entry."""


@dataclass(frozen=True, slots=True)
class Mask:
    code: str
    text: str
    level: Level
    pattern: re.Pattern[str]
    script: str = "any"
    model: Level | None = None  # the learned model's ceiling on a turn of only such phrases
    unless: re.Pattern[str] | None = None  # found anywhere in the turn: the mask stays off
    about_other: bool = False  # the words are about someone else at risk
    sets: frozenset[str] = frozenset()  # context flags raised when it applies, as a rule's


@dataclass(frozen=True, slots=True)
class Rule:
    code: str
    text: str
    level: Level
    pattern: re.Pattern[str]
    unless: re.Pattern[str] | None = None
    needs_level: Level | None = None
    needs_flag: str | None = None
    otherwise: Level | None = None
    sets: frozenset[str] = frozenset()
    script: str = "any"
    about_other: bool = False  # the words are about someone else at risk


@dataclass(frozen=True, slots=True)
class Frame:
    code: str
    text: str
    pattern: re.Pattern[str]
    unless: re.Pattern[str] | None = None  # found anywhere in the turn: the frame stays off
    script: str = "any"
    takes_back: str = "all"  # one of TAKES_BACK


@dataclass(frozen=True, slots=True)
class Ruleset:
    masks: tuple[Mask, ...]
    rules: tuple[Rule, ...]
    frames: tuple[Frame, ...] = ()


@dataclass(frozen=True, slots=True)
class Replacement:
    code: str
    pattern: re.Pattern[str]
    replacement: str
    # Applied for the rules only, not to the learned model's input (the head was trained on
    # text without it, and a retrain must reproduce the shipped head).
    rules_only: bool = False


@dataclass(frozen=True, slots=True)
class NormaliseData:
    traditional: dict[int, str]
    replacements: tuple[Replacement, ...]


def read_toml(path: Path) -> dict[str, Any]:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise SafetyDataError(f"{path}: data file not found") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise SafetyDataError(f"{path}: not valid TOML: {exc}") from None


class _Entry:
    """One table of a data file, with errors that say where it is."""

    def __init__(self, path: Path, kind: str, index: int, table: Any,
                 defines: Mapping[str, str]) -> None:
        self.where = f"{path}: [[{kind}]] #{index + 1}"
        self.defines = defines
        if not isinstance(table, Mapping):
            raise SafetyDataError(f"{self.where}: must be a table")
        self.table: Mapping[str, Any] = table
        code = table.get("code")
        if isinstance(code, str):
            self.where += f" ({code!r})"

    def fail(self, problem: str) -> SafetyDataError:
        return SafetyDataError(f"{self.where}: {problem}")

    def check_keys(self, allowed: frozenset[str]) -> None:
        unknown = sorted(set(self.table) - allowed)
        if unknown:
            raise self.fail(f"unknown key(s) {', '.join(unknown)}")

    def text(self, key: str, *, required: bool = True) -> str | None:
        value = self.table.get(key)
        if value is None and not required:
            return None
        if not isinstance(value, str) or not value.strip():
            raise self.fail(f"'{key}' must be a non-empty string")
        return value

    def code(self) -> str:
        code = self.text("code")
        assert code is not None
        if not _CODE.fullmatch(code):
            raise self.fail("'code' must be lowercase words joined by dots, e.g. 'plan.means'")
        return code

    def level(self, key: str, default: Level | None) -> Level | None:
        value = self.table.get(key)
        if value is None:
            return default
        if not isinstance(value, str) or value not in LEVEL_NAMES:
            raise self.fail(f"'{key}' must be one of {', '.join(LEVEL_NAMES)}, not {value!r}")
        return Level.parse(value)

    def strings(self, key: str, *, required: bool) -> list[str]:
        value = self.table.get(key)
        if value is None and not required:
            return []
        if (not isinstance(value, list) or not value
                or not all(isinstance(v, str) and v for v in value)):
            raise self.fail(f"'{key}' must be a non-empty list of non-empty strings")
        return list(value)

    def regex(self, key: str, *, required: bool = True) -> re.Pattern[str] | None:
        sources = self.strings(key, required=required)
        if not sources:
            return None
        for n, raw in enumerate(sources, 1):
            source = _expand(raw, self.defines, self.fail)
            sources[n - 1] = source
            try:
                compiled = re.compile(source, re.IGNORECASE)
            except re.error as exc:
                raise self.fail(
                    f"'{key}' pattern {n} ({raw!r}) does not compile: {exc}") from None
            if compiled.match("") is not None:
                raise self.fail(f"'{key}' pattern {n} ({raw!r}) matches empty text")
        return re.compile("|".join(f"(?:{s})" for s in sources), re.IGNORECASE)


def _expand(source: str, defines: Mapping[str, str],
            fail: Callable[[str], SafetyDataError]) -> str:
    def substitute(match: re.Match[str]) -> str:
        name = match.group(1)
        if name not in defines:
            raise fail(f"{source!r} uses %{name}%, which [define] does not define")
        return f"(?:{defines[name]})"

    return _REFERENCE.sub(substitute, source)


def file_defines(path: Path, document: Mapping[str, Any]) -> dict[str, str]:
    """A rule file's [define] table, each name's regex with its references expanded."""
    section = document.get("define", {})
    if not isinstance(section, Mapping):
        raise SafetyDataError(f"{path}: [define] must be a table of name = \"regex\"")
    defines: dict[str, str] = {}
    for name, value in section.items():
        def fail(problem: str, name: str = name) -> SafetyDataError:
            return SafetyDataError(f"{path}: [define] {name}: {problem}")

        if not isinstance(value, str) or not value:
            raise fail("must be a non-empty string")
        if not re.fullmatch(r"[a-z][a-z0-9_]*", name):
            raise fail("names are lowercase words")
        defines[name] = _expand(value, defines, fail)
        try:
            re.compile(defines[name])
        except re.error as exc:
            raise fail(f"does not compile: {exc}") from None
    return defines


def _mask(entry: _Entry, script: str) -> Mask:
    entry.check_keys(_MASK_KEYS)
    pattern = entry.regex("patterns")
    assert pattern is not None
    return Mask(code=entry.code(), text=entry.text("text") or "",
                level=entry.level("level", Level.NONE) or Level.NONE, pattern=pattern,
                script=script, model=entry.level("model", None),
                unless=entry.regex("unless", required=False), about_other=_about_other(entry),
                sets=_flags(entry))


def _frame(entry: _Entry, script: str) -> Frame:
    entry.check_keys(_FRAME_KEYS)
    pattern = entry.regex("patterns")
    assert pattern is not None
    takes_back = entry.text("takes_back", required=False) or "all"
    if takes_back not in TAKES_BACK:
        raise entry.fail(f"'takes_back' must be one of {', '.join(TAKES_BACK)}")
    return Frame(code=entry.code(), text=entry.text("text") or "", pattern=pattern,
                 unless=entry.regex("unless", required=False), script=script,
                 takes_back=takes_back)


def _rule(entry: _Entry, script: str) -> Rule:
    entry.check_keys(_RULE_KEYS)
    level = entry.level("level", None)
    if level is None:
        raise entry.fail("'level' is required")
    pattern = entry.regex("patterns")
    assert pattern is not None
    needs = entry.text("needs", required=False)
    needs_level = Level.parse(needs) if needs in LEVEL_NAMES else None
    if needs is not None and needs_level is None and not _FLAG.fullmatch(needs):
        raise entry.fail(f"'needs' must be a level or a flag name, not {needs!r}")
    otherwise = entry.level("otherwise", None)
    if otherwise is not None and needs is None:
        raise entry.fail("'otherwise' only makes sense together with 'needs'")
    return Rule(code=entry.code(), text=entry.text("text") or "", level=level, pattern=pattern,
                unless=entry.regex("unless", required=False), needs_level=needs_level,
                needs_flag=None if needs_level is not None else needs, otherwise=otherwise,
                sets=_flags(entry), script=script, about_other=_about_other(entry))


def _flags(entry: _Entry) -> frozenset[str]:
    sets = entry.strings("sets", required=False)
    for flag in sets:
        if not _FLAG.fullmatch(flag) or flag in LEVEL_NAMES:
            raise entry.fail(f"'sets' flag {flag!r} must be a lowercase word, not a level")
    return frozenset(sets)


def _about_other(entry: _Entry) -> bool:
    about = entry.text("about", required=False) or "self"
    if about not in ABOUT:
        raise entry.fail(f"'about' must be one of {', '.join(ABOUT)}, not {about!r}")
    return about == "other"


def _tables(path: Path, document: Mapping[str, Any], kind: str,
            defines: Mapping[str, str] | None = None) -> list[_Entry]:
    tables = document.get(kind, [])
    if not isinstance(tables, list):
        raise SafetyDataError(f"{path}: '{kind}' must be an array of tables ([[{kind}]])")
    return [_Entry(path, kind, n, table, defines or {}) for n, table in enumerate(tables)]


def load_rules(paths: Sequence[Path]) -> Ruleset:
    """Masks, rules and frames from `paths`, in order; codes are unique across all the files."""
    masks: list[Mask] = []
    rules: list[Rule] = []
    frames: list[Frame] = []
    seen: dict[str, Path] = {}
    needed: list[tuple[Path, str, str]] = []
    for path in paths:
        document = read_toml(path)
        unknown = sorted(set(document) - {"mask", "rule", "frame", "define", "script", "about"})
        if unknown:
            raise SafetyDataError(f"{path}: unknown top-level key(s) {', '.join(unknown)}")
        script = document.get("script", "any")
        if script not in SCRIPTS:
            raise SafetyDataError(f"{path}: 'script' must be one of {', '.join(SCRIPTS)}")
        defines = file_defines(path, document)
        entries: list[tuple[_Entry, Mask | Rule | Frame]] = [
            (e, _mask(e, script)) for e in _tables(path, document, "mask", defines)]
        entries += [(e, _rule(e, script)) for e in _tables(path, document, "rule", defines)]
        entries += [(e, _frame(e, script)) for e in _tables(path, document, "frame", defines)]
        if not entries:
            raise SafetyDataError(f"{path}: no [[mask]] or [[rule]] tables")
        for entry, item in entries:
            if item.code in seen:
                raise entry.fail(f"code {item.code!r} is already used in {seen[item.code]}")
            seen[item.code] = path
            if isinstance(item, Mask):
                masks.append(item)
            elif isinstance(item, Frame):
                frames.append(item)
            else:
                rules.append(item)
                if item.needs_flag is not None:
                    needed.append((path, item.code, item.needs_flag))
    raised = {flag for rule in rules for flag in rule.sets}
    raised |= {flag for mask in masks for flag in mask.sets}
    _check_flags(needed, raised)
    return Ruleset(masks=tuple(masks), rules=tuple(rules), frames=tuple(frames))


def _check_flags(needed: Iterable[tuple[Path, str, str]], raised: set[str]) -> None:
    for path, code, flag in needed:
        if flag not in raised:
            raise SafetyDataError(f"{path}: rule {code!r} needs flag {flag!r}, "
                                  "but no rule or mask sets it")


def load_normalise(path: Path) -> NormaliseData:
    """The Traditional→Simplified table and the ordered replacements from `path`."""
    document = read_toml(path)
    unknown = sorted(set(document) - {"traditional", "replace", "about"})
    if unknown:
        raise SafetyDataError(f"{path}: unknown top-level key(s) {', '.join(unknown)}")
    table = _traditional(path, document.get("traditional"))
    replacements: list[Replacement] = []
    for entry in _tables(path, document, "replace"):
        entry.check_keys(frozenset({"code", "pattern", "with", "note", "rules_only"}))
        source = entry.text("pattern") or ""
        try:
            pattern = re.compile(source, re.IGNORECASE)
        except re.error as exc:
            raise entry.fail(f"'pattern' ({source!r}) does not compile: {exc}") from None
        target = entry.table.get("with")
        if not isinstance(target, str):
            raise entry.fail("'with' must be a string (it may be empty)")
        rules_only = entry.table.get("rules_only", False)
        if not isinstance(rules_only, bool):
            raise entry.fail("'rules_only' must be true or false")
        replacements.append(Replacement(code=entry.code(), pattern=pattern, replacement=target,
                                        rules_only=rules_only))
    return NormaliseData(traditional=table, replacements=tuple(replacements))


def _traditional(path: Path, section: Any) -> dict[int, str]:
    where = f"{path}: [traditional]"
    if not isinstance(section, Mapping) or not isinstance(section.get("pairs"), str):
        raise SafetyDataError(f"{where}: needs 'pairs', a string of two-character tokens")
    table: dict[int, str] = {}
    for token in section["pairs"].split():
        if len(token) != 2:
            raise SafetyDataError(f"{where}: {token!r} is not one Traditional character "
                                  "followed by its Simplified form")
        old, new = token
        if old == new:
            continue
        if table.get(ord(old), new) != new:
            raise SafetyDataError(f"{where}: {old!r} maps to both {table[ord(old)]!r} "
                                  f"and {new!r}")
        table[ord(old)] = new
    return table
