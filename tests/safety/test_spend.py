"""Copying a spent set into training keeps every turn and keeps calls of two sets apart."""

from __future__ import annotations

from pathlib import Path

import pytest

from lingxi.safety.riskdata import conversations, read_examples
from lingxi.safety.spend import main, spent_copy, training_name

SET = """# a set's own header
none | idiom | 累死了
@m01 passive | call | 活着好累
@m01 active | call | 想结束这一切
"""


def test_call_ids_are_qualified_by_the_set_and_nothing_else_changes(tmp_path: Path) -> None:
    copy = spent_copy(SET, "risk_heldout99", "Round 99: copied.")
    assert copy.startswith("# Round 99: copied.\n# a set's own header\n")
    path = tmp_path / "copy.txt"
    path.write_text(copy + "@m01 none | call | 另一个集合的同名通话\n", "utf-8")
    examples = read_examples(path)
    assert [e.text for e in examples][:3] == ["累死了", "活着好累", "想结束这一切"]
    # The same call id from another set stays a call of its own.
    assert sorted(len(c) for c in conversations(examples)) == [1, 1, 2]


def test_the_training_file_is_named_by_the_kind_and_number_of_the_set() -> None:
    assert training_name(Path("bench/data/risk_heldout27.txt")) == "train_spent_h27.txt"
    assert training_name(Path("risk_everyday16.txt")) == "train_everyday_h16.txt"
    with pytest.raises(ValueError, match="not a numbered"):
        training_name(Path("risk_heldout.txt"))


def test_the_command_writes_once_and_refuses_to_overwrite(tmp_path: Path) -> None:
    source = tmp_path / "risk_heldout99.txt"
    source.write_text(SET, "utf-8")
    main([str(source), "--round", "99", "--out-dir", str(tmp_path)])
    written = tmp_path / "train_spent_h99.txt"
    assert "@risk_heldout99:m01 active | call | 想结束这一切" in written.read_text("utf-8")
    with pytest.raises(SystemExit, match="copied once"):
        main([str(source), "--round", "99", "--out-dir", str(tmp_path)])
