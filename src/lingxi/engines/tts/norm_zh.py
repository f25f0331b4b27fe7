"""Chinese text normalisation: digits, dates, times, money, units and symbols as spoken.

Order matters: the specific patterns (dates, times, phone numbers, percentages, money,
temperatures, units) run before plain numbers, so "2025年" is a year (二零二五年) while
"3年" stays a quantity (三年).
"""

from __future__ import annotations

import re
from collections.abc import Callable

_DIGITS = "零一二三四五六七八九"
_SMALL_UNITS = ("", "十", "百", "千")
_BIG_UNITS = ("", "万", "亿", "万亿")
# Thousands separators allowed (1,000,000), so such numbers never look like phone numbers.
_NUM = r"(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?"

# Common measure words: "2" before them is 两 (两个, 两本), elsewhere 二.
_CLASSIFIERS = "个只本次天位件条张名岁块碗杯瓶辆台把双对种家所门节层周小"


def _four_digits(n: int) -> str:
    """0 < n < 10000, with inner zeros read once (一千零五)."""
    out, zero = "", False
    for i, d in enumerate(f"{n:04d}"):
        digit = int(d)
        unit = _SMALL_UNITS[3 - i]
        if digit == 0:
            zero = bool(out)
            continue
        if zero:
            out += "零"
            zero = False
        out += _DIGITS[digit] + unit
    return out


def read_int(n: int) -> str:
    """Cardinal number: 10 → 十, 15 → 十五, 105 → 一百零五, 20000 → 两万."""
    if n < 0:
        return "负" + read_int(-n)
    if n == 0:
        return "零"
    groups: list[int] = []
    while n:
        groups.append(n % 10000)
        n //= 10000
    out, pending_zero = "", False
    for idx in range(len(groups) - 1, -1, -1):
        g = groups[idx]
        if g == 0:
            pending_zero = bool(out)
            continue
        if out and (pending_zero or g < 1000):
            out += "零"
        out += _four_digits(g) + _BIG_UNITS[idx]
        pending_zero = False
    if out.startswith("一十"):
        out = out[1:]
    # 两 before 百/千/万/亿 in front position sounds natural (两千, 两万); 二十 stays.
    return re.sub(r"^二(?=[百千万亿])", "两", out)


def read_digits(digits: str, *, phone: bool = False) -> str:
    """One by one: 2025 → 二零二五; phone numbers say 1 as 幺."""
    table = "零幺二三四五六七八九" if phone else _DIGITS
    return "".join(table[int(d)] for d in digits if d.isdigit())


def read_number(text: str) -> str:
    """Integer or decimal string, optional sign: -3.05 → 负三点零五."""
    sign = "负" if text.startswith("-") else ""
    text = text.lstrip("+-").replace(",", "")
    whole, _, frac = text.partition(".")
    spoken = read_int(int(whole or "0"))
    if frac:
        spoken += "点" + read_digits(frac)
    return sign + spoken


def _m(pattern: str, fn: Callable[[re.Match[str]], str]) -> tuple[re.Pattern[str],
                                                                 Callable[[re.Match[str]], str]]:
    return re.compile(pattern), fn


def _date(m: re.Match[str]) -> str:
    y, mo, d = m.group(1), int(m.group(2)), int(m.group(3))
    return f"{read_digits(y)}年{read_int(mo)}月{read_int(d)}日"


def _time(m: re.Match[str]) -> str:
    h, mi, s = int(m.group(1)), int(m.group(2)), m.group(3)
    hour = "两" if h == 2 else read_int(h)
    out = f"{hour}点"
    if mi == 30 and not s:
        return out + "半"
    if mi:
        out += ("零" if mi < 10 else "") + read_int(mi) + "分"
    if s:
        out += read_int(int(s)) + "秒"
    return out


def _hour(m: re.Match[str]) -> str:
    h = int(m.group(1))
    return ("两" if h == 2 else read_int(h)) + "点"


def _temperature(m: re.Match[str]) -> str:
    value, scale = m.group(1), m.group(2)
    name = "华氏度" if scale.upper() == "F" else "摄氏度"
    if value.startswith("-"):
        return "零下" + read_number(value[1:]) + name
    return read_number(value) + name


_UNITS = {
    "km/h": "公里每小时", "km": "公里", "kg": "公斤", "cm": "厘米", "mm": "毫米", "m": "米",
    "g": "克", "ml": "毫升", "mL": "毫升", "L": "升", "l": "升", "h": "小时", "min": "分钟",
    "s": "秒", "ms": "毫秒", "GB": "G", "MB": "兆", "kB": "K", "KB": "K", "Hz": "赫兹",
    "kW": "千瓦", "W": "瓦", "V": "伏",
}
_UNIT_RE = "|".join(sorted((re.escape(u) for u in _UNITS), key=len, reverse=True))
_CURRENCY = {"¥": "元", "￥": "元", "$": "美元", "€": "欧元", "£": "英镑"}
_SYMBOLS = {"&": "和", "+": "加", "=": "等于", "×": "乘", "÷": "除以", "@": " at ",
            "~": "到", "～": "到", "№": "第", "‰": "千分之", "°": "度", "±": "正负"}


def _quantity(m: re.Match[str]) -> str:
    number = m.group(1)
    if number == "2":
        return "两"
    return read_number(number)


def _dialled(m: re.Match[str]) -> str:
    numbers = re.sub(r"\d+(?:[ -]\d+)*", lambda d: read_digits(d.group(), phone=True),
                     m.group(3))
    return m.group(1) + m.group(2) + numbers


# A number to dial is read digit by digit, whatever its length: 拨打 110, 热线 12356.
_DIAL = (r"(拨打|拨|致电|热线|电话|号码|手机|专线|打给)([^\d。！？；]{0,8}?)"
         r"(\d+(?:[ -]\d+)*(?:\s*(?:、|或者?|和|,|，|/)\s*\d+(?:[ -]\d+)*)*)"
         rf"(?!\.\d|[\d%{_CLASSIFIERS}])")

_RULES = [
    _m(_DIAL, _dialled),
    _m(r"(?<!\d)(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})[日号]?(?!\d)", _date),
    _m(r"(?<!\d)(\d{4})年", lambda m: read_digits(m.group(1)) + "年"),
    _m(r"(?<![\d:])(\d{1,2}):(\d{2})(?::(\d{2}))?(?![\d:])", _time),
    _m(r"(?<![\d:])(\d{1,3}):(\d{1,3})(?![\d:])", lambda m: f"{read_int(int(m.group(1)))}比"
       f"{read_int(int(m.group(2)))}"),
    _m(r"(?<![\d第])(\d{1,2})点(?=半|\d|钟|整|$|[^\d])", _hour),
    # Phone numbers: 7+ digits, or digit groups joined by dashes or spaces (010-12345678).
    _m(r"(?<![\d.])\d{3,4}(?:-\d{3,8})+(?![\d.])", lambda m: read_digits(m.group(), phone=True)),
    _m(r"(?<![\d.])\d{7,}(?![\d.])", lambda m: read_digits(m.group(), phone=True)),
    _m(r"(?<![\d.])(\d+)/(\d+)(?![\d/])",
       lambda m: f"{read_int(int(m.group(2)))}分之{read_int(int(m.group(1)))}"),
    _m(rf"(-?{_NUM})\s*[%％]", lambda m: _percent(m.group(1))),
    _m(rf"([¥￥$€£])\s*(-?{_NUM})", lambda m: _money(m.group(2), m.group(1))),
    _m(rf"(-?{_NUM})\s*(?:°\s*|℃)([CF]?)", _temperature),
    _m(rf"({_NUM})\s*({_UNIT_RE})(?![A-Za-z])", lambda m: read_number(m.group(1))
       + _UNITS[m.group(2)]),
    _m(r"(?<![\d.])(\d+)\s*[-~～到至]\s*(?=\d)", lambda m: read_number(m.group(1)) + "到"),
    _m(rf"(?<![\d.第])(\d+)(?=[{_CLASSIFIERS}])", _quantity),
    _m(rf"(?<![\d\w])-({_NUM})", lambda m: "负" + read_number(m.group(1))),
    _m(_NUM, lambda m: read_number(m.group())),
]


def _money(value: str, symbol: str) -> str:
    """¥3.50 → 三元五角; $20.50 → 二十点五美元."""
    whole, _, cents = value.partition(".")
    cents = (cents + "00")[:2]
    if symbol not in "¥￥" or cents == "00":
        return read_number(value.rstrip("0").rstrip(".") if "." in value else value) \
            + _CURRENCY[symbol]
    out = read_number(whole) + "元" if whole.strip("-0,") else ""
    if cents[0] != "0":
        out += _DIGITS[int(cents[0])] + "角"
    elif out and cents[1] != "0":
        out += "零"
    if cents[1] != "0":
        out += _DIGITS[int(cents[1])] + "分"
    return out


def _percent(value: str) -> str:
    if value.startswith("-"):
        return "负百分之" + read_number(value[1:])
    return "百分之" + read_number(value)


def normalize_zh(text: str) -> str:
    """Rewrite `text` so every digit and symbol is spoken Chinese (letters stay as they are)."""
    text = re.sub(r"(?<=\d)：(?=\d)", ":", text.replace("％", "%"))
    for pattern, fn in _RULES:
        text = pattern.sub(fn, text)
    for symbol, spoken in _SYMBOLS.items():
        text = text.replace(symbol, spoken)
    return text
