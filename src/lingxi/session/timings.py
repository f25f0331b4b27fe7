"""Where the time of one reply went: engine waits versus the server's own overhead."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(slots=True)
class Timings:
    """Where the time of one reply went, in clock seconds."""

    start: float
    engine_s: float = 0.0
    first_audio_at: float | None = None
    marks: dict[str, float] = field(default_factory=dict)

    def as_ms(self, turn_end: float | None) -> dict[str, float]:
        out = {k: round(v * 1000, 3) for k, v in self.marks.items()}
        if self.first_audio_at is not None:
            origin = turn_end if turn_end is not None else self.start
            total = self.first_audio_at - origin
            out["first_audio_ms"] = round(total * 1000, 3)
            out["engine_ms"] = round(self.engine_s * 1000, 3)
            out["server_overhead_ms"] = round(max(0.0, total - self.engine_s) * 1000, 3)
        return out
