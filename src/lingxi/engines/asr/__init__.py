"""Speech recognition engines: embedded Whisper base, or an OpenAI-compatible server."""

from __future__ import annotations

from typing import TYPE_CHECKING

from lingxi.engines.asr.model_files import ModelFilesError, default_model_dir
from lingxi.interfaces import RecognitionContext

if TYPE_CHECKING:
    from lingxi.config import Settings
    from lingxi.interfaces import SpeechRecognizer

__all__ = ["ModelFilesError", "RecognitionContext", "build_asr", "languages_of"]


def languages_of(settings: Settings) -> tuple[str, ...]:
    langs = tuple(x.strip() for x in settings.asr_languages.split(",") if x.strip())
    return langs or ("zh", "en")


def build_asr(settings: Settings, *, warm: bool = True) -> SpeechRecognizer:
    """The configured recogniser, loaded and warmed (the first decode is the slow one).

    Raises ModelFilesError (naming the file and the fix) when the model cannot be used.
    """
    if settings.asr == "openai":
        from lingxi.engines.asr.openai_server import OpenAIRecognizer

        if not settings.asr_url:
            raise ValueError("asr = 'openai' needs asr_url (LINGXI_ASR_URL), e.g. "
                             "http://127.0.0.1:8000")
        return OpenAIRecognizer(settings.asr_url, model=settings.asr_model,
                                api_key=settings.asr_api_key, timeout_s=settings.asr_timeout_s)
    from lingxi.engines.asr.whisper import WhisperRecognizer
    from lingxi.engines.asr.whisper_model import WhisperModel

    model = WhisperModel(settings.asr_model_dir or default_model_dir(),
                         threads=settings.asr_threads, beam_size=settings.asr_beam_size,
                         languages=languages_of(settings),
                         code_switch=settings.asr_code_switch)
    if warm:
        model.warm()
    return WhisperRecognizer(model)
