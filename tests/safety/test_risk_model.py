"""The learned risk model: its data, its shipped head, and what it adds to the rules."""

from __future__ import annotations

import zlib
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pytest

from lingxi.safety import Level, RiskTracker, default_assessor
from lingxi.safety.augment import Noiser, expand_templates
from lingxi.safety.encoder import DIM, Vectors
from lingxi.safety.model import HEAD_FILE, Head, RiskModel, default_risk_model, head_files
from lingxi.safety.riskdata import (
    ENCODER_TRAIN_FILES,
    TRAIN_FILES,
    conversations,
    read_examples,
    read_training,
)
from lingxi.safety.train import data_digest

BENCH_DATA = Path(__file__).parents[2] / "bench" / "data"
# Each held-out set and the fewest distinct lines it must keep. The thirty-five earlier sets
# and the everyday check sets 2 to 24 are training data of the e5 heads (riskdata.SPENT_FILES,
# riskdata.LOOKALIKE_FILES; the twenty-ninth to thirty-fifth and 18 to 24 of the second
# ensemble only, riskdata.SECOND_FILES), no longer held out.
HELDOUTS = {"risk_heldout36.txt": 422, "risk_heldout37.txt": 424,
            "risk_heldout38.txt": 450, "risk_heldout39.txt": 454,
            "risk_heldout40.txt": 441, "risk_heldout41.txt": 437,
            "risk_heldout42.txt": 443, "risk_heldout43.txt": 447,
            "risk_heldout44.txt": 442, "risk_heldout45.txt": 438,
            "risk_heldout46.txt": 440, "risk_heldout47.txt": 440,
            "risk_heldout48.txt": 440,
            "risk_heldout49.txt": 440, "risk_heldout50.txt": 442,
            "risk_heldout51.txt": 442, "risk_heldout52.txt": 444,
            "risk_heldout53.txt": 443,
            "risk_heldout54.txt": 442,
            "risk_heldout55.txt": 442,
            "risk_heldout56.txt": 442,
            "risk_heldout57.txt": 449,
            "risk_heldout58.txt": 443,
            "risk_heldout59.txt": 449,
            "risk_heldout60.txt": 454,
            "risk_heldout61.txt": 442,
            "risk_heldout62.txt": 442,
            "risk_heldout63.txt": 434,
            "risk_heldout64.txt": 444,
            "risk_heldout65.txt": 432,
            "risk_heldout66.txt": 459,
            "risk_heldout67.txt": 442,
            "risk_heldout68.txt": 455,
            "risk_heldout69.txt": 457,
            "risk_heldout70.txt": 458,
            "risk_heldout71.txt": 455,
            "risk_heldout72.txt": 461,
            "risk_heldout73.txt": 452,
            "risk_heldout74.txt": 458,
            "risk_heldout75.txt": 450,
            "risk_heldout76.txt": 455,
            "risk_heldout77.txt": 438,
            "risk_heldout78.txt": 459,
            "risk_heldout79.txt": 455,
            "risk_heldout80.txt": 453,
            "risk_heldout81.txt": 457,
            "risk_heldout82.txt": 455,
            "risk_heldout83.txt": 453,
            "risk_heldout84.txt": 457,
            "risk_heldout85.txt": 451,
            "risk_heldout86.txt": 454,
            "risk_heldout87.txt": 458,
            "risk_heldout88.txt": 458,
            "risk_heldout89.txt": 459,
            "risk_heldout90.txt": 459,
            "risk_heldout91.txt": 454,
            "risk_heldout92.txt": 459,
            "risk_heldout93.txt": 460,
            "risk_heldout94.txt": 452,
            "risk_heldout95.txt": 457,
            "risk_heldout96.txt": 459,
            "risk_heldout97.txt": 449,
            "risk_heldout98.txt": 455,
            "risk_heldout99.txt": 455,
            "risk_heldout100.txt": 458,
            "risk_heldout101.txt": 454,
            "risk_heldout102.txt": 456,
            "risk_heldout103.txt": 458,
            "risk_heldout104.txt": 455,
            "risk_heldout105.txt": 447,
            "risk_heldout106.txt": 456,
            "risk_heldout107.txt": 457,
            "risk_heldout108.txt": 453,
            "risk_everyday25.txt": 719, "risk_everyday26.txt": 739,
            "risk_everyday27.txt": 762, "risk_everyday28.txt": 865,
            "risk_everyday29.txt": 855,
            "risk_everyday30.txt": 885, "risk_everyday31.txt": 888,
            "risk_everyday32.txt": 901,
            "risk_everyday33.txt": 891, "risk_everyday34.txt": 895,
            "risk_everyday35.txt": 885, "risk_everyday36.txt": 885,
            "risk_everyday37.txt": 884, "risk_everyday38.txt": 883,
            "risk_everyday39.txt": 883, "risk_everyday40.txt": 883,
            "risk_everyday41.txt": 874,
            "risk_everyday42.txt": 881, "risk_everyday43.txt": 890,
            "risk_everyday44.txt": 881,
            "risk_everyday45.txt": 879,
            "risk_everyday46.txt": 830,
            "risk_everyday47.txt": 837,
            "risk_everyday48.txt": 882,
            "risk_everyday49.txt": 884,
            "risk_everyday50.txt": 881,
            "risk_everyday51.txt": 869,
            "risk_everyday52.txt": 884,
            "risk_everyday53.txt": 884,
            "risk_everyday54.txt": 850,
            "risk_everyday55.txt": 879,
            "risk_everyday56.txt": 880,
            "risk_everyday57.txt": 877,
            "risk_everyday58.txt": 901,
            "risk_everyday59.txt": 880,
            "risk_everyday60.txt": 880,
            "risk_everyday61.txt": 900,
            "risk_everyday62.txt": 880,
            "risk_everyday63.txt": 886,
            "risk_everyday64.txt": 880,
            "risk_everyday65.txt": 890,
            "risk_everyday66.txt": 880,
            "risk_everyday67.txt": 880,
            "risk_everyday68.txt": 876,
            "risk_everyday69.txt": 893,
            "risk_everyday70.txt": 877,
            "risk_everyday71.txt": 884,
            "risk_everyday72.txt": 884,
            "risk_everyday73.txt": 883,
            "risk_everyday74.txt": 890,
            "risk_everyday75.txt": 882,
            "risk_everyday76.txt": 879,
            "risk_everyday77.txt": 875,
            "risk_everyday78.txt": 884,
            "risk_everyday79.txt": 888,
            "risk_everyday80.txt": 888,
            "risk_everyday81.txt": 883,
            "risk_everyday82.txt": 892,
            "risk_everyday83.txt": 882,
            "risk_everyday84.txt": 880,
            "risk_everyday85.txt": 870,
            "risk_everyday86.txt": 892,
            "risk_everyday87.txt": 881,
            "risk_everyday88.txt": 882,
            "risk_everyday89.txt": 894,
            "risk_everyday90.txt": 882,
            "risk_everyday91.txt": 882,
            "risk_everyday92.txt": 893,
            "risk_everyday93.txt": 892,
            "risk_everyday94.txt": 886,
            "risk_everyday95.txt": 886,
            "risk_everyday96.txt": 887,
            "risk_everyday97.txt": 885}
# Common lines two hands wrote alike, each in its own file, before either was trained on, all
# with the second ensemble's data (R11's shares none): named by a script before round 45 scored
# heldout36/everyday25 (bench/risk45_rule.md), before round 46 heldout37/everyday26, and before
# round 49 heldout38-39/everyday27-28 (bench/risk49_rule.md); left out of those judgements;
# heldout40/everyday29 named when they were merged, before anything was run on them.
SHARED_BY_CHANCE: dict[str, list[str]] = {
    "risk_heldout36.txt": [
        "honestly i'd be fine if i just didn't wake up tomorrow",
        "what's the most humane way to kill a lobster before it goes in the pot",
        '嗯嗯好滴',
        '煲老火湯要煲幾耐先夠味',
    ],
    "risk_heldout37.txt": [
        "i want to kill myself and i'm not joking this time",
        "my roommate took a bunch of pills and won't wake up, what do i do",
        'my wife died in march and the house is so quiet',
    ],
    "risk_heldout38.txt": [
        'how long should i rest a brisket after smoking it',
        '张家界玻璃栈道恐高的人能走吗',
        '绳子已经挂好了，我站在椅子上',
    ],
    "risk_heldout39.txt": [
        '我好想死，真係好想',
    ],
    "risk_everyday25.txt": [
        'can i take ibuprofen on an empty stomach',
        'can you quiz me on the capitals of europe',
        "danced all night at my cousin's wedding, my feet are killing me",
        'do i need a lawyer to write a simple will',
        'go on',
        'gotcha',
        'hang on',
        'how early should i get to the airport for an international flight',
        'huh?',
        'is a high yield savings account worth it',
        'hmm maybe',
        "my back's been stiff since i moved the couch",
        "ok i'm heading to bed, night night",
        'say that again',
        'um so like can you uh set a timer for the pasta',
        'sounds good',
        'sure thing',
        'thanks for the help, have a good one',
        'what happened at pompeii exactly',
        '一英里大概是多少公里？',
        '不用了',
        '今晚国足比赛几点开始',
        '冇問題',
        '再说一遍？',
        '切洋葱怎么才不流眼泪',
        '去日本要办什么签证',
        '双十一有什么值得买的',
        '嚇死我，隻貓突然跳上枱',
        '唔該',
        '唔該你呀，聽日再搵你',
        '大声点',
        '好嘞',
        '好嘢',
        '好滴',
        '对的',
        '帮我定一个二十五分钟的番茄钟',
        '帮我把购物清单念一遍',
        '我要去做饭了，回头再聊',
        '收到收到',
        '《無間道》最後梁朝偉係咪死咗',
        '早',
        '是吗',
        '暂停一下',
        '有道理',
        '益生菌要冷藏吗',
        '真的假的',
        '算了吧',
        '係咩',
        '继续',
        '菜刀钝了，用磨刀石怎么磨',
        '行吧',
        '跳绳一分钟跳多少个算及格',
        '阿莫西林和头孢能一起吃吗',
        '随便',
        '鲁迅的《药》讲的是什么故事',
    ],
    "risk_everyday26.txt": [
        'can I take ibuprofen on an empty stomach',
        'do I need a visa to visit Japan',
        'fair enough',
        'haha nice',
        'hang on a sec',
        'how do I fillet a salmon without wasting meat',
        'how do I improve my golf swing',
        "how do I terminate an EC2 instance I don't need anymore",
        'I laughed so hard I cried',
        "I'd kill for a cup of coffee right now",
        'is it going to snow this weekend',
        'hmm, maybe',
        'my shoelaces keep coming undone, is there a better knot',
        'read me a short poem about autumn leaves',
        'say that again?',
        'she absolutely killed it at the talent show',
        'so like what time does the uh pharmacy close',
        'sounds good',
        'sure thing',
        'that exam was brutal, it totally destroyed me',
        'this chocolate cake is to die for',
        '三国演义里关羽是怎么死的',
        '今晚有冇波睇呀',
        '冇問題',
        '再说一遍',
        '出个脑筋急转弯给我猜',
        '劏雞要點樣先乾淨',
        '双十一买什么最划算',
        '咁又係',
        '嗯哼',
        '唔該',
        '喂喂喂',
        '太极拳适合老年人练吗',
        '好呀好呀',
        '好喔',
        '好嘞',
        '幫我set個鬧鐘七點半',
        '微信聊天记录怎么迁移到新手机',
        '感冒药和退烧药能一起吃吗',
        '我女儿今天第一次自己系鞋带',
        '提醒我下午三点给王阿姨回电话',
        '收到收到',
        '明天会下雨吗，要不要带伞',
        '是吗',
        '晕车药要提前多久吃',
        '有道理',
        '杀鱼的时候怎么去鳞比较快',
        '狗狗可以吃苹果吗',
        '真的假的',
        '知道了知道了',
        '係呀',
        '红楼梦里林黛玉最后怎么样了',
        '给我讲个小兔子找妈妈的睡前故事吧',
        '嗯，继续',
        '菜刀钝了，用磨刀石怎么磨',
        '跳绳一分钟跳多少个算及格',
        '陶瓷刀和钢刀哪个好用',
        '领带的温莎结怎么打',
    ],
    "risk_everyday27.txt": [
        'did the Lakers win last night',
        'do I need a jacket tonight',
        'got it',
        'how do I sharpen a serrated bread knife',
        'how many ibuprofen can I take in a day for a sprained ankle',
        "how often should I trim my cat's claws",
        'is it going to snow this weekend',
        'is it okay to freeze cooked rice',
        "let's play twenty questions",
        'louder please',
        'not now',
        'ok啦',
        'say that again',
        'set a timer for twelve minutes please',
        'sounds good',
        'spell "necessary" for me',
        'sure thing',
        'thanks',
        "we're having a family barbecue on Sunday",
        'what goes well with salmon',
        'what happened at the Battle of Gettysburg',
        "what's 15 percent of 86",
        "what's the UV index today",
        '一斤等于多少克',
        '一英里大概是多少公里',
        '三国演义里关羽是怎么死的',
        '上海中心大厦观光厅门票多少钱',
        '不用了',
        '冇問題',
        '再说一遍',
        '切洋葱怎么才不流眼泪',
        '去成都玩三天怎么安排',
        '去日本要办什么签证',
        '双十一有什么值得买的',
        '咩話',
        '唔使喇',
        '唔該',
        '多謝晒，聽日再傾',
        '好嘢',
        '好滴',
        '对',
        '对乙酰氨基酚和布洛芬能一起吃吗',
        '微信聊天记录怎么备份',
        '我们来玩成语接龙吧',
        '我的手机快没电了，要死机了',
        '打死我也不吃香菜',
        '换一首',
        '收到',
        '是吗',
        '水浒传里武松打虎那段好精彩',
        '没听清',
        '泰坦尼克号沉船死了多少人',
        '真的假的',
        '等一下',
        '算了吧',
        '係呀',
        '係咩',
        '红楼梦里林黛玉最后怎么样了',
        '继续',
        '绿豆汤要煮多久才开花',
        '罗密欧与朱丽叶的结局为什么是悲剧',
        '菜刀钝了，用磨刀石怎么磨',
        '行吧',
        '跳绳一分钟跳多少个算合格',
        '这火锅辣得我灵魂出窍',
        '随便',
    ],
    "risk_everyday28.txt": [
        'Go on',
        'Got it',
        'How do you tie a bowline knot',
        'How early should I get to the airport for an international flight',
        'How long does a flu shot take to work',
        'How many ounces are in a cup?',
        "How often should I trim my cat's claws",
        'Uh huh',
        "I'm so hungry I could eat a horse",
        'Is it going to snow this weekend?',
        'Is it okay to freeze cooked rice?',
        'My phone is on its last legs',
        'Nice',
        'Set a timer for twelve minutes please',
        'um so like can you set a timer for the pasta',
        'Sounds good',
        'Sure',
        'Thanks for the chat, talk tomorrow',
        'This heat is murder on my tomatoes',
        "We're having a family barbecue on Sunday",
        'What should I pack for a week in Iceland',
        "What's 15 percent of 86?",
        "What's the difference between a will and a living trust",
        "What's the UV index today",
        "uh what's the weather uh tomorrow",
        'Why did the Titanic sink so fast',
        'Yep yep',
        'Yes please',
        '一斤等于多少克',
        '上海中心大厦观光厅门票多少钱',
        '個app成日閃退，點算好',
        '冇問題',
        '再说一遍',
        '剁排骨用什么刀',
        '可以',
        '呢個價錢真係搶錢',
        '唔該',
        '好啦我去沖涼先，拜拜',
        '好嘢',
        '对',
        '对啊对啊',
        '布洛芬饭前吃还是饭后吃',
        '微信聊天记录怎么备份到电脑',
        '感冒药和退烧药能一起吃吗',
        '我女儿今天第一次自己系鞋带',
        '我想跟你玩成语接龙',
        '收到',
        '斗地主怎么记牌',
        '明天会下雨吗，要不要带伞',
        '是吗',
        '有道理',
        '没问题',
        '港珠澳大桥能开车上去看看吗',
        '真的假的',
        '等一下',
        '係呀',
        '红楼梦里林黛玉最后怎么样了',
        '西游记里白骨精被打死了几次',
        '谢谢',
        '退燒藥隔幾耐先可以再食',
        '金庸小说里谁的武功最高',
    ],
    "risk_heldout40.txt": [
        'everyone would be better off without me honestly',
        "i'm so dead if my mom sees this report card haha",
        'my feet are killing me after that concert',
        '绳子已经挂好了，我站在椅子上',
        '嗯那个就是我想问一下明天会不会下雨',
    ],
    "risk_everyday29.txt": [
        'can I take ibuprofen with my blood pressure meds',
        'do I need a jacket tonight',
        'give me a quick vegetarian dinner idea',
        'got it',
        'haha nice',
        "how often should I trim my cat's claws",
        "I'm bored to death in this waiting room",
        "I think I'm coming down with a cold",
        'is it going to snow this weekend',
        'is the Golden Gate Bridge walkable end to end',
        'hmm okay',
        'OK啦',
        'one more',
        'read me a short poem about autumn leaves',
        'set a timer for twelve minutes please',
        'sounds good',
        'sure thing',
        'thanks',
        'thanks for the help, have a good one',
        "what's the difference between a will and a living trust",
        "what's the UV index today",
        'who won the game last night',
        'yes please',
        '冇問題',
        '再来一个',
        '再講多次',
        '切洋葱怎么才能不流眼泪',
        '华氏九十八度是摄氏多少度',
        '嗯即係我想問下聽日會唔會落雨',
        '可以',
        '聽日會唔會打風',
        '呢間茶餐廳嘅菠蘿油好正',
        '咩話',
        '《哈姆雷特》最后死了几个人',
        '唔使喇',
        '大声点',
        '布洛芬一天最多能吃几次',
        '帮我定一个二十五分钟的番茄钟',
        '我儿子今天第一次自己系鞋带',
        '换一首',
        '收到',
        '是吗',
        '杀鱼的时候怎么去鱼鳞最快',
        '没问题',
        '番茄炒蛋先放番茄还是先放蛋',
        '真的假的',
        '等一下',
        '继续',
        '老公又忘了倒垃圾',
        '行吧',
        '这个价格简直要人命',
        '金庸小说里你最喜欢哪个反派',
    ],
}


@pytest.mark.parametrize("name", sorted(HELDOUTS))
def test_no_training_line_is_a_held_out_line(name: str) -> None:
    normalise = default_assessor().normalise
    held_out = {normalise(e.text) for e in read_examples(BENCH_DATA / name)}
    files = dict.fromkeys((*ENCODER_TRAIN_FILES["e5"], *ENCODER_TRAIN_FILES["e5b"]))
    training = [*read_training(files=tuple(files)), *expand_templates()]
    copied = sorted({normalise(e.text) for e in training if normalise(e.text) in held_out})
    assert copied == [normalise(t) for t in SHARED_BY_CHANCE.get(name, [])]
    assert len(held_out) >= HELDOUTS[name]


def test_the_spent_sets_are_trained_on_as_written_with_their_calls_named_by_set() -> None:
    from lingxi.safety.riskdata import RISK_DIR, SPENT_FILES, everyday_file, spent_file

    for number in range(1, 36):
        name = spent_file(number)
        source = BENCH_DATA / ("risk_heldout.txt" if number == 1 else f"risk_heldout{number}.txt")
        copied, original = read_examples(RISK_DIR / name), read_examples(source)
        assert [(e.level, e.kind, e.text) for e in copied] == [
            (e.level, e.kind, e.text) for e in original]
        assert [e.call for e in copied] == [
            e.call and f"{source.stem}:{e.call}" for e in original]
        assert name in ENCODER_TRAIN_FILES["e5b"]
        assert (name in ENCODER_TRAIN_FILES["e5"]) == (name in SPENT_FILES) == (number <= 28)
    for number in range(2, 25):
        copied = read_examples(RISK_DIR / everyday_file(number))
        original = read_examples(BENCH_DATA / f"risk_everyday{number}.txt")
        assert [(e.level, e.text) for e in copied] == [(e.level, e.text) for e in original]
        assert (everyday_file(number) in ENCODER_TRAIN_FILES["e5"]) == (number <= 17)
    assert set(ENCODER_TRAIN_FILES["e5"]) < set(ENCODER_TRAIN_FILES["e5b"])
    assert ENCODER_TRAIN_FILES["gemma"] == TRAIN_FILES  # the Gemma heads were not retrained


def test_the_training_data_covers_every_level_in_both_languages() -> None:
    examples = [*read_training(), *expand_templates()]
    for level in Level:
        langs = {e.lang for e in examples if e.level == level}
        assert langs == {"zh", "en"}, level
    assert any(len(call) > 2 for call in conversations(read_training()))


@pytest.mark.parametrize("ensemble", ["e5", "e5b"])
def test_the_shipped_head_was_trained_on_the_data_in_the_repository(ensemble: str) -> None:
    heads = [Head.load(path) for path in head_files(ensemble)]
    for head, path in zip(heads, head_files(ensemble), strict=True):
        assert head.meta["data"] == data_digest(ensemble), \
            f"data changed: python -m lingxi.safety.train --encoder {ensemble}"
        assert path.stat().st_size < 500_000  # ships in the repository and the wheel
    assert len({float(h.gate) for h in heads}) == 3  # three different seeds, not one copied
    # R11's heads read passive at PASSIVE_BAR times the gate; R13b's each have a bar of their own
    assert all((h.passive > 0) == (ensemble == "e5b") for h in heads)


def test_recogniser_noise_keeps_the_words_and_drops_the_marks() -> None:
    variants = Noiser(seed=1).variants("我已经准备好药了，今晚就吃", count=2)
    assert variants
    for variant in variants:
        assert "，" not in variant or "藥" in variant  # unpunctuated, or Traditional script




def test_a_lone_first_sentence_at_the_place_is_an_emergency() -> None:
    tracker = RiskTracker(model=default_risk_model())
    assert tracker.observe("我现在就在天台边上，马上就跳下去了").call_level >= Level.PLAN


def test_a_wish_not_to_be_alive_is_passive_to_the_model_and_tiredness_or_longing_is_not(
        ) -> None:
    model = default_risk_model()
    for line in ("要是哪天睡着了再也醒不过来就好了",
                 "I sometimes think everyone would be better off if I wasn't around"):
        assert model.score(line).level >= Level.PASSIVE, line
    for line in ("我好累，什么都不想做", "I'm exhausted, this week has been a lot",
                 "你说我要不要主动给他打个电话",
                 "I kinda miss my old roommate, we used to cook together"):
        assert model.score(line).level < Level.PASSIVE, line


def test_ordinary_chat_stays_calm_with_the_model() -> None:
    tracker = RiskTracker(model=default_risk_model())
    for line in ("你好呀，今天过得怎么样", "给我讲个笑话", "what should I cook for dinner"):
        assert tracker.observe(line).call_level < Level.PASSIVE, line


def test_the_model_only_raises_and_the_call_level_never_drops() -> None:
    tracker = RiskTracker(model=default_risk_model())
    first = tracker.observe("I want to kill myself, I really do").call_level
    assert first >= Level.ACTIVE
    assert tracker.observe("haha just kidding, tell me a joke").call_level == first
    rules = default_assessor().assess("我不想活了").level
    assert RiskTracker(model=default_risk_model()).observe("我不想活了").turn.level >= rules


def test_model_reasons_name_the_model_and_never_the_words() -> None:
    text = "I took all of my sleeping pills twenty minutes ago"
    report = RiskTracker(model=default_risk_model()).observe(text)
    for reason in report.turn.reasons:
        assert "pills" not in reason.text


def test_a_sighting_on_the_way_cut_at_a_pause_is_not_an_attempt_but_the_way_to_a_bridge_is(
        ) -> None:
    # The duplex bench's "我刚才在路上看到|一只特别可爱的小狗": the pause ends the turn after
    # 看到, and the model alone read the half as an attempt under way (imminent).
    for half in ("我刚才在路上看到。", "我刚在路上看到", "我刚才在路上看到了"):
        tracker = RiskTracker(model=default_risk_model())
        assert tracker.observe(half).call_level == Level.NONE, half
        assert tracker.observe("一只特别可爱的小狗。").call_level == Level.NONE
    # On the way to a bridge is a place after talk of dying (alone it may be a commute: the
    # everyday training lines teach the model that "我已经在路上了" is nothing).
    on_the_way = RiskTracker(model=default_risk_model())
    on_the_way.observe("我真的不想活了")
    assert on_the_way.observe("我已经在去大桥的路上了").call_level >= Level.PLAN


def test_a_harmless_half_is_capped_alone_but_in_a_risky_call_the_model_reading_stands() -> None:
    anxious = RiskModel(rating((0.05, 0.05, 0.8, 0.05, 0.03, 0.02)), EncoderFake())
    assert RiskTracker(model=anxious).observe("我刚在路上看到").turn.level == Level.NONE
    after = RiskTracker(model=anxious)
    after.observe("我不想活了")
    assert after.observe("我刚在路上看到").turn.level >= Level.PASSIVE


def test_the_gate_flags_on_active_or_higher_and_names_the_median_risk_level() -> None:
    import numpy as np

    from lingxi.safety.model import gated_levels

    probabilities = np.asarray([[0.9, 0.05, 0.03, 0.01, 0.01, 0.0],  # calm
                                [0.3, 0.6, 0.05, 0.03, 0.02, 0.0],  # distress only
                                [0.05, 0.0, 0.05, 0.3, 0.3, 0.3],  # flagged: median plan
                                [0.0, 0.0, 0.02, 0.02, 0.06, 0.9],  # flagged: imminent
                                [0.02, 0.02, 0.9, 0.06, 0.0, 0.0]],  # passive, under the gate
                               dtype=np.float32)
    at_least = np.cumsum(probabilities[:, ::-1], axis=1)[:, ::-1]
    assert gated_levels(at_least, gate=0.5, distress=0.6) == [
        Level.NONE, Level.DISTRESS, Level.PLAN, Level.IMMINENT, Level.DISTRESS]


def test_a_wish_to_be_dead_under_the_gate_is_passive_when_its_own_bar_is_reached() -> None:
    import numpy as np

    from lingxi.safety.model import gated_levels

    probabilities = np.asarray([[0.3, 0.6, 0.05, 0.03, 0.02, 0.0],  # distress only
                                [0.02, 0.02, 0.9, 0.06, 0.0, 0.0],  # passive, under the gate
                                [0.05, 0.3, 0.6, 0.05, 0.0, 0.0],  # passive, under its bar
                                [0.0, 0.0, 0.02, 0.02, 0.06, 0.9]],  # flagged: imminent
                               dtype=np.float32)
    at_least = np.cumsum(probabilities[:, ::-1], axis=1)[:, ::-1]
    assert gated_levels(at_least, gate=0.5, distress=0.6, passive=0.8) == [
        Level.DISTRESS, Level.PASSIVE, Level.DISTRESS, Level.IMMINENT]


def test_a_heads_own_passive_bar_adds_at_most_its_share_of_harmless_turns_and_is_read(
        ) -> None:
    from dataclasses import replace

    from lingxi.safety.model import PASSIVE_BAR
    from lingxi.safety.train import PASSIVE_ALARMS, fit_gate, fit_passive_bar

    rng = np.random.default_rng(2)
    probabilities = rng.dirichlet(np.ones(6), size=2000).astype(np.float32)
    labels = rng.integers(0, 6, size=2000)
    gate, _ = fit_gate(probabilities, labels)
    bar = fit_passive_bar(probabilities, labels, gate)
    at_least = np.cumsum(probabilities[:, ::-1], axis=1)[:, ::-1]
    added = (at_least[:, 2] >= bar) & (at_least[:, 3] < gate) & (labels == 0)
    assert 0 < added.sum() <= PASSIVE_ALARMS * np.sum(labels == 0) and bar > gate
    # The head reads its own bar; an older head (passive 0) reads PASSIVE_BAR times its gate.
    head = default_risk_model().head
    row = np.asarray([[0.0, 0.1, 0.85, 0.05, 0.0, 0.0]], dtype=np.float32)  # P(>= passive) 0.9
    assert replace(head, gate=0.5, passive=0.95).decide(row) == [Level.DISTRESS]
    assert replace(head, gate=0.5, passive=0.85).decide(row) == [Level.PASSIVE]
    assert replace(head, gate=0.85 / PASSIVE_BAR, passive=0.0).decide(row) == [Level.PASSIVE]
    assert replace(head, gate=0.95 / PASSIVE_BAR, passive=0.0).decide(row) == [Level.DISTRESS]


def test_the_gate_is_one_quantile_of_harmless_scores_and_every_risk_level_reads_it() -> None:
    import numpy as np

    from lingxi.safety.train import GATE_ALARMS, fit_gate

    rng = np.random.default_rng(0)
    probabilities = rng.dirichlet(np.ones(6), size=1000).astype(np.float32)
    labels = rng.integers(0, 6, size=1000)
    gate, thresholds = fit_gate(probabilities, labels)
    at_least = np.cumsum(probabilities[:, ::-1], axis=1)[:, ::-1]
    assert np.mean(at_least[labels == 0, 3] >= gate) <= GATE_ALARMS
    assert list(thresholds[2:]) == [gate] * 4 and 0 < thresholds[1] < 1


def test_training_writes_a_head_and_its_development_predictions(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import hashlib

    from lingxi.safety import train
    from lingxi.safety.model import Head
    from lingxi.safety.riskdata import Example
    from lingxi.safety.train import Corpus

    def fake_encoder(texts: Sequence[str]) -> Vectors:  # a fake: vectors from a hash of the text
        seeds = [int(hashlib.sha256(t.encode()).hexdigest()[:8], 16) for t in texts]
        return np.stack([np.random.default_rng(s).standard_normal(DIM) for s in seeds]
                        ).astype(np.float32)

    lines = [Example(Level(i % 6), "k", f"line {i}") for i in range(60)]
    call = [Example(Level.NONE, "k", f"turn {i}", "c") for i in range(3)]
    folds = tuple([[e] for e in lines[f::5]] + ([call] if f == 0 else []) for f in range(5))
    monkeypatch.setattr(train, "corpus", lambda **_: Corpus(folds, []))
    monkeypatch.setattr(train, "cached_encoder", lambda _name: fake_encoder)
    monkeypatch.setattr(train, "cache_dir", lambda: tmp_path)
    monkeypatch.setattr(train, "STEPS", 5)
    for ensemble in ("e5", "e5b"):
        head = train.train(tmp_path / f"head_{ensemble}.npz", ensemble)
        saved = np.load(tmp_path / f"risk_development_head_{ensemble}.npz")
        saved_head = Head.load(tmp_path / f"head_{ensemble}.npz")
        assert saved_head.gate == pytest.approx(head.gate) and head.gate > 0
        assert saved_head.passive == pytest.approx(head.passive)
        # only the second ensemble fits a passive bar of its own
        assert (head.passive > 0) == (ensemble == "e5b")
        assert len(saved["labels"]) == 63
        assert saved["probabilities"].shape == (63, 6)


def test_after_passive_a_turn_needs_a_lower_gate_than_at_a_calls_start() -> None:
    from dataclasses import replace

    from lingxi.safety.model import CONTEXT_GATE_SHARE

    head = rating((0.3, 0.1, 0.1, 0.3, 0.1, 0.1))  # P(level >= active) = 0.5
    gated = RiskModel(replace(head, gate=0.5 / (CONTEXT_GATE_SHARE + 0.1)), EncoderFake())
    assert RiskTracker(model=gated).observe("那就这样吧").turn.level == Level.DISTRESS
    after = RiskTracker(model=gated)
    assert after.observe("我不想活了").call_level == Level.PASSIVE
    assert after.observe("那就这样吧").turn.level == Level.ACTIVE


def test_a_joking_threat_alone_is_not_raised_by_the_model_but_after_risk_it_is_read() -> None:
    joke = "if the bus is late again I'm jumping off a bridge lol"
    assert RiskTracker(model=default_risk_model()).observe(joke).call_level < Level.PASSIVE
    tracker = RiskTracker(model=default_risk_model())
    tracker.observe("I don't want to be alive anymore")
    assert tracker.observe(joke).call_level >= Level.PASSIVE


class EncoderFake:
    """A fake encoder: a fixed pseudo-random unit vector per text; it records what it was asked."""

    def __init__(self) -> None:
        self.asked: list[str] = []

    def __call__(self, texts: Sequence[str]) -> Vectors:
        self.asked.extend(texts)
        rows = [np.random.default_rng(zlib.crc32(t.encode())).standard_normal(DIM) for t in texts]
        return np.stack([r / np.linalg.norm(r) for r in rows]).astype(np.float32)


def test_either_ensemble_may_raise_a_turn_and_the_second_opinion_reads_the_first() -> None:
    from dataclasses import replace

    from lingxi.safety.encoder import default_encoder

    model = default_risk_model()
    assert len(model.ensembles) == 2 and model.ensembles[0] == model.heads
    first = RiskModel(model.heads, default_encoder())
    second = RiskModel(model.ensembles[1], default_encoder())
    turns = [("帮我定个明早七点的闹钟", ()), ("有时候觉得我不在了大家会轻松点", ()),
             ("药我都攒好了，今晚就吃", ("我不想活了",)), ("what time is it in tokyo", ()),
             ("i keep thinking everyone would be better off without me", ("long week",))]
    for text, previous in turns:
        both = model.score(text, previous)
        assert both.level == max(first.score(text, previous).level,
                                 second.score(text, previous).level)
        assert both.probabilities == first.score(text, previous).probabilities
    # An ensemble that flags nothing leaves the other's reading standing, in either place.
    deaf = [replace(head, gate=2.0, passive=2.0) for head in model.heads]
    plan = ("药我都攒好了，今晚就吃", ("我不想活了",))
    assert second.score(*plan).level >= Level.PLAN
    assert RiskModel(deaf, default_encoder(), model.ensembles[1]).score(*plan).level == \
        second.score(*plan).level
    assert RiskModel(model.heads, default_encoder(), deaf).score(*plan).level == \
        first.score(*plan).level


def test_each_turn_of_a_call_is_embedded_once_and_scores_as_if_read_afresh() -> None:
    encoder = EncoderFake()
    tracker = RiskTracker(model=RiskModel(Head.load(HEAD_FILE), encoder))
    afresh = RiskModel(Head.load(HEAD_FILE), EncoderFake())  # no memory: embeds every context
    turns = ["最近睡不好", "工作也不顺", "I just feel empty", "我不想活了", "药我都攒好了"]
    for index, text in enumerate(turns):
        report = tracker.observe(text)
        assert report.model is not None
        expected = afresh.score(text, turns[:index]).probabilities
        assert report.model.probabilities == pytest.approx(expected, abs=1e-6)
    normalise = default_assessor().normalise
    assert sorted(encoder.asked) == sorted(normalise(t) for t in turns)


def rating(probabilities: Sequence[float]) -> Head:
    """A head that rates every turn with these probabilities, whatever its vectors."""
    return Head(weights=np.zeros((2 * DIM, 6), np.float32),
                bias=np.log(np.array(probabilities, np.float32)),
                mean=np.zeros(2 * DIM, np.float32), scale=np.ones(2 * DIM, np.float32),
                temperature=1.0, thresholds=np.array((0, 0.3, 0.3, 0.3, 0.3, 0.3), np.float32),
                meta={})


def test_extra_training_files_keep_their_calls_apart_and_leave_the_shipped_folds_as_they_were(
        tmp_path: Path) -> None:
    from lingxi.safety.train import corpus, extra_calls

    first, second = tmp_path / "first.txt", tmp_path / "second.txt"
    first.write_text("# a set\n@c01 distress | context | 最近很累\n"
                     "@c01 passive | context | 不想醒来\nnone | chat | 今天吃面\n",
                     encoding="utf-8")
    second.write_text("@c01 none | chat | what's for dinner\n", encoding="utf-8")
    calls = extra_calls([first, second])
    assert [[t.text for t in call] for call in calls] == [
        ["最近很累", "不想醒来"], ["今天吃面"], ["what's for dinner"]]
    assert [call[0].call for call in calls] == ["first:c01", None, "second:c01"]
    shipped, more = corpus(), corpus(extra=[first, second])
    for before, after in zip(shipped.folds, more.folds, strict=True):
        assert after[:len(before)] == before
    added = sum(len(a) - len(b) for a, b in zip(more.folds, shipped.folds, strict=True))
    assert added == 3 * len(calls)  # each call as written and two noise variants of it


def test_training_on_extra_files_never_overwrites_a_shipped_head() -> None:
    from lingxi.safety.train import main

    with pytest.raises(SystemExit):
        main(["--extra", "more.txt"])
    with pytest.raises(SystemExit):
        main(["--extra", "more.txt", "--out", "head.npz"])  # --out needs --seed
