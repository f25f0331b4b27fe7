"""Words that keep a turn's context in play (round 63, bench/risk63_rule.md): a way, a place,
a time, a loss, an ending, a goodbye.

While a call has shown nothing, the learned model's context (the mean of the call's harmless
turns) lifted closing turns of harmless calls — "明白了，谢谢，周末试试" after a fish was scaled,
"cool, I'll get my brother to help" after a sofa was roped off a balcony — to plan or imminent,
and a call's level never drops. Round 57 let such a turn keep its own reading and was withdrawn:
plans said after a harmless-looking question ("i'm going there tonight and i'm not planning on
coming home", "我的存款都转给我爸妈了") were read late. Each of those holds one of these words;
a turn that holds any keeps the context's reading. A word missing here only means a false alarm
kept, never a risk missed — except for the lexical reader's veto (round 86), which spares a turn
holding one of these words below a lower bar: there a missing slang word could lower a risk turn,
so the homophones for suicide are listed too.
"""

from __future__ import annotations

import functools
import re

from lingxi.safety.data import DATA_DIR, RULE_FILES, file_defines, read_toml

_EN = (r"\b(die|dies|died|dying|dead|death|kill\w*|suicid\w*|end (it|things|my life)|pills?|"
       r"tablets?|overdose|tonight|goodbye|last|never|anymore|coming (home|back)|rope|noose|"
       r"hang\w*|jump\w*|bridge|roof|ledge|cliff|cut\w*|blade|knife|gun|gas|charcoal|letters?|"
       r"notes?|insurance|savings|gave away|sorry|cameras?|stopping me|nobody|better off|"
       r"burden|gone)\b")
_ZH = ("死|杀|殺|自尽|轻生|輕生|走了|走咗|跳|药|藥|刀|绳|繩|吊|桥|橋|楼|樓|天台|崖|江|河|海|炭|"
       "煤气|农药|農藥|割|血|安眠|今晚|最后|最後|再见|再見|告别|告別|遗|遺|结束|結束|了断|了斷|"
       "不回|解脱|解脫|存款|转给|轉俾|保险|保險|对不起|對不起|永远|永遠|下辈子|下輩子|消失|离开|"
       "離開|不想|唔想|拖累|想不开|想唔開|绝望|絕望")
# Homophones and slang for suicide (round 86: the lexical veto spares a turn that holds one; round
# 90: a lone passive wish said in them keeps the strict bar).
_SLANG = (r"\b(kms|kys|unalive\w*|sewer ?slide|ctb)\b|"
          "紫砂|自鲨|自鯊|自沙|紫杀|自刹|字杀|噶了|嘎了|自噶")
CUES = re.compile(f"{_EN}|{_ZH}|{_SLANG}", re.IGNORECASE)
SLANG = re.compile(_SLANG, re.IGNORECASE)


def carries_cue(text: str) -> bool:
    """Whether the turn holds any word that keeps its context in play."""
    return CUES.search(text) is not None


def carries_slang(text: str) -> bool:
    """Whether the turn holds a homophone or slang word for suicide."""
    return SLANG.search(text) is not None


@functools.cache
def _others() -> re.Pattern[str]:
    """The rules' words for another person (`others` in each rule file's [define]), matched as
    whole words where they are Latin."""
    parts = []
    for name in RULE_FILES:
        path = DATA_DIR / name
        document = read_toml(path)
        words = file_defines(path, document).get("others")
        if words:
            # a Han file's few Latin words ("ta") are words too, not letters inside "taped"
            parts.append(rf"(?<![a-z])(?:{words})(?![a-z])" if document.get("script") == "han"
                         else rf"\b(?:{words})\b")
    return re.compile("|".join(parts) or r"(?!)", re.IGNORECASE)


def names_someone_else(text: str) -> bool:
    """Whether the turn names another person (a friend, a parent, he or she): the lexical reader,
    which reads words without their subject, is then not sure whose risk they say (round 90)."""
    return _others().search(text) is not None
