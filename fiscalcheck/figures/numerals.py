"""Chinese numerals for counts: 四个, 两项, 十二家, 一百二十个.

Reports write small counts in Chinese numerals (开展了两批, 四个方面, 七成). This reads
them to exact integers, for the figure grammar (``parse_figure("两家")``) and the
report scanner, and writes integers back (for tests that round-trip).
Only what a count needs: digits 〇零一二两三四五六七八九, the multipliers 十百千万亿,
no decimals and no fractions (五分之一 is read elsewhere, if at all).
"""

from __future__ import annotations

__all__ = ["DIGITS", "MULTIPLIERS", "NUMERAL_CHARS", "parse_numeral", "to_numeral", "NumeralError"]

DIGITS = {"〇": 0, "零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
MULTIPLIERS = {"十": 10, "百": 100, "千": 1000}
SECTIONS = {"万": 10**4, "亿": 10**8}
#: Every character a Chinese numeral may hold (for a scanner's character class).
NUMERAL_CHARS = "".join(DIGITS) + "".join(MULTIPLIERS) + "".join(SECTIONS)


class NumeralError(ValueError):
    """Text that is not a well-formed Chinese numeral."""


def _below_10000(text: str) -> int:
    total = 0
    digit: int | None = None
    last_multiplier = 10**4
    for char in text:
        if char in DIGITS:
            if digit is not None and digit != 0:
                raise NumeralError(f"two digits in a row in {text!r}")
            digit = DIGITS[char]
        elif char in MULTIPLIERS:
            multiplier = MULTIPLIERS[char]
            if multiplier >= last_multiplier:
                raise NumeralError(f"multipliers out of order in {text!r}")
            if digit == 0:
                raise NumeralError(f"零 before a multiplier in {text!r}")
            total += (1 if digit is None else digit) * multiplier  # 十二: an implied 一
            last_multiplier = multiplier
            digit = None
        else:
            raise NumeralError(f"{char!r} is not a Chinese numeral character in {text!r}")
    return total + (digit or 0)


def parse_numeral(text: str) -> int:
    """``"一百二十"`` -> 120, ``"两"`` -> 2, ``"十"`` -> 10, ``"三万五千"`` -> 35000."""
    if not text:
        raise NumeralError("expected a Chinese numeral, got ''")
    total = 0
    rest = text
    for char, size in sorted(SECTIONS.items(), key=lambda item: -item[1]):
        if char in rest:
            head, _, rest = rest.partition(char)
            if char in rest:
                raise NumeralError(f"{char!r} twice in {text!r}")
            total += (_below_10000(head) if head else 1) * size
    return total + (_below_10000(rest) if rest else 0)


def to_numeral(number: int) -> str:
    """The usual way to write ``number`` (0 <= number < 10**12): 120 -> 一百二十, 10 -> 十, 2 -> 二."""
    if not 0 <= number < 10**12:
        raise NumeralError(f"expected 0 <= n < 10**12, got {number}")
    if number == 0:
        return "零"
    names = "零一二三四五六七八九"

    def below(n: int, leading: bool) -> str:
        out = []
        zero = False
        for char, size in (("千", 1000), ("百", 100), ("十", 10), ("", 1)):
            d, n = divmod(n, size)
            if d:
                if zero:
                    out.append("零")
                    zero = False
                if not (char == "十" and d == 1 and leading and not out):
                    out.append(names[d])
                out.append(char)
            elif out or not leading:
                zero = True
        return "".join(out)

    parts = []
    groups = ((number // 10**8, "亿"), (number // 10**4 % 10**4, "万"), (number % 10**4, ""))
    for index, (value, char) in enumerate(groups):
        if value:
            if parts and value < 1000:
                parts.append("零")
            parts.append(below(value, leading=not parts) + char)
        elif parts and index < 2 and any(v for v, _ in groups[index + 1:]):
            pass
    return "".join(parts).replace("零零", "零")
