"""Properties of the computation, over random units (hypothesis)."""

from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from generator.model import catalogue
from generator.narrative.style import HUNAN
from generator.compute.figures import shares
from generator.model import Expenditure, FunctionalRow, GeneralBudget, Income, Overview, Unit, UnitData
from generator.money import total
from generator.compute.tables import compute_tables

LEAF_CODES = sorted(code for code in catalogue.FUNCTIONAL if len(code) == 7)
cents = st.integers(min_value=0, max_value=10**9).map(lambda n: Decimal(n).scaleb(-2))


@st.composite
def leaf_rows(draw):
    codes = draw(st.lists(st.sampled_from(LEAF_CODES), min_size=1, max_size=12, unique=True))
    rows = []
    for code in codes:
        general, business, basic, project = (draw(cents) for _ in range(4))
        rows.append(FunctionalRow(code=code, income=Income(general=general, business=business),
                                  expenditure=Expenditure(basic=basic, project=project),
                                  general_budget=GeneralBudget(basic=basic, project=project)))
    return tuple(rows)


def unit(rows) -> UnitData:
    return UnitData(unit=Unit(name="u", code="c", year=2024), overview=Overview(duties="d", organization="o"),
                    functional=rows)


@settings(max_examples=150, deadline=None)
@given(leaf_rows())
def test_subtotals_are_sums_of_leaf_rows(rows):
    tables = compute_tables(unit(rows), frozenset())
    t02, t03 = tables.t02, tables.t03
    assert t02.total.values["total"] == total(r.income.general + r.income.business for r in rows)
    assert t03.total.values["basic"] == total(r.expenditure.basic for r in rows)
    for row in t02.rows:
        if row.level in ("类", "款"):
            leaves = [r for r in rows if r.code.startswith(row.code)]
            assert row.values["general"] == total(r.income.general for r in leaves)
    # table 01's per-类 expenditure is 03's 类 rows; its totals balance with no carry-over
    assert total(line.amount for line in tables.t01.expenditure) == t03.total.values["total"]
    assert tables.comparisons == ()


@settings(max_examples=300, deadline=None)
@given(st.lists(cents.filter(lambda d: d > 0), min_size=1, max_size=26))
def test_displayed_shares_add_up_to_100_within_rounding(amounts):
    whole = total(amounts)
    parts = shares([(str(i), a) for i, a in enumerate(amounts)], whole)
    shown = total(Decimal(HUNAN.pct(s.share).rstrip("%")) for s in parts)
    # each displayed share is off by at most half a unit of its last place (0.005)
    assert abs(shown - 100) <= Decimal("0.005") * len(amounts)
