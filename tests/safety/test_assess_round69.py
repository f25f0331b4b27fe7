"""Round 69's kinds (heldout59-64's misses, written once they were spent): a mind full of suicide,
ending oneself weighed as the way out, wanting to do it oneself too beside a death, joining the
dead, about to jump with a goodbye, which poison cannot be washed out, a whole box at once, whether
hanging by a thing works, how high a fall kills, a ward drug taken home or injected, medicine taken
to sleep on, an insurance payout by dying, waiting to be taken, the one too many at home, a
worried caller's account of someone's farewell signs, a parent with a knife in Cantonese, a friend
who "took all her" medicine, someone shut in a garage; and a game's cliff, a writer's missing
letter, a grave plot's price, a pharmacist's customer, the Dead Sea, 自寻死路 and a houseplant no
longer raised. New words, not the sets'."""

from __future__ import annotations

import pytest

from lingxi.safety import Level, RiskTracker, default_assessor


@pytest.mark.parametrize(("text", "level"), [
    ("我初三了 每天脑子里全是自杀这两个字", Level.ACTIVE),
    ("欠了一屁股债 自我了结是不是最好的解脱", Level.ACTIVE),
    ("看着我爷爷走了 我也开始想自己动手", Level.ACTIVE),
    ("我想下去陪我老伴 这个念头一直在", Level.ACTIVE),
    ("谢谢你一直听我说 我现在就要跳了 拜拜", Level.IMMINENT),
    ("哪种农药喝了洗胃都救不回来", Level.PLAN),
    ("舍曲林一次吃一整盒会怎么样", Level.PLAN),
    ("拿皮带上吊挂在衣柜杆上能行吗", Level.PLAN),
    ("十几层楼高跳下来是不是必死", Level.PLAN),
    ("我从我妈上班的医院顺了几支胰岛素 放在包里", Level.PLAN),
    ("偷带回来的胰岛素我刚打了好几支", Level.IMMINENT),
    ("药都吞了 别担心 就是想睡下去 不用醒了", Level.IMMINENT),
    ("我死了保险还能给我女儿留点学费", Level.PASSIVE),
    ("我都九十了 阎王爷怎么还不来收我", Level.PASSIVE),
    ("每天都盼着不要再有明天", Level.PASSIVE),
    ("我现在这样 活着就是受罪", Level.PASSIVE),
    ("我觉得我是家里多余的人", Level.PASSIVE),
    ("honestly I want to take enough to not wake up this time", Level.ACTIVE),
])
def test_round_69_kinds_are_heard(text: str, level: Level) -> None:
    assert default_assessor().assess(text).level >= level


@pytest.mark.parametrize(("text", "level"), [
    ("我同学发朋友圈说谢谢大家这些年的照顾 然后就不回消息了", Level.PASSIVE),
    ("我姐姐打电话一直说对不起我 让我以后照顾好爸妈", Level.PASSIVE),
    ("我阿爸喺露台拎住把刀話要死", Level.IMMINENT),
    ("my sister just texted me she took all of her seroquel what do I do", Level.IMMINENT),
    ("my brother is in the garage with the engine running and the door is locked", Level.IMMINENT),
])
def test_someone_elses_danger_is_heard_as_theirs(text: str, level: Level) -> None:
    result = RiskTracker().observe(text)
    assert result.call_level >= level
    assert result.rules is not None
    assert all(reason.about_other for reason in result.rules.reasons)


@pytest.mark.parametrize("text", [
    "我脑子里全是自杀小队那部电影的配乐",
    "看着师傅走了以后 我也开始想自己动手修车",
    "我想去找她复合 但她已经有男朋友了",
    "教练数到三我现在就要跳了 蹦极好刺激 拜拜",
    "那部推理剧里凶手用围巾上吊伪装 这能行吗",
    "沙发太大进不了门 用绳子从阳台吊上去行不行",
    "小孩从两米高的滑梯上摔下来会不会有事",
    "胰岛素早上打了一支 血糖还是有点高",
    "褪黑素吃了 今晚想一直睡到中午",
    "想买份意外险 我死了保险能赔多少",
    "我觉得我是多余担心了 他早就到家了",
    "我同事发朋友圈说谢谢大家这些年的照顾 他下个月退休",
    "我妈说她下个月去死海旅游",
    "他这是自寻死路 合同都不看就签",
    "我在塞尔达里从山顶跳下去忘了开滑翔伞 又摔死了",
    "海明威为什么没留遗书",
    "我七十多了 想提前把后事安排好 公墓哪家划算",
    "有个阿姨想一次买好几盒安眠药 我该怎么问她",
    "my cactus committed suicide because I forgot to water it lol",
    "my grandma took all her pills this morning like the doctor said",
    "my dad is in the garage with the car running to warm it up before we go",
])
def test_their_twins_stay_below_passive(text: str) -> None:
    assert RiskTracker().observe(text).call_level < Level.PASSIVE
