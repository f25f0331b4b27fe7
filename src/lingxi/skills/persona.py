""""换林黛玉来跟我说": the switch happens before anyone answers, so this very reply is already
in the new persona's words and voice (the router tells the call, which keeps the choice)."""

from __future__ import annotations

from lingxi.personas.switch import requested_persona
from lingxi.turn.model import Turn
from lingxi.turn.skill import Skill


class PersonaSwitch(Skill):
    name = "persona_switch"

    def prepare(self, turn: Turn) -> Turn:
        switched = requested_persona(turn.personas, turn.persona, turn.history)
        return turn if switched is None else turn.replace(persona=switched)
