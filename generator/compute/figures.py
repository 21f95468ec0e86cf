"""The derived figures of 第三部分 (primer §5), as pure functions of the tables.

Shares, changes and completion rates are :class:`~generator.money.Ratio` and
:class:`~generator.money.Change` values: exact, unrounded, with the zero
denominator a value of its own.  The narrative and ``figures --json`` read
them from here; nothing downstream computes a number.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from ..model import catalogue
from ..model.catalogue import Names
from ..model import UnitData
from ..money import ZERO, Change, Ratio, change, ratio, total
from .evaluation import in_unit, projects_of
from .tables import Comparison, Tables, Ledger, nonzero, compute_tables


@dataclass(frozen=True)
class Share:
    """A labelled amount and its share of a whole (占 Y%)."""

    label: str
    amount: Decimal
    share: Ratio
    code: str = ""


def shares(items: list[tuple[str, Decimal]], whole: Decimal) -> tuple[Share, ...]:
    return tuple(Share(label, amount, ratio(amount, whole)) for label, amount in items)


@dataclass(frozen=True)
class BudgetLine:
    """One line of 五（三）: a 功能分类 code's 年初预算 against its 决算."""

    code: str
    level: str                 # 类 / 款 / 项
    title: str                 # 社会保障和就业支出（类）人力资源和社会保障管理事务（款）…（项）
    budget: Decimal
    actual: Decimal
    completion: Ratio
    reason: str
    path: str                  # where the budget was written (for issues)

    @property
    def comparison(self) -> int:
        """+1 when 决算 > 年初预算, −1 when smaller, 0 when equal."""
        return (self.actual > self.budget) - (self.actual < self.budget)


@dataclass(frozen=True)
class ClassChange:
    """One 类 of the 一般公共预算财政拨款支出 against last year (where the unit stated last year's)."""

    code: str
    label: str
    change: Change
    reason: str


@dataclass(frozen=True)
class ThreePublicItem:
    label: str
    budget: Decimal
    actual: Decimal
    last_year: Decimal | None       # None when the unit did not state last year's figures
    completion: Ratio
    change: Change | None


@dataclass(frozen=True)
class Procurement:
    total: Decimal
    goods: Decimal
    works: Decimal
    services: Decimal
    sme: Decimal
    sme_share: Ratio              # of 总额
    small_micro: Decimal
    small_micro_share: Ratio      # of the 中小企业 amount
    kind_sme_shares: tuple[Share, ...]   # 货物/工程/服务: sme of the kind's amount
    kind_shares: tuple[Share, ...]       # 货物/工程/服务 of 总额


@dataclass(frozen=True)
class Count:
    """A labelled count (车辆 by use, …)."""

    label: str
    count: int


VEHICLE_CATEGORIES = (
    ("ministerial", "副部（省）级及以上领导用车"), ("principal", "主要负责人用车"),
    ("confidential", "机要通信用车"), ("emergency", "应急保障用车"), ("law_enforcement", "执法执勤用车"),
    ("special", "特种专业技术用车"), ("retired_service", "离退休干部服务用车"), ("other", "其他用车"),
)


@dataclass(frozen=True)
class RunningCostSplit:
    """机关运行经费 by the unit's kind (公开10表): all of it under 行政单位 or 参公事业单位."""

    total: Decimal
    administrative: Decimal            # 行政单位
    civil_service_managed: Decimal     # 参照公务员法管理事业单位


@dataclass(frozen=True)
class Table10:
    """公开10表 部门决算公开相关信息统计表: 政府采购, 机关运行经费, 车辆, 大型设备."""

    procurement: "Procurement"
    running_cost: RunningCostSplit
    vehicles_total: int
    vehicles: tuple[Count, ...]
    equipment_over_1m: int


@dataclass(frozen=True)
class EvaluatedKind:
    label: str
    projects: int
    amount: Decimal
    share: Ratio                  # of that budget kind's expenditure


@dataclass(frozen=True)
class GroupFigure:
    """An economic group of 06 against its 年初预算 and last year's 决算."""

    code: str
    label: str
    actual: Decimal
    against_budget: Change | None        # None: the budget was not stated
    against_last_year: Change | None
    reason: str


@dataclass(frozen=True)
class Figures:
    """Every figure the document states, computed once."""

    amount_unit: str
    tables: Tables
    # 一 / 四
    grand_total: Decimal
    grand_change: Change | None       # None: last year's figure not stated, no comparison
    fiscal_total: Decimal
    fiscal_change: Change | None
    # 二 / 三
    income_total: Decimal
    income_shares: tuple[Share, ...]
    expenditure_total: Decimal
    expenditure_shares: tuple[Share, ...]
    # 五
    general_total: Decimal
    general_share_of_expenditure: Ratio
    general_change: Change | None
    general_by_class: tuple[Share, ...]
    general_class_changes: tuple[ClassChange, ...]   # each 类 against last year's (stated ones only)
    fund_change: Change | None
    capital_change: Change | None
    budget_total: Decimal
    budget_base: str                  # 年初预算 or 全年预算: what completion is measured against
    budget_completion: Ratio
    budget_lines: tuple[BudgetLine, ...]
    # 六
    basic_total: Decimal
    personnel: Decimal
    personnel_share: Ratio
    personnel_items: tuple[str, ...]
    public: Decimal
    public_share: Ratio
    public_items: tuple[str, ...]
    groups: tuple[GroupFigure, ...]
    # 七
    three_public: ThreePublicItem
    three_public_items: tuple[ThreePublicItem, ...]   # 出国, 车小计, 购置, 运行, 接待
    # 八
    fund_income: Decimal
    fund_expenditure: Decimal
    capital_expenditure: Decimal
    # 九
    running_cost: Decimal
    running_cost_base: str            # "budget", "last_year" or ""
    running_cost_change: Change | None
    # 十一
    procurement: Procurement
    # 十二
    vehicles_total: int
    vehicles: tuple[Count, ...]
    equipment_over_1m: int
    t10: Table10
    # 十三
    evaluated: tuple[EvaluatedKind, ...]
    evaluated_projects: int
    evaluated_amount: Decimal
    comparisons: tuple[Comparison, ...]


def compute(data: UnitData, written: frozenset[str] = frozenset(), evaluation=None,
            names: Names | None = None, completion_base: str = "initial") -> Figures:
    """Tables and every derived figure of the unit.

    ``completion_base`` is what 五（三） measures 决算 against: ``initial`` (年初预算) or
    ``full_year`` (全年预算, the adjusted budget), as the profile says.

    ``evaluation`` (the scored 绩效 forms) supplies 十三's counts and money
    when the file carries 绩效 data; otherwise the ``performance`` figures
    the unit wrote are used.
    """
    names = names or catalogue.unit_names(data)
    tables = compute_tables(data, written, names)
    ledger = Ledger(data.unit.amount_unit)
    t01, t02, t03, t05, t06 = tables.t01, tables.t02, tables.t03, tables.t05, tables.t06
    ly = data.last_year

    income_total = t01.income_total
    inc = t02.total.values
    income_shares = shares([
        ("财政拨款收入", inc["fiscal"]), ("上级补助收入", inc["superior"]), ("事业收入", inc["business"]),
        ("经营收入", inc["operating"]), ("附属单位上缴收入", inc["affiliated"]), ("其他收入", inc["other"]),
    ], income_total)
    expenditure_total = t01.expenditure_total
    exp = t03.total.values
    expenditure_shares = shares([
        ("基本支出", exp["basic"]), ("项目支出", exp["project"]), ("上缴上级支出", exp["remit"]),
        ("经营支出", exp["operating"]), ("对附属单位补助支出", exp["subsidy"]),
    ], expenditure_total)

    general_total = t05.total.values["total"]
    general_by_class = tuple(
        Share(row.name, row.values["total"], ratio(row.values["total"], general_total), row.code)
        for row in t05.rows if row.level == "类"
    )
    full_year = completion_base == "full_year"
    lines = budget_lines(data, tables, names, full_year)
    budget_parts = [line.budget for line in lines]
    # The 年初预算合计 (or 全年预算合计, where the profile measures against the adjusted budget)
    # is the approved budget, a figure of its own: when the unit states it, completion is
    # measured against it, and its lines are checked against it (an error beyond a tail).
    stated_total = data.initial_budget.full_year_total if full_year else data.initial_budget.total
    base_name = "全年预算" if full_year else "年初预算"
    budget_sum = ledger.settle("budget", f"{base_name}合计", f"{base_name}数", total(budget_parts),
                               stated_total, nonzero(budget_parts),
                               "initial_budget.full_year_total" if full_year else "initial_budget.total")
    budget_total = stated_total if stated_total is not None else budget_sum

    basic_total = t05.total.values["basic"]
    personnel_items = tuple(r.name for r in t06.items(catalogue.PERSONNEL_GROUPS) if r.amount != ZERO)
    public_items = tuple(r.name for r in t06.items(catalogue.PUBLIC_GROUPS) if r.amount != ZERO)

    t09 = tables.t09

    def tp_item(label: str, key: str) -> ThreePublicItem:
        b, a = getattr(t09.budget, key), getattr(t09.actual, key)
        l = getattr(t09.last_year, key) if t09.last_year is not None else None
        return ThreePublicItem(label, b, a, l, ratio(a, b), compared(a, l))

    rc = data.running_cost
    running = rc.amount if rc.amount is not None else t06.public
    if rc.initial_budget is not None:
        running_base, running_change = "budget", change(running, rc.initial_budget)
    elif rc.last_year is not None:
        running_base, running_change = "last_year", change(running, rc.last_year)
    else:
        running_base, running_change = "", None

    v = data.assets.vehicles
    vehicles = tuple(Count(label, getattr(v, key)) for key, label in VEHICLE_CATEGORIES)
    vehicles_total = sum(c.count for c in vehicles)
    kind = data.unit.kind
    split = RunningCostSplit(running, running if kind == "行政单位" else ZERO,
                             running if kind == "参照公务员法管理事业单位" else ZERO)

    perf = data.performance
    kinds = (
        ("一般公共预算", perf.general, general_total),
        ("政府性基金预算", perf.fund, tables.t07.total.values["total"]),
        ("国有资本经营预算", perf.capital, tables.t08.total.values["total"]),
        ("社会保险基金预算", perf.social_insurance, perf.social_insurance_expenditure),
    )
    if evaluation is not None:
        unit = data.unit.amount_unit
        projects = projects_of(evaluation)
        evaluated = tuple(
            EvaluatedKind(label, len(mine), amount, ratio(amount, whole))
            for label, _, whole in kinds
            for mine in [[p for p in projects if p.evaluation.budget_kind == label]]
            for amount in [total(in_unit(p, p.evaluation.funds.executed, unit) for p in mine)]
        )
    else:
        evaluated = tuple(EvaluatedKind(label, p.projects, p.amount, ratio(p.amount, whole))
                          for label, p, whole in kinds)

    purchases = procurement(data, ledger)
    return Figures(
        amount_unit=data.unit.amount_unit,
        tables=tables,
        grand_total=t01.income_grand,
        grand_change=compared(t01.income_grand, ly.total),
        fiscal_total=tables.t04.income_grand,
        fiscal_change=compared(tables.t04.income_grand, ly.fiscal_total),
        income_total=income_total,
        income_shares=income_shares,
        expenditure_total=expenditure_total,
        expenditure_shares=expenditure_shares,
        general_total=general_total,
        general_share_of_expenditure=ratio(general_total, expenditure_total),
        general_change=compared(general_total, ly.general_budget),
        general_by_class=general_by_class,
        general_class_changes=class_changes(data, general_by_class, names),
        fund_change=compared(tables.t07.total.values["total"], ly.fund_expenditure),
        capital_change=compared(tables.t08.total.values["total"], ly.capital_expenditure),
        budget_total=budget_total,
        budget_base=base_name,
        budget_completion=ratio(general_total, budget_total),
        budget_lines=lines,
        basic_total=basic_total,
        personnel=t06.personnel,
        personnel_share=ratio(t06.personnel, basic_total),
        personnel_items=personnel_items,
        public=t06.public,
        public_share=ratio(t06.public, basic_total),
        public_items=public_items,
        groups=tuple(
            GroupFigure(code, t06.groups[code][0].name, t06.group_total(code),
                        compared(t06.group_total(code), cmp.initial_budget),
                        compared(t06.group_total(code), cmp.last_year), cmp.reason.strip())
            for code in catalogue.ECONOMIC_GROUP_ORDER
            for cmp in [data.economic_groups.get(code)] if cmp is not None
        ),
        three_public=tp_item("“三公”经费", "total"),
        three_public_items=(
            tp_item("因公出国（境）费", "abroad"),
            tp_item("公务用车购置及运行维护费", "vehicle_total"),
            tp_item("公务用车购置费", "vehicle_purchase"),
            tp_item("公务用车运行维护费", "vehicle_operation"),
            tp_item("公务接待费", "reception"),
        ),
        fund_income=tables.t07.total.values["income"],
        fund_expenditure=tables.t07.total.values["total"],
        capital_expenditure=tables.t08.total.values["total"],
        running_cost=running,
        running_cost_base=running_base,
        running_cost_change=running_change,
        procurement=purchases,
        vehicles_total=vehicles_total,
        vehicles=vehicles,
        equipment_over_1m=data.assets.equipment_over_1m,
        t10=Table10(purchases, split, vehicles_total, vehicles, data.assets.equipment_over_1m),
        evaluated=evaluated,
        evaluated_projects=sum(k.projects for k in evaluated),
        evaluated_amount=total(k.amount for k in evaluated),
        comparisons=tables.comparisons + tuple(ledger.comparisons),
    )


def compared(current: Decimal, base: Decimal | None) -> Change | None:
    """This year against a base the unit stated; no base written, no comparison (never an invented 0)."""
    return change(current, base) if base is not None else None


def class_changes(data: UnitData, this_year: tuple[Share, ...], names: Names) -> tuple[ClassChange, ...]:
    """Each 类 of this year or last year against the other, for the classes whose last-year figure
    the unit stated (``last_year.general_by_class``); a class spent last year only is a decrease to 0."""
    stated = data.last_year.general_by_class
    if not stated:
        return ()
    current = {s.code: s for s in this_year}
    codes = sorted(set(current) | set(stated))
    return tuple(
        ClassChange(code, current[code].label if code in current else (names.functional(code) or code),
                    change(current[code].amount if code in current else ZERO, stated[code]),
                    data.reasons.by_class.get(code, "").strip())
        for code in codes if code in stated)


def line_title(code: str, names: Names) -> str:
    """`X支出（类）Y（款）Z（项）`, every name taken from its code."""
    parts = [(code[:3], "类"), (code[:5], "款"), (code, "项")][: {3: 1, 5: 2, 7: 3}[len(code)]]
    return "".join(f"{names.functional(c) or c}（{level}）" for c, level in parts)


def budget_lines(data: UnitData, tables: Tables, names: Names, full_year: bool = False) -> tuple[BudgetLine, ...]:
    """Each budget line the unit wrote, and every 项 spent without a budget line; measured against
    its 年初预算数, or its 全年预算数 where the profile compares with the adjusted budget (a line
    without one is compared with zero, and the checker says it is missing)."""
    t05 = tables.t05
    written = data.initial_budget.lines
    lines = []
    for code, entry in written.items():
        actual = t05.value(code, "total")
        budget = (entry.full_year if entry.full_year is not None else ZERO) if full_year else entry.amount
        lines.append(BudgetLine(code, catalogue_level(code), line_title(code, names), budget, actual,
                                ratio(actual, budget), entry.reason.strip(),
                                f"initial_budget.lines.{code}"))
    for row in t05.rows:
        if row.level == "项" and not any(row.code.startswith(c) for c in written):
            actual = row.values["total"]
            lines.append(BudgetLine(row.code, "项", line_title(row.code, names), ZERO, actual,
                                    ratio(actual, ZERO), "", "initial_budget.lines"))
    return tuple(sorted(lines, key=lambda line: line.code))


def catalogue_level(code: str) -> str:
    return {3: "类", 5: "款", 7: "项"}[len(code)]


def procurement(data: UnitData, ledger: Ledger) -> Procurement:
    p = data.procurement
    kinds = (("货物", p.goods), ("工程", p.works), ("服务", p.services))
    amounts = [k.amount for _, k in kinds]
    total_amount = ledger.settle("procurement", "政府采购支出总额", "金额", total(amounts), p.total,
                                 nonzero(amounts), "procurement.total")
    smes = [k.sme for _, k in kinds]
    sme = ledger.settle("procurement", "授予中小企业合同金额", "金额", total(smes), p.sme_total,
                        nonzero(smes), "procurement.sme_total")
    return Procurement(
        total=total_amount, goods=p.goods.amount, works=p.works.amount, services=p.services.amount,
        sme=sme, sme_share=ratio(sme, total_amount),
        small_micro=p.small_micro, small_micro_share=ratio(p.small_micro, sme),
        kind_sme_shares=tuple(Share(label, k.sme, ratio(k.sme, k.amount)) for label, k in kinds),
        kind_shares=tuple(Share(label, k.amount, ratio(k.amount, total_amount)) for label, k in kinds),
    )
