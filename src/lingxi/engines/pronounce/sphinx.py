"""The pocketsphinx scorer: forced alignment of the target, a free phone loop for Goodness of
Pronunciation, and the Mandarin speaker's typical errors tried as alternative pronunciations.

Per word: the target is aligned to the whole attempt (phone boundaries and scores); each phone's
GOP is (aligned score − phone-loop score) per frame over its frames, which sets its 0–100
score. Then the whole attempt is aligned again with that word said each typical wrong way
(`confusions.yaml`); an error the audio fits better than the target by its margin (per frame of
the phone, with the error's acoustic cue from `cues.py`; `margins.yaml`, decided on the
development set: per error, or pooled over its kind where the error was not seen there) is
what was said. Function words are not judged, nor a weak-form word's vowel in running
speech. The gains are
averaged over a few shifts of the 10 ms frame grid: on one grid alone they swing widely.
Optionally (`Thresholds.gop`, off: it did not help on the development set) a phone with a very
low GOP is judged wrong too, named by the phone loop.
"""

from __future__ import annotations

import concurrent.futures
import contextlib
import math
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import numpy as np

from lingxi.audio import Pcm
from lingxi.engines.pronounce import cues, prepare
from lingxi.engines.pronounce.decoder import BUILDER, lexicon, loop_phone, loop_score, new_decoder
from lingxi.engines.pronounce.margins import Thresholds, class_margins, pair, pair_margins
from lingxi.engines.pronounce.prepare import FRAME_MS, TRIES
from lingxi.engines.pronounce.variants import (
    Variant,
    is_vowel,
    load_confusions,
    on_aligned,
    variants,
)
from lingxi.interfaces import Assessment, PhoneScore, WordScore
from lingxi.text import english_words

__all__ = ["SphinxScorer", "Thresholds", "class_margins", "pair", "pair_margins"]

# Function words are said reduced in running speech ("the" nearly "də", "to" as "tə"): their
# typical errors are not judged (on the development sentences they were most of the false
# alarms: "the" heard as "de" in a correctly read sentence); their phones are still scored.
_UNJUDGED = frozenset({"a", "an", "the", "to", "of", "and", "or", "i", "is", "are", "was", "in",
                       "on", "at", "it", "for", "so", "my", "me", "you", "he", "she", "we",
                       "but", "as", "be"})
# The other words with a weak form (Roach, English Phonetics and Phonology, "weak forms"): in
# running speech their vowel is reduced ("can" as kən, "had" as həd, "your" as jə), so in an
# attempt of more than one word their vowels' errors are not judged (round 34: piper's correct
# "can i see a menu" was heard æ→ɛ at "can"); alone they are said strong and are judged, and
# their consonants always are ("that" said "dat").
_WEAK = frozenset({"am", "been", "can", "could", "do", "does", "from", "had", "has", "have",
                   "her", "him", "his", "must", "shall", "should", "some", "than", "that",
                   "them", "there", "us", "were", "your"})


@dataclass(frozen=True, slots=True)
class _Phone:
    phone: str
    start: int  # frame
    frames: int
    score: int


class SphinxScorer:
    """Blocking, one attempt at a time (the decoder is not thread-safe): run it in a worker."""

    name = "pocketsphinx"

    def __init__(self, thresholds: Thresholds | None = None,
                 errors_on_aligned: bool = True) -> None:
        self.thresholds = thresholds or Thresholds()
        # A word's errors tried at their own phones in the pronunciation the alignment chose
        # (round 21); False tries them by their index in the dictionary's first (before it).
        self.errors_on_aligned = errors_on_aligned
        self._confusions = load_confusions()
        self._added: set[str] = set()
        self._lock = threading.Lock()
        self._loaded: Any = None  # the decoder, built afresh for each attempt (0.15 s, 30 MB)
        self._spare: concurrent.futures.Future[Any] | None = None  # the next attempt's

    @property
    def _decoder(self) -> Any:
        if self._loaded is None:
            self._loaded = new_decoder()
        return self._loaded

    # -- the dictionary ---------------------------------------------------------------------

    def phones(self, word: str) -> tuple[str, ...] | None:
        return lexicon().get(word.lower())

    def knows(self, word: str) -> bool:
        return self.phones(word) is not None

    def _word_for(self, phones: tuple[str, ...]) -> str:
        name = "x_" + "_".join(phones).lower()
        if name not in self._added:
            self._decoder.add_word(name, " ".join(phones), True)
            self._added.add(name)
        return name

    # -- scoring ----------------------------------------------------------------------------

    def assess(self, pcm: Pcm, sample_rate: int, text: str) -> Assessment:
        words = [w.lower() for w in english_words(text)]
        known = [w for w in words if self.knows(w)]
        with self._attempt():
            resampled = prepare.resampled(pcm, sample_rate)  # "" when there was no sound at all
            found = self._aligned(resampled, " ".join(known)) \
                if known and len(resampled) else None
            if found is None:
                return Assessment(text, 0, tuple(WordScore(w, 0, ()) for w in words), False)
            audio, pad_ms, aligned = found
            loop = self._phone_loop(audio)
            views = self._views(resampled, " ".join(known))
            heard = cues.bands(audio, pad_ms)
            scored = iter(self._score_word(views, known, i, ph, loop, pad_ms, heard)
                          for i, ph in enumerate(aligned))
            out = tuple(next(scored) if w in known else WordScore(w, 0, ()) for w in words)
        phones = [p for w in out for p in w.phones]
        total = round(sum(p.score for p in phones) / len(phones)) if phones else 0
        return Assessment(text, total, out)

    def all_gains(self, pcm: Pcm, sample_rate: int, text: str
                  ) -> list[tuple[str, str, float]]:
        """(word, error, gain per frame of its phone) for every typical error of every word:
        what the margins are calibrated on."""
        words = [w.lower() for w in english_words(text) if self.knows(w)]
        with self._attempt():
            resampled = prepare.resampled(pcm, sample_rate)
            found = self._aligned(resampled, " ".join(words)) if words else None
            if found is None:
                return []
            views = self._views(resampled, " ".join(words))
            heard = cues.bands(found[0], found[1])
            return [(words[at], pair(ph[v.index].phone, v.heard), _per_frame(g, ph, v, heard))
                    for at, ph in enumerate(found[2]) if words[at] not in _UNJUDGED
                    for v, g in self.gains(views, words, at, _names(ph))]

    def _aligned(self, audio: np.ndarray, text: str
                 ) -> tuple[Pcm, float, list[list[_Phone]]] | None:
        """The prepared audio, its lead-in (ms) and the phones of each word. Where no padding
        aligns on the wide-beam decoder, the attempt goes on, from here to its verdict, on a
        fresh decoder with pocketsphinx's own beams (round 32 in docs/pronunciation.md): on
        some attempts the wide beams' first pass ends a word or more short of the text on every
        padding ("his palms are" of "his palms are rough", nothing of "lamb"), and the attempt
        was passed as said right unheard; pocketsphinx's own beams reach the end on most."""
        aligned = self._aligned_on_a_padding(audio, text)
        if aligned is None:
            self._use(new_decoder(wide=False))
            aligned = self._aligned_on_a_padding(audio, text)
        return aligned

    def _aligned_on_a_padding(self, audio: np.ndarray, text: str
                              ) -> tuple[Pcm, float, list[list[_Phone]]] | None:
        """`_aligned` on the loaded decoder: the first padding it aligns the text on."""
        for pad, floor in TRIES:
            padded = prepare.padded(audio, pad, floor)
            if not self._found(padded, text):
                continue  # on another padding they may be
            try:
                aligned = self._align(padded, text)
            except RuntimeError:
                continue
            if aligned is not None:
                return padded, pad * 1000, aligned
        return None

    def _views(self, audio: np.ndarray, text: str) -> list[tuple[Pcm, float]]:
        """The attempt as the errors are judged on it, each with the target's own fit: shifted
        by fractions of a frame. Where the 10 ms frames fall moves a gain a lot (th said as s:
        +36 per frame on one grid, -18 on a grid 4 ms later); the mean over shifts moves less.
        Paddings are tried until there are that many views: on the first alone the alignment
        now and then finds one or two, and an error then has no view to be judged on (3 of 49
        development attempts had no gains at all)."""
        n = max(2, self.thresholds.views // len(text.split()))
        out: list[tuple[Pcm, float]] = []
        for pad, floor in TRIES:
            for k in range(n):
                if len(out) == n:
                    return out
                padded = prepare.padded(audio, pad + k * FRAME_MS / 1000 / n, floor)
                base = self._fit(padded, text)
                if base is not None:
                    out.append((padded, base))
        return out

    def gains(self, views: list[tuple[Pcm, float]], words: list[str], at: int,
              aligned: tuple[str, ...]) -> list[tuple[Variant, float]]:
        """How much better each typical error of word `at` fits than the target (the mean over
        the views of the difference in alignment score). The whole attempt is aligned each
        time, that word said the other way: its neighbours keep their own sounds. The errors
        are the dictionary's first pronunciation's, tried on the `aligned` phones the word was
        heard with: the alignment may take another pronunciation (piper's "next" as N EH K S,
        espeak-ng's "pumpkin" as P AH M K IH N). With `errors_on_aligned` each is tried at
        its own phone there (`variants.on_aligned`); without, by its index in the first
        pronunciation, those past the aligned phones left out (round 20's "pumpkin": ɪ→iː
        tried on the N). A weak-form word's vowel is not tried in an attempt of more than one
        word (`_WEAK`)."""
        target = self.phones(words[at])
        assert target is not None
        out = []
        where = aligned if self.errors_on_aligned else target  # what variant.index counts in
        weak = len(words) > 1 and words[at] in _WEAK
        for variant in self._variants(target, aligned):
            if weak and is_vowel(where[variant.index]):
                continue  # said reduced in running speech: `_WEAK`
            said = " ".join([*words[:at], self._word_for(variant.phones), *words[at + 1:]])
            fits = [(fit - base) for audio, base in views
                    if (fit := self._fit(audio, said)) is not None]
            if fits:
                out.append((variant, sum(fits) / len(fits)))
        return out

    def _variants(self, target: tuple[str, ...], aligned: tuple[str, ...]) -> list[Variant]:
        if self.errors_on_aligned:
            return on_aligned(target, aligned, self._confusions)
        return [v for v in variants(target, self._confusions) if v.index < len(aligned)]

    def _score_word(self, views: list[tuple[Pcm, float]], words: list[str], at: int,
                    phones: list[_Phone], loop: list[tuple[str, int, int, float]],
                    pad_ms: float, heard_as: cues.Bands) -> WordScore:
        t = self.thresholds
        errors = self._errors(views, words, at, phones, heard_as)
        scored: list[PhoneScore] = []
        for i, p in enumerate(phones):
            gop = (p.score - loop_score(loop, p.start, p.frames)) / p.frames
            score = round(100 / (1 + math.exp(-(gop - t.gop_mid) / t.gop_scale)))
            error = errors.get(i)
            heard = error.heard if error else None
            if heard is None and t.gop is not None and gop < t.gop:
                heard = loop_phone(loop, p.start, p.frames)
            wrong = heard is not None and heard != p.phone
            score = min(score, 50) if wrong else max(score, 60)
            scored.append(PhoneScore(p.phone, score, wrong, heard if wrong else None,
                                     start_ms=p.start * FRAME_MS - pad_ms,
                                     end_ms=(p.start + p.frames) * FRAME_MS - pad_ms))
        return WordScore(words[at], round(sum(p.score for p in scored) / len(scored)),
                         tuple(scored))

    def _errors(self, views: list[tuple[Pcm, float]], words: list[str], at: int,
                phones: list[_Phone], heard_as: cues.Bands) -> dict[int, Variant]:
        """The typical errors the audio fits better than the target by the margin (per frame
        of the phone in question, with the error's acoustic cue), at most one per phone: the
        best (`_told`)."""
        found: dict[int, tuple[float, Variant]] = {}
        over: dict[int, dict[str, Variant]] = {}
        if words[at] in _UNJUDGED:
            return {}
        for variant, gain in self.gains(views, words, at, _names(phones)):
            cue = _cue(phones, variant, heard_as)
            if _vetoed(phones, variant, heard_as, cue):
                continue
            per_frame = _per_frame(gain, phones, variant, heard_as, cue)
            margin = self.thresholds.margin_for(variant, phones[variant.index].phone)
            if per_frame > margin:
                over.setdefault(variant.index, {})[variant.heard] = variant
                if per_frame > found.get(variant.index, (-1e9,))[0]:
                    found[variant.index] = (per_frame, variant)
        return {i: _told(phones[i].phone, v, over[i]) for i, (_, v) in found.items()}

    # -- the decoder ------------------------------------------------------------------------

    @contextlib.contextmanager
    def _attempt(self) -> Iterator[None]:
        """One attempt, alone, on a decoder that has decoded nothing: a decode carries state
        over into the next (the first alignment of an attempt came out differently after
        other attempts than on a fresh decoder, and a correct "love" in noise was judged v→f
        after a wrong one, clean alone), so one caller's attempt could move another caller's
        verdict. CMN is not it (batch: setting the mean changes nothing), nor a quiet decode
        in between (it leaves what speech before it left): no cheaper reset was found. The
        next attempt's decoder is built once this one is scored (~0.15 s of CPU, while the
        feedback is spoken), so an attempt waits for a build only when attempts come back to
        back."""
        with self._lock:
            spare, self._spare = self._spare, None
            self._use(None if spare is None else spare.result())
            try:
                yield
            finally:
                self._spare = BUILDER.submit(new_decoder)

    def _use(self, decoder: Any) -> None:
        """Score on `decoder` from here on (None: build one when first needed); the words added
        to the one before are not in it."""
        self._loaded = decoder
        self._added.clear()

    def _decode(self, audio: Pcm) -> None:
        d = self._decoder
        d.start_utt()
        d.process_raw(audio.tobytes(), full_utt=True)
        d.end_utt()

    def _found(self, audio: Pcm, text: str) -> bool:
        """Whether the alignment search finds `text` in the audio at all (its first pass)."""
        self._decoder.set_align_text(text)
        self._decode(audio)
        hyp = self._decoder.hyp()
        return hyp is not None and bool(hyp.hypstr.strip())

    def _fit(self, audio: Pcm, text: str) -> float | None:
        """How well `text` fits the audio: the total score of its state alignment (the first
        pass's path score is too coarse to compare pronunciations)."""
        if not self._found(audio, text):
            return None
        self._decoder.set_alignment()
        try:
            self._decode(audio)
        except RuntimeError:
            return None
        return float(sum(w.score for w in self._decoder.get_alignment()))

    def _align(self, audio: Pcm, text: str) -> list[list[_Phone]] | None:
        """The phones of each word of `text`, in time, after `_fit` found them (raises
        RuntimeError when the state alignment fails)."""
        self._decoder.set_alignment()
        self._decode(audio)
        words = [[_Phone(p.name, p.start, max(1, p.duration), p.score) for p in w]
                 for w in self._decoder.get_alignment()
                 if not w.name.startswith("<") and w.name != "</s>"]
        return words if len(words) == len(text.split()) else None

    def _phone_loop(self, audio: Pcm) -> list[tuple[str, int, int, float]]:
        """The free phone loop's path: (phone, first frame, frames, acoustic score)."""
        self._decoder.activate_search("phone_loop")
        self._decode(audio)
        return [(s.word, s.start_frame, s.end_frame - s.start_frame + 1,
                 float(self._decoder.get_logmath().log(s.ascore)) if s.ascore > 0 else -1e6)
                for s in self._decoder.seg()]


def _cue(phones: list[_Phone], variant: Variant, heard: cues.Bands) -> tuple[str, float]:
    """The kind of the error's acoustic cue and its value over the phone's frames (cues.py)."""
    p = phones[variant.index]
    q = phones[variant.index - 1] if variant.index > 0 else None
    which = cues.kind(p.phone, variant.heard)
    return which, cues.cue(heard, p.start, p.frames, which, p.phone,
                           (q.phone, q.start, q.frames) if q else None)


def _per_frame(gain: float, phones: list[_Phone], variant: Variant, heard: cues.Bands,
               cue: tuple[str, float] | None = None) -> float:
    """An error's gain per frame of its phone, and its acoustic cue (`cue`: `_cue`'s, when
    already measured)."""
    return gain / max(1, phones[variant.index].frames) + (cue or _cue(phones, variant, heard))[1]


def _vetoed(phones: list[_Phone], variant: Variant, heard: cues.Bands,
            cue: tuple[str, float] | None = None) -> bool:
    """Whether the error's cue rules it out whatever the gain (`cues.vetoes`: a voiced v, a v
    too quiet for w; `cues.disagrees`: a cue on the target's side, round 40; `cues.not_a_stop`:
    a fricated ð). `cue`: `_cue`'s, when already measured."""
    p = phones[variant.index]
    which, value = cue or _cue(phones, variant, heard)
    inside = 0 < variant.index < len(phones) - 1
    return cues.vetoes(which, value) \
        or (which != "" and cues.disagrees(p.phone, variant.heard, value, inside)) \
        or cues.not_a_stop(heard, p.start, p.frames, p.phone, variant.heard)


# At a word's first sound, an error told as another where both fit over their margins (round
# 41, bench/pronounce41_rule.md): there the model's s fits a th said as t (espeak-ng's aspirated
# t: a th said t was told s 18 times on the spent splits held11-held33); where both were over
# their margins there, 10 of 11 wrong attempts had said t, and no correct attempt was flagged.
_FIRST_TOLD: dict[tuple[str, str], str] = {("TH", "S"): "T"}


def _told(phone: str, best: Variant, over: dict[str, Variant]) -> Variant:
    """Which error a phone is told as: the one that fits best (`best`), of those over their
    margins (`over`, by what was heard), unless `_FIRST_TOLD` names another for a first sound."""
    instead = _FIRST_TOLD.get((phone, best.heard)) if best.index == 0 else None
    return best if instead is None else over.get(instead, best)


def _names(phones: list[_Phone]) -> tuple[str, ...]:
    return tuple(p.phone for p in phones)
