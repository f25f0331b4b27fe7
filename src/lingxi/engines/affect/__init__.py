"""The affect engine: how the caller feels, from their voice (against their own baseline in
the call) and their words. `CallerAffect` is one call's reader; `affect_note` tells the brain."""

from lingxi.engines.affect.caller import CallerAffect, syllables
from lingxi.engines.affect.note import affect_note
from lingxi.engines.affect.voice import VoiceMeasures, measure
from lingxi.engines.affect.words import WordFeeling, feeling_of

__all__ = ["CallerAffect", "VoiceMeasures", "WordFeeling", "affect_note", "feeling_of",
           "measure", "syllables"]
