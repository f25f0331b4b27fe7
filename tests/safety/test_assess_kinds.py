"""Round 7's kinds of risky sentence (tests/safety/test_assess.py has the earlier ones): each
kind is heard, and its harmless twins on the same words stay below passive."""

from __future__ import annotations

import pytest

from lingxi.safety import Assessment, Level, default_assessor


def assess(text: str) -> Assessment:
    return default_assessor().assess(text)


@pytest.mark.parametrize(("text", "level"), [
    ("等我老婆上班走了，我就把药全吃了", Level.PLAN),
    ("I'll swallow all the sleeping pills once my husband leaves for work", Level.PLAN),
    ("开车去悬崖那边，不打算回来了", Level.PLAN),
    ("I'm heading to the cliffs and not coming back", Level.PLAN),
    ("上吊是什么感觉，疼不疼", Level.PLAN),
    ("does hanging hurt", Level.PLAN),
    ("淹死会不会很痛苦", Level.PLAN),
    ("this is the last time you'll hear from me", Level.PLAN),
    ("我坐在十八楼的窗台外", Level.IMMINENT),
    ("my legs are dangling over the ledge", Level.IMMINENT),
    ("我想开车撞向桥墩", Level.PLAN),
    ("I'm going to steer into oncoming traffic", Level.PLAN),
    ("I just want to make sure I never wake up", Level.ACTIVE),
    ("I'm gonna walk into the lake tonight", Level.PLAN),
])
def test_round_7_kinds_are_heard(text: str, level: Level) -> None:
    assert assess(text).level >= level


@pytest.mark.parametrize("text", [
    "等我老婆上班走了，我就去打游戏", "I'll take my pills once my husband leaves for work",
    "我们开车去悬崖那边玩，这周不回来了",
    "we're heading to the lake and not coming back till monday",
    "小说里写上吊是什么感觉", "is drowning painful in the movie Titanic",
    "this is the last time we'll talk before my trip",
    "this is the last time we'll talk before my flight", "鱼淹死会痛吗", "虫子摔死疼不疼",
    "我在十八楼的窗台上晒被子",
    "my feet are over the edge of the pool", "开车下坡不打算踩刹车，省油",
    "in the racing game I'm going to crash into a wall", "make sure I wake up at seven",
    "I'm gonna walk into the lake for a swim",
])
def test_round_7_twins_stay_below_passive(text: str) -> None:
    assert assess(text).level < Level.PASSIVE


def test_you_know_as_a_filler_is_dropped_for_the_rules_but_the_model_reads_it() -> None:
    assert assess("I'm standing on the, you know, railing right now").level >= Level.IMMINENT
    assert assess("do you know how many pills would kill me").level >= Level.PLAN
    assert "you know" in default_assessor().normalise("the bridge is, you know, really high")


@pytest.mark.parametrize(("text", "level"), [
    ("I closed all my accounts this morning, I won't need any of them", Level.PLAN),
    ("卡里的钱都留给我弟了，密码写给他了", Level.PLAN),
    ("我把狗交给朋友了，以后你就是它的主人", Level.PLAN),
])
def test_handing_things_over_for_good_is_a_plan(text: str, level: Level) -> None:
    assert assess(text).level >= level


@pytest.mark.parametrize("text", [
    "I deleted all my accounts, I won't need them during my digital detox",
    "卡里的钱都留给我弟了，密码写给他了，让他帮我付房租",
    "我要去留学了，把狗交给朋友了，以后你就是它的主人",
])
def test_handing_things_over_for_a_reason_stays_below_passive(text: str) -> None:
    assert assess(text).level < Level.PASSIVE


@pytest.mark.parametrize(("text", "level"), [
    ("after work I'm heading to the overpass to jump", Level.PLAN),
    ("周五晚上我去顶楼跳下去", Level.PLAN),
])
def test_going_somewhere_to_jump_is_a_plan(text: str, level: Level) -> None:
    assert assess(text).level >= level


@pytest.mark.parametrize("text", [
    "we're heading to the quarry to jump in, it's so hot", "周五晚上我们去顶楼跳广场舞",
    "去悬崖那边跳伞，刺激",
    # a trail described, not a caller at the edge
    "国庆想去华山，听说那条栈道在悬崖边上", "那段台阶在悬崖边上，走的时候扶好",
    "厨房蟑螂太多，我喷了好多杀虫剂", "我飲咗杯凍檸茶先瞓",
])
def test_going_somewhere_to_jump_for_fun_stays_below_passive(text: str) -> None:
    assert assess(text).level < Level.PASSIVE


@pytest.mark.parametrize(("text", "level"), [
    ("我已经备好了足够的安眠药", Level.PLAN),
    ("药在手上，一粒接一粒地吞", Level.IMMINENT),
    ("我到了桥上，不打算下来了", Level.IMMINENT),
    ("我现在就在悬崖边上，风好大", Level.IMMINENT),
    # insecticide drunk, and Cantonese 飲咗 (drank)
    ("我刚喝了半瓶杀虫剂", Level.IMMINENT),
    ("我頭先飲咗一樽敵敵畏", Level.IMMINENT),
])
def test_enough_medicine_pills_one_by_one_and_not_coming_down_are_heard(
        text: str, level: Level) -> None:
    assert assess(text).level >= level


@pytest.mark.parametrize("text", [
    "去旅游前备好了足够的药，一周够用", "鱼油药丸一粒接一粒地吞，医生说每天三粒",
    "我到了山顶天台看日出，太美了不想下来了",
])
def test_their_twins_a_trip_a_supplement_and_a_view_stay_below_passive(text: str) -> None:
    assert assess(text).level < Level.PASSIVE


@pytest.mark.parametrize(("text", "level"), [
    ("I've got a cord and I checked the hook in the ceiling holds me", Level.PLAN),
    ("I attempted last year, next time it will work", Level.PLAN),
    ("之前吞药没死成，下次一定准备得更充分", Level.PLAN),
])
def test_a_rope_with_a_beam_and_a_next_attempt_are_plans(text: str, level: Level) -> None:
    assert assess(text).level >= level


@pytest.mark.parametrize("text", [
    "I bought a rope to hang the swing from the beam", "绳子挂在房梁上晒腊肉",
    "I tried once to bake sourdough, next time it will work",
    "上次面试没成功，这次一定准备得更充分",
])
def test_a_swing_cured_meat_bread_and_an_interview_stay_below_passive(text: str) -> None:
    assert assess(text).level < Level.PASSIVE
