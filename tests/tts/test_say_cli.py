"""`lingxi say` writes a WAV a player can open."""

from __future__ import annotations

import wave
from pathlib import Path

import numpy as np
import pytest

from lingxi.audio import wav_info
from lingxi.cli import main
from tests.tts.audio_checks import rms


def test_say_writes_a_valid_wav(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "hello.wav"
    main(["say", "你好，我们来读 think 这个词。", "-o", str(out), "--speed", "1.1",
          "--pitch", "2", "--volume", "0.8"])
    with wave.open(str(out)) as wav:
        assert (wav.getnchannels(), wav.getsampwidth(), wav.getframerate()) == (1, 2, 24000)
        pcm = np.frombuffer(wav.readframes(wav.getnframes()), "<i2")
    assert 1.0 < len(pcm) / 24000 < 5.0
    assert rms(pcm) > 0.02
    assert "hello.wav" in capsys.readouterr().out
    info = wav_info(out.read_bytes())  # marked as AI-generated, machine-readably
    assert info["ISFT"] == "Lingxi" and "AI-generated" in info["ICMT"]
    assert "trainedAlgorithmicMedia" in info["ICMT"]


def test_say_refuses_empty_text_and_writes_nothing(tmp_path: Path) -> None:
    out = tmp_path / "empty.wav"
    with pytest.raises(SystemExit, match="nothing to say"):
        main(["say", "   ", "-o", str(out)])
    assert not out.exists()


def test_say_speaks_in_a_style(tmp_path: Path) -> None:
    """`--style sad` is lower and longer than `--style happy` (Praat, not WORLD, measures)."""
    from tests.affect.prosody import hear

    text = "今天天气真不错，我们一起去公园散散步吧。"
    heard = {}
    for style in ("happy", "sad"):
        out = tmp_path / f"{style}.wav"
        main(["say", text, "-o", str(out), "--style", style])
        with wave.open(str(out)) as wav:
            pcm = np.frombuffer(wav.readframes(wav.getnframes()), "<i2")
        heard[style] = hear(pcm, 24000, text)
    assert heard["happy"].pitch_st - heard["sad"].pitch_st >= 2.0
    assert heard["happy"].seconds < heard["sad"].seconds
