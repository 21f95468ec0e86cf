"""Number display: the one place an amount or a rate becomes text.

Rounding is half-up (四舍五入) on the exact value, then babel's zh_CN
formatting adds the separators.  Babel itself rounds half-even, so it only
ever sees numbers already quantized here.  The style (万元 or 元, thousands
separators, trimmed or fixed decimals) comes from the profile.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from babel.numbers import format_decimal

from ..money import ZERO, Ratio, convert, quantize_half_up

@dataclass(frozen=True)
class Style:
    """How numbers look in one profile."""

    unit: str = "万元"                 # the unit amounts are displayed in
    unit_suffix: str = "万元"          # what follows an amount in a sentence
    amount_places: int = 2
    rate_places: int = 2
    trim_zeros: bool = True            # Hunan: 100%, 493万元
    thousands: bool = False
    table_trim_zeros: bool = False     # tables print 2 decimals unless set
    table_zero: str = ""               # what an empty table cell shows

    def _pattern(self, places: int, trim: bool) -> str:
        integer = "#,##0" if self.thousands else "0"
        if places == 0:
            return integer
        return integer + "." + ("#" if trim else "0") * places

    def _fmt(self, value: Decimal, places: int, trim: bool) -> str:
        q = quantize_half_up(value, places)
        if q == ZERO:
            q = abs(q)  # never print -0
        return format_decimal(q, format=self._pattern(places, trim), locale="zh_CN",
                              decimal_quantization=False, group_separator=self.thousands)

    @property
    def number_format(self) -> str:
        """How a spreadsheet shows an amount: the same separators and decimals as the tables."""
        integer = "#,##0" if self.thousands else "0"
        return integer + ("." + "0" * self.amount_places if self.amount_places else "")

    def convert(self, value: Decimal, data_unit: str) -> Decimal:
        return convert(value, data_unit, self.unit)

    # ---------------------------------------------------------------- filters

    def number(self, value: Decimal, data_unit: str) -> str:
        """An amount in a sentence, without its unit: ``493`` / ``12,984,142.90``."""
        return self._fmt(self.convert(value, data_unit), self.amount_places, self.trim_zeros)

    def money(self, value: Decimal, data_unit: str) -> str:
        """An amount in a sentence with its unit: ``493万元`` / ``12,984,142.90 元``."""
        return self.number(value, data_unit) + self.unit_suffix

    def cell(self, value: Decimal | None, data_unit: str) -> str:
        """An amount in a table cell; zero shows as ``table_zero``."""
        if value is None or value == ZERO:
            return self.table_zero
        return self._fmt(self.convert(value, data_unit), self.amount_places, self.table_trim_zeros)

    def pct(self, rate: Ratio) -> str:
        """A share, change or completion rate: ``132.19%`` / ``100%`` / ``100.00%``."""
        percent = rate.percent
        if percent is None:
            raise ValueError("a rate with a zero denominator has no percentage")
        return self._fmt(percent, self.rate_places, self.trim_zeros) + "%"

    def score(self, value: Decimal) -> str:
        """A 绩效 score or 分值: ``10``, ``6.67`` (Hunan) / ``10.00`` (fixed decimals)."""
        return self._fmt(value, 2, self.trim_zeros)

    def quantity(self, value: Decimal, places: int = 2) -> str:
        """A measure that is not money (房屋面积 in 平方米): the profile's separators and decimals."""
        return self._fmt(value, places, self.trim_zeros)

    def count(self, value: int) -> str:
        return format_decimal(value, locale="zh_CN", group_separator=self.thousands)


HUNAN = Style()


def chinese_date(iso: str) -> str:
    """``2025-06-30`` → ``2025年6月30日`` (the cover's date)."""
    d = date.fromisoformat(iso)
    return f"{d.year}年{d.month}月{d.day}日"
