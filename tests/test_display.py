"""Number display: half-up rounding, the two profiles' styles, babel's zh_CN separators."""

from decimal import Decimal

import pytest

from generator.money import ratio
from generator.profiles import available, load_profile

HUNAN = load_profile("hunan").style
YUAN = load_profile("yuan").style


def test_profiles_are_discovered_from_folders():
    assert {"hunan", "yuan"} <= set(available())


@pytest.mark.parametrize("value, unit, hunan, yuan", [
    ("493.00", "万元", "493万元", "4,930,000.00 元"),
    ("1298.414290", "万元", "1298.41万元", "12,984,142.90 元"),
    ("12984142.90", "元", "1298.41万元", "12,984,142.90 元"),
    ("0", "万元", "0万元", "0.00 元"),
])
def test_money(value, unit, hunan, yuan):
    assert HUNAN.money(Decimal(value), unit) == hunan
    assert YUAN.money(Decimal(value), unit) == yuan


@pytest.mark.parametrize("num, den, hunan, yuan", [
    ("1", "1", "100%", "100.00%"),
    ("504.66", "381.77", "132.19%", "132.19%"),       # 132.1895…: half-up, not truncated
    ("2.81", "3", "93.67%", "93.67%"),
    ("500.63", "504.66", "99.2%", "99.20%"),
    ("1", "800", "0.13%", "0.13%"),                   # 0.125: half-up (banker's would give 0.12)
])
def test_rates(num, den, hunan, yuan):
    r = ratio(Decimal(num), Decimal(den))
    assert (HUNAN.pct(r), YUAN.pct(r)) == (hunan, yuan)


def test_zero_denominator_has_no_percentage():
    with pytest.raises(ValueError):
        HUNAN.pct(ratio(Decimal(1), Decimal(0)))


def test_table_cells_show_blank_for_zero_and_two_decimals():
    assert HUNAN.cell(Decimal(0), "万元") == ""
    assert HUNAN.cell(Decimal("493"), "万元") == "493.00"
    assert YUAN.cell(Decimal("493"), "万元") == "4,930,000.00"
