"""The affect as a short note for the brain, in the reply's language:
"（对方）声音低沉、语速慢，听起来很累"."""

from __future__ import annotations

from lingxi.interfaces import Affect

_CUES = {
    "zh": {"whisper": "在小声说话", "pitch_low": "声音低沉", "pitch_high": "声调比平时高",
           "flat": "语调平平", "lively": "语调起伏大", "soft": "声音很轻", "loud": "声音很大",
           "slow": "语速慢", "fast": "语速快", "pauses": "说话停顿多"},
    "en": {"whisper": "whispering", "pitch_low": "voice low",
           "pitch_high": "voice higher than usual",
           "flat": "flat intonation", "lively": "lively intonation", "soft": "speaking softly",
           "loud": "speaking loudly", "slow": "speaking slowly", "fast": "speaking fast",
           "pauses": "pausing a lot"},
}
_LABELS = {
    "zh": {"happy": "听起来很开心", "sad": "听起来很难过", "angry": "听起来很生气",
           "anxious": "听起来很紧张", "tired": "听起来很累"},
    "en": {"happy": "sounds happy", "sad": "sounds sad", "angry": "sounds angry",
           "anxious": "sounds anxious", "tired": "sounds tired"},
}
_LEAD = {"zh": "对方此刻：", "en": "How the caller sounds: "}
_SEP = {"zh": "、", "en": ", "}
_END = {"zh": "，", "en": "; "}


def affect_note(affect: Affect | None, language: str) -> str:
    """"" when there is nothing to say (a neutral caller, heard as usual)."""
    if affect is None:
        return ""
    lang = "zh" if language == "zh" else "en"
    cues = _SEP[lang].join(_CUES[lang][c] for c in affect.cues if c in _CUES[lang])
    feeling = _LABELS[lang].get(affect.label, "")
    said = _END[lang].join(p for p in (cues, feeling) if p)
    return _LEAD[lang] + said if said else ""
