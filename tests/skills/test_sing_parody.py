"""Offline parody: new words on a built-in tune (Chinese: a character per sung syllable;
English: syllables as lingxi.text cuts them), exactly as many per line as the line has sung
syllables, for any theme, and sung note for note."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from lingxi.clock import MonotonicClock
from lingxi.engines.fake import FakeTTS
from lingxi.skills import default_skills
from lingxi.skills.sing.library import MELISMA, library, song
from lingxi.skills.sing.parody import rewrite, syllables_per_phrase, theme_words
from lingxi.skills.sing.requests import read
from lingxi.skills.testing import run_turn
from lingxi.turn import Audio

THEMES = ["加班", "猫", "下雨", "考试", "周末", "毕业", "减肥", "妈妈", "火锅", "春天",
          "小狗", "地铁", "咖啡", "熬夜", "过年", "打游戏", "写作业", "早起", "旅行", "奶茶"]


@pytest.mark.parametrize("theme", THEMES)
def test_every_line_has_one_character_per_sung_syllable_for_every_song(theme: str) -> None:
    for tune in library():
        sung = rewrite(tune, theme_words(theme))
        for old, new in zip(tune.phrases, sung.phrases, strict=True):
            notes = old.score()
            assert [n.midi for n in new.score()] == [n.midi for n in notes]
            assert len(new.syllables()) == len({n.syllable for n in notes})
            melisma = [t == MELISMA for t in old.lyrics.split()]
            assert [t == MELISMA for t in new.lyrics.split()] == melisma
        assert any(theme_words(theme) in c for c in sung.captions())


HELD_OUT = yaml.safe_load((Path(__file__).parents[2] / "bench" / "data" / "parody_themes.yaml")
                          .read_text("utf-8"))["held_out"]
TWENTY = [(lang, theme) for lang in ("zh", "en") for theme in HELD_OUT[lang]]


@pytest.mark.parametrize(("lang", "theme"), TWENTY)
def test_twenty_themes_in_both_languages_fit_every_tune_offline(lang: str, theme: str) -> None:
    sung_theme = theme_words(theme, lang)
    for tune in library():
        sung = rewrite(tune, sung_theme, lang)  # type: ignore[arg-type]
        assert [len(p.syllables()) for p in sung.phrases] == syllables_per_phrase(tune)
        assert any(sung_theme in c.lower().replace("-", "") for c in sung.captions())


@pytest.mark.parametrize(("asked", "tune", "theme"), [
    ("Change Twinkle Twinkle into a song about homework please", "twinkle-en", "homework"),
    ("Sing Jingle Bells about my cat", "jingle-en", "my cat"),
    ("Could you make a parody of Frère Jacques about Mondays?", "jacques-en", "mondays"),
    ("把小星星改成关于加班的", "twinkle-zh", "加班"),
    ("把两只老虎改成关于猫的歌", "tigers-zh", "猫"),
    ("用送别的调子唱一首关于毕业的", "songbie-zh", "毕业"),
    ("把欢乐颂改编成关于周末的", "ode-zh", "周末"),
])
def test_a_parody_request_names_the_tune_and_the_theme(asked: str, tune: str,
                                                       theme: str) -> None:
    request = read(asked, "zh" if tune.endswith("zh") else "en", ())
    assert request is not None and request.kind == "parody"
    assert request.song is song(tune) and request.title == theme
    assert request.words == song(tune).language


async def test_the_parody_is_sung_to_the_tune_with_the_new_words_as_captions() -> None:
    skills = default_skills(FakeTTS(MonotonicClock(), sample_rate=8000, ms_per_char=120.0))
    run = await run_turn(skills, "把小星星改成关于加班的")
    assert run.skill == "sing" and "加班" in run.said
    lines = [s.caption for s in run.segments if isinstance(s, Audio)]
    assert lines == rewrite(song("twinkle-zh"), "加班").captions()
