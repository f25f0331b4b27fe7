"""The safety policy: a deterministic map from a call's risk level to what Lingxi does.

No persona, skill or model can change it. Given the level, the caller's language and region:

- `none`: nothing (`reply` None, no hotlines).
- `distress`: the model still replies; `check_in` offers a gentle sentence it may use.
- `passive`, `active`: `reply` is a preset safe-messaging text to speak *instead* of the
  model's reply (warm, asks directly about safety, hope and help, names the region's crisis
  line by number); `hotlines` are the region's crisis lines, for the card on the page.
- `plan`, `imminent`: `reply` urges calling emergency services now and says Lingxi stays;
  `hotlines` are the crisis lines then the emergency numbers; `escalate` is True.

With `about_other` (the risk heard is someone else's: a friend who wants to die, a brother on a
ledge now; see `lingxi.safety.gate`) the same levels speak to a worried bystander instead: how
to ask and stay with the person, that the crisis line takes calls from family and friends, from
`plan` up to call emergency services for them now and not leave them alone, and how the caller
is themself. The numbers, the card and the escalation are the same.

```python
from lingxi.safety.policy import decide

action = decide("active", lang="zh", turn=0)
action.reply        # "谢谢你愿意告诉我…拨打心理援助热线 12356 或 010 82951332…"
action.hotlines[0]  # Hotline(name="全国心理援助热线", number="12356", region="CN", ...)
```

The numbers (`data/crisis_lines.toml`, each with its source) and the texts
(`data/templates.toml`) are data, validated when loaded: anything malformed raises
`SafetyDataError`, whose message starts with the file's path.
"""

from __future__ import annotations

import functools
import re
import string
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from lingxi.safety.data import DATA_DIR, SafetyDataError, read_toml
from lingxi.safety.levels import Level

LINES_FILE = "crisis_lines.toml"
TEMPLATES_FILE = "templates.toml"

LANGUAGES: tuple[str, ...] = ("zh", "en")
GROUPS: tuple[str, ...] = ("distress", "support", "urgent", "support_other", "urgent_other")
KINDS: tuple[str, ...] = ("crisis", "emergency")
DEFAULT_REGION: Mapping[str, str] = {"zh": "CN", "en": "US"}
_ALIASES: Mapping[str, str] = {"UK": "GB"}
SPOKEN_CRISIS_LINES = 2
"""How many of a region's crisis lines the spoken reply names (the card shows them all)."""

_LINE_KEYS = frozenset({"name", "number", "region", "kind", "hours", "source"})
_REGION = re.compile(r"[A-Z]{2}")
_NUMBER = re.compile(r"[0-9][0-9 \-]*[0-9]|[0-9]")
_PLACEHOLDERS = frozenset({"hotline", "emergency"})
_NEEDS: Mapping[str, str] = {"support": "hotline", "urgent": "emergency",
                             "support_other": "hotline", "urgent_other": "emergency"}
_NOT_SPOKEN = re.compile(r"https?://|www\.|[*#`_\[\]<>|]|^\s*[-•]\s", re.MULTILINE)
_JOIN: Mapping[str, str] = {"zh": " 或 ", "en": " or "}


@dataclass(frozen=True, slots=True)
class Hotline:
    name: str        # e.g. "全国心理援助热线" / "988 Suicide & Crisis Lifeline"
    number: str      # as dialled, e.g. "12356", "010-82951332", "988"
    region: str      # "CN", "HK", "TW", "US", "GB", "IE"
    kind: str        # "crisis" or "emergency"
    hours: str       # e.g. "24/7"
    source: str      # where the number is documented (URL or publication)

    @property
    def spoken(self) -> str:
        """The number as TTS should read it: digit groups split by spaces, not dashes."""
        return self.number.replace("-", " ")


@dataclass(frozen=True, slots=True)
class SafetyAction:
    level: str                      # the call's risk level (one of the six)
    reply: str | None               # text to SPEAK instead of the model's reply; else None
    hotlines: tuple[Hotline, ...]   # crisis lines (and emergency numbers for plan/imminent)
    escalate: bool                  # True for plan and imminent
    check_in: str | None            # for distress: a gentle check-in sentence; else None


class SafetyPolicy:
    """The directory and the templates, validated; stateless and thread-safe."""

    def __init__(self, hotlines: tuple[Hotline, ...],
                 templates: Mapping[str, Mapping[str, tuple[str, ...]]]) -> None:
        self._lines: dict[tuple[str, str], tuple[Hotline, ...]] = {}
        for line in hotlines:
            key = (line.region, line.kind)
            self._lines[key] = (*self._lines.get(key, ()), line)
        self._templates = templates

    @property
    def regions(self) -> frozenset[str]:
        return frozenset(region for region, _ in self._lines)

    def hotlines(self, region: str, kind: str) -> tuple[Hotline, ...]:
        return self._lines.get((region, kind), ())

    def region_for(self, lang: str, region: str | None) -> str:
        """`region` if the directory knows it ("UK" means GB), else the language's default."""
        if region is not None:
            code = region.strip().upper()
            code = _ALIASES.get(code, code)
            if code in self.regions:
                return code
        return DEFAULT_REGION[_language(lang)]

    def decide(self, level: str, *, lang: str, region: str | None = None,
               turn: int = 0, about_other: bool = False) -> SafetyAction:
        """What to do for a call at `level`; `turn` picks the template variant (turn % n);
        `about_other`: the risk is someone else's, and the caller is spoken to as a bystander."""
        parsed = Level.parse(level)
        language = _language(lang)
        if parsed == Level.NONE:
            return SafetyAction(parsed.label, None, (), escalate=False, check_in=None)
        if parsed == Level.DISTRESS:
            return SafetyAction(parsed.label, None, (), escalate=False,
                                check_in=self._pick(language, "distress", turn))
        where = self.region_for(language, region)
        crisis = self.hotlines(where, "crisis")
        emergency = self.hotlines(where, "emergency")
        join = _JOIN[language]
        fill = {"hotline": join.join(line.spoken for line in crisis[:SPOKEN_CRISIS_LINES]),
                "emergency": join.join(line.spoken for line in emergency)}
        urgent = parsed >= Level.PLAN
        group = ("urgent" if urgent else "support") + ("_other" if about_other else "")
        template = self._pick(language, group, turn)
        return SafetyAction(parsed.label, template.format_map(fill),
                            crisis + emergency if urgent else crisis,
                            escalate=urgent, check_in=None)

    def _pick(self, language: str, group: str, turn: int) -> str:
        variants = self._templates[language][group]
        return variants[turn % len(variants)]


def _language(lang: str) -> str:
    return "zh" if lang.strip().lower().startswith("zh") else "en"


def load_policy(path_dir: Path | None = None) -> SafetyPolicy:
    """Load `crisis_lines.toml` and `templates.toml` from `path_dir` (default: built in)."""
    folder = DATA_DIR if path_dir is None else path_dir
    return SafetyPolicy(load_hotlines(folder / LINES_FILE),
                        load_templates(folder / TEMPLATES_FILE))


def load_hotlines(path: Path) -> tuple[Hotline, ...]:
    """The crisis-line directory from `path`, in file order, validated."""
    document = read_toml(path)
    unknown = sorted(set(document) - {"line", "about"})
    if unknown:
        raise SafetyDataError(f"{path}: unknown top-level key(s) {', '.join(unknown)}")
    tables = document.get("line")
    if not isinstance(tables, list) or not tables:
        raise SafetyDataError(f"{path}: needs [[line]] tables (an array of tables)")
    lines: list[Hotline] = []
    seen: set[tuple[str, str]] = set()
    for index, table in enumerate(tables):
        line = _hotline(path, index, table)
        if (line.region, line.number) in seen:
            raise SafetyDataError(f"{path}: [[line]] #{index + 1} ({line.name!r}): number "
                                  f"{line.number!r} is already listed for {line.region}")
        seen.add((line.region, line.number))
        lines.append(line)
    kinds = {(line.region, line.kind) for line in lines}
    for region in sorted({line.region for line in lines} | set(DEFAULT_REGION.values())):
        for kind in KINDS:
            if (region, kind) not in kinds:
                raise SafetyDataError(f"{path}: region {region} has no {kind} line")
    return tuple(lines)


def _hotline(path: Path, index: int, table: Any) -> Hotline:
    where = f"{path}: [[line]] #{index + 1}"
    if not isinstance(table, Mapping):
        raise SafetyDataError(f"{where}: must be a table")
    if isinstance(table.get("name"), str):
        where += f" ({table['name']!r})"
    unknown = sorted(set(table) - _LINE_KEYS)
    if unknown:
        raise SafetyDataError(f"{where}: unknown key(s) {', '.join(unknown)}")
    values: dict[str, str] = {}
    for key in sorted(_LINE_KEYS):
        value = table.get(key)
        if not isinstance(value, str) or not value.strip():
            raise SafetyDataError(f"{where}: '{key}' must be a non-empty string")
        values[key] = value.strip()
    if not _REGION.fullmatch(values["region"]):
        raise SafetyDataError(f"{where}: 'region' must be two capital letters, e.g. 'CN'")
    if values["kind"] not in KINDS:
        raise SafetyDataError(f"{where}: 'kind' must be one of {', '.join(KINDS)}, "
                              f"not {values['kind']!r}")
    if not _NUMBER.fullmatch(values["number"]):
        raise SafetyDataError(f"{where}: 'number' must be digits, spaces and dashes as "
                              f"dialled, not {values['number']!r}")
    return Hotline(**values)


def load_templates(path: Path) -> dict[str, dict[str, tuple[str, ...]]]:
    """`{lang: {group: variants}}` from `path`, every language and group present, validated."""
    document = read_toml(path)
    unknown = sorted(set(document) - {*LANGUAGES, "about"})
    if unknown:
        raise SafetyDataError(f"{path}: unknown top-level key(s) {', '.join(unknown)}")
    templates: dict[str, dict[str, tuple[str, ...]]] = {}
    for language in LANGUAGES:
        section = document.get(language)
        if not isinstance(section, Mapping):
            raise SafetyDataError(f"{path}: missing language table [{language}]")
        extra = sorted(set(section) - set(GROUPS))
        if extra:
            raise SafetyDataError(f"{path}: [{language}] unknown group(s) {', '.join(extra)} "
                                  f"(expected: {', '.join(GROUPS)})")
        templates[language] = {group: _variants(path, language, group, section.get(group))
                               for group in GROUPS}
    return templates


def _variants(path: Path, language: str, group: str, value: Any) -> tuple[str, ...]:
    where = f"{path}: [{language}] {group}"
    if value is None:
        raise SafetyDataError(f"{where}: missing (each language needs {', '.join(GROUPS)})")
    if (not isinstance(value, list) or not value
            or not all(isinstance(v, str) and v.strip() for v in value)):
        raise SafetyDataError(f"{where}: must be a non-empty list of non-empty strings")
    for n, text in enumerate(value, 1):
        try:
            fields = {name for _, name, _, _ in string.Formatter().parse(text)
                      if name is not None}
        except ValueError as exc:
            raise SafetyDataError(f"{where}: variant {n} has a broken placeholder: {exc}"
                                  ) from None
        allowed = _PLACEHOLDERS if group in _NEEDS else frozenset()
        if fields - allowed:
            names = ", ".join(f"{{{f}}}" for f in sorted(fields - allowed))
            raise SafetyDataError(f"{where}: variant {n} uses {names}; allowed here: "
                                  f"{', '.join(f'{{{p}}}' for p in sorted(allowed)) or 'none'}")
        needed = _NEEDS.get(group)
        if needed is not None and needed not in fields:
            raise SafetyDataError(f"{where}: variant {n} must name the number with {{{needed}}}")
        if _NOT_SPOKEN.search(text):
            raise SafetyDataError(f"{where}: variant {n} has markdown, a list or a link; "
                                  "it is read aloud")
    return tuple(value)


@functools.cache
def default_policy() -> SafetyPolicy:
    """The built-in policy, loaded once per process."""
    return load_policy()


def decide(level: str, *, lang: str, region: str | None = None, turn: int = 0,
           about_other: bool = False) -> SafetyAction:
    """`default_policy().decide(...)`: the action for a call at `level`."""
    return default_policy().decide(level, lang=lang, region=region, turn=turn,
                                   about_other=about_other)


def region_for(lang: str, region: str | None) -> str:
    """The region whose lines apply: `region` if known, else "CN" for zh and "US" for en."""
    return default_policy().region_for(lang, region)
