"""The word prior picks, among Whisper's Mandarin beam hypotheses, the one made of words."""

from __future__ import annotations

from pathlib import Path

import pytest

from lingxi.engines.asr.word_prior import WordPrior

_WORDS = {"我": 5000, "有点": 800, "想家": 500, "想": 900, "加": 50, "了": 6000,
          "附近": 400, "有没有": 300, "超市": 120, "超": 100, "兴": 20}


@pytest.fixture(scope="module")
def prior(tmp_path_factory: pytest.TempPathFactory) -> WordPrior:
    path: Path = tmp_path_factory.mktemp("prior") / "dict.txt"
    path.write_text("".join(f"{w} {f}\n" for w, f in _WORDS.items()), encoding="utf-8")
    return WordPrior(path)


def test_a_close_call_goes_to_the_hypothesis_made_of_words(prior: WordPrior) -> None:
    # Whisper slightly prefers the near-homophones that are no words.
    assert prior.best([("我有点想加了。", -0.35), ("我有点想家了。", -0.45)]) == "我有点想家了。"
    assert prior.best([("附近有没有超兴？", -0.38), ("附近有没有超市？", -0.60)]) \
        == "附近有没有超市？"


def test_whisper_decides_when_it_is_sure(prior: WordPrior) -> None:
    assert prior.best([("我有点想加了。", -0.10), ("我有点想家了。", -3.0)]) == "我有点想加了。"


def test_english_and_mixed_beams_keep_whisper_s_first(prior: WordPrior) -> None:
    assert prior.best([("What up?", -0.5), ("我有点想家了。", -0.6)]) == "What up?"
    assert prior.best([("Good night.", -0.2), ("Good knight.", -0.3)]) == "Good night."
    assert prior.best([]) == ""


def test_without_jieba_the_first_hypothesis_is_kept(monkeypatch: pytest.MonkeyPatch) -> None:
    import sys

    monkeypatch.setitem(sys.modules, "jieba", None)
    assert WordPrior().best([("我有点想加了。", -0.35), ("我有点想家了。", -0.45)]) \
        == "我有点想加了。"
