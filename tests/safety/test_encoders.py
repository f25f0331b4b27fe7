"""Choosing the risk model's sentence encoder: the default, the opt-in one, and what an
operator sees when the opt-in one was never prepared."""

from __future__ import annotations

from pathlib import Path

import pytest

from lingxi.safety.encoder import E5Encoder, GemmaEncoder, encoder_named
from lingxi.safety.model import HEAD_FILE, head_file


def test_e5_is_the_default_and_its_head_is_the_shipped_one() -> None:
    assert isinstance(encoder_named("e5"), E5Encoder)
    assert head_file("e5") == HEAD_FILE
    assert head_file("gemma") == HEAD_FILE.with_name("head_gemma.npz")


def test_an_unknown_encoder_is_refused_by_name() -> None:
    with pytest.raises(ValueError, match="e5, gemma"):
        encoder_named("bert")


def test_gemma_never_prepared_says_how_to_prepare_it(tmp_path: Path) -> None:
    encoder = GemmaEncoder(tmp_path / "absent.gguf")
    assert encoder([]).shape == (0, 768)  # nothing to embed: nothing loaded
    with pytest.raises(FileNotFoundError, match="prepare_embeddinggemma"):
        encoder(["我今天有点累"])
