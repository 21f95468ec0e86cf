"""What a cell says: its text for matching, its amount, its code.

Matching is on a normalised text (full-width forms as half-width, every space and
quotation mark dropped), so ``“三公”经费`` and ``"三公"经费``, ``因公出国（境）费`` and
``因公出国(境)费`` are the same header.  Amounts are read as the loader reads a pasted
amount (:func:`generator.load.loader.read_amount`): numbers, text with thousands
separators, full-width digits, stray spaces; ``——`` and ``0.00`` mean 0 and a blank
cell means "not printed".  Never through float arithmetic: a number cell becomes
the shortest decimal that round-trips (what Excel shows), not its binary expansion.
"""

from __future__ import annotations

import datetime
import re
import unicodedata
from decimal import Decimal

from ..load.loader import read_amount

_DROP = re.compile(r"[\s\u3000\u00a0“”\"'‘’「」『』]+")


def norm(value: object) -> str:
    """A cell's text for matching: NFKC, no spaces or quotation marks; 2080109.0 → ``2080109``."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return _DROP.sub("", unicodedata.normalize("NFKC", str(value)))


def plain(value: object) -> str:
    """A cell's text as printed, without its indentation and surrounding spaces (a name, a label)."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip(" \t\r\n\u3000\u00a0")


def is_blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip(" \t\r\n\u3000\u00a0"))


def amount(value: object, places: int) -> tuple[Decimal | None, str | None]:
    """The amount a cell holds: ``(None, None)`` for a blank cell, ``(value, None)``, or
    ``(None, why)`` when it is not an amount.  ``places``: decimals allowed (2 in 元, 6 in 万元)."""
    if is_blank(value):
        return None, None
    if isinstance(value, bool):
        return None, f"“{value}”不是金额"
    if isinstance(value, (datetime.date, datetime.time, datetime.timedelta)):
        return None, f"单元格是日期或时间（{value}），不是金额；请把单元格格式改为数值"
    if isinstance(value, (int, float)):
        if value != value or value in (float("inf"), float("-inf")):
            return None, "不是有限的数"
        number = Decimal(repr(float(value))) if isinstance(value, float) else Decimal(value)
        number = _without_float_noise(number)
    else:
        number, problem = read_amount(str(value))
        if number is None:
            return None, f"“{plain(value)}”不是金额：{problem}"
    if number < 0:
        return None, f"金额 {number} 是负数；公开表中的金额都不为负，请核对"
    exponent = number.as_tuple().exponent
    if isinstance(exponent, int) and -exponent > places and number != number.quantize(Decimal(1).scaleb(-places)):
        unit = "元" if places == 2 else "万元"
        return None, f"金额 {number} 的小数位太多（金额单位为{unit}时最多{places}位）"
    return number, None


def _without_float_noise(number: Decimal) -> Decimal:
    """841.6900000000001 → 841.69: a cell's binary noise, not a figure (Excel shows 841.69)."""
    exponent = number.as_tuple().exponent
    if isinstance(exponent, int) and exponent < -6:
        for places in (2, 6):
            rounded = number.quantize(Decimal(1).scaleb(-places))
            if abs(number - rounded) < Decimal("1e-9"):
                return rounded
    return number


def integer(value: object) -> int | None:
    """A 栏次 or 行次 number: 3, 3.0, "3", "３"; None for anything else."""
    if isinstance(value, bool):
        return None
    if isinstance(value, float):
        return int(value) if value.is_integer() and value > 0 else None
    if isinstance(value, int):
        return value if value > 0 else None
    text = norm(value)
    return int(text) if re.fullmatch(r"\d{1,3}", text) and int(text) > 0 else None


def money_text(number: Decimal) -> str:
    """An amount as the unit file writes it: at least two decimals (841.69, 493.00, 0.000123)."""
    exponent = number.as_tuple().exponent
    if isinstance(exponent, int) and exponent >= -2:
        return f"{number:.2f}"
    return format(number.normalize(), "f") if number == number.normalize() else format(number, "f")
