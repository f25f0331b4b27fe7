"""`lingxi transcribe FILE.wav`: the transcript of a recording, or a clear error."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from lingxi.cli import main
from tests.speech.audio import error_rate


def espeak_file(tmp_path: Path, text: str, *sox_args: str) -> Path:
    raw, out = tmp_path / "raw.wav", tmp_path / "speech.wav"
    subprocess.run(["espeak-ng", "-v", "en-us", "-w", str(raw), text], check=True)
    subprocess.run(["sox", str(raw), *sox_args, str(out)], check=True)
    return out


def test_prints_the_transcript_of_a_44k_24bit_file(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    text = "Thank you for listening to me today."
    main(["transcribe", str(espeak_file(tmp_path, text, "-r", "44100", "-b", "24")),
          "--language", "en"])
    out = capsys.readouterr().out.strip()
    assert error_rate([text], [out], "word") <= 0.15, out


@pytest.mark.parametrize("sox_args, message", [
    (("-c", "2"), "2 channels; only mono"),
    (("-e", "u-law"), "not a PCM WAV file (format 7)"),
])
def test_wrong_formats_get_a_clear_error(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], sox_args: tuple[str, ...],
        message: str) -> None:
    path = espeak_file(tmp_path, "hello", *sox_args)
    with pytest.raises(SystemExit) as exit_info:
        main(["transcribe", str(path)])
    assert exit_info.value.code == 2
    err = capsys.readouterr().err
    assert message in err and str(path) in err and "sox" in err


def test_not_a_wav_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "notes.wav"
    path.write_text("hello")
    with pytest.raises(SystemExit):
        main(["transcribe", str(path)])
    assert "is not a WAV file" in capsys.readouterr().err


def test_missing_model_is_reported_with_the_fix(
        tmp_path: Path, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LINGXI_ASR_MODEL_DIR", str(tmp_path / "nowhere"))
    path = espeak_file(tmp_path, "hello", "-r", "16000")
    with pytest.raises(SystemExit):
        main(["transcribe", str(path)])
    assert "model.bin is missing" in capsys.readouterr().err
