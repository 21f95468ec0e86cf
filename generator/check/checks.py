"""Validation: each identity (勾稽关系) of primer §4 as a small pure check.

A check is ``(Context) -> list[Issue]`` with a stable code.  Structure checks
run first; the identity and compliance checks run on a well-formed model.
Differences within a rounding tail are warnings, larger ones errors; every
message shows both sides, the difference and the tolerance.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, fields, is_dataclass
from decimal import Decimal
from typing import Any, Callable

from ..model import catalogue
from ..compute.figures import Figures
from ..issues import Issue, Severity
from ..load.loader import Loaded
from ..model import UnitData, texts
from ..money import ZERO, Change, Ratio, convert, quantize_half_up, ratio, total
from ..compute.tables import Comparison, tail_tolerance

ERROR, WARNING = Severity.ERROR, Severity.WARNING


@dataclass(frozen=True)
class Context:
    loaded: Loaded
    figures: Figures | None = None

    @property
    def data(self) -> UnitData:
        assert self.loaded.data is not None
        return self.loaded.data

    @property
    def unit(self) -> str:
        return self.data.unit.amount_unit

    def issue(self, path: str, code: str, severity: Severity, message: str) -> Issue:
        return Issue(self.loaded.file, self.loaded.line(path), path, code, severity, message)

    def amount(self, value: Decimal) -> str:
        """An amount in a message: exact, as the unit wrote it."""
        return f"{value:f}"

    def differ(self, path: str, code: str, left: str, lvalue: Decimal, right: str, rvalue: Decimal,
               parts: int) -> list[Issue]:
        """An identity ``left = right``: nothing, a tail warning or an error."""
        diff = lvalue - rvalue
        if diff == ZERO:
            return []
        tolerance = tail_tolerance(parts, self.unit)
        tail = abs(diff) <= tolerance
        note = f"尾数误差，容差 {tolerance:f}" if tail else f"超出尾数误差容差 {tolerance:f}"
        return [self.issue(path, code, WARNING if tail else ERROR,
                           f"{left} {self.amount(lvalue)} ≠ {right} {self.amount(rvalue)}"
                           f"（差 {self.amount(diff)}，{note}）")]


Check = Callable[[Context], list[Issue]]

# ------------------------------------------------------------------ structure


def check_codes_known(ctx: Context) -> list[Issue]:
    """Every code has a name, and so do its 类 and 款: from the file, the county or the catalogue.

    A 项 printed under a 款 the catalogue does not know would print that 款 with no
    name (and the sentence 农林水支出（类）21301（款）…): its name must be written."""
    names = ctx.loaded.names
    issues = []
    reported: set[str] = set()
    for i, row in enumerate(ctx.data.functional):
        if row.code and not row.name.strip() and names.functional(row.code) is None:
            reported.add(row.code)
            issues.append(ctx.issue(f"functional[{i}].code", "CODE-UNKNOWN", ERROR,
                                    f"科目编码 {row.code} 不在标准目录中，也没有填写名称：请核对编码，或在该行写 name"))
        for parent, level in ((row.code[:3], "类"), (row.code[:5], "款")):
            if len(row.code) > len(parent) and parent not in reported and names.functional(parent) is None:
                reported.add(parent)
                issues.append(ctx.issue(
                    f"functional[{i}].code", "CODE-UNKNOWN", ERROR,
                    f"科目 {row.code} 所属的{level} {parent} 不在标准目录中，文件中也没有它的名称："
                    f"请在 names 中写“\"{parent}\": 名称”（全县共用的名称可写在 _defaults.yaml 的 catalogue 中）"))
    for code, item in ctx.data.basic_items.items.items():
        if code[:3] not in catalogue.ECONOMIC_GROUP_ORDER:
            issues.append(ctx.issue(f"basic_items.items.{code}", "CODE-UNKNOWN", ERROR,
                                    f"经济分类编码 {code} 不属于公开06表的任何一类（{'、'.join(catalogue.ECONOMIC_GROUP_ORDER)}）"))
        elif not item.name.strip() and names.economic(code) is None:
            issues.append(ctx.issue(f"basic_items.items.{code}", "CODE-UNKNOWN", ERROR,
                                    f"经济分类编码 {code} 不在标准目录中，也没有填写名称：请核对编码，或写成 {{amount: 金额, name: 名称}}"))
    for code in ctx.data.economic_groups:
        if code not in catalogue.ECONOMIC_GROUP_ORDER:
            issues.append(ctx.issue(f"economic_groups.{code}", "CODE-UNKNOWN", ERROR,
                                    f"economic_groups 只能写经济分类类级编码（{'、'.join(catalogue.ECONOMIC_GROUP_ORDER)}），"
                                    f"这里写的是 {code}"))
    for code in ctx.data.initial_budget.lines:
        if names.functional(code) is None:
            issues.append(ctx.issue(f"initial_budget.lines.{code}", "CODE-UNKNOWN", ERROR,
                                    f"年初预算的科目编码 {code} 不在标准目录中：请核对编码，或在 names 中写出名称"))
        for parent, level in ((code[:3], "类"), (code[:5], "款")):
            if len(code) > len(parent) and parent not in reported and names.functional(parent) is None:
                reported.add(parent)
                issues.append(ctx.issue(
                    f"initial_budget.lines.{code}", "CODE-UNKNOWN", ERROR,
                    f"年初预算科目 {code} 所属的{level} {parent} 不在标准目录中，文件中也没有它的名称："
                    f"请在 names 中写“\"{parent}\": 名称”"))
    return issues


def check_codes_unique(ctx: Context) -> list[Issue]:
    """A 功能分类 code appears once among the rows."""
    seen: dict[str, int] = {}
    issues = []
    for i, row in enumerate(ctx.data.functional):
        if not row.code:
            continue
        if row.code in seen:
            first = ctx.loaded.line(f"functional[{seen[row.code]}]")
            issues.append(ctx.issue(f"functional[{i}].code", "CODE-DUPLICATE", ERROR,
                                    f"科目编码 {row.code} 重复出现（第一次在第{first}行）；同一科目的数字请写在同一行"))
        else:
            seen[row.code] = i
    return issues


def check_subtotal_rows_have_items(ctx: Context) -> list[Issue]:
    """A printed 类/款 row with no 项 row beneath it would be dropped silently."""
    leaves = [row.code for row in ctx.data.functional if len(row.code) == 7]
    return [ctx.issue(f"functional[{i}].code", "CODE-NO-ITEMS", ERROR,
                      f"{row.code} 是{'类' if len(row.code) == 3 else '款'}级科目（打印的小计行，只用于核对），"
                      "但下面没有任何7位“项”级科目，它的数字不会进入任何表；请写出它所含的项")
            for i, row in enumerate(ctx.data.functional)
            if len(row.code) in (3, 5) and not any(leaf.startswith(row.code) for leaf in leaves)]


def check_names_match_codes(ctx: Context) -> list[Issue]:
    """A name written in the file for a code the catalogue (or the county) names otherwise is shown with both."""
    names = ctx.loaded.names
    written = [(f"functional[{i}].name", row.code, row.name) for i, row in enumerate(ctx.data.functional)]
    written += [(f"names.{code}", code, name) for code, name in ctx.data.names.items()]
    written += [(f"basic_items.items.{code}.name", code, item.name)
                for code, item in ctx.data.basic_items.items.items()]
    issues = []
    for path, code, name in written:
        official = names.catalogued(code)
        if name.strip() and official and _normal(name) != _normal(official):
            source = "县里的 catalogue" if code in names.county else "标准目录"
            issues.append(ctx.issue(path, "NAME-DIFFERS", WARNING,
                                    f"科目 {code} 在{source}中的名称是“{official}”，这里写的是“{name.strip()}”；"
                                    "文件中将使用这里写的名称，请核对编码是否正确"))
    return issues


def _normal(name: str) -> str:
    """A name compared loosely: no spaces, ASCII and full-width brackets alike."""
    return "".join(name.split()).replace("(", "（").replace(")", "）")


def check_budget_lines_disjoint(ctx: Context) -> list[Issue]:
    """A budget line and a line of its 类 or 款 would count the same money twice."""
    codes = list(ctx.data.initial_budget.lines)
    return [ctx.issue(f"initial_budget.lines.{code}", "BUDGET-OVERLAP", ERROR,
                      f"年初预算同时写了 {parent} 和它下级的 {code}，同一笔预算会被算两次")
            for code in codes for parent in codes if code != parent and code.startswith(parent)]


STRUCTURE_CHECKS: tuple[Check, ...] = (
    check_codes_known,
    check_codes_unique,
    check_subtotal_rows_have_items,
    check_names_match_codes,
    check_budget_lines_disjoint,
)

# ------------------------------------------------------------------ identities

_TABLE_CODES = {"02": "T02-SUM", "03": "T03-SUM", "05": "T05-SUM", "07": "T07-SUM", "08": "T08-SUM",
                "06": "T06-SUM", "09": "T09-SUM", "budget": "BUDGET-SUM", "procurement": "PROC-SUM"}
_TABLE_NAMES = {"budget": "年初预算", "procurement": "政府采购"}


def check_printed_totals(ctx: Context) -> list[Issue]:
    """Every printed subtotal equals the sum of its parts (类 = Σ款, 302 = Σ items, …).

    Comparisons with the same row and the same two figures (the 合计 row of
    02, 03 and 05 when the three tables share their rows) are one issue.
    """
    groups: dict[tuple, list[Comparison]] = {}
    for cmp in ctx.figures.comparisons:
        if not cmp.agrees:
            groups.setdefault((cmp.row, cmp.printed, cmp.computed), []).append(cmp)
    issues = []
    for (row, printed, computed), cmps in groups.items():
        first = cmps[0]
        where = "、".join(
            f"{_TABLE_NAMES.get(c.table, c.table + '表')}“{c.column}”" for c in cmps)
        tail = all(c.is_tail for c in cmps)
        tolerance = max(c.tolerance for c in cmps)
        note = f"尾数误差，容差 {tolerance:f}" if tail else f"超出尾数误差容差 {tolerance:f}"
        issues.append(ctx.issue(
            first.path, _TABLE_CODES.get(first.table, "SUM"), WARNING if tail else ERROR,
            (f"{where}：" if len(cmps) > 1 else "") + f"打印数 {printed:f} ≠ 各项相加 {computed:f}"
            f"（差 {printed - computed:f}，{note}）" + ("" if tail else _USED.get(first.table, "；文件中使用各项相加之数")),
        ))
    return issues


_USED = {"budget": "；完成率按填写的年初预算合计计算，请核对各行预算"}


def check_01_balance(ctx: Context) -> list[Issue]:
    """01: 收入总计 = 支出总计."""
    t = ctx.figures.tables.t01
    parts = 3 + 3
    return ctx.differ("balances", "T01-BALANCE", "公开01表收入总计", t.income_grand,
                      "支出总计（本年支出合计 + 结余分配 + 年末结转和结余）", t.expenditure_grand, parts)


def check_04_balance(ctx: Context) -> list[Issue]:
    """04: for each kind of 财政拨款, 年初 + 本年收入 = 本年支出 + 年末."""
    t = ctx.figures.tables.t04
    issues = []
    fo, fc = ctx.data.balances.fiscal_opening, ctx.data.balances.fiscal_closing
    for (key, label), income in zip((("general", "一般公共预算财政拨款"), ("fund", "政府性基金预算财政拨款"),
                                     ("capital", "国有资本经营预算财政拨款")), t.income):
        left = getattr(fo, key) + income.amount
        right = getattr(t.expenditure_total, key) + getattr(fc, key)
        issues += ctx.differ(f"balances.fiscal_closing.{key}", "T04-BALANCE",
                             f"公开04表{label}：年初结转和结余 + 本年收入", left,
                             "本年支出 + 年末结转和结余", right, 4)
    return issues


def check_05_06(ctx: Context) -> list[Issue]:
    """05 基本支出合计 = 06 人员经费合计 + 公用经费合计."""
    f = ctx.figures
    t06 = f.tables.t06
    return ctx.differ("basic_items", "X05-06", "公开05表基本支出合计", f.basic_total,
                      f"公开06表人员经费合计 {t06.personnel:f} + 公用经费合计 {t06.public:f} =",
                      t06.basic_total, 2)


def check_fiscal_within_total(ctx: Context) -> list[Issue]:
    """Per 项: 财政拨款 expenditure (05 + 07 + 08) cannot exceed 03's expenditure."""
    t = ctx.figures.tables
    issues = []
    for i, row in enumerate(ctx.data.functional):
        if len(row.code) != 7:
            continue
        for col, label in (("basic", "基本支出"), ("project", "项目支出")):
            fiscal = t.t05.value(row.code, col) + t.t07.value(row.code, col) + t.t08.value(row.code, col)
            spent = t.t03.value(row.code, col)
            if fiscal - spent > tail_tolerance(3, ctx.unit):
                issues.append(ctx.issue(
                    f"functional[{i}]", "X03-05", ERROR,
                    f"科目 {row.code} {label}：财政拨款支出（05+07+08表）{fiscal:f} 大于 03表全部支出 {spent:f}"
                    f"（差 {fiscal - spent:f}）；财政拨款支出是全部支出的一部分"))
    return issues


_06_VS_09 = (("30217", "reception", "公务接待费"), ("30231", "vehicle_operation", "公务用车运行维护费"),
             ("31013", "vehicle_purchase", "公务用车购置费"), ("30212", "abroad", "因公出国（境）费"))


def check_06_within_09(ctx: Context) -> list[Issue]:
    """06's 三公 items (basic expenditure only) cannot exceed 09's 决算数."""
    items = ctx.data.basic_items.items
    actual = ctx.figures.tables.t09.actual
    issues = []
    for code, key, label in _06_VS_09:
        basic = items[code].amount if code in items else ZERO
        if basic > getattr(actual, key):
            issues.append(ctx.issue(
                f"basic_items.items.{code}", "X06-09", WARNING,
                f"公开06表 {code} {label} {basic:f} 大于 公开09表{label}决算数 {getattr(actual, key):f}；"
                "09表包括基本支出和项目支出，不应小于06表"))
    return issues


def check_06_within_general_expenses(ctx: Context) -> list[Issue]:
    """06's 会议费/培训费 (basic expenditure) cannot exceed the 一般性支出 stated."""
    items = ctx.data.basic_items.items
    ge = ctx.data.general_expenses
    issues = []
    for code, part, label in (("30215", ge.meeting, "会议费"), ("30216", ge.training, "培训费")):
        basic = items[code].amount if code in items else ZERO
        if basic > part.amount:
            issues.append(ctx.issue(
                "general_expenses", "X06-GENERAL", WARNING,
                f"公开06表 {code} {label} {basic:f} 大于 一般性支出中的{label} {part.amount:f}"))
    return issues


def check_procurement(ctx: Context) -> list[Issue]:
    """政府采购: 小微 ≤ 中小企业; each kind's 中小企业 amount ≤ the kind's amount."""
    p = ctx.data.procurement
    f = ctx.figures.procurement
    issues = []
    if p.small_micro > f.sme:
        issues.append(ctx.issue("procurement.small_micro", "PROC-SME", ERROR,
                                f"授予小微企业合同金额 {p.small_micro:f} 大于 授予中小企业合同金额 {f.sme:f}"))
    for key, label in (("goods", "货物"), ("works", "工程"), ("services", "服务")):
        kind = getattr(p, key)
        if kind.sme > kind.amount:
            issues.append(ctx.issue(f"procurement.{key}.sme", "PROC-SME", ERROR,
                                    f"{label}采购授予中小企业合同金额 {kind.sme:f} 大于 {label}采购支出 {kind.amount:f}"))
    return issues


def check_vehicles(ctx: Context) -> list[Issue]:
    """车辆: the categories sum to the printed total; 公务用车保有量 ≤ all vehicles."""
    v = ctx.data.assets.vehicles
    total = ctx.figures.vehicles_total
    issues = []
    if v.total is not None and v.total != total:
        issues.append(ctx.issue("assets.vehicles.total", "ASSET-VEHICLES", ERROR,
                                f"车辆总数 {v.total} ≠ 各用途车辆相加 {total}（差 {v.total - total}）"))
    held = ctx.data.three_public.vehicles_held
    if held is not None and held > total:
        issues.append(ctx.issue("three_public.vehicles_held", "ASSET-VEHICLES", WARNING,
                                f"公务用车保有量 {held} 辆 大于 国有资产中的车辆总数 {total} 辆"))
    return issues


def check_reception_parts(ctx: Context) -> list[Issue]:
    """公务接待 split into 国内 and 国（境）外: the two amounts add up to the 公务接待费 of table 09
    (a tail in 万元 is a warning), and the batches and people to the totals the unit stated."""
    tp = ctx.data.three_public
    detail = tp.reception_detail
    if detail is None:
        return []
    issues = []
    parts = [p.amount for p in (detail.domestic, detail.foreign) if p.amount is not None]
    actual = ctx.figures.tables.t09.actual.reception
    if parts:
        summed = total(parts)
        diff = summed - actual
        if diff != ZERO:
            tail = len(parts) == 2 and abs(diff) <= tail_tolerance(2, ctx.unit)
            issues.append(ctx.issue("three_public.reception_detail", "THREE-PUBLIC-RECEPTION",
                                    WARNING if tail else ERROR,
                                    f"国内、国（境）外公务接待费{'之和' if len(parts) == 2 else ''} {summed:f} ≠ "
                                    f"公开09表公务接待费决算数 {actual:f}（差 {diff:f}"
                                    + ("，在尾数误差以内）" if tail else "）")))
    for key, stated, label in (("batches", tp.reception_batches, "接待批次"), ("people", tp.reception_people, "接待人次")):
        counts = [getattr(p, key) for p in (detail.domestic, detail.foreign)]
        if stated is not None and None not in counts and sum(counts) != stated:
            issues.append(ctx.issue(f"three_public.reception_detail", "THREE-PUBLIC-RECEPTION", ERROR,
                                    f"国内、国（境）外的{label}之和 {sum(counts)} ≠ 公务接待{label} {stated}"))
    return issues


IDENTITY_CHECKS: tuple[Check, ...] = (
    check_printed_totals,
    check_01_balance,
    check_04_balance,
    check_05_06,
    check_fiscal_within_total,
    check_06_within_09,
    check_06_within_general_expenses,
    check_procurement,
    check_vehicles,
    check_reception_parts,
)

# ------------------------------------------------------------------ compliance


def _missing(text: str) -> bool:
    return not text.strip()


def check_reasons_for_changes(ctx: Context) -> list[Issue]:
    """A reason is given wherever this year differs from last year."""
    f, r = ctx.figures, ctx.data.reasons
    issues = []
    for change, reason, path, label in (
        (f.grand_change, r.total_change, "reasons.total_change", "收入支出总计"),
        (f.fiscal_change, r.fiscal_change, "reasons.fiscal_change", "财政拨款收支总计"),
        (f.general_change, r.general_budget_change, "reasons.general_budget_change", "一般公共预算财政拨款支出"),
        (f.fund_change, r.fund_change, "reasons.fund_change", "政府性基金预算财政拨款支出"),
        (f.capital_change, r.capital_change, "reasons.capital_change", "国有资本经营预算财政拨款支出"),
        *((c.change, c.reason, f"reasons.by_class.{c.code}", f"{c.code} {c.label}（类）")
          for c in f.general_class_changes),
    ):
        if change is not None and change.amount != ZERO and _missing(reason):
            issues.append(ctx.issue(path, "REASON-MISSING", WARNING,
                                    f"{label}与上年相比变化 {change.amount:f}，但没有填写原因"))
    return issues


def check_reasons_for_budget_lines(ctx: Context) -> list[Issue]:
    """A reason is given for each budget line whose 决算 differs from its 年初预算 (or 全年预算,
    where the profile measures against it)."""
    base = ctx.figures.budget_base
    return [ctx.issue(line.path, "REASON-MISSING", WARNING,
                      ("" if line.path.endswith(line.code) else f"{line.code} {line.title}：没有预算行，")
                      + f"决算 {line.actual:f} 与{base} {line.budget:f} 不同，但没有填写原因")
            for line in ctx.figures.budget_lines if line.comparison != 0 and _missing(line.reason)]


def check_full_year_budgets_stated(ctx: Context) -> list[Issue]:
    """Where the profile measures completion against the 全年预算, every budget line states it
    (a line without one would be compared with zero)."""
    if ctx.figures.budget_base != "全年预算":
        return []
    return [ctx.issue(f"initial_budget.lines.{code}.full_year", "BUDGET-FULL-YEAR", ERROR,
                      f"模板方案按全年预算计算完成率，但预算行 {code} 没有填写全年预算数（full_year）")
            for code, entry in ctx.data.initial_budget.lines.items() if entry.full_year is None]


def check_reasons_for_three_public(ctx: Context) -> list[Issue]:
    """“三公”经费: reasons for 决算 ≠ 预算 and for 决算 ≠ 上年."""
    f, r = ctx.figures, ctx.data.three_public.reasons
    issues = []
    tp = f.three_public
    if tp.actual != tp.budget and _missing(r.budget):
        issues.append(ctx.issue("three_public.reasons.budget", "REASON-MISSING", WARNING,
                                f"“三公”经费决算 {tp.actual:f} 与预算 {tp.budget:f} 不同，但没有填写原因"))
    if tp.change is not None and tp.change.amount != ZERO and _missing(r.last_year):
        issues.append(ctx.issue("three_public.reasons.last_year", "REASON-MISSING", WARNING,
                                f"“三公”经费决算 {tp.actual:f} 与上年 {tp.last_year:f} 不同，但没有填写原因"))
    rec = f.three_public_items[4]
    if rec.actual != rec.budget and _missing(r.reception_budget) and _missing(r.budget):
        issues.append(ctx.issue("three_public.reasons.reception_budget", "REASON-MISSING", WARNING,
                                f"公务接待费决算 {rec.actual:f} 与预算 {rec.budget:f} 不同，但没有填写原因"))
    if rec.change is not None and rec.change.amount != ZERO and _missing(r.reception_last_year) \
            and _missing(r.last_year):
        issues.append(ctx.issue("three_public.reasons.reception_last_year", "REASON-MISSING", WARNING,
                                f"公务接待费决算 {rec.actual:f} 与上年 {rec.last_year:f} 不同，但没有填写原因"))
    for item, path in ((f.three_public_items[0], "abroad"), (f.three_public_items[1], "vehicle")):
        differs = item.actual != item.budget or (item.change is not None and item.change.amount != ZERO)
        if differs and _missing(getattr(r, path)):
            last = f" 或上年 {item.last_year:f}" if item.last_year is not None else ""
            issues.append(ctx.issue(f"three_public.reasons.{path}", "REASON-MISSING", WARNING,
                                    f"{item.label}决算 {item.actual:f} 与预算 {item.budget:f}{last} 不同，但没有填写原因"))
    return issues


def check_reasons_for_groups(ctx: Context) -> list[Issue]:
    """A reason is given for an economic group that differs from its budget or last year."""
    return [ctx.issue(f"economic_groups.{g.code}.reason", "REASON-MISSING", WARNING,
                      f"{g.code} {g.label} {g.actual:f} 与" + "或".join(
                          f"{label} {c.base:f}" for label, c in (("年初预算", g.against_budget),
                                                                 ("上年", g.against_last_year)) if c is not None)
                      + " 不同，但没有填写原因")
            for g in ctx.figures.groups
            if any(c is not None and c.amount != ZERO for c in (g.against_budget, g.against_last_year))
            and _missing(g.reason)]


def check_reason_for_running_cost(ctx: Context) -> list[Issue]:
    f = ctx.figures
    if f.running_cost_change is not None and f.running_cost_change.amount != ZERO \
            and _missing(ctx.data.running_cost.reason):
        return [ctx.issue("running_cost.reason", "REASON-MISSING", WARNING,
                          f"机关运行经费变化 {f.running_cost_change.amount:f}，但没有填写原因")]
    return []


def check_counts_stated(ctx: Context) -> list[Issue]:
    """Money spent on 出国, 购车, 车辆运行, 接待 without the count the document states beside it:
    the sentence leaves the count out rather than print an invented 0."""
    tp = ctx.data.three_public
    actual = ctx.figures.tables.t09.actual
    issues = []
    for amount, label, counts in (
        (actual.abroad, "因公出国（境）费", (("abroad_groups", "团组数"), ("abroad_people", "人次"))),
        (actual.vehicle_purchase, "公务用车购置费", (("vehicles_purchased", "购置车辆数"),)),
        (actual.vehicle_operation, "公务用车运行维护费", (("vehicles_held", "公务用车保有量"),)),
        (actual.reception, "公务接待费", (("reception_batches", "接待批次"), ("reception_people", "接待人次"))),
    ):
        missing = [name for key, name in counts if getattr(tp, key) is None]
        if amount != ZERO and missing:
            issues.append(ctx.issue(f"three_public.{counts[0][0]}", "COUNT-MISSING", WARNING,
                                    f"{label}决算 {amount:f}，但没有填写{'和'.join(missing)}；"
                                    "第三部分不写这个数，请填写"))
    return issues


def check_last_year_stated(ctx: Context) -> list[Issue]:
    """Without last year's figures the document cannot compare with last year, as it must."""
    ly = ctx.data.last_year
    missing = [label for key, label in (("total", "收入支出总计"), ("fiscal_total", "财政拨款收支总计"),
                                        ("general_budget", "一般公共预算财政拨款支出"))
               if getattr(ly, key) is None]
    issues = []
    if missing:
        issues.append(ctx.issue("last_year", "LAST-YEAR-MISSING", WARNING,
                                f"没有填写上年的{'、'.join(missing)}：第三部分不与上年比较，请填写上年决算数"))
    if ctx.data.three_public.last_year is None:
        issues.append(ctx.issue("three_public", "LAST-YEAR-MISSING", WARNING,
                                "没有填写“三公”经费上年决算数（three_public.last_year）：第三部分不与上年比较"))
    return issues


def check_required_texts_filled(ctx: Context) -> list[Issue]:
    """部门职责 and 机构设置 are published as written: an empty one is a gap in the document."""
    ov = ctx.data.overview
    return [ctx.issue(f"overview.{key}", "TEXT-EMPTY", WARNING, f"{label}还没有填写")
            for key, label in (("duties", "部门职责"), ("organization", "机构设置"))
            if not getattr(ov, key).strip()]


def check_performance_counts_superseded(ctx: Context) -> list[Issue]:
    """With 绩效 forms in the file, 十三's counts come from them: counts written by hand are not used."""
    perf = ctx.data.performance
    written = [k for k in ("general", "fund", "capital", "social_insurance")
               if getattr(perf, k).projects or getattr(perf, k).amount]
    if ctx.data.evaluation is None or not written:
        return []
    return [ctx.issue(f"performance.{written[0]}", "PERF-SUPERSEDED", WARNING,
                      "文件中有绩效自评表（evaluation），第三部分“预算绩效”的项目个数和金额按绩效自评表统计，"
                      f"performance 中填写的 {'、'.join(written)} 不使用；请删去或核对")]


_COMPARING = re.compile(r"(较|比|与|同|对比|相比|上年|去年|上一年|上年度)\s*$")
_SENTENCE_START = re.compile(r"(^|[。；！？\n：:]\s*)([（(]?[一二三四五六七八九十\d]+[）).、．]\s*)?$")
_REPORT_SUBJECTS = ("部门决算", "单位决算", "决算公开", "财政拨款", "一般公共预算", "基本支出", "项目支出",
                    "收入", "支出", "收、支", "“三公”", "三公", "整体支出", "机关运行经费")


def stale_year_places(text: str, year: int) -> list[int]:
    """Where last year stands in a text as if it were this year's: ``2023年度部门决算``, or a
    sentence of last year's report beginning ``2023年度财政拨款基本支出…``.  A comparison
    (较2023年度决算数减少, 与2023年度相比) is what a report should say, and is not one."""
    places = []
    for match in re.finditer(rf"{year - 1}年度?(?![\d月])", text):
        before, after = text[:match.start()], text[match.end():]
        if _COMPARING.search(before[-6:]) or re.match(r"\s*(相比|同比|比较|决算数相比)", after):
            continue
        if after.startswith(("部门决算", "单位决算", "决算公开")) or \
                (_SENTENCE_START.search(before[-8:] if before else "") is not None
                 and after.lstrip().startswith(_REPORT_SUBJECTS)):
            places.append(match.start())
    return places


def text_fingerprint(text: str) -> str:
    """A short digest of a text: what ``carried_over`` records, so an edited text is seen as checked."""
    import hashlib

    return hashlib.sha256(" ".join(text.split()).encode("utf-8")).hexdigest()[:12]


def check_projects_within_table_03(ctx: Context) -> list[Issue]:
    """The 项目 forms' 全年执行数 together against table 03's 项目支出: the forms cover the projects
    the unit spent on (a difference is worth a look: a project without its form, or one counted twice)."""
    ev = ctx.data.evaluation
    if ev is None or not ev.projects:
        return []
    unit = ctx.unit
    executed = total(convert(p.funds.executed, p.amount_unit or unit, unit) for p in ev.projects)
    spent = ctx.figures.tables.t03.total.values["project"]
    difference = executed - spent
    if abs(difference) <= tail_tolerance(len(ev.projects) + 1, unit):
        return []
    return [ctx.issue("evaluation.projects", "PERF-PROJECTS-03", WARNING,
                      f"项目支出绩效自评表的全年执行数合计 {executed:f} ≠ 公开03表项目支出 {spent:f}"
                      f"（差 {difference:f}）：请核对是否有项目没有自评表，或自评表的金额单位")]


def check_carried_over_texts(ctx: Context) -> list[Issue]:
    """A text carried over from last year's file (juesuan import --from) is reviewed before it is published:
    a warning until it is edited (its fingerprint changes) or its line is deleted from ``carried_over``."""
    written = dict(texts(ctx.data))
    return [ctx.issue(path, "TEXT-CARRIED", WARNING,
                      "沿用上年，请核对：这段文字是从上年的文件沿用的；核对无误后删去 carried_over 中的这一行，"
                      "或直接改写")
            for path, digest in ctx.data.carried_over.items()
            if path in written and text_fingerprint(written[path]) == digest]


def check_stale_year_in_text(ctx: Context) -> list[Issue]:
    """A text copied from last year's report states last year's figures as this year's."""
    year = ctx.data.unit.year
    issues = []
    for path, text in texts(ctx.data):
        for at in stale_year_places(text, year)[:1]:
            issues.append(ctx.issue(path, "TEXT-STALE-YEAR", WARNING,
                                    f"文字把{year - 1}年度写成了本年度的样子，请确认不是从上年报告中照抄的："
                                    f"“{_around(text, at)}”"))
    return issues


def _around(text: str, at: int, width: int = 14) -> str:
    return text[max(0, at - width): at + 30].replace("\n", " ")


# ------------------------------------------------------------------ figures written inside texts

_FIGURE_IN_TEXT = re.compile(r"(?<![\d.,])(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?\s*(万元|元|%|％)")
_FIGURE_TEXTS = ("reasons", "initial_budget.lines", "initial_budget.reason", "three_public.reasons",
                 "three_public.reception_note", "running_cost.reason", "economic_groups", "general_expenses",
                 "performance.results", "performance.use_of_results", "evaluation")
_INDICATOR_VALUE = re.compile(r"\.indicators\[\d+\]\.(target|actual|declared)$")
"""An indicator's own values (≤7000元/台) are measures of the indicator, not figures of the document."""


def _known(value: Any, amounts: list[Decimal], percents: list[Decimal]) -> None:
    """Every amount and percentage a value of :mod:`generator.figures` (or the model) holds."""
    if isinstance(value, bool) or value is None:
        return
    if isinstance(value, Decimal):
        amounts.append(abs(value))
    elif isinstance(value, Ratio):
        if value.defined:
            percents.append(abs(value.percent))
    elif isinstance(value, Change):
        amounts.append(abs(value.amount))
        _known(value.rate, amounts, percents)
    elif is_dataclass(value):
        for f in fields(value):
            _known(getattr(value, f.name), amounts, percents)
    elif isinstance(value, (tuple, list)):
        for item in value:
            _known(item, amounts, percents)
    elif isinstance(value, dict):
        for item in value.values():
            _known(item, amounts, percents)


def known_figures(ctx: Context) -> tuple[list[Decimal], list[Decimal]]:
    """The document's amounts (in 万元) and percentages: tables, derived figures, 绩效 forms and indicator values."""
    from ..compute.evaluation import parse_value

    amounts: list[Decimal] = []
    percents: list[Decimal] = []
    _known(ctx.figures, amounts, percents)
    ev = ctx.data.evaluation
    in_wan = [convert(a, ctx.unit, "万元") for a in amounts]
    forms = () if ev is None else (*([ev.whole] if ev.whole is not None else []), *ev.projects)
    for form in forms:
        own: list[Decimal] = []
        _known(form.funds, own, percents)
        _known(ratio(form.funds.executed, form.funds.full_year_budget), own, percents)
        in_wan += [convert(a, form.amount_unit or ctx.unit, "万元") for a in own]
        for ind in form.indicators:
            for written in (ind.target, ind.actual):
                q = parse_value(written)
                if q is not None and q.base_unit == "%":
                    percents.append(abs(q.value))
    return in_wan, percents


def _matches(value: Decimal, written_places: int, known: list[Decimal]) -> bool:
    tolerance = Decimal(5).scaleb(-(written_places + 1))  # half the last written digit: 80 → 0.5, 8.68 → 0.005
    return any(abs(value - k) <= tolerance for k in known)


def check_figures_in_texts(ctx: Context) -> list[Issue]:
    """An amount or rate typed inside a reason or a 绩效 text matches a figure of the document,
    in the right unit: 13.58元 where the tables give 13.58万元 is a slip, 390.62万元 that no
    table holds a figure copied from elsewhere."""
    amounts, percents = known_figures(ctx)
    issues = []
    for path, text in texts(ctx.data):
        if not path.startswith(_FIGURE_TEXTS) or _INDICATOR_VALUE.search(path):
            continue
        for match in _FIGURE_IN_TEXT.finditer(text):
            whole, fraction, unit = match.groups()
            number = Decimal(whole.replace(",", "") + (fraction or ""))
            places = len(fraction) - 1 if fraction else 0
            quoted = f"“{_around(text, match.start())}”"
            if unit in ("%", "％"):
                if not _matches(number, places, percents):
                    nearest = min(percents, key=lambda k: abs(k - number), default=None)
                    issues.append(ctx.issue(path, "TEXT-FIGURE", WARNING,
                                            f"文字中的 {match.group(0)} 与本文件算出的任何比率都不符"
                                            + (f"（最接近的是 {quantize_half_up(nearest, 2):f}%）" if nearest is not None else "")
                                            + f"：{quoted}"))
                continue
            in_wan = number if unit == "万元" else number * Decimal("0.0001")
            scale = 0 if unit == "万元" else 4
            if _matches(in_wan, places + scale, amounts):
                continue
            other = number * Decimal("0.0001") if unit == "万元" else number   # the same digits in the other unit
            other_unit = "元" if unit == "万元" else "万元"
            if _matches(other, places + (4 if unit == "万元" else 0), amounts):
                issues.append(ctx.issue(path, "TEXT-FIGURE", WARNING,
                                        f"文字中的 {match.group(0)} 单位可能写错了：表中是 {whole}{fraction or ''}{other_unit}：{quoted}"))
                continue
            nearest = min(amounts, key=lambda k: abs(k - in_wan), default=None)
            hint = f"（最接近的是 {quantize_half_up(nearest, 2):f}万元）" if nearest is not None else ""
            issues.append(ctx.issue(path, "TEXT-FIGURE", WARNING,
                                    f"文字中的 {match.group(0)} 与本文件的任何数字都不符{hint}，"
                                    f"请核对是否抄自别处或上年：{quoted}"))
    return issues


COMPLIANCE_CHECKS: tuple[Check, ...] = (
    check_reasons_for_changes,
    check_reasons_for_budget_lines,
    check_full_year_budgets_stated,
    check_reasons_for_three_public,
    check_reasons_for_groups,
    check_reason_for_running_cost,
    check_counts_stated,
    check_last_year_stated,
    check_required_texts_filled,
    check_performance_counts_superseded,
    check_stale_year_in_text,
    check_figures_in_texts,
    check_carried_over_texts,
    check_projects_within_table_03,
)


def run_checks(ctx: Context, checks: tuple[Check, ...]) -> list[Issue]:
    issues: list[Issue] = []
    for check in checks:
        issues.extend(check(ctx))
    return issues



# ------------------------------------------------------------------ 绩效自评

_RATE_WITHOUT_LIMIT = ("完成率", "增长率", "增幅", "增速", "执行率", "变化幅度")


def _bounded_rate(name: str) -> bool:
    """A satisfaction or a rate that cannot exceed 100% (参保率, 满意度…), unlike 完成率."""
    return "满意度" in name or ("率" in name and not any(word in name for word in _RATE_WITHOUT_LIMIT))


@dataclass(frozen=True)
class EvaluationContext:
    loaded: Loaded
    scores: tuple  # tuple[EvaluationScore, ...]

    def issue(self, path: str, code: str, severity: Severity, message: str) -> Issue:
        return Issue(self.loaded.file, self.loaded.line(path), path, code, severity, message)

    @property
    def unit(self) -> str:
        return self.loaded.data.unit.amount_unit


def _form_label(score) -> str:
    return f"项目“{score.evaluation.name}”" if score.path != "evaluation.whole" else "部门整体支出"


def check_indicator_values(ctx: EvaluationContext) -> list[Issue]:
    """Each indicator can be scored as written; rates and satisfaction stay within 100%."""
    from ..compute.evaluation import parse_value

    issues = []
    for form in ctx.scores:
        for i, s in enumerate(form.indicators):
            path = f"{form.path}.indicators[{i}]"
            name = s.indicator.name
            if s.problem:
                issues.append(ctx.issue(f"{path}.actual", "PERF-UNSCORABLE", ERROR,
                                        f"{_form_label(form)}指标“{name}”：{s.problem}"))
            if s.note:
                issues.append(ctx.issue(f"{path}.actual", "PERF-INTERPRETED", WARNING,
                                        f"{_form_label(form)}指标“{name}”：{s.note}"))
            actual = parse_value(s.indicator.actual)
            if actual is not None and actual.base_unit == "%" and actual.value > 100 and _bounded_rate(name):
                issues.append(ctx.issue(f"{path}.actual", "PERF-OVER-100", ERROR,
                                        f"{_form_label(form)}指标“{name}”的实际完成值 {s.indicator.actual} 超过100%，"
                                        "满意度和比率不可能大于100%，请核对"))
    return issues


def check_evaluation_weights(ctx: EvaluationContext) -> list[Issue]:
    """资金 10 + Σ 指标分值 = 100; no score above its 分值."""
    issues = []
    for form in ctx.scores:
        total = form.indicator_weight + Decimal(10)
        if total != Decimal(100):
            issues.append(ctx.issue(f"{form.path}.indicators", "PERF-WEIGHTS", ERROR,
                                    f"{_form_label(form)}：资金执行10分 + 各指标分值 {form.indicator_weight:f} = {total:f}，应为100分"))
        for i, s in enumerate(form.indicators):
            printed = s.indicator.score
            if printed is not None and printed > s.indicator.weight:
                issues.append(ctx.issue(f"{form.path}.indicators[{i}].score", "PERF-SCORE-OVER", ERROR,
                                        f"指标“{s.indicator.name}”的自评得分 {printed:f} 大于分值 {s.indicator.weight:f}"))
    return issues


def check_printed_scores(ctx: EvaluationContext) -> list[Issue]:
    """Printed scores, group headers, 总分 and 等级 agree with the computed ones."""
    issues = []
    for form in ctx.scores:
        ev = form.evaluation
        label = _form_label(form)
        for i, s in enumerate(form.indicators):
            printed = s.indicator.score
            if printed is not None and s.kind != "定性" and not s.problem and printed != s.score:
                issues.append(ctx.issue(f"{form.path}.indicators[{i}].score", "PERF-SCORE", ERROR,
                                        f"{label}指标“{s.indicator.name}”：表上得分 {printed:f} ≠ 按规则计算 {s.score:f}"
                                        f"（年度指标值 {s.indicator.target}，实际完成值 {s.indicator.actual}）"))
        if ev.funds.score is not None and ev.funds.score != form.funds_score:
            issues.append(ctx.issue(f"{form.path}.funds.score", "PERF-SCORE", ERROR,
                                    f"{label}资金执行得分：表上 {ev.funds.score:f} ≠ 计算 {form.funds_score:f}"))
        derived = {g.level1: g.weight for g in form.groups}
        for name, printed in ev.group_weights.items():
            if name not in derived:
                issues.append(ctx.issue(f"{form.path}.group_weights.{name}", "PERF-GROUP", ERROR,
                                        f"{label}：表头“{name}({printed:f}分)”下没有任何指标"))
            elif derived[name] != printed:
                issues.append(ctx.issue(f"{form.path}.group_weights.{name}", "PERF-GROUP", ERROR,
                                        f"{label}：表头“{name}({printed:f}分)”与其下各指标分值之和 {derived[name]:f} 不符"))
        level2: dict[str, Decimal] = {}
        for s in form.indicators:
            key = f"{s.indicator.level1.strip()}/{s.indicator.level2.strip()}"
            level2[key] = level2.get(key, ZERO) + s.indicator.weight
        for name, printed in ev.level2_weights.items():
            key = "/".join(part.strip() for part in name.replace("／", "/").split("/", 1))
            if key not in level2:
                issues.append(ctx.issue(f"{form.path}.level2_weights.{name}", "PERF-GROUP", ERROR,
                                        f"{label}：二级指标“{name}({printed:f}分)”下没有任何指标（写成“一级指标/二级指标”）"))
            elif level2[key] != printed:
                issues.append(ctx.issue(f"{form.path}.level2_weights.{name}", "PERF-GROUP", ERROR,
                                        f"{label}：二级指标“{name}({printed:f}分)”与其下各指标分值之和 {level2[key]:f} 不符"))
        if ev.total_score is not None and ev.total_score != form.total:
            issues.append(ctx.issue(f"{form.path}.total_score", "PERF-TOTAL", ERROR,
                                    f"{label}：表上总分 {ev.total_score:f} ≠ 资金得分 + 各指标得分 = {form.total:f}"))
        if ev.grade.strip() and ev.grade.strip() not in (form.grade, form.grade + "秀"):
            issues.append(ctx.issue(f"{form.path}.grade", "PERF-GRADE", ERROR,
                                    f"{label}：表上等级“{ev.grade.strip()}”≠ 按总分 {form.total:f} 应为“{form.grade}”"))
    return issues


def check_deviation_reasons(ctx: EvaluationContext) -> list[Issue]:
    """A score below full marks needs its 偏差原因分析及改进措施 (the funds line too)."""
    issues = [ctx.issue(f"{form.path}.indicators[{i}].deviation", "PERF-DEVIATION", WARNING,
                        f"{_form_label(form)}指标“{s.indicator.name}”得分 {s.score:f} 低于分值 {s.indicator.weight:f}，"
                        "请填写偏差原因分析及改进措施（deviation）")
              for form in ctx.scores for i, s in enumerate(form.indicators)
              if not s.problem and s.score < s.indicator.weight and not s.indicator.deviation.strip()]
    issues += [ctx.issue(f"{form.path}.funds.deviation", "PERF-DEVIATION", WARNING,
                         f"{_form_label(form)}资金执行得分 {form.funds_score:f} 低于分值10（执行率未达100%），"
                         "请填写资金执行的偏差原因（funds.deviation）")
               for form in ctx.scores
               if form.funds_score < Decimal(10) and not form.evaluation.funds.deviation.strip()]
    return issues


def check_evaluation_funds(ctx: EvaluationContext) -> list[Issue]:
    """Sources add up to the totals; 收入性质 and 支出性质 splits add up to 全年执行数."""
    issues = []
    for form in ctx.scores:
        f = form.evaluation.funds
        label = _form_label(form)
        s = f.sources
        written = [s.current_year, s.carried_over, s.other]
        for key, name in (("initial_budget", "年初预算数"), ("full_year_budget", "全年预算数"), ("executed", "全年执行数")):
            parts = [getattr(line, key) for line in written]
            if any(parts) and sum(parts) != getattr(f, key):
                issues.append(_funds_issue(ctx, f"{form.path}.funds.sources", label, f"{name}各来源之和",
                                           sum(parts), name, getattr(f, key), len(parts),
                                           form.evaluation.amount_unit))
        for split, fields_ in (("by_income", ("general", "fund", "special_account", "other")),
                               ("by_nature", ("basic", "project"))):
            parts = [getattr(getattr(f, split), k) for k in fields_]
            if any(parts) and sum(parts) != f.executed:
                issues.append(_funds_issue(ctx, f"{form.path}.funds.{split}", label,
                                           "按收入性质分之和" if split == "by_income" else "基本支出 + 项目支出",
                                           sum(parts), "全年执行数", f.executed, len(parts),
                                           form.evaluation.amount_unit))
        if f.executed > f.full_year_budget:
            issues.append(ctx.issue(f"{form.path}.funds.executed", "PERF-EXECUTION", WARNING,
                                    f"{label}全年执行数 {f.executed:f} 大于全年预算数 {f.full_year_budget:f}，执行率按100%计分"))
    return [i for i in issues if i is not None]


def _funds_issue(ctx, path, label, left, lvalue, right, rvalue, parts, unit=None):
    diff = lvalue - rvalue
    tolerance = tail_tolerance(parts, unit or ctx.unit)
    tail = abs(diff) <= tolerance
    return ctx.issue(path, "PERF-FUNDS", WARNING if tail else ERROR,
                     f"{label}：{left} {lvalue:f} ≠ {right} {rvalue:f}（差 {diff:f}，"
                     f"{'尾数误差' if tail else '超出尾数误差容差'} {tolerance:f}）")


def check_evaluation_has_forms(ctx: EvaluationContext) -> list[Issue]:
    """A 绩效 section with neither the 整体 form nor a project form generates nothing: say so."""
    ev = ctx.loaded.data.evaluation
    if ctx.scores:
        problems = []
        if ev.basic_data is not None and ev.whole is None:
            problems.append(ctx.issue("evaluation.basic_data", "PERF-NO-FORMS", WARNING,
                                      "填写了基础数据表，但没有部门整体支出绩效自评表（whole）：基础数据表随整体表印出，"
                                      "这次不会印出"))
        return problems
    return [ctx.issue("evaluation", "PERF-NO-FORMS", WARNING,
                      "写了 evaluation 一节，但其中既没有部门整体支出绩效自评表（whole），也没有项目表（projects）："
                      "文件中不会有绩效自评表和报告")]


EVALUATION_CHECKS = (
    check_evaluation_has_forms,
    check_indicator_values,
    check_evaluation_weights,
    check_printed_scores,
    check_deviation_reasons,
    check_evaluation_funds,
)
