"""A turn and who answers it: the `Turn` built once per user turn, the `Skill`s that claim it,
the `Segment`s they perform, and the `Router` that puts safety first and picks one skill."""

from lingxi.turn.model import (
    Affect,
    MemoryAccess,
    Mode,
    MoodAccess,
    Style,
    Turn,
    TurnAudio,
    WordTiming,
)
from lingxi.turn.router import Routed, Router
from lingxi.turn.segments import (
    Audio,
    CallTool,
    Effect,
    EndCall,
    SafetyNotice,
    Say,
    Segment,
    SetStyle,
    SwitchPersona,
)
from lingxi.turn.skill import Claim, Refused, Skill

__all__ = ["Affect", "Audio", "CallTool", "Claim", "Effect", "EndCall", "MemoryAccess", "Mode",
           "MoodAccess", "Refused", "Routed", "Router", "SafetyNotice", "Say", "Segment",
           "SetStyle", "Skill", "Style", "SwitchPersona", "Turn", "TurnAudio", "WordTiming"]
