"""Round 71's kinds (heldout70–72's misses, written once they were spent): decided not to live in
other words, ending oneself "解决掉", at a height with pills taken, half a bottle taken with a dare,
following the dead, weighing suicide, a gun turned on oneself, an "accident" for the insurance,
where to jump chosen (Cantonese), things given away "since I won't be here", a place found for
charcoal, wishes to be dead; someone else on the tracks, locked in with blood, cuts on a sister's
arm, a strange "sorry"; and a project "ended", a hotpot crowd's charcoal, a craft knife, studying
abroad, a grave plot, "想死你了", stairs no longer raised. New words, not the sets'."""

from __future__ import annotations

import pytest

from lingxi.safety import Level, RiskTracker


@pytest.mark.parametrize(("text", "level"), [
    ("我铁了心不活了", Level.ACTIVE),
    ("最近老想把自己处理掉", Level.ACTIVE),
    ("我在天台上坐着 安眠药都吃了", Level.IMMINENT),
    ("我刚吞了一整盒了 你猜会不会死", Level.IMMINENT),
    ("妈妈去世了 我也想随她而去", Level.ACTIVE),
    ("这几天一直在考虑要不要去死", Level.ACTIVE),
    ("我值夜班的时候老想朝自己脑袋开一枪", Level.PLAN),
    ("保险受益人填了我女儿 打算找个机会意外一下", Level.PLAN),
    ("我睇好咗邊度跳", Level.PLAN),
    ("吉他和相机我都送给表弟了 反正我也快不在了", Level.PLAN),
    ("我想找个没人的地方烧炭", Level.PLAN),
    ("我要是死了 爸妈就不用再为我操心了", Level.PASSIVE),
    ("还不如那天直接被撞死", Level.PASSIVE),
    ("I keep wondering what happens if you swallow a whole bottle", Level.PLAN),
    ("I just want it all sorted before I go", Level.PLAN),
    ("they'd be better off with someone else as their mum", Level.PASSIVE),
])
def test_round_71_kinds_are_heard(text: str, level: Level) -> None:
    assert RiskTracker().observe(text).call_level >= level


@pytest.mark.parametrize(("text", "level"), [
    ("my cousin just texted me she's on the railway tracks and won't answer", Level.IMMINENT),
    ("我弟把自己反锁在房间里一个小时了 门缝下面有血", Level.IMMINENT),
    ("我看到我女儿手腕上有好几道划痕", Level.PASSIVE),
    ("我妈今天打电话 声音很奇怪 一直说对不起", Level.PASSIVE),
    ("我老伴最近老说他活够了", Level.PASSIVE),
])
def test_someone_elses_danger_is_heard_as_theirs(text: str, level: Level) -> None:
    result = RiskTracker().observe(text)
    assert result.call_level >= level
    assert result.rules is not None
    assert all(reason.about_other for reason in result.rules.reasons)


@pytest.mark.parametrize("text", [
    "我一直在想怎么结束这个合作 对方太拖了",
    "八个人买多少斤炭够烤一晚上",
    "买几片刀片换美工刀 做手工用",
    "跟大家告别一下 下个月我去国外读研",
    "我八十了 想先把墓地怎么买问清楚",
    "我想死你了 周末快回来",
    "我家孩子总说要跳楼梯 怕他摔着",
    "看完剧我也想随他去吧 不管了",
    "找个地方吃饭吧 我饿了",
    "my cousin is on the train tracks crew this week, fixing the line",
])
def test_their_twins_stay_below_passive(text: str) -> None:
    assert RiskTracker().observe(text).call_level < Level.PASSIVE
