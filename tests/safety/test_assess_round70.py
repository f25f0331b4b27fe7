"""Round 70's kinds (heldout65, 67, 68 and 69's misses, written once they were spent): a day
chosen "then I go", made ready to join the dead, wanting to go to them, going down at the water
to them, dying without pain, Cantonese cutting and "諗住自殺", ending oneself in other word orders,
a day decided after talk of dying, affairs left to be found, ending it together with the one cared
for, a place chosen by the water or a height, means bought then laughed off, a knife "not for
cooking", "top myself", a will and letters "for after", dying to spare the family, "死咗好過"; a
worried caller's account of things sorted "not needed later", "once I'm gone you'll be spared",
"lived enough", a pupil's essay, farewell words in English; and a hotpot's charcoal, a game boss,
a pharmacy's screening, a history question, jeans "committing suicide" no longer raised. New
words, not the sets'."""

from __future__ import annotations

import pytest

from lingxi.safety import Level, RiskTracker
from lingxi.safety.tracker import TurnReport

_CALL_SPLIT = " || "


def _last(text: str) -> TurnReport:
    """The tracker's reading after the last turn of a call written "turn || turn"."""
    tracker = RiskTracker()
    turns = text.split(_CALL_SPLIT)
    for turn in turns[:-1]:
        tracker.observe(turn)
    return tracker.observe(turns[-1])


@pytest.mark.parametrize(("text", "level"), [
    ("我决定等女儿高考完那天就走", Level.PLAN),
    ("那个江堤我都去看好位置了 哈哈", Level.PLAN),
    ("奶奶走后我把后事都交代好了 想下去陪她", Level.PLAN),
    ("我妈去世以后 我一直想自己去找她", Level.ACTIVE),
    ("我现在在桥上 跳下去就可以见到我儿子了", Level.IMMINENT),
    ("要怎样才死得不会痛", Level.PLAN),
    ("我真系好想鎅自己", Level.ACTIVE),
    ("我想把自己结束掉", Level.ACTIVE),
    ("我而家日日都諗住死", Level.ACTIVE),
    ("我想死 || 我想好了就下个月", Level.PLAN),
    ("银行卡和密码我都放在床头柜了 他会找到的", Level.PLAN),
    ("我照顾我妈十年了 不如我们两个一起了断", Level.ACTIVE),
    ("位置我都挑好了 就在那座大桥上", Level.PLAN),
    ("木炭都准备好了 哈哈 开玩笑的", Level.PLAN),
    ("我买了一卷绳子 不是用来绑东西的", Level.PLAN),
    ("honestly I might just top myself", Level.ACTIVE),
    ("I've written letters for my kids, the ones for after", Level.PLAN),
    ("我这把年纪了 死了都没人知道", Level.PASSIVE),
    ("早点死了 孩子就不用花钱给我治病了", Level.PASSIVE),
    ("屋企人都嫌我 死咗好过", Level.PASSIVE),
])
def test_round_70_kinds_are_heard(text: str, level: Level) -> None:
    assert _last(text).call_level >= level


@pytest.mark.parametrize("text", [
    "我妈说她走了我们就省心了",
    "我爷爷最近一直在收拾他的东西 说以后用不上了",
    "我外婆成天说她活够了",
    "我学生在作文里写想消失",
    "my mum has been saying goodbye-ish things lately",
    "my grandpa keeps saying he won't be around much longer",
])
def test_a_worried_callers_account_is_heard_as_about_someone_else(text: str) -> None:
    result = _last(text)
    assert result.call_level >= Level.PASSIVE
    assert result.rules is not None
    assert all(reason.about_other for reason in result.rules.reasons)


@pytest.mark.parametrize("text", [
    "我打算等孩子放假那天就走 回老家过年",
    "码头边钓鱼的位置我都选好了 哈哈",
    "我妈去世以后 我一直想自己去找她的老朋友聊聊",
    "龙虾怎么样死才不会痛 要先冰一下吗",
    "我想自己去死海看看",
    "银行卡和密码我放在床头柜了 你帮我拿一下",
    "我们两个一起去旅游吧",
    "求婚地点选好了 就在海边",
    "木炭都买好了 哈哈 周末烧烤",
    "我爷爷最近在收拾东西 他要搬去养老院 说以后用不上了",
    "my mum has been saying goodbye-ish things because she's moving abroad",
    "can you top up my phone credit myself",
    "我要是再胖两斤我的裤子就要自杀了哈哈",
    "屈原为什么要投江 我儿子问我",
    "我们学校在做学生自伤风险的筛查 我负责登记",
    "这个boss打到我想死 哈哈",
    "奶奶说她的后事早就安排好了 她很看得开",
    "烧炭火锅的炭放在阳台会不会受潮",
    "喺码头跳落海游水 犯唔犯法",
])
def test_their_twins_stay_below_passive(text: str) -> None:
    assert _last(text).call_level < Level.PASSIVE
