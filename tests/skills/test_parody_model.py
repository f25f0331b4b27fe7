"""Parody words from a language model (a scripted fake writer here; the embedded model in
test_parody_embedded.py): lines with the right syllable counts are sung as written, wrong ones
are named in one repair, then cut or padded to fit; a failing, slow or absent model gives the
offline words. Whatever happens, every line has exactly its tune's sung syllables."""

from __future__ import annotations

import pytest

from lingxi.clock import MonotonicClock
from lingxi.engines.fake import FakeTTS, FakeWriter
from lingxi.skills import Sing, default_skills
from lingxi.skills.sing.library import Song, song
from lingxi.skills.sing.lyricist import fit, write_parody
from lingxi.skills.sing.parody import rewrite, syllables_per_phrase, units
from lingxi.skills.testing import run_turn
from lingxi.turn import Audio

TWINKLE_ZH = ["天天加班到深夜", "老板还在发消息", "咖啡一杯又一杯", "眼睛困得睁不开",
              "天天加班到深夜", "何时才能回家去"]
TWINKLE_EN = ["Homework, homework, late at night,", "I will write until it's right.",
              "Math and spelling, page by page,", "reading stories on the stage.",
              "Homework, homework, late at night,", "I will write until it's right."]


def counts(sung: Song) -> list[int]:
    return [len(p.syllables()) for p in sung.phrases]


def tts() -> FakeTTS:
    return FakeTTS(MonotonicClock(), sample_rate=8000, ms_per_char=120.0)


def test_the_english_lines_used_here_have_the_tunes_counts() -> None:
    assert [len(units(x, "en")) for x in TWINKLE_EN] == syllables_per_phrase(song("twinkle-en"))


async def test_right_first_time_the_models_lines_are_sung_as_written() -> None:
    writer = FakeWriter(["新歌词：\n" + "\n".join(f"{i + 1}. {x}" for i, x in
                                                enumerate(TWINKLE_ZH))])
    run = await run_turn(default_skills(tts(), writer=writer), "把小星星改成关于加班的")
    assert run.skill == "sing" and "加班" in run.said
    sung = [s.caption.rstrip("，。") for s in run.segments if isinstance(s, Audio)]
    assert sung == TWINKLE_ZH
    assert len(writer.asked) == 1
    asked = writer.asked[0].messages[-1].text
    assert "加班" in asked and "7" in asked  # the theme and each line's count


async def test_an_english_request_gets_english_words_on_the_english_tune() -> None:
    writer = FakeWriter(["\n".join(TWINKLE_EN)])
    run = await run_turn(default_skills(tts(), writer=writer),
                         "Change Twinkle Twinkle into a song about homework")
    assert run.skill == "sing" and "homework" in run.said.lower()
    sung = [s.caption for s in run.segments if isinstance(s, Audio)]
    assert sung[0].startswith("Homework homework late at night")
    assert len(sung) == len(song("twinkle-en").phrases)


async def test_wrong_counts_are_named_in_one_repair_and_the_repair_is_sung() -> None:
    wrong = list(TWINKLE_ZH)
    wrong[1] = "老板还在不停地发消息"  # 10, not 7
    writer = FakeWriter(["\n".join(wrong), TWINKLE_ZH[1]])  # the repair: only that line
    parody = await write_parody(writer, song("twinkle-zh"), "加班", "zh")
    assert parody.outcome == "repaired" and len(writer.asked) == 2
    repair = writer.asked[1].messages[-1].text
    assert "第2行" in repair and "10" in repair and wrong[1] in repair  # the line, its count
    assert "第1行" not in repair
    assert [p.caption("zh") for p in parody.song.phrases] == TWINKLE_ZH


async def test_still_wrong_after_the_repair_the_lines_are_cut_or_padded_to_fit() -> None:
    wrong = ["天天加班加到深更半夜", "老板", "眼睛困得睁不开"]  # and three lines missing
    writer = FakeWriter(["\n".join(wrong), "加班加班加到深更半夜"])  # one rewrite, still long
    tune = song("twinkle-zh")
    parody = await write_parody(writer, tune, "加班", "zh")
    assert parody.outcome == "trimmed" and len(writer.asked) == 2
    assert parody.fitted == 5
    assert counts(parody.song) == syllables_per_phrase(tune)
    captions = [p.caption("zh") for p in parody.song.phrases]
    assert captions[0] == "加班加班加到深"  # the rewrite, cut after its seventh character
    assert captions[1].startswith("老板")  # padded with fillers
    assert captions[2] == "眼睛困得睁不开"
    assert captions[3:] == [p.caption("zh") for p in rewrite(tune, "加班").phrases[3:]]


def test_an_english_line_is_cut_at_a_word_and_padded_with_fillers() -> None:
    line = units("Homework homework every single night", "en")  # 2 + 2 + 3 + 2 + 1 = 10
    fitted = fit(line, 6, "homework", 0, "en")
    assert len(fitted) == 6
    assert fitted[:4] == line[:4]  # "homework homework", not cut inside "every"
    assert fitted[4:] != line[4:6] and not fitted[-1].endswith("-")


@pytest.mark.parametrize("writer", [FakeWriter(fail=True), FakeWriter(stall=True),
                                    FakeWriter(["I'm sorry, I can't help with that."]), None],
                         ids=["down", "slow", "no lyrics", "no model"])
async def test_a_failing_slow_or_absent_model_gives_the_offline_words(
        writer: FakeWriter | None) -> None:
    tune = song("twinkle-zh")
    parody = await write_parody(writer, tune, "加班", "zh", limit_s=0.2)
    assert parody.outcome == "offline"
    assert parody.song.captions() == rewrite(tune, "加班").captions()


async def test_a_slow_model_never_stops_the_song() -> None:
    sing = Sing(tts(), FakeWriter(stall=True), parody_limit_s=0.2)
    run = await run_turn([sing], "把两只老虎改成关于猫的歌")
    assert run.said.startswith("好")  # the lead-in line, then the song
    sung = [s.caption for s in run.segments if isinstance(s, Audio)]
    assert sung == rewrite(song("tigers-zh"), "猫").captions()
