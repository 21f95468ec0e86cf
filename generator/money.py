"""Money and rates: one constructor, named constants, half-up rounding at display only.

Every amount in the tool is a :class:`~decimal.Decimal` built from the text the
unit wrote.  Nothing is ever converted through ``float``; rounding happens only
when a number becomes text (see :mod:`generator.display`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation, localcontext

ZERO = Decimal(0)
HUNDRED = Decimal(100)
CENT = Decimal("0.01")
"""The smallest printed step of an amount in 万元 (and in 元)."""

_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)$")


def parse_decimal(text: str) -> Decimal | None:
    """The Decimal a plain number text means, or None when it is not one.

    Only ordinary decimal notation is accepted: no exponent, no NaN, no
    infinity, no separators.  ``"1.35"`` → ``Decimal("1.35")``.
    """
    text = text.strip()
    if not _NUMBER.match(text):
        return None
    try:
        return Decimal(text)
    except InvalidOperation:  # pragma: no cover - the regex excludes it
        return None


def total(values) -> Decimal:
    """Σ of amounts, exact."""
    result = ZERO
    for value in values:
        result += value
    return result


_FACTORS = {("万元", "元"): Decimal(10000), ("元", "万元"): Decimal("0.0001")}


def convert(value: Decimal, from_unit: str, to_unit: str) -> Decimal:
    """An amount in ``from_unit`` expressed in ``to_unit`` (万元 ↔ 元; the same unit unchanged), exact."""
    return value * _FACTORS.get((from_unit, to_unit), Decimal(1))


def quantize_half_up(value: Decimal, places: int) -> Decimal:
    """``value`` rounded half-up (四舍五入) to ``places`` decimals."""
    with localcontext() as ctx:
        ctx.prec = 50
        return value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class Ratio:
    """A ratio of two amounts: a share, a change rate or a completion rate.

    ``value`` is the exact quotient ×100 (a percentage), or ``None`` when the
    denominator is zero: that case is a value of its own (the narrative says
    无法计算百分比), never 0% and never a crash.
    """

    numerator: Decimal
    denominator: Decimal

    @property
    def defined(self) -> bool:
        return self.denominator != ZERO

    @property
    def percent(self) -> Decimal | None:
        if not self.defined:
            return None
        with localcontext() as ctx:
            ctx.prec = 40
            return self.numerator * HUNDRED / self.denominator


def ratio(numerator: Decimal, denominator: Decimal) -> Ratio:
    return Ratio(numerator, denominator)


@dataclass(frozen=True)
class Change:
    """This year against a base (last year, or a budget): amount and rate.

    ``rate`` is change / base; a zero base leaves the rate undefined.
    """

    current: Decimal
    base: Decimal

    @property
    def amount(self) -> Decimal:
        return self.current - self.base

    @property
    def rate(self) -> Ratio:
        return Ratio(abs(self.amount), self.base)

    @property
    def sign(self) -> int:
        return (self.amount > 0) - (self.amount < 0)


def change(current: Decimal, base: Decimal) -> Change:
    return Change(current, base)
