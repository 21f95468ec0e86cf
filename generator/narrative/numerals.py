"""Chinese numerals for headings and numbering: 一 … 十, 十一 … 九十九."""

from __future__ import annotations

DIGITS = "〇一二三四五六七八九"


def chinese(n: int) -> str:
    """1 → 一, 10 → 十, 13 → 十三, 20 → 二十, 99 → 九十九 (the numbers headings reach)."""
    if not 0 < n < 100:
        raise ValueError(f"no heading numeral for {n}")
    tens, ones = divmod(n, 10)
    if tens == 0:
        return DIGITS[ones]
    return (DIGITS[tens] if tens > 1 else "") + "十" + (DIGITS[ones] if ones else "")


def numbered(pattern: str, n: int) -> str:
    """A heading's number by its pattern: ``{一}、`` → 三、, ``（{一}）`` → （三）, ``{1}.`` → 3."""
    return pattern.replace("{一}", chinese(n)).replace("{1}", str(n))
