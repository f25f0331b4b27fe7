"""Echo guard: microphone audio explained by Lingxi's own reply is not the caller speaking.

A phone on speaker, or a laptop without echo cancellation, plays the reply back into the
microphone, and the VAD calls that speech: the reply interrupts itself. The server knows what
it played and roughly when (the playback estimate), so a speech-like frame is compared with
the reply audio played up to `max_delay_ms` before it.

The comparison is on band-energy envelopes in the log domain, each band's mean removed over
the window: a speaker and a room act on each band roughly as a fixed gain (a low-pass, an
attenuation), which the mean removal cancels, while the syllable rhythm of the reply survives.
Echo alone correlates with the played audio at some delay; the caller's own voice over it has
a rhythm of its own and the correlation falls, so real double talk still interrupts.

Positions are on the call's clock (seconds): the played audio is placed where the playback
estimate says it was heard, the microphone where its frames arrived. The delay search covers
the acoustic path plus the network round trip.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import Any

import numpy as np

from lingxi.audio import StreamResampler
from lingxi.session.envelopes import F64, HOP, RATE, WIN, RowCache, correlate, correlation

_RECENT = 1024  # the newest 64 ms: what the level check weighs
_LONG_S = 1.0  # the microphone audio that confirms an echo path
_PIECE = 256  # samples copied at once (see `heard`)
_KEEP_S = 3.0  # reference audio kept (the delay search plus the window, with room)

Pcm = np.ndarray[Any, np.dtype[np.int16]]


@dataclass(frozen=True, slots=True)
class EchoSettings:
    window_ms: float = 256.0  # the microphone audio judged at each frame
    max_delay_ms: float = 400.0  # speaker + room + network round trip
    threshold: float = 0.6  # correlation at or above which the frame is echo
    sure: float = 0.8  # correlation at which the echo path's gain is followed
    confirm: float = 0.5  # correlation over a second at which the echo path is learnt
    threshold_low: float = 0.2  # enough, once the gain is known and the level fits it
    excess_db: float = 9.0  # louder than the echo path explains by this much: the caller
    quiet_ratio: float = 1e-3  # played audio this much quieter than the frame: not echo
    min_rms: float = 50.0  # a frame quieter than this (int16) is not judged: silence anyway


class EchoGuard:
    """One call's guard. `played` on the event loop; `heard` in order with the input audio
    (any one thread at a time); `echo` on the event loop after `heard` for the same frame."""

    def __init__(self, settings: EchoSettings | None = None) -> None:
        self.settings = settings or EchoSettings()
        self._ref = np.zeros(0, np.float64)
        self._ref_start: float | None = None  # clock time of _ref[0]
        self._ref_trimmed = 0  # samples dropped from the front of _ref: _ref[0]'s index
        self._ref_rows = RowCache()  # by index in all audio ever placed (under _lock)
        self._version = 0  # bumped whenever played audio changes (under _lock)
        # The reference is written on the event loop and read where the input is heard.
        self._lock = threading.Lock()
        self._to_ref: StreamResampler | None = None
        self._to_ref_rate = 0
        self._short = int(RATE * self.settings.window_ms / 1000) + WIN
        # The microphone's last second, as the end of a longer buffer: a frame is written
        # after the last, and the second is moved back to the front once per few seconds
        # (moving it every frame was a 130 KB copy, the guard's largest cost).
        self._mic_len = int(RATE * _LONG_S) + WIN
        self._mic_buf = np.zeros(4 * self._mic_len, np.float64)
        self._mic_stop = self._mic_len
        self._mic_total = 0  # samples heard: the index just past _mic's end
        self._mic_rows = RowCache()  # only ever used where the input is heard
        self._mic_end: float | None = None  # clock time of the end of _mic
        self._anchor: float | None = None  # clock time minus input position, at its lowest
        self._delay: int | None = None  # samples, learnt on clear echo
        self._gain: float | None = None  # log power ratio microphone / played, on clear echo

    # -- the reply ------------------------------------------------------------------------

    def played_wire(self, pcm: Pcm, rate: int, at: float) -> None:
        """Reply audio at the output's rate, heard from clock time `at`."""
        if self._to_ref is None or self._to_ref_rate != rate:
            self._to_ref, self._to_ref_rate = StreamResampler(rate, RATE), rate
        self.played(self._to_ref.process(pcm), at)

    def played(self, pcm16k: Pcm, at: float) -> None:
        """Reply audio (at 16 kHz) the client starts playing at clock time `at`."""
        with self._lock:
            self._place(pcm16k.astype(np.float64), at)

    def _place(self, x: F64, at: float) -> None:
        if self._ref_start is None:
            self._ref_start = at
        offset = round((at - self._ref_start) * RATE)
        if offset < 0:  # before what is kept: drop the part that is older
            x, offset = x[-offset:], 0
        end = offset + len(x)
        if end > len(self._ref):
            self._ref = np.concatenate([self._ref, np.zeros(end - len(self._ref))])
        self._ref[offset:end] = x
        self._changed(offset, end)
        excess = len(self._ref) - int(_KEEP_S * RATE)
        if excess > 0:
            self._ref = self._ref[excess:]
            self._ref_start += excess / RATE
            self._changed(-(1 << 40), excess)  # read as silence from now on
            self._ref_trimmed += excess

    def _changed(self, lo: int, hi: int) -> None:
        """Played audio [lo, hi) (indices into _ref) changed: its envelope rows are stale."""
        self._version += 1
        self._ref_rows.forget(self._ref_trimmed + lo, self._ref_trimmed + hi)

    def stopped(self, at: float) -> None:
        """Playback stopped at clock time `at` (a barge-in): later reference is not heard."""
        with self._lock:
            if self._ref_start is not None:
                keep = max(0, round((at - self._ref_start) * RATE))
                self._changed(keep, max(keep, len(self._ref)))
                self._ref = self._ref[:keep]

    # -- the microphone -------------------------------------------------------------------

    def arrived(self, position_ms: float, now: float) -> None:
        """Input audio up to `position_ms` had arrived by clock time `now`. The lowest offset
        seen is the least delayed arrival: jitter only ever makes audio later."""
        anchor = now - position_ms / 1000.0
        self._anchor = anchor if self._anchor is None else min(self._anchor, anchor)

    @property
    def _mic(self) -> F64:
        """The last second or so of microphone audio (a view)."""
        return self._mic_buf[self._mic_stop - self._mic_len : self._mic_stop]

    def heard(self, frame: Pcm, end_ms: float) -> None:
        """A VAD frame (16 kHz) ending at `end_ms` of input audio."""
        n = min(len(frame), self._mic_len)
        if self._mic_stop + n > len(self._mic_buf):
            keep = self._mic_len - n
            self._mic_buf[:keep] = self._mic_buf[self._mic_stop - keep : self._mic_stop]
            self._mic_stop = keep
        # Written in pieces under 500 samples: numpy lets go of the GIL for longer copies,
        # and on a busy server each such release can cost the hearing thread a whole switch
        # interval waiting to get it back.
        at, data = self._mic_stop, frame[len(frame) - n :]
        for i in range(0, n, _PIECE):
            self._mic_buf[at + i : at + min(n, i + _PIECE)] = data[i : i + _PIECE]
        self._mic_stop += n
        self._mic_end = end_ms
        self._mic_total += len(frame)
        self._mic_rows.before(self._mic_total - self._mic_len)

    def echo(self, end_ms: float) -> bool:
        """Whether the microphone audio up to `end_ms` (the last frame heard) is the reply's
        own echo."""
        if self._anchor is None or self._mic_end != end_ms:
            return False
        s = self.settings
        t_end = self._anchor + end_ms / 1000.0
        reach = int(RATE * s.max_delay_ms / 1000)
        span = self._mic_len + reach
        played = self._played_power(t_end, span, self._short + reach)
        if played is None:
            return False  # nothing played in reach of this frame
        short = self._mic[-self._short:]
        if played < s.quiet_ratio * _power(short):
            return False
        recent = self._mic[-_RECENT:]
        if _power(recent) < s.min_rms ** 2:
            # Too quiet to be anyone starting to talk; the VAD's memory of the echo before it
            # is what calls it speech.
            return True
        reference = self._reference(t_end, span)
        if reference is None:
            return False  # the reply was stopped meanwhile
        ref, first, version = reference
        reach_from = len(ref) - (len(short) + reach)
        score, delay = self._correlation(short, ref[reach_from:], first + reach_from, version)
        return self._judge(ref, recent, score, delay)

    def _correlation(self, short: F64, ref: F64, first: int, version: int) -> tuple[float, int]:
        """`correlation(short, ref)` from envelope rows kept across frames: `short` ends at
        the last sample heard, `ref` starts at index `first` of the audio placed, read at
        `version` (if the played audio changed since, its rows are computed afresh)."""
        mic_first = self._mic_total - len(short)
        self._mic_rows.keep(self._mic_rows.missing(short, mic_first))
        mic_env = self._mic_rows.envelope(short, mic_first)
        new = self._ref_rows.missing(ref, first)
        with self._lock:
            if self._version == version:
                self._ref_rows.keep(new)
                return correlate(mic_env, self._ref_rows.envelope(ref, first))
        return correlation(short, ref)

    def _played_power(self, t_end: float, span: int, tail: int) -> float | None:
        """The mean power of the last `tail` samples of `_reference(t_end, span)` (None: none
        played in reach), without copying them out."""
        with self._lock:
            stop = self._stop(t_end, span)
            if stop is None:
                return None
            x = self._ref[max(0, stop - tail) : min(stop, len(self._ref))]
            return _power(x) * len(x) / tail

    def _reference(self, t_end: float, span: int) -> tuple[F64, int, int] | None:
        """The `span` samples of played audio up to clock time `t_end` (None: none), the
        index of its first sample in all audio placed, and the version it was read at."""
        with self._lock:
            stop = self._stop(t_end, span)
            if stop is None:
                return None
            start = stop - span
            ref = np.zeros(span)
            lo, hi = max(0, start), min(stop, len(self._ref))
            ref[lo - start : hi - start] = self._ref[lo:hi]
            return ref, self._ref_trimmed + start, self._version

    def _stop(self, t_end: float, span: int) -> int | None:
        """Where clock time `t_end` falls in `_ref` (under `_lock`); None when nothing played
        lies in the `span` samples before it."""
        if self._ref_start is None:
            return None
        stop = round((t_end - self._ref_start) * RATE)
        return None if stop <= 0 or stop - span >= len(self._ref) else stop

    def _judge(self, ref: F64, recent: F64, score: float, delay: int) -> bool:
        """The frame's verdict from the window's best correlation with the played audio."""
        s = self.settings
        if self._delay is None or self._gain is None:
            return score >= s.threshold and self._learn(ref)
        # The level is weighed at the learnt delay (one window's best delay wanders), against
        # the played audio a reverberant room still returns (this 64 ms or the one before).
        at = len(ref) - self._delay
        power = max(float(np.mean(ref[max(0, at - _RECENT) : at] ** 2)),
                    float(np.mean(ref[max(0, at - 2 * _RECENT) : max(1, at - _RECENT)] ** 2)))
        ratio = float(np.log((float(np.mean(recent ** 2)) + 1.0) / (power + 1.0)))
        if score >= s.sure and abs(delay - self._delay) <= 2 * HOP:
            self._gain = 0.9 * self._gain + 0.1 * ratio
        if score >= s.sure:
            return True
        if ratio - self._gain > s.excess_db * np.log(10) / 10:
            return False  # louder than the echo path makes the reply: the caller too
        return score >= s.threshold_low

    def _learn(self, ref: F64) -> bool:
        """A short window can match another voice by chance; the echo path (delay, gain) is
        learnt only where up to a second of microphone audio follows the played audio. Only
        the microphone audio since the reply began counts: the caller's question just before
        it has nothing to match."""
        began = int(np.flatnonzero(ref)[0]) if ref.any() else 0
        k = min(began, len(self._mic) - self._short)
        mic, ref = self._mic[k:], ref[k:]
        score, delay = correlation(mic, ref)
        if score < self.settings.confirm:
            return False
        at = len(ref) - delay
        played = ref[at - len(mic) : at]
        self._delay = delay
        self._gain = float(np.log((float(np.mean(mic ** 2)) + 1.0) /
                                  (float(np.mean(played ** 2)) + 1.0)))
        return True


def _power(x: F64) -> float:
    """Mean square. (Not np.dot: that is BLAS, whose threads spin on a busy machine.)"""
    return float(np.einsum("i,i->", x, x)) / max(1, len(x))
