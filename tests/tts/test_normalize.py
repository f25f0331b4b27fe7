"""Numbers, dates, times, money, units and symbols read the way a person would say them."""

from __future__ import annotations

import pytest

from lingxi.engines.tts.norm_en import normalize_en, ordinal, read_year
from lingxi.engines.tts.norm_zh import normalize_zh, read_int


@pytest.mark.parametrize(("text", "spoken"), [
    ("9点半", "九点半"),
    ("2025年", "二零二五年"),
    ("3年", "三年"),  # a quantity, not a year
    ("10年前", "十年前"),
    ("50%", "百分之五十"),
    ("2.5%", "百分之二点五"),
    ("-5%", "负百分之五"),
    ("3.5", "三点五"),
    ("0.25", "零点二五"),
    ("12:30", "十二点半"),
    ("12:05", "十二点零五分"),
    ("12：30", "十二点半"),
    ("9:00", "九点"),
    ("2点", "两点"),
    ("13800138000", "幺三八零零幺三八零零零"),
    ("010-12345678", "零幺零幺二三四五六七八"),
    ("¥100", "一百元"),
    ("¥3.50", "三元五角"),
    ("¥1,200.05", "一千二百元零五分"),
    ("$20", "二十美元"),
    ("25°C", "二十五摄氏度"),
    ("-5℃", "零下五摄氏度"),
    ("5km", "五公里"),
    ("100km/h", "一百公里每小时"),
    ("3kg", "三公斤"),
    ("猫&狗", "猫和狗"),
    ("1+1=2", "一加一等于二"),
    ("第3名", "第三名"),
    ("第2个", "第二个"),
    ("2个人", "两个人"),
    ("-3", "负三"),
    ("105", "一百零五"),
    ("20000", "两万"),
    ("1,000,000", "一百万"),
    ("100000000", "幺零零零零零零零零"),  # nine bare digits read like a phone number
    ("2025-12-31", "二零二五年十二月三十一日"),
    ("12月31日", "十二月三十一日"),
    ("2月3日", "二月三日"),
    ("3-5天", "三到五天"),
    ("1/2", "二分之一"),
])
def test_chinese_normalisation(text: str, spoken: str) -> None:
    assert normalize_zh(text) == spoken


@pytest.mark.parametrize(("n", "spoken"), [
    (0, "零"), (10, "十"), (15, "十五"), (20, "二十"), (101, "一百零一"), (1010, "一千零一十"),
    (10001, "一万零一"), (110000, "十一万"), (100010000, "一亿零一万"), (2000, "两千"),
])
def test_chinese_cardinals(n: int, spoken: str) -> None:
    assert read_int(n) == spoken


@pytest.mark.parametrize(("text", "spoken"), [
    ("50%", "fifty percent"),
    ("3.5", "three point five"),
    ("12:30", "twelve thirty"),
    ("9:05 am", "nine oh five a m"),
    ("9:00", "nine o'clock"),
    ("call 555-123-4567", "call five five five, one two three, four five six seven"),
    ("$3.50", "three dollars and fifty cents"),
    ("$1", "one dollar"),
    ("¥100", "one hundred yuan"),
    ("25°C", "twenty-five degrees Celsius"),
    ("-5°F", "minus five degrees Fahrenheit"),
    ("5 km", "five kilometers"),
    ("1 km", "one kilometer"),
    ("Tom & Jerry", "Tom and Jerry"),
    ("2+2=4", "two plus two equals four"),
    ("the 1st, 2nd, 3rd and 21st", "the first, second, third and twenty-first"),
    ("-3", "minus three"),
    ("in 2025", "in twenty twenty-five"),
    ("since 1998", "since nineteen ninety-eight"),
    ("in 2005", "in two thousand five"),
    ("1998 apples", "one thousand nine hundred ninety-eight apples"),
    ("1,000,000 people", "one million people"),
    ("2025-12-31", "December thirty-first, twenty twenty-five"),
    ("1/2", "one half"),
    ("3/4", "three quarters"),
    ("100 km/h", "one hundred kilometers per hour"),
])
def test_english_normalisation(text: str, spoken: str) -> None:
    assert normalize_en(text) == spoken


def test_english_ordinals_and_years() -> None:
    assert [ordinal(n) for n in (1, 2, 3, 4, 12, 20, 101)] == [
        "first", "second", "third", "fourth", "twelfth", "twentieth", "one hundred first"]
    assert [read_year(y) for y in (1900, 1905, 2000, 2010)] == [
        "nineteen hundred", "nineteen oh five", "two thousand", "twenty ten"]


def test_no_digit_survives_either_normaliser() -> None:
    text = "价格¥12.5，温度-3°C，时间08:15，电话400-161-9995，增长7.5%，第21名，共3,000人"
    assert not any(ch.isdigit() for ch in normalize_zh(text))
    assert not any(ch.isdigit() for ch in normalize_en(
        "It's 08:15, -3°C, 7.5% up, $12.99, 21st of 3,000 in 1999, call 400-161-9995"))


@pytest.mark.parametrize(("text", "spoken"), [
    ("你可以拨打心理援助热线 12356。", "你可以拨打心理援助热线 幺二三五六。"),
    ("请现在就拨打 110 或 120", "请现在就拨打 幺幺零 或 幺二零"),
    ("电话：400-161-9995", "电话：四零零幺六幺九九九五"),
    ("拨打3次", "拨打三次"),  # a count after 拨打, not a number to dial
    ("比分是3:2", "比分是三比二"),
])
def test_chinese_numbers_to_dial_are_read_digit_by_digit(text: str, spoken: str) -> None:
    assert normalize_zh(text) == spoken


@pytest.mark.parametrize(("text", "spoken"), [
    ("You can call 988 right now.", "You can call nine eight eight right now."),
    ("Please dial 116 123.", "Please dial one one six, one two three."),
    ("Call 911 or 999 now", "Call nine one one or nine nine nine now"),
    ("call me at 5:30", "call me at five thirty"),
])
def test_english_numbers_to_dial_are_read_digit_by_digit(text: str, spoken: str) -> None:
    assert normalize_en(text) == spoken
