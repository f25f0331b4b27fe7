"""The phrase data is validated when loaded; a mistake names the file and the entry."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from lingxi.safety import Level, RiskAssessor, SafetyDataError
from lingxi.safety.data import DATA_DIR, load_normalise, load_rules

EVAL_FILE = Path(__file__).parents[2] / "bench" / "data" / "safety_eval.jsonl"


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    """A private copy of the built-in data, safe to break."""
    folder = tmp_path / "data"
    shutil.copytree(DATA_DIR, folder)
    return folder


def append(path: Path, text: str) -> None:
    path.write_text(path.read_text(encoding="utf-8") + "\n" + text, encoding="utf-8")


def test_built_in_data_loads_and_is_sizeable() -> None:
    rules = load_rules([DATA_DIR / "zh.toml", DATA_DIR / "en.toml"])
    assert len(rules.rules) > 80 and len(rules.masks) > 10
    assert {rule.level for rule in rules.rules} >= set(Level) - {Level.NONE}
    table = load_normalise(DATA_DIR / "normalise.toml").traditional
    assert len(table) > 500 and table[ord("殺")] == "杀"


@pytest.mark.parametrize(("broken", "expected"), [
    ('[[rule]]\ncode = "plan.broken.zh"\nlevel = "plan"\ntext = "x"\npatterns = ["(遗书"]\n',
     r"zh\.toml: \[\[rule\]\] #\d+ \('plan\.broken\.zh'\): 'patterns' pattern 1 "
     r"\('\(遗书'\) does not compile"),
    ('[[rule]]\ncode = "plan.level.zh"\nlevel = "severe"\ntext = "x"\npatterns = ["遗书"]\n',
     r"zh\.toml: .*'plan\.level\.zh'.*'level' must be one of none, distress"),
    ('[[rule]]\ncode = "plan.nopatterns.zh"\nlevel = "plan"\ntext = "x"\n',
     r"zh\.toml: .*'patterns' must be a non-empty list"),
    ('[[rule]]\ncode = "plan.empty.zh"\nlevel = "plan"\ntext = "x"\npatterns = ["(遗书)?"]\n',
     r"zh\.toml: .*matches empty text"),
    ('[[rule]]\ncode = "plan.flag.zh"\nlevel = "plan"\ntext = "x"\nneeds = "rooftop"\n'
     'patterns = ["遗书"]\n', r"zh\.toml: rule 'plan\.flag\.zh' needs flag 'rooftop'"),
    ('[[rule]]\ncode = "plan.ref.zh"\nlevel = "plan"\ntext = "x"\npatterns = ["%nothing%"]\n',
     r"zh\.toml: .*uses %nothing%, which \[define\] does not define"),
    ('[[rule]]\ncode = "active.suicide.en"\nlevel = "plan"\ntext = "x"\npatterns = ["遗书"]\n',
     r"en\.toml: .*code 'active\.suicide\.en' is already used in .*zh\.toml"),
    ('[[rule]]\ncode = "plan.typo.zh"\nlevel = "plan"\ntext = "x"\npattern = ["遗书"]\n',
     r"zh\.toml: .*unknown key\(s\) pattern"),
    ('[[rule]\ncode = "x"\n', r"zh\.toml: not valid TOML"),
    ('[[mask]]\ncode = "idiom.ceiling.zh"\ntext = "x"\nmodel = "low"\npatterns = ["路上"]\n',
     r"zh\.toml: .*'idiom\.ceiling\.zh'.*'model' must be one of none, distress"),
    ('[[mask]]\ncode = "place.flag.zh"\ntext = "x"\nsets = ["Roof top"]\npatterns = ["天台"]\n',
     r"zh\.toml: .*'place\.flag\.zh'.*'sets' flag 'Roof top' must be a lowercase word"),
])
def test_a_malformed_rule_file_gives_a_clear_error(data_dir: Path, broken: str,
                                                   expected: str) -> None:
    append(data_dir / "zh.toml", broken)
    with pytest.raises(SafetyDataError, match=expected):
        RiskAssessor.from_files(data_dir)


def test_a_malformed_normalisation_table_gives_a_clear_error(data_dir: Path) -> None:
    path = data_dir / "normalise.toml"
    text = path.read_text(encoding="utf-8").replace('pairs = """', 'pairs = """殺杀 殺死 ', 1)
    path.write_text(text, encoding="utf-8")
    with pytest.raises(SafetyDataError, match=r"normalise\.toml: \[traditional\]: '殺' maps "
                                              r"to both '杀' and '死'"):
        RiskAssessor.from_files(data_dir)


def test_a_missing_file_is_named(data_dir: Path) -> None:
    (data_dir / "en.toml").unlink()
    with pytest.raises(SafetyDataError, match=r"en\.toml: data file not found"):
        RiskAssessor.from_files(data_dir)


def test_a_valid_edit_to_the_data_takes_effect(data_dir: Path) -> None:
    append(data_dir / "zh.toml", '[[rule]]\ncode = "plan.test_phrase.zh"\nlevel = "plan"\n'
           'text = "a phrase added for this test"\npatterns = ["蓝色的月亮"]\n')
    assessor = RiskAssessor.from_files(data_dir)
    result = assessor.assess("我看见了蓝色的月亮")
    assert result.level == Level.PLAN and result.reasons[0].code == "plan.test_phrase.zh"


def test_the_evaluation_set_is_well_formed() -> None:
    items = [json.loads(line) for line in EVAL_FILE.read_text(encoding="utf-8").splitlines()]
    assert len(items) >= 300
    assert len({item["id"] for item in items}) == len(items)
    assert {item["level"] for item in items} == {level.label for level in Level}
    assert {item["split"] for item in items} == {"tune", "heldout"}
    assert {item["lang"] for item in items} == {"zh", "en", "mix"}
    calls = {item["call"] for item in items if "call" in item}
    assert len(calls) >= 20
    for split in ("tune", "heldout"):
        levels = {item["level"] for item in items if item["split"] == split}
        assert levels == {level.label for level in Level}, split
