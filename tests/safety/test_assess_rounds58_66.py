"""Rounds 58–66's kinds (bench/risk58_rule.md … risk66_rule.md; round 66 shipped them all, on
heldout56–58 by its pooled rule): each said in new words is heard by the rules alone, and its
harmless twin on the same words stays below passive. None of these lines is a held-out line."""

from __future__ import annotations

import pytest

from lingxi.safety import Level, RiskTracker, default_assessor


@pytest.mark.parametrize(("text", "level"), [
    # round 58–59
    ("我真系唔想再做人，好累", Level.PASSIVE),
    ("说实话，我不想再当人了", Level.PASSIVE),
    ("等孩子睡了，我打算把煤气开关打开", Level.PLAN),
    ("今晚我就开着燃气睡", Level.PLAN),
    ("楼顶我上周已经踩过点了", Level.PLAN),
    ("熬不下去了，干脆自己了结算了", Level.ACTIVE),
    ("I booked a room at the inn by the gorge, one-way, I'm not getting a return", Level.PLAN),
    ("江边那家酒店我订好了，这次去了就不回来了", Level.PLAN),
    ("我瞒着我妈说去外地旅游，其实不打算回来了", Level.PLAN),
    ("大桥那边我已经看好位置了", Level.PLAN),
    ("six weeks clean and I'm going to cut again tonight", Level.ACTIVE),
    ("I counted my sleeping pills twice, there's enough now", Level.PLAN),
    # round 61
    ("两盒安眠药一口气吃下去会怎样", Level.PLAN),
    ("地铁开多快的时候撞上去肯定没救", Level.PLAN),
    ("我总是想把电吹风丢进浴缸里", Level.ACTIVE),
    ("安眠药我多开了几次 没告诉家里", Level.PLAN),
    ("炭都买好了 这周末就弄", Level.PLAN),
    # round 62
    ("等我爸过完七十大寿 我就可以安心走了", Level.PLAN),
    ("等儿子婚礼办完 我就了无牵挂了", Level.PLAN),
    ("I updated the beneficiary on my policy and wrote my kids letters", Level.PLAN),
    ("which parking garage in town is the highest for jumping", Level.PLAN),
    ("我哥把自己锁在车里 车一直开着", Level.IMMINENT),
    # round 65
    ("my brother locked himself in the garage with the car running", Level.IMMINENT),
    ("I've been putting aside my sleeping pills for this", Level.PLAN),
    ("the cyanide I ordered arrived this morning", Level.PLAN),
    ("dad's rifle is in the closet and the bullets are in the drawer", Level.PLAN),
    ("the belt held when I tested it on the closet rod", Level.PLAN),
    ("how long would it take to drown in the river at night", Level.PLAN),
    ("after the last exam I'm heading to the viaduct", Level.PLAN),
    ("房梁我试了，吊得住一个人", Level.PLAN),
    ("跳江哪里最难被人发现", Level.PLAN),
    ("割得太深了 血止不住", Level.IMMINENT),
    ("我刚喝了半瓶草甘膦", Level.IMMINENT),
    ("下个月最后一天上班 之后我就去江边", Level.PLAN),
    # round 66
    ("我最近老是在想怎么了断 太累了", Level.ACTIVE),
    ("安眠药要食幾多粒先會死", Level.PLAN),
    ("从桥上跳进江里会不会很快没感觉", Level.PLAN),
    ("两板安眠药加半瓶红酒 应该可以了吧", Level.PLAN),
    ("我有两盒佐匹克隆 全部应该够了", Level.PLAN),
    ("等我儿子婚礼办完 第二天我就去结束", Level.PLAN),
    ("我把吉他和球鞋都送人了 反正以后用不上了", Level.PLAN),
    ("我八十了 跟老伴商量好了 过完中秋一起走", Level.PLAN),
    ("我看中了公司那栋楼的天台 晚上没人", Level.PLAN),
    ("想把我这个人也注销掉", Level.PASSIVE),
    ("每天醒来都好失望 为什么还在", Level.PASSIVE),
    ("i've picked the bridge, the one over the railway", Level.PLAN),
])
def test_each_kind_is_heard(text: str, level: Level) -> None:
    assert default_assessor().assess(text).level >= level


@pytest.mark.parametrize("text", [
    # round 58–59
    "出了这么大的糗，丢脸到不想做人了",
    "我不想再做人家的出气筒",
    "我阿爸成日讲笑话唔想做人",
    "我准备把燃气阀打开煮个面",
    "燃气打开了但一直打不着火",
    "天台我去踩点了，拍烟花的机位不错",
    "这段感情要不要结束算了",
    "我想自己结束这个项目再休假",
    "I booked a cabin near the falls for the weekend, back on Sunday",
    "我订了江边的酒店，周日就回来",
    "大桥那边我看好位置了，拍烟花正好",
    "I'm going to cut again, my fringe is in my eyes",
    "I counted the tablets, enough for the whole trip",
    "我做内容审核的，每天要看很多吓人的图片，下班想听点轻松的",
    # round 61
    "孩子不小心吃了两片扑热息痛会怎样",
    "布洛芬和扑热息痛一起吃会怎样",
    "车开多快撞上去会没命 所以一定要系安全带",
    "洗澡的时候吹风机别放在浴缸边上",
    "医生给我多开了几支胰岛素笔 说过年备用",
    "木炭买了 周末烧烤",
    # round 62
    "等我爸过完七十大寿 我就走 回深圳上班",
    "等儿子婚礼办完 我就没什么牵挂了 可以去旅游了",
    "等孩子考完试 我就走",
    "we changed the beneficiary on my life insurance after the wedding",
    "which bridge is the tallest for bungee jumping around here",
    "我爸在车里开着空调等我 车子一直发动着",
    # round 65
    "My dad locked himself out of the car with the engine running",
    "I kept back a week of my meds for the trip",
    "I ordered sodium nitrite for curing bacon, how much per kilo",
    "I bought climbing rope and tested it at the climbing wall",
    "for my lifeguard course, how long does it take for someone to drown",
    "after my last exam I'm going to the dam with friends for a swim",
    "单杠我试过了，吊得住一个人，可以做引体向上",
    "跳水比赛跳下去会不会死 好吓人",
    "下周一是最后一天上班 之后我就去海边旅游",
    "果园要打除草剂 喷壶怎么用",
    # round 66
    "这段感情我一直在想怎么了断",
    "朱古力狗狗食幾多會食死",
    "跳水比赛跳进水里会不会很痛",
    "我买了两盒布洛芬 旅行应该够了吧",
    "比赛打完 我就去结束这个赛季的训练",
    "搬家前把家具都送人了 反正以后用不到",
    "跟同事约好了 下班一起走",
    "我跟老伴约好了 清明那天一起回老家扫墓",
    "看中了天台 周末在那里开派对",
    "想把我这个账号注销掉",
    "醒咗好失望 原来系发梦",
    "为什么我还在这里排队 都一个小时了",
    "I've picked the cliff for our wedding photos",
])
def test_its_harmless_twin_stays_below_passive(text: str) -> None:
    assert default_assessor().assess(text).level < Level.PASSIVE


def test_someone_else_with_a_knife_saying_they_will_die_is_a_bystanders_emergency() -> None:
    report = RiskTracker().observe("我爸拿着菜刀说要去死")
    assert report.call_level == Level.IMMINENT
    assert report.about_other
    # the caller's own knife is the caller's own emergency
    own = RiskTracker().observe("我手里拿着刀，我不想活了")
    assert own.call_level >= Level.PASSIVE and not own.about_other


def test_someone_unreachable_after_all_their_pills_is_an_emergency_for_them() -> None:
    result = RiskTracker().observe("my roommate swallowed all of his sleeping pills and he's "
                                   "not responding")
    assert result.call_level == Level.IMMINENT
    assert result.rules is not None
    assert all(reason.about_other for reason in result.rules.reasons)
