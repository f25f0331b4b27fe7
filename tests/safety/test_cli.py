"""`safety assess` as a user runs it: JSON lines in, one JSON line out per input line."""

from __future__ import annotations

import io
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from lingxi.cli import build_parser, main
from lingxi.safety import Level, default_assessor
from lingxi.safety.cli import assess_lines, run_assess
from lingxi.safety.data import DATA_DIR


def run_cli(stdin: str, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    return subprocess.run([sys.executable, "-m", "lingxi.safety.cli", "assess", *args],
                          input=stdin, capture_output=True, text=True, encoding="utf-8",
                          env=env, timeout=30, check=False)


def test_assess_over_a_subprocess_with_a_malformed_line() -> None:
    lines = [
        json.dumps({"text": "笑死我了", "lang": "zh"}, ensure_ascii=False),
        "{this is not json",
        "",
        json.dumps({"text": "I have got the sleeping pills in my hands right now",
                    "lang": "en", "id": 9}),
        json.dumps({"lang": "zh"}),
        json.dumps({"text": "我真不想活了啦"}, ensure_ascii=False),
    ]
    proc = run_cli("\n".join(lines) + "\n", "--no-model")  # the rules' own levels
    assert proc.returncode == 0, proc.stderr
    out = [json.loads(line) for line in proc.stdout.splitlines()]
    assert len(out) == 5  # the blank line is skipped, every other line answered
    assert out[0]["level"] == "none" and out[0]["reasons"] == []
    assert out[1]["line"] == 2 and "not valid JSON" in out[1]["error"]
    assert out[2]["level"] == "imminent" and out[2]["id"] == 9
    assert out[2]["reasons"][0]["code"].startswith("imminent.")
    assert out[3]["line"] == 5 and "'text' is required" in out[3]["error"]
    assert out[4]["level"] == "passive"


def test_lines_of_one_call_share_a_tracker() -> None:
    lines = [{"text": "我想死", "call": "a"}, {"text": "今天天气不错", "call": "b"},
             {"text": "家里的药我攒够了", "call": "a"}, {"text": "开玩笑的", "call": "a"},
             {"text": "家里的药我攒够了"}]
    out = assess(lines)
    assert [o.get("call") for o in out] == ["a", "b", "a", "a", None]
    assert [o["level"] for o in out] == ["passive", "none", "plan", "none", "plan"]
    assert [o.get("call_level") for o in out] == ["passive", "none", "plan", "plan", None]
    assert [o.get("turn") for o in out] == [1, 1, 2, 3, None]


def test_bad_fields_are_reported_and_processing_continues() -> None:
    raw = [b'{"text": "hi", "lang": "fr"}', b'["text"]', b'{"text": "x", "call": 3}',
           b'\xff\xfe not utf-8', b'{"text": "I want to kill myself"}']
    out = io.StringIO()
    bad = assess_lines(raw, out, default_assessor())
    results = [json.loads(line) for line in out.getvalue().splitlines()]
    assert bad == 4
    assert "'lang' must be one of zh, en" in results[0]["error"]
    assert "expected a JSON object" in results[1]["error"]
    assert "'call' must be a string" in results[2]["error"]
    assert "not UTF-8" in results[3]["error"]
    assert results[4]["level"] == "active"


def test_broken_data_folder_exits_2_naming_the_file(tmp_path: Path) -> None:
    folder = tmp_path / "data"
    shutil.copytree(DATA_DIR, folder)
    (folder / "en.toml").write_text("[[rule]]\ncode = 1\n", encoding="utf-8")
    proc = run_cli('{"text": "hello"}\n', "--no-model", "--data", str(folder))
    assert proc.returncode == 2
    assert "en.toml" in proc.stderr and proc.stdout == ""


def test_lingxi_safety_assess_is_a_main_command() -> None:
    args = build_parser().parse_args(["safety", "assess"])
    assert args.func is run_assess and args.data is None and args.model is True


def test_text_arguments_are_one_call_rated_by_rules_model_and_both(
        capsys: pytest.CaptureFixture[str]) -> None:
    main(["safety", "assess", "我不想活了", "药我都攒好了"])
    first, second = (json.loads(line) for line in capsys.readouterr().out.splitlines())
    for result in (first, second):
        assert {"rules", "model", "model_probabilities", "level"} <= set(result)
        assert abs(sum(result["model_probabilities"].values()) - 1.0) < 0.01
        combined = max(Level.parse(result["rules"]), Level.parse(result["model"]))
        assert result["level"] == combined.label
    assert first["rules"] == "passive"
    assert second["rules"] == "plan" and second["call_level"] in ("plan", "imminent")


def test_plain_lines_on_standard_input_are_each_on_their_own() -> None:
    proc = run_cli("笑死我了\n\nI want to kill myself\n", "--plain")
    assert proc.returncode == 0, proc.stderr
    joke, wish = (json.loads(line) for line in proc.stdout.splitlines())
    assert joke["rules"] == "none" and "call" not in joke
    assert Level.parse(wish["level"]) >= Level.ACTIVE and "model" in wish


def assess(lines: list[dict[str, Any]]) -> list[dict[str, Any]]:
    out = io.StringIO()
    raw = [json.dumps(line, ensure_ascii=False).encode() for line in lines]
    assert assess_lines(raw, out, default_assessor()) == 0
    return [json.loads(line) for line in out.getvalue().splitlines()]
