"""Computation of tables 公开01–09: pure functions on Decimal.

Every subtotal (类, 款, 合计, group rows, 小计) is computed from the rows the
unit wrote.  Where the unit also copied a printed subtotal, both are kept: the
*value* used downstream is the printed one only when it differs from the sum
by no more than a rounding tail (the printed figure was rounded once from
元 and is the more exact), otherwise the computed sum.  Each such pair is
recorded as a :class:`Comparison`; :mod:`generator.checks` judges them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Callable, Iterable

from ..model import catalogue
from ..model.catalogue import Names
from ..model import FunctionalRow, UnitData
from ..money import CENT, ZERO, total

# ------------------------------------------------------------------ tolerance


def tail_tolerance(parts: int, amount_unit: str) -> Decimal:
    """The largest difference a rounding tail (尾数误差) explains.

    In 万元 each summed item may carry 0.005 of rounding either way, so a total
    may differ from the sum of its printed parts by at most 0.01 per item.  In
    元 nothing was converted: there is no tail.
    """
    if amount_unit == "元":
        return ZERO
    return CENT * max(parts, 1)


@dataclass(frozen=True)
class Comparison:
    """A printed figure beside the sum it should equal."""

    table: str          # "02", "06", "09", "budget", …
    row: str            # the row's label (code or name)
    column: str         # the column's label
    printed: Decimal
    computed: Decimal
    parts: int          # how many non-zero amounts were summed
    path: str           # the field path the printed figure was written at
    tolerance: Decimal

    @property
    def difference(self) -> Decimal:
        return self.printed - self.computed

    @property
    def is_tail(self) -> bool:
        return self.difference != ZERO and abs(self.difference) <= self.tolerance

    @property
    def agrees(self) -> bool:
        return self.difference == ZERO


@dataclass
class Ledger:
    """Collects comparisons while tables are computed."""

    amount_unit: str
    comparisons: list[Comparison] = field(default_factory=list)

    def settle(self, table: str, row: str, column: str, computed: Decimal,
               printed: Decimal | None, parts: int, path: str) -> Decimal:
        """The value to use for a subtotal, recording the comparison if printed."""
        if printed is None:
            return computed
        cmp = Comparison(table, row, column, printed, computed, parts, path,
                         tail_tolerance(parts, self.amount_unit))
        self.comparisons.append(cmp)
        return printed if cmp.is_tail else computed


def nonzero(values: Iterable[Decimal]) -> int:
    return sum(1 for v in values if v != ZERO)


# ------------------------------------------------------------------ 功能分类 tables


@dataclass(frozen=True)
class Column:
    """A column of a 功能分类 table.

    A *base* column is read from each 项 row (``source``) and summed up the
    tree; a *derived* column is a signed sum of other columns of the same row.
    ``printed`` reads the printed figure of the column from a row the unit
    wrote, and ``field`` is that figure's field path inside the row.
    """

    key: str
    label: str
    source: Callable[[FunctionalRow], Decimal] | None = None
    formula: tuple[tuple[str, int], ...] = ()
    field: str = ""
    shown: bool = True

    def printed(self, row: FunctionalRow) -> Decimal | None:
        if not self.field:
            return None
        obj = row
        for name in self.field.split("."):
            obj = getattr(obj, name)
        return obj


def _base(key, label, fieldpath, shown=True) -> Column:
    def source(row: FunctionalRow) -> Decimal:
        obj = row
        for name in fieldpath.split("."):
            obj = getattr(obj, name)
        return obj
    return Column(key, label, source=source, field=fieldpath, shown=shown)


def _derived(key, label, formula, fieldpath="") -> Column:
    return Column(key, label, formula=tuple(formula), field=fieldpath)


TABLE_COLUMNS: dict[str, tuple[Column, ...]] = {
    "02": (
        _derived("total", "本年收入合计", [("fiscal", 1), ("superior", 1), ("business", 1), ("operating", 1),
                                       ("affiliated", 1), ("other", 1)], "income.total"),
        _derived("fiscal", "财政拨款收入", [("general", 1), ("fund", 1), ("capital", 1)], "income.fiscal"),
        _base("superior", "上级补助收入", "income.superior"),
        _base("business", "事业收入", "income.business"),
        _base("operating", "经营收入", "income.operating"),
        _base("affiliated", "附属单位上缴收入", "income.affiliated"),
        _base("other", "其他收入", "income.other"),
        _base("general", "一般公共预算财政拨款收入", "income.general", shown=False),
        _base("fund", "政府性基金预算财政拨款收入", "income.fund", shown=False),
        _base("capital", "国有资本经营预算财政拨款收入", "income.capital", shown=False),
    ),
    "03": (
        _derived("total", "本年支出合计", [("basic", 1), ("project", 1), ("remit", 1), ("operating", 1),
                                       ("subsidy", 1)], "expenditure.total"),
        _base("basic", "基本支出", "expenditure.basic"),
        _base("project", "项目支出", "expenditure.project"),
        _base("remit", "上缴上级支出", "expenditure.remit_superior"),
        _base("operating", "经营支出", "expenditure.operating"),
        _base("subsidy", "对附属单位补助支出", "expenditure.subsidy_affiliated"),
    ),
    "05": (
        _derived("total", "小计", [("basic", 1), ("project", 1)], "general_budget.total"),
        _base("basic", "基本支出", "general_budget.basic"),
        _base("project", "项目支出", "general_budget.project"),
    ),
    "07": (
        _base("opening", "年初结转和结余", "fund_budget.opening"),
        _base("income", "本年收入", "income.fund"),
        _derived("total", "本年支出小计", [("basic", 1), ("project", 1)]),
        _base("basic", "基本支出", "fund_budget.basic"),
        _base("project", "项目支出", "fund_budget.project"),
        _derived("closing", "年末结转和结余", [("opening", 1), ("income", 1), ("basic", -1), ("project", -1)],
                 "fund_budget.closing"),
    ),
    "08": (
        _derived("total", "合计", [("basic", 1), ("project", 1)]),
        _base("basic", "基本支出", "capital_budget.basic"),
        _base("project", "项目支出", "capital_budget.project"),
    ),
}


@dataclass(frozen=True)
class Row:
    """A row of a 功能分类 table: ``code`` is empty for the 合计 row."""

    code: str
    name: str
    level: str                     # 合计 / 类 / 款 / 项
    values: dict[str, Decimal]

    @property
    def is_empty(self) -> bool:
        return all(v == ZERO for v in self.values.values())


@dataclass(frozen=True)
class FunctionalTable:
    key: str
    columns: tuple[Column, ...]
    rows: tuple[Row, ...]          # 合计 first, then 类/款/项 in code order

    @property
    def total(self) -> Row:
        return self.rows[0]

    def row(self, code: str) -> Row | None:
        for row in self.rows:
            if row.code == code:
                return row
        return None

    def value(self, code: str, column: str) -> Decimal:
        row = self.row(code)
        return row.values[column] if row else ZERO

    @property
    def shown_columns(self) -> tuple[Column, ...]:
        return tuple(c for c in self.columns if c.shown)


def _row_values(columns, base: dict[str, Decimal], printed_row: FunctionalRow | None,
                ledger: Ledger, table: str, label: str, path: str,
                written: frozenset[str]) -> dict[str, Decimal]:
    values = dict(base)
    pending = [c for c in columns if c.formula]
    while pending:  # a derived column may use another (02: 合计 uses 财政拨款收入)
        col = next(c for c in pending if all(k in values for k, _ in c.formula))
        pending.remove(col)
        parts = [values[k] * s for k, s in col.formula]
        printed = col.printed(printed_row) if printed_row is not None else None
        if printed is not None and f"{path}.{col.field}" not in written:
            printed = None
        values[col.key] = ledger.settle(table, label, col.label, total(parts), printed,
                                        nonzero(parts), f"{path}.{col.field}")
    return values


def functional_table(key: str, data: UnitData, names: Names, ledger: Ledger,
                     written: frozenset[str]) -> FunctionalTable:
    """Table 02, 03, 05, 07 or 08: every 项 row with a figure, its 款 and 类, and 合计."""
    columns = TABLE_COLUMNS[key]
    base_cols = [c for c in columns if c.source is not None]
    leaves: dict[str, dict[str, Decimal]] = {}
    leaf_rows: dict[str, tuple[FunctionalRow, str]] = {}
    printed_rows: dict[str, tuple[FunctionalRow, str]] = {}
    for i, row in enumerate(data.functional):
        path = f"functional[{i}]"
        if len(row.code) == 7:
            leaves.setdefault(row.code, {c.key: c.source(row) for c in base_cols})
            leaf_rows.setdefault(row.code, (row, path))
        elif row.code:
            printed_rows.setdefault(row.code, (row, path))
    leaves = {code: vals for code, vals in leaves.items() if any(v != ZERO for v in vals.values())}

    def build(code: str, children: list[dict[str, Decimal]], printed: tuple[FunctionalRow, str] | None,
              label: str) -> dict[str, Decimal]:
        base = {}
        for col in base_cols:
            parts = [child[col.key] for child in children]
            computed = total(parts)
            value_printed = None
            path = ""
            if printed is not None:
                row, path = printed
                fpath = f"{path}.{col.field}"
                if fpath in written:
                    value_printed = col.printed(row)
            base[col.key] = ledger.settle(key, label, col.label, computed, value_printed,
                                          nonzero(parts), f"{path}.{col.field}")
        row, path = printed if printed is not None else (None, "")
        return _row_values(columns, base, row, ledger, key, label, path, written)

    rows_by_code: dict[str, Row] = {}
    leaf_values: dict[str, dict[str, Decimal]] = {}
    for code, base in sorted(leaves.items()):
        row, path = leaf_rows[code]
        leaf_values[code] = _row_values(columns, base, row, ledger, key, code, path, written)
    sections: dict[str, list[str]] = {}
    for code in leaf_values:
        sections.setdefault(code[:5], []).append(code)
    section_values = {
        sec: build(sec, [leaf_values[c] for c in codes], printed_rows.get(sec), sec)
        for sec, codes in sorted(sections.items())
    }
    classes: dict[str, list[str]] = {}
    for sec in section_values:
        classes.setdefault(sec[:3], []).append(sec)
    class_values = {
        cls: build(cls, [section_values[s] for s in secs], printed_rows.get(cls), cls)
        for cls, secs in sorted(classes.items(), key=lambda kv: _class_order(kv[0]))
    }
    totals = _printed_totals(key, data)
    grand = build("", list(class_values.values()), totals, "合计")

    rows = [Row("", "合计", "合计", grand)]
    for cls, secs in sorted(classes.items(), key=lambda kv: _class_order(kv[0])):
        rows.append(Row(cls, names.functional(cls) or "", "类", class_values[cls]))
        for sec in secs:
            rows.append(Row(sec, names.functional(sec) or "", "款", section_values[sec]))
            for code in sections[sec]:
                rows_by_code[code] = Row(code, _leaf_name(leaf_rows[code][0], names), "项", leaf_values[code])
                rows.append(rows_by_code[code])
    return FunctionalTable(key, columns, tuple(rows))


def _leaf_name(row: FunctionalRow, names: Names) -> str:
    return row.name.strip() or names.functional(row.code) or ""


def _class_order(code: str) -> int:
    for i, (c, _) in enumerate(catalogue.CLASSES):
        if c == code:
            return i
    return len(catalogue.CLASSES) + int(code)


def _printed_totals(key: str, data: UnitData) -> tuple[FunctionalRow, str] | None:
    """The 合计 row the unit copied, seen as a FunctionalRow for the column readers."""
    section = {"02": "income", "03": "expenditure", "05": "general_budget"}.get(key)
    if section is None:
        return None
    t = data.totals
    return (FunctionalRow(code="", income=t.income, expenditure=t.expenditure,
                          general_budget=t.general_budget), "totals")


# ------------------------------------------------------------------ table 06


@dataclass(frozen=True)
class EconomicRow:
    code: str
    name: str
    amount: Decimal
    is_group: bool


@dataclass(frozen=True)
class Table06:
    """一般公共预算财政拨款基本支出决算明细表."""

    groups: dict[str, tuple[EconomicRow, ...]]   # group code → its row then its items
    personnel: Decimal                            # 人员经费合计
    public: Decimal                               # 公用经费合计

    def group_total(self, group: str) -> Decimal:
        return self.groups[group][0].amount

    def items(self, groups: Iterable[str]) -> list[EconomicRow]:
        return [row for g in groups for row in self.groups[g][1:]]

    @property
    def basic_total(self) -> Decimal:
        return self.personnel + self.public


def table_06(data: UnitData, names: Names, ledger: Ledger) -> Table06:
    items = data.basic_items.items
    groups: dict[str, tuple[EconomicRow, ...]] = {}
    for group in catalogue.ECONOMIC_GROUP_ORDER:
        codes = list(catalogue.economic_items_of(group))
        codes += sorted(c for c in items if len(c) == 5 and c.startswith(group) and c not in codes)
        rows = []
        for code in codes:
            entry = items.get(code)
            amount = entry.amount if entry else ZERO
            name = (entry.name.strip() if entry and entry.name else "") or names.economic(code) or ""
            rows.append(EconomicRow(code, name, amount, False))
        printed = items[group].amount if group in items else None
        value = ledger.settle("06", group, "决算数", total(r.amount for r in rows), printed,
                              nonzero(r.amount for r in rows), f"basic_items.items.{group}")
        groups[group] = (EconomicRow(group, names.economic(group) or "", value, True), *rows)
    bi = data.basic_items
    personnel_parts = [groups[g][0].amount for g in catalogue.PERSONNEL_GROUPS]
    personnel = ledger.settle("06", "人员经费合计", "决算数", total(personnel_parts), bi.personnel_total,
                              nonzero(personnel_parts), "basic_items.personnel_total")
    public_parts = [groups[g][0].amount for g in catalogue.PUBLIC_GROUPS]
    public = ledger.settle("06", "公用经费合计", "决算数", total(public_parts), bi.public_total,
                           nonzero(public_parts), "basic_items.public_total")
    return Table06(groups, personnel, public)


# ------------------------------------------------------------------ table 09


THREE_PUBLIC_KEYS = ("total", "abroad", "vehicle_total", "vehicle_purchase", "vehicle_operation", "reception")


@dataclass(frozen=True)
class ThreePublicRow:
    total: Decimal
    abroad: Decimal
    vehicle_total: Decimal
    vehicle_purchase: Decimal
    vehicle_operation: Decimal
    reception: Decimal

    def values(self) -> tuple[Decimal, ...]:
        return tuple(getattr(self, k) for k in THREE_PUBLIC_KEYS)


def three_public_row(amounts, ledger: Ledger, label: str, path: str) -> ThreePublicRow:
    vehicle_parts = [amounts.vehicle_purchase, amounts.vehicle_operation]
    vehicle = ledger.settle("09", label, "公务用车购置及运行维护费小计", total(vehicle_parts),
                            amounts.vehicle_total, nonzero(vehicle_parts), f"{path}.vehicle_total")
    parts = [amounts.abroad, vehicle, amounts.reception]
    value = ledger.settle("09", label, "合计", total(parts), amounts.total, nonzero(parts), f"{path}.total")
    return ThreePublicRow(value, amounts.abroad, vehicle, amounts.vehicle_purchase,
                          amounts.vehicle_operation, amounts.reception)


@dataclass(frozen=True)
class Table09:
    budget: ThreePublicRow
    actual: ThreePublicRow
    last_year: ThreePublicRow | None    # stated for the narrative's comparisons, or None


def table_09(data: UnitData, ledger: Ledger) -> Table09:
    tp = data.three_public
    return Table09(
        three_public_row(tp.budget, ledger, "预算数", "three_public.budget"),
        three_public_row(tp.actual, ledger, "决算数", "three_public.actual"),
        three_public_row(tp.last_year, ledger, "上年决算数", "three_public.last_year") if tp.last_year else None,
    )


# ------------------------------------------------------------------ tables 01 and 04


@dataclass(frozen=True)
class Line:
    """A labelled amount of table 01 or 04 (one side, one row)."""

    label: str
    amount: Decimal
    indent: int = 0


@dataclass(frozen=True)
class Table01:
    income: tuple[Line, ...]          # 8 sources
    income_total: Decimal             # 本年收入合计
    non_fiscal_surplus_used: Decimal
    opening: Decimal
    income_grand: Decimal             # 总计
    expenditure: tuple[Line, ...]     # 26 类
    expenditure_total: Decimal        # 本年支出合计
    surplus_distribution: Decimal
    closing: Decimal
    expenditure_grand: Decimal


INCOME_SOURCES = (
    ("general", "一般公共预算财政拨款收入"),
    ("fund", "政府性基金预算财政拨款收入"),
    ("capital", "国有资本经营预算财政拨款收入"),
    ("superior", "上级补助收入"),
    ("business", "事业收入"),
    ("operating", "经营收入"),
    ("affiliated", "附属单位上缴收入"),
    ("other", "其他收入"),
)


def table_01(data: UnitData, t02: FunctionalTable, t03: FunctionalTable) -> Table01:
    b = data.balances
    income = tuple(Line(label, t02.total.values[key]) for key, label in INCOME_SOURCES)
    income_total = t02.total.values["total"]
    expenditure = tuple(Line(name, t03.value(code, "total")) for code, name in catalogue.CLASSES)
    expenditure_total = t03.total.values["total"]
    return Table01(
        income, income_total, b.non_fiscal_surplus_used, b.opening,
        income_total + b.non_fiscal_surplus_used + b.opening,
        expenditure, expenditure_total, b.surplus_distribution, b.closing,
        expenditure_total + b.surplus_distribution + b.closing,
    )


FISCAL_KINDS = (("general", "一般公共预算财政拨款"), ("fund", "政府性基金预算财政拨款"),
                ("capital", "国有资本经营预算财政拨款"))


@dataclass(frozen=True)
class Table04Row:
    label: str
    total: Decimal
    general: Decimal
    fund: Decimal
    capital: Decimal


@dataclass(frozen=True)
class Table04:
    income: tuple[Line, ...]              # the three kinds
    income_total: Decimal
    opening: tuple[Line, ...]             # 年初财政拨款结转和结余 by kind
    opening_total: Decimal
    income_grand: Decimal
    expenditure: tuple[Table04Row, ...]   # 26 类
    expenditure_total: Table04Row
    closing: Table04Row                   # 年末财政拨款结转和结余
    closing_by_kind: tuple[Line, ...]
    expenditure_grand: Table04Row


def table_04(data: UnitData, t02: FunctionalTable, t05: FunctionalTable, t07: FunctionalTable,
             t08: FunctionalTable) -> Table04:
    income = tuple(Line(label, t02.total.values[key]) for key, label in FISCAL_KINDS)
    income_total = total(line.amount for line in income)
    fo, fc = data.balances.fiscal_opening, data.balances.fiscal_closing
    opening = tuple(Line(label, getattr(fo, key), 1) for key, label in FISCAL_KINDS)
    opening_total = total(line.amount for line in opening)

    def row(label: str, general: Decimal, fund: Decimal, capital: Decimal) -> Table04Row:
        return Table04Row(label, general + fund + capital, general, fund, capital)

    expenditure = tuple(
        row(name, t05.value(code, "total"), t07.value(code, "total"), t08.value(code, "total"))
        for code, name in catalogue.CLASSES
    )
    exp_total = row("本年支出合计", t05.total.values["total"], t07.total.values["total"],
                    t08.total.values["total"])
    closing = row("年末财政拨款结转和结余", fc.general, fc.fund, fc.capital)
    closing_by_kind = tuple(Line(label, getattr(fc, key), 1) for key, label in FISCAL_KINDS)
    grand = row("总计", exp_total.general + closing.general, exp_total.fund + closing.fund,
                exp_total.capital + closing.capital)
    return Table04(income, income_total, opening, opening_total, income_total + opening_total,
                   expenditure, exp_total, closing, closing_by_kind, grand)


# ------------------------------------------------------------------ all tables


@dataclass(frozen=True)
class Tables:
    t01: Table01
    t02: FunctionalTable
    t03: FunctionalTable
    t04: Table04
    t05: FunctionalTable
    t06: Table06
    t07: FunctionalTable
    t08: FunctionalTable
    t09: Table09
    comparisons: tuple[Comparison, ...]


def compute_tables(data: UnitData, written: frozenset[str], names: Names | None = None) -> Tables:
    """All nine tables of 第二部分, with every printed-vs-computed comparison."""
    names = names or catalogue.unit_names(data)
    ledger = Ledger(data.unit.amount_unit)
    t02 = functional_table("02", data, names, ledger, written)
    t03 = functional_table("03", data, names, ledger, written)
    t05 = functional_table("05", data, names, ledger, written)
    t07 = functional_table("07", data, names, ledger, written)
    t08 = functional_table("08", data, names, ledger, written)
    t06 = table_06(data, names, ledger)
    t09 = table_09(data, ledger)
    return Tables(
        table_01(data, t02, t03), t02, t03, table_04(data, t02, t05, t07, t08), t05, t06, t07, t08, t09,
        tuple(ledger.comparisons),
    )
