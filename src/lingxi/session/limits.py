"""How fast one connection may send: audio at about real time, other events at a human pace.
One client flooding the server must not take the event loop from everyone else's calls."""

from __future__ import annotations

from dataclasses import dataclass, field

from lingxi.clock import Clock


@dataclass
class TokenBucket:
    """`rate` units a second, up to `burst` saved up; `take` says whether there was room."""

    rate: float
    burst: float
    clock: Clock
    _level: float = field(init=False)
    _at: float = field(init=False)

    def __post_init__(self) -> None:
        self._level, self._at = self.burst, self.clock.now()

    def take(self, amount: float) -> bool:
        now = self.clock.now()
        self._level = min(self.burst, self._level + (now - self._at) * self.rate)
        self._at = now
        if amount > self._level:
            return False
        self._level -= amount
        return True


@dataclass(frozen=True, slots=True)
class Limits:
    # Audio: 1.5 s a second (a live microphone sends 1.0), with 20 s at once for a short
    # recording uploaded whole (longer ones in pieces: 60 s in one append held the loop for
    # 0.3 s on the dev machine, and every other call heard it).
    audio_rate: float = 1.5
    audio_burst_s: float = 20.0
    # Other events: far beyond any real client, far below what stalls a loop.
    events_per_s: float = 100.0
    event_burst: float = 500.0
    # Messages of any kind, counted before they are even parsed (appends included: a
    # microphone in 10 ms chunks sends 100 a second); a client that goes on far beyond
    # this after being told is closed, as its flood alone would slow every other call.
    messages_per_s: float = 250.0
    message_burst: float = 1000.0
    dropped_to_close: int = 500


class ConnectionLimits:
    def __init__(self, limits: Limits, clock: Clock) -> None:
        self.audio = TokenBucket(limits.audio_rate, limits.audio_burst_s, clock)
        self.events = TokenBucket(limits.events_per_s, limits.event_burst, clock)
        self.messages = TokenBucket(limits.messages_per_s, limits.message_burst, clock)
        self._dropped_to_close = limits.dropped_to_close
        self.dropped = 0  # messages dropped unread, since the client last kept to the pace
        self._clock = clock
        self._told_at = float("-inf")

    def admit(self) -> bool:
        """Whether to read this message at all (cheap: before it is parsed)."""
        if self.messages.take(1):
            self.dropped = 0
            return True
        self.dropped += 1
        return False

    @property
    def abusive(self) -> bool:
        return self.dropped >= self._dropped_to_close

    def tell(self) -> bool:
        """Whether to send the rate-limit error now: once a second at most, so the errors
        themselves cannot flood a client that does not read."""
        now = self._clock.now()
        if now - self._told_at < 1.0:
            return False
        self._told_at = now
        return True
