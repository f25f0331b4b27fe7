"""A stand-in for a call's mood timeline (`MoodAccess`), for skill tests without a database."""

from __future__ import annotations

from dataclasses import dataclass, field

from lingxi.memory.trend import Trend

DECLINING = Trend("declining", days_seen=11, low_days=7, theme_days=8,
                  themes={"sleep": 9, "energy": 4}, drop=0.6, arousal_drop=0.3)


@dataclass
class FakeMood:
    """Named as a fake: records what skills did to the caller's timeline."""

    allowed: bool = True
    state: str | None = None
    asked: bool = False
    returning: bool = True
    trend: Trend | None = None
    asking: bool = False
    selfcheck: list[int] | None = None
    stopped: int = 0
    checkins: int = 0
    events: list[str] = field(default_factory=list)

    @property
    def available(self) -> bool:
        return self.allowed

    @property
    def on(self) -> bool:
        return self.allowed and self.state == "on"

    @property
    def may_ask(self) -> bool:
        return self.allowed and self.returning and self.state is None and not self.asked

    def ask(self) -> None:
        self.asked = self.asking = True
        self.events.append("ask")

    def answer(self, on: bool | None) -> None:
        self.asking = False
        self.set(bool(on), asked=True)

    def set(self, on: bool, *, asked: bool = False) -> None:
        if self.allowed:
            self.state = "on" if on else "off"
            self.events.append(self.state)

    def stop(self) -> None:
        self.set(False)
        self.stopped += 1
        self.trend, self.selfcheck = None, None

    def due(self) -> Trend | None:
        return self.trend if self.on and self.checkins == 0 else None

    def checked_in(self) -> None:
        self.checkins += 1


def DueMood() -> FakeMood:
    """A caller who agreed, with a declining trend to check in about."""
    return FakeMood(state="on", asked=True, trend=DECLINING)
