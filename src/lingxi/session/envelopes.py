"""Band-energy envelopes for the echo guard, and their correlation over delays.

An envelope is one row of log band energies per 8 ms hop of a 16 ms window. The guard judges
every 32 ms frame over the last ~0.27 s of microphone audio against ~0.67 s of played audio,
so consecutive judgements share all but four rows of each: `RowCache` keeps rows by their
absolute start sample and computes each once (computing both envelopes afresh per frame was
~0.3 ms of the ~0.6 ms a frame cost, and with the guard on by default the hearing thread's CPU
at 50 calls nearly doubled).
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import numpy.typing as npt

RATE = 16_000
HOP = 128  # 8 ms
WIN = 256
BANDS = 12

F64 = npt.NDArray[np.float64]


def _band_matrix() -> F64:
    """Rows: FFT bins of a 256-sample window; columns: log-spaced bands 150-4000 Hz (a phone
    speaker passes little outside them)."""
    freqs = np.fft.rfftfreq(WIN, 1.0 / RATE)
    edges = np.geomspace(150.0, 4000.0, BANDS + 1)
    m = np.zeros((len(freqs), BANDS))
    for b in range(BANDS):
        m[(freqs >= edges[b]) & (freqs < edges[b + 1]), b] = 1.0
    return m


_BANDS_OF = _band_matrix()
_WINDOW = np.hanning(WIN)


def row_count(samples: int) -> int:
    return max(0, (samples - WIN) // HOP + 1)


def power_rows(frames: F64) -> F64:
    """Band powers of (n, WIN) windows."""
    out: F64 = np.abs(np.fft.rfft(frames * _WINDOW, axis=1)) ** 2 @ _BANDS_OF
    return out


def log_rows(power: F64) -> F64:
    """Log band energies over a floor 40 dB below the loudest (noise is flat)."""
    if len(power) == 0:
        return np.zeros((0, BANDS))
    floor = max(float(power.max()) * 1e-4, 1e-3)
    out: F64 = np.log(power + floor)
    return out


def envelope(x: F64) -> F64:
    """Log band energies, one row per 8 ms hop (len(x) // 128 - 1 rows)."""
    n = row_count(len(x))
    if n == 0:
        return np.zeros((0, BANDS))
    frames = np.lib.stride_tricks.sliding_window_view(x, WIN)[::HOP][:n]
    return log_rows(power_rows(frames))


def correlation(mic: F64, ref: F64) -> tuple[float, int]:
    """Best normalised correlation of the microphone's envelope with the reference's over
    every delay (mic aligned with the end of `ref` at delay 0, earlier as it grows), and that
    delay in samples."""
    return correlate(envelope(mic), envelope(ref))


def correlate(mic_env: F64, ref_env: F64) -> tuple[float, int]:
    """`correlation` on envelopes. Each band's mean over the window is removed on both sides;
    the microphone's columns then sum to zero, so the reference window's mean drops out of the
    numerator, and its spread comes from running sums."""
    m = mic_env - mic_env.mean(axis=0, keepdims=True)
    rows = len(m)
    if rows == 0 or len(ref_env) < rows:
        return 0.0, 0
    num = np.zeros(len(ref_env) - rows + 1)
    for b in range(m.shape[1]):
        num += np.correlate(ref_env[:, b], m[:, b], mode="valid")
    zero = np.zeros((1, ref_env.shape[1]))
    c1 = np.cumsum(np.vstack([zero, ref_env]), axis=0)
    c2 = np.cumsum(np.vstack([zero, ref_env * ref_env]), axis=0)
    s1, s2 = c1[rows:] - c1[:-rows], c2[rows:] - c2[:-rows]
    spread = np.maximum((s2 - s1 * s1 / rows).sum(axis=1), 0.0)
    scores = num / (np.sqrt(spread * float(np.sum(m * m))) + 1e-9)
    best = int(np.argmax(scores))
    return float(scores[best]), (len(scores) - 1 - best) * HOP


class RowCache:
    """Band-power rows of one signal by absolute start sample (the caller owns the locking)."""

    def __init__(self) -> None:
        self._rows: dict[int, F64] = {}

    def missing(self, x: F64, start: int) -> dict[int, F64]:
        """The rows of `x` (whose first sample is absolute sample `start`) not kept yet."""
        starts = [start + k * HOP for k in range(row_count(len(x)))]
        todo = [k for k, s in enumerate(starts) if s not in self._rows]
        if not todo:
            return {}
        frames = np.stack([x[k * HOP : k * HOP + WIN] for k in todo])
        return dict(zip((starts[k] for k in todo), power_rows(frames), strict=True))

    def keep(self, rows: dict[int, F64]) -> None:
        self._rows.update(rows)

    def envelope(self, x: F64, start: int) -> F64:
        """What `envelope(x)` gives, from kept rows."""
        starts = range(start, start + row_count(len(x)) * HOP, HOP)
        if not starts:
            return np.zeros((0, BANDS))
        return log_rows(np.stack([self._rows[s] for s in starts]))

    def forget(self, lo: int, hi: int) -> None:
        """Drop the rows whose window touches samples [lo, hi) (that audio changed)."""
        self._drop(s for s in self._rows if s + WIN > lo and s < hi)

    def before(self, start: int) -> None:
        """Drop the rows starting before `start` (out of reach from now on)."""
        self._drop(s for s in self._rows if s < start)

    def _drop(self, starts: Iterable[int]) -> None:
        for s in list(starts):
            del self._rows[s]
