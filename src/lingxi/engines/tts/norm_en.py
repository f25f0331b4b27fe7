"""English text normalisation: numbers, years, times, dates, money, units and symbols as words.

As in Chinese, specific patterns run before plain numbers: "in 1998" is a year (nineteen
ninety-eight), "1998 apples" a quantity.
"""

from __future__ import annotations

import re
from collections.abc import Callable

_ONES = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
         "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen",
         "eighteen", "nineteen")
_TENS = ("", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety")
_SCALES = ((10**12, "trillion"), (10**9, "billion"), (10**6, "million"), (1000, "thousand"))
_ORDINAL_WORDS = {"one": "first", "two": "second", "three": "third", "five": "fifth",
                  "eight": "eighth", "nine": "ninth", "twelve": "twelfth"}
_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December")
_NUM = r"(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?"


def _below_thousand(n: int) -> str:
    parts: list[str] = []
    if n >= 100:
        parts.append(f"{_ONES[n // 100]} hundred")
        n %= 100
    if n >= 20:
        parts.append(_TENS[n // 10] + (f"-{_ONES[n % 10]}" if n % 10 else ""))
    elif n or not parts:
        parts.append(_ONES[n])
    return " ".join(parts)


def read_int(n: int) -> str:
    """1234 → one thousand two hundred thirty-four; -5 → minus five."""
    if n < 0:
        return "minus " + read_int(-n)
    if n < 1000:
        return _below_thousand(n)
    parts: list[str] = []
    for value, name in _SCALES:
        if n >= value:
            parts.append(f"{read_int(n // value)} {name}")
            n %= value
    if n:
        parts.append(_below_thousand(n))
    return " ".join(parts)


def read_digits(digits: str) -> str:
    return " ".join(_ONES[int(d)] for d in digits if d.isdigit())


def read_number(text: str) -> str:
    """'-3.05' → minus three point zero five; '1,000' → one thousand."""
    sign = "minus " if text.startswith("-") else ""
    whole, _, frac = text.lstrip("+-").replace(",", "").partition(".")
    spoken = read_int(int(whole or "0"))
    if frac:
        spoken += " point " + read_digits(frac)
    return sign + spoken


def ordinal(n: int) -> str:
    """21 → twenty-first."""
    words = read_int(n)
    head, sep, last = words.rpartition("-") if "-" in words.split(" ")[-1] else \
        words.rpartition(" ")
    if last in _ORDINAL_WORDS:
        last = _ORDINAL_WORDS[last]
    elif last.endswith("y"):
        last = last[:-1] + "ieth"
    else:
        last += "th"
    return head + sep + last


def read_year(n: int) -> str:
    """1998 → nineteen ninety-eight; 2000 → two thousand; 2025 → twenty twenty-five."""
    high, low = divmod(n, 100)
    if n % 1000 < 10 and n >= 2000:
        return read_int(n)
    if low == 0:
        return f"{read_int(high)} hundred"
    return f"{read_int(high)} {'oh ' + _ONES[low] if low < 10 else read_int(low)}"


def _time(m: re.Match[str]) -> str:
    h, mi, suffix = int(m.group(1)), int(m.group(2)), m.group(3)
    words = read_int(h)
    if mi == 0:
        words += " o'clock" if not suffix else ""
    else:
        words += f" oh {_ONES[mi]}" if mi < 10 else f" {read_int(mi)}"
    if suffix:
        words += " " + " ".join(suffix.lower().replace(".", ""))
    return words


def _date(m: re.Match[str]) -> str:
    y, mo, d = int(m.group(1)), int(m.group(2)), int(m.group(3))
    if not 1 <= mo <= 12:
        return m.group()
    return f"{_MONTHS[mo - 1]} {ordinal(d)}, {read_year(y)}"


def _plural(number: str, singular: str, plural: str) -> str:
    return f"{read_number(number)} {singular if number in ('1', '-1') else plural}"


def _money(m: re.Match[str]) -> str:
    symbol, value = m.group(1), m.group(2).replace(",", "")
    names = {"$": ("dollar", "dollars"), "€": ("euro", "euros"), "£": ("pound", "pounds"),
             "¥": ("yuan", "yuan"), "￥": ("yuan", "yuan")}[symbol]
    whole, _, cents = value.partition(".")
    out = _plural(whole, *names)
    cents = (cents + "00")[:2] if cents else ""
    if cents and int(cents):
        sub = ("cent", "cents") if symbol in "$€" else ("pence", "pence")
        if symbol in "¥￥":
            return f"{read_number(value)} yuan"
        out += " and " + _plural(str(int(cents)), *sub)
    return out


_UNITS = {"km/h": ("kilometer per hour", "kilometers per hour"), "mph": ("mile per hour",
          "miles per hour"), "km": ("kilometer", "kilometers"), "kg": ("kilogram",
          "kilograms"), "cm": ("centimeter", "centimeters"), "mm": ("millimeter",
          "millimeters"), "m": ("meter", "meters"), "g": ("gram", "grams"),
          "ml": ("milliliter", "milliliters"), "lb": ("pound", "pounds"),
          "lbs": ("pound", "pounds"), "min": ("minute", "minutes"), "h": ("hour", "hours"),
          "GB": ("gigabyte", "gigabytes"), "MB": ("megabyte", "megabytes")}
_UNIT_RE = "|".join(sorted((re.escape(u) for u in _UNITS), key=len, reverse=True))
_SYMBOLS = {"&": " and ", "+": " plus ", "=": " equals ", "@": " at ", "×": " times ",
            "÷": " divided by ", "°": " degrees", "~": " about "}
_YEAR_CONTEXT = r"(?:in|since|by|from|year|until|till|before|after|of|during|around|circa)"
Rule = tuple[re.Pattern[str], Callable[[re.Match[str]], str]]


def _temperature(m: re.Match[str]) -> str:
    value, scale = m.group(1), m.group(2).upper()
    name = {"C": " degrees Celsius", "F": " degrees Fahrenheit"}.get(scale, " degrees")
    return read_number(value) + name


def _fraction(m: re.Match[str]) -> str:
    num, den = int(m.group(1)), int(m.group(2))
    if den == 2:
        return f"{read_int(num)} {'half' if num == 1 else 'halves'}"
    name = "quarter" if den == 4 else ordinal(den)
    return f"{read_int(num)} {name}{'' if num == 1 else 's'}"


def _dialled(m: re.Match[str]) -> str:
    numbers = re.sub(r"\d+(?:[ -]\d+)*", lambda d: ", ".join(
        read_digits(g) for g in re.findall(r"\d+", d.group())), m.group(2))
    return m.group(1) + numbers


# A number to dial is read digit by digit, whatever its length: "call 988", "dial 116 123".
_DIAL = (r"(?i)(\b(?:call|dial|phone|ring|hotline|helpline)\b[^\d.!?;]{0,12}?)"
         r"(\d+(?:[ -]\d+)*(?:\s*(?:,|or|and|/)\s*\d+(?:[ -]\d+)*)*)(?!\.\d|[\d%:])")

_RULES: list[Rule] = [(re.compile(p), f) for p, f in (
    (_DIAL, _dialled),
    (r"(?<!\d)(\d{4})-(\d{1,2})-(\d{1,2})(?!\d)", _date),
    (r"(?<![\d:])(\d{1,2}):(\d{2})(?![\d:])(?:\s*([ap]\.?m\.?)(?![a-z]))?", _time),
    (r"(?<![\d.])\(?\d{3}\)?[- .]\d{3}[- .]\d{4}(?![\d.])",
     lambda m: ", ".join(read_digits(g) for g in re.findall(r"\d+", m.group()))),
    (r"(?<![\d.,])\d{7,}(?![\d.,])", lambda m: read_digits(m.group())),
    (rf"(-?{_NUM})\s*%", lambda m: read_number(m.group(1)) + " percent"),
    (rf"([$€£¥￥])\s*({_NUM})", _money),
    (rf"(-?{_NUM})\s*(?:°\s*|℃)([CFcf]?)", _temperature),
    (rf"(-?{_NUM})\s*({_UNIT_RE})\b", lambda m: _plural(m.group(1), *_UNITS[m.group(2)])),
    (r"\b(\d+)(?:st|nd|rd|th)\b", lambda m: ordinal(int(m.group(1)))),
    (rf"(?i)(\b{_YEAR_CONTEXT}\s+)(1[1-9]\d\d|20\d\d)\b(?!,\d)",
     lambda m: m.group(1) + read_year(int(m.group(2)))),
    (rf"(?i)(\b(?:{'|'.join(_MONTHS)})\s+\d{{1,2}},?\s+)(1[1-9]\d\d|20\d\d)\b",
     lambda m: m.group(1) + read_year(int(m.group(2)))),
    (r"(?<![\d.])(\d+)/(\d+)(?![\d/])", _fraction),
    (rf"(?<![\w.])-({_NUM})", lambda m: "minus " + read_number(m.group(1))),
    (_NUM, lambda m: read_number(m.group())),
)]


def normalize_en(text: str) -> str:
    """Rewrite `text` so every digit and common symbol is spoken English."""
    for pattern, fn in _RULES:
        text = pattern.sub(fn, text)
    for symbol, spoken in _SYMBOLS.items():
        text = text.replace(symbol, spoken)
    return re.sub(r" {2,}", " ", text).strip()
