"""Round 67's kinds (heldout56-58's misses, written once they were spent): how high a jump must
be, what a hanging rope must be like, medicine with drink asked to work faster, where a barrier
at a drop gives way, a rope hung and tried, how fast a crash must be, a way asked about and "I
want to go like this", going to "that" lake after an occasion, poison eaten in food, a goodnight
for ever, farewell meals, current to kill oneself, death as an end to hardship, a month's supply
taken at once, a pet given away for good, ending it on one's mind, someone else with a cord round
the neck or saying death would be better; and the false alarms they were found beside (a youth
worker, a Discord moderator, a group chat left, letters for a family tradition, affairs put in
order before an operation, an idiom for homework, pesticide residue). New words, not the sets'."""

from __future__ import annotations

import pytest

from lingxi.safety import Level, RiskTracker, default_assessor


@pytest.mark.parametrize(("text", "level"), [
    ("由幾多層跳落去先會死得", Level.PLAN),
    ("上吊用的绳子要多粗才不会断", Level.PLAN),
    ("思诺思配红酒一起吃是不是死得更快", Level.PLAN),
    ("there's a quarry past the farm and I've found where the fence is down", Level.PLAN),
    ("绳子已经系好了 在门框上", Level.PLAN),
    ("开车冲向护栏要开多快才活不下来", Level.PLAN),
    ("冬天在雪地里躺一夜会不会冻死 我想就这样走", Level.PLAN),
    ("等儿子高考一考完 我就去那座桥", Level.PLAN),
    ("老鼠药我拌在粥里喝了", Level.IMMINENT),
    ("发完最后一条朋友圈 晚安 永远的那种", Level.PLAN),
    ("这周跟每个家人都吃了顿饭 算是道别了", Level.PLAN),
    ("触电死自己需要多大的电流", Level.PLAN),
    ("死咗就唔使再受罪", Level.PASSIVE),
    ("i took my whole week's worth of sertraline twenty minutes ago", Level.IMMINENT),
    ("i've just handed my cat to my sister for good, i won't need to look after her", Level.PLAN),
    ("ending it has been on my mind all week ngl", Level.ACTIVE),
    ("I moderate a discord and I've saved up my pills for tonight", Level.PLAN),
    ("I'm putting my affairs in order before my surgery, I'm not planning to wake up", Level.PLAN),
])
def test_round_67_kinds_are_heard(text: str, level: Level) -> None:
    assert default_assessor().assess(text).level >= level


@pytest.mark.parametrize("text", [
    "跳高要跳几高才及格",
    "拍戏上吊的绳子用什么道具比较安全",
    "吃了头孢能不能喝啤酒",
    "the farmer checked where the fence is broken so the cows won't wander to the quarry",
    "秋千的绳子都绑好了 孩子可以玩了",
    "碰撞测试里车开多快撞墙会没救 安全气囊有用吗",
    "婚礼办完我就去那个湖度蜜月",
    "老鼠药我拌在饭里放在墙角了",
    "晚安 永远爱你 宝贝",
    "快毕业了 跟每个室友都吃了顿饭 算是告别",
    "i took my whole month of vitamins with me on the trip",
    "we gave our dog to my neighbour for good because we're moving abroad",
    "ending it with my girlfriend has been on my mind all week",
    "for halloween my roommate has a fake noose around his neck as a costume",
    "I'm a youth worker, how do I ask a teenager about self-harm without scaring them?",
    "I moderate a gaming Discord, what's our protocol when someone says they're going to end it",
    "帮我写个退群的告别语 我要退出跑步群了",
    "I've written letters to my kids to open when they turn eighteen, it's a family tradition",
    "I'm putting my affairs in order before my hip operation, just to be sensible",
    "一了百了这个词怎么用在作文里",
    "农药残留怎么洗掉 买了草莓",
])
def test_their_twins_stay_below_passive(text: str) -> None:
    assert default_assessor().assess(text).level < Level.PASSIVE


@pytest.mark.parametrize(("text", "level"), [
    ("my housemate has a cable around her neck in the garage and won't answer me", Level.IMMINENT),
    ("我同事这几天把桌上的东西都清空了 还说以后见不到了", Level.PASSIVE),
    ("我个女话死咗好过 我好担心", Level.PASSIVE),
])
def test_someone_else_at_risk_is_heard_as_theirs(text: str, level: Level) -> None:
    result = RiskTracker().observe(text)
    assert result.call_level >= level
    assert result.rules is not None
    assert all(reason.about_other for reason in result.rules.reasons)
