"""What the listener has heard of one reply, estimated from what was delivered and when.

The client plays audio in real time from the first chunk it receives; if the stream runs dry
playback stalls and resumes with the next chunk. Two clocks are kept: the pacing clock
(chunks handed to the outbox, kept `lead_s` ahead of real time so a barge-in leaves at most
that much unplayed audio on the client) and the delivery clock (chunks written to the socket),
from which what was heard is estimated: on a slow link the two differ.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(slots=True)
class PlaybackEstimate:
    lead_s: float
    paced_from: float | None = None
    queued_ms: float = 0.0
    started_at: float | None = None
    sent_ms: float = 0.0

    def send_deadline(self) -> float | None:
        """Earliest time the next chunk may be queued (None: immediately)."""
        if self.paced_from is None:
            return None
        return self.paced_from + self.queued_ms / 1000.0 - self.lead_s

    def on_queued(self, now: float, duration_ms: float) -> None:
        if self.paced_from is None or now > self.paced_from + self.queued_ms / 1000.0:
            # First chunk, or the engines fell behind real time: pace from here.
            self.paced_from = now - self.queued_ms / 1000.0
        self.queued_ms += duration_ms

    def on_sent(self, now: float, duration_ms: float) -> None:
        """A chunk reached the socket."""
        if self.started_at is None:
            self.started_at = now
        elif now > self.started_at + self.sent_ms / 1000.0:
            # The client ran dry: playback resumes only with this chunk.
            self.started_at = now - self.sent_ms / 1000.0
        self.sent_ms += duration_ms

    def played_ms(self, now: float) -> float:
        if self.started_at is None:
            return 0.0
        return max(0.0, min(self.sent_ms, (now - self.started_at) * 1000.0))

    def playing(self, now: float) -> bool:
        return self.started_at is not None and self.played_ms(now) < self.sent_ms

    def ends_at(self) -> float | None:
        if self.started_at is None:
            return None
        return self.started_at + self.sent_ms / 1000.0
