"""Skills: one file each (plus data in `data/`), knowing nothing of the wire or the call.

`default_skills()` is the order the router asks them in; the responder (a language model or
the offline companion) answers whatever none of them claims, and safety comes before all.
"""

from __future__ import annotations

from lingxi.interfaces import PronunciationScorer, SpeechSynthesizer, Writer
from lingxi.skills.checkin import CheckIn
from lingxi.skills.memory import MemoryCommands
from lingxi.skills.mood import MoodConsent
from lingxi.skills.persona import PersonaSwitch
from lingxi.skills.pronounce import Pronounce
from lingxi.skills.responder import ResponderSkill
from lingxi.skills.resume import ResumeAfterBackchannel
from lingxi.skills.safety import SafetySkill
from lingxi.skills.sing import Sing
from lingxi.skills.story import StoryTeller
from lingxi.skills.tell_time import TellTime
from lingxi.skills.whisper import Whisper
from lingxi.turn.skill import Skill


def default_skills(tts: SpeechSynthesizer | None = None, *,
                   tell_time: TellTime | None = None,
                   scorer: PronunciationScorer | None = None,
                   writer: Writer | None = None) -> tuple[Skill, ...]:
    """`tts`: the call's synthesizer, which the singer sings with (without it, no singing).
    `tell_time`: answers the time and date when a language model answers the rest (the offline
    companion knows the time itself). `scorer`: the pronunciation coach's (without it, no
    coaching). `writer`: a language model that writes parody lyrics and made-up stories
    (without it, offline templates and the story library)."""
    time = (tell_time,) if tell_time is not None else ()
    # The mood timeline's own commands come before memory's ("别记我的心情了" is not "forget
    # that"); the check-in after every skill a caller asks for by name.
    return (PersonaSwitch(), MoodConsent(), MemoryCommands(), Pronounce(scorer, tts), Whisper(),
            Sing(tts, writer), *time, StoryTeller(writer), CheckIn(), ResumeAfterBackchannel())


__all__ = ["CheckIn", "MemoryCommands", "MoodConsent", "PersonaSwitch", "Pronounce",
           "ResponderSkill", "ResumeAfterBackchannel", "SafetySkill", "Sing", "StoryTeller",
           "TellTime", "Whisper", "default_skills"]
