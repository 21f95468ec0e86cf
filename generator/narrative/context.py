"""One context for every output: figures formatted once, in the profile's style.

:func:`build_context` turns :class:`~generator.figures.Figures` into plain
dicts, lists and strings: every table row with its cells, every derived figure
with its amount, rate and direction words.  ``figures --json`` prints it; the
narrative templates read it; the DOCX and PDF renderers lay it out.  Nothing
after this module formats a number.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from .style import Style
from ..compute.figures import Figures, Share
from ..model import UnitData
from ..compute.evaluation import FUNDS_WEIGHT
from ..money import ZERO, Change, Ratio, ratio, total
from ..compute.tables import FunctionalTable, Line, Table04Row


class Formatter:
    """The profile's style bound to the unit's data unit."""

    def __init__(self, style: Style, data_unit: str):
        self.style = style
        self.data_unit = data_unit

    def money(self, value: Decimal) -> str:
        return self.style.money(value, self.data_unit)

    def number(self, value: Decimal) -> str:
        return self.style.number(value, self.data_unit)

    def cell(self, value: Decimal | None) -> str:
        return self.style.cell(value, self.data_unit)

    def pct(self, rate: Ratio) -> str | None:
        """The percentage text, or None for a zero denominator."""
        return self.style.pct(rate) if rate.defined else None

    def share(self, share: Share) -> dict[str, Any]:
        return {"label": share.label, "code": share.code, "amount": self.money(share.amount),
                "share": self.pct(share.share), "is_zero": share.amount == ZERO}

    def change(self, change: Change | None) -> dict[str, Any] | None:
        """增加/减少/持平 X, 增长/下降 Y%: the words follow the sign (None: nothing to compare with)."""
        if change is None:
            return None
        sign = change.sign
        return {
            "current": self.money(change.current),
            "base": self.money(change.base),
            "amount": self.money(abs(change.amount)),
            "direction": {1: "增加", -1: "减少", 0: "持平"}[sign],
            "rate_direction": {1: "增长", -1: "下降", 0: "持平"}[sign],
            "rate": self.pct(change.rate),
            "sign": sign,
        }

    def count(self, value: int | None) -> str | None:
        """A count (人, 个, 辆) as text; None stays None (not stated: no sentence states it)."""
        return self.style.count(value) if value is not None else None

    def completion(self, actual: Decimal, budget: Decimal, rate: Ratio) -> dict[str, Any]:
        """决算 against 预算: 完成 N%, and 大于/小于/等于."""
        sign = (actual > budget) - (actual < budget)
        return {"budget": self.money(budget), "actual": self.money(actual), "rate": self.pct(rate),
                "comparison": {1: "大于", -1: "小于", 0: "等于"}[sign], "sign": sign,
                "none": actual == ZERO and budget == ZERO, "actual_nonzero": actual != ZERO}


def _functional(table: FunctionalTable, fmt: Formatter) -> dict[str, Any]:
    columns = table.shown_columns
    return {
        "columns": [c.label for c in columns],
        "rows": [
            {"code": row.code, "name": row.name, "level": row.level,
             "cells": [fmt.cell(row.values[c.key]) for c in columns]}
            for row in table.rows
        ],
        "empty": all(row.is_empty for row in table.rows),
    }


def _lines(lines: tuple[Line, ...], fmt: Formatter) -> list[dict[str, Any]]:
    return [{"label": line.label, "amount": fmt.cell(line.amount), "indent": line.indent} for line in lines]


def _t04_row(row: Table04Row, fmt: Formatter) -> dict[str, Any]:
    return {"label": row.label,
            "cells": [fmt.cell(v) for v in (row.total, row.general, row.fund, row.capital)]}


CHINESE_ORDINALS = ("一", "二", "三", "四", "五", "六", "七", "八", "九", "十", "十一", "十二", "十三",
                    "十四", "十五", "十六", "十七", "十八", "十九", "二十", "二十一", "二十二", "二十三",
                    "二十四", "二十五", "二十六")


def _table_10(f: Figures, data: UnitData, fmt: Formatter) -> dict[str, Any]:
    """公开10表 部门决算公开相关信息统计表 (only some profiles print it)."""
    p = f.procurement
    kind = data.unit.kind
    running = f.running_cost
    v = data.assets.vehicles
    return {
        "procurement": [fmt.cell(x) for x in (p.total, p.goods, p.works, p.services)],
        "running_cost": [fmt.cell(running),
                         fmt.cell(running if kind == "行政单位" else ZERO),
                         fmt.cell(running if kind == "参照公务员法管理事业单位" else ZERO)],
        "vehicles": [fmt.style.count(f.vehicles_total)] + [fmt.style.count(getattr(v, key))
                                                           for key, _ in VEHICLE_CATEGORIES],
        "vehicle_labels": [label for _, label in VEHICLE_CATEGORIES],
        "equipment_over_1m": fmt.style.count(data.assets.equipment_over_1m),
    }


def tables_context(f: Figures, data: UnitData, fmt: Formatter) -> dict[str, Any]:
    t = f.tables
    n_classes = len(t.t01.expenditure)
    t01_income = _lines(t.t01.income, fmt)
    for i, row in enumerate(t01_income):
        row["label"] = f"{CHINESE_ORDINALS[i]}、{row['label']}"
    t01_exp = _lines(t.t01.expenditure, fmt)
    for i, row in enumerate(t01_exp):
        row["label"] = f"{CHINESE_ORDINALS[i]}、{row['label']}"
    t04_income = _lines(t.t04.income, fmt)
    for i, row in enumerate(t04_income):
        row["label"] = f"{CHINESE_ORDINALS[i]}、{row['label']}"
    t04_exp = [_t04_row(r, fmt) for r in t.t04.expenditure]
    for i, row in enumerate(t04_exp):
        row["label"] = f"{CHINESE_ORDINALS[i]}、{row['label']}"
    t06 = t.t06
    columns = (("301", "303"), ("302",), ("307", "310", "399"))
    stacks = [[r for g in groups for r in t06.groups[g]] for groups in columns]
    height = max(len(s) for s in stacks)
    t06_rows = []
    for i in range(height):
        cells = []
        for stack in stacks:
            if i < len(stack):
                r = stack[i]
                cells.append({"code": r.code, "name": r.name, "amount": fmt.cell(r.amount), "group": r.is_group})
            else:
                cells.append({"code": "", "name": "", "amount": "", "group": False})
        t06_rows.append(cells)
    return {
        "t01": {
            "income": t01_income,
            "income_total": fmt.cell(t.t01.income_total),
            "non_fiscal_surplus_used": fmt.cell(t.t01.non_fiscal_surplus_used),
            "opening": fmt.cell(t.t01.opening),
            "income_grand": fmt.cell(t.t01.income_grand),
            "expenditure": t01_exp,
            "expenditure_total": fmt.cell(t.t01.expenditure_total),
            "surplus_distribution": fmt.cell(t.t01.surplus_distribution),
            "closing": fmt.cell(t.t01.closing),
            "expenditure_grand": fmt.cell(t.t01.expenditure_grand),
            "rows": n_classes,
        },
        "t02": _functional(t.t02, fmt),
        "t03": _functional(t.t03, fmt),
        "t04": {
            "income": t04_income,
            "income_total": fmt.cell(t.t04.income_total),
            "opening_total": fmt.cell(t.t04.opening_total),
            "opening": _lines(t.t04.opening, fmt),
            "income_grand": fmt.cell(t.t04.income_grand),
            "expenditure": t04_exp,
            "expenditure_total": _t04_row(t.t04.expenditure_total, fmt),
            "closing": _t04_row(t.t04.closing, fmt),
            "closing_by_kind": _lines(t.t04.closing_by_kind, fmt),
            "expenditure_grand": _t04_row(t.t04.expenditure_grand, fmt),
            "rows": n_classes,
        },
        "t05": _functional(t.t05, fmt),
        "t06": {"rows": t06_rows, "personnel": fmt.cell(t06.personnel), "public": fmt.cell(t06.public)},
        "t07": _functional(t.t07, fmt),
        "t08": _functional(t.t08, fmt),
        "t10": _table_10(f, data, fmt),
        "t09": {
            "budget": [fmt.cell(v) for v in t.t09.budget.values()],
            "actual": [fmt.cell(v) for v in t.t09.actual.values()],
        },
    }


def derived_context(f: Figures, data: UnitData, fmt: Formatter) -> dict[str, Any]:
    """Every figure of 第三部分, formatted."""
    tp = data.three_public
    p = f.procurement
    return {
        "grand_total": fmt.money(f.grand_total),
        "grand_change": fmt.change(f.grand_change),
        "fiscal_total": fmt.money(f.fiscal_total),
        "fiscal_change": fmt.change(f.fiscal_change),
        "income_total": fmt.money(f.income_total),
        "income_shares": [fmt.share(s) for s in f.income_shares],
        "expenditure_total": fmt.money(f.expenditure_total),
        "expenditure_shares": [fmt.share(s) for s in f.expenditure_shares],
        "general_total": fmt.money(f.general_total),
        "general_share_of_expenditure": fmt.pct(f.general_share_of_expenditure),
        "general_change": fmt.change(f.general_change),
        "general_by_class": [fmt.share(s) for s in f.general_by_class],
        "budget": fmt.completion(f.general_total, f.budget_total, f.budget_completion),
        "budget_lines": [
            {"code": line.code, "level": line.level, "title": line.title, "reason": line.reason,
             **fmt.completion(line.actual, line.budget, line.completion)}
            for line in f.budget_lines
        ],
        "basic_total": fmt.money(f.basic_total),
        "basic_none": f.basic_total == ZERO and f.personnel == ZERO and f.public == ZERO,
        "personnel": {"amount": fmt.money(f.personnel), "share": fmt.pct(f.personnel_share),
                      "item_names": list(f.personnel_items)},
        "public": {"amount": fmt.money(f.public), "share": fmt.pct(f.public_share),
                   "item_names": list(f.public_items)},
        "groups": [
            {"code": g.code, "label": g.label, "amount": fmt.money(g.actual), "reason": g.reason,
             "against_budget": fmt.change(g.against_budget), "against_last_year": fmt.change(g.against_last_year)}
            for g in f.groups
        ],
        "three_public": _three_public(f.three_public, fmt),
        "three_public_items": [_three_public(item, fmt) for item in f.three_public_items],
        "three_public_counts": {  # None where the unit did not state a count: the sentence leaves it out
            key: fmt.count(getattr(tp, key))
            for key in ("abroad_groups", "abroad_people", "vehicles_purchased", "vehicles_held",
                        "reception_batches", "reception_people")
        },
        "fund": {"income": fmt.money(f.fund_income), "expenditure": fmt.money(f.fund_expenditure),
                 "none": f.fund_income == ZERO and f.fund_expenditure == ZERO},
        "capital": {"expenditure": fmt.money(f.capital_expenditure), "none": f.capital_expenditure == ZERO},
        "running_cost": {
            "amount": fmt.money(f.running_cost), "base": f.running_cost_base, "none": f.running_cost == ZERO,
            "change": fmt.change(f.running_cost_change) if f.running_cost_change else None,
        },
        "general_expenses": {
            key: {"amount": fmt.money(part.amount), "count": fmt.style.count(part.count),
                  "people": fmt.style.count(part.people), "is_zero": part.amount == ZERO}
            for key, part in (("meeting", data.general_expenses.meeting),
                              ("training", data.general_expenses.training),
                              ("events", data.general_expenses.events))
        },
        "procurement": {
            "total": fmt.money(p.total), "goods": fmt.money(p.goods), "works": fmt.money(p.works),
            "services": fmt.money(p.services), "sme": fmt.money(p.sme), "sme_share": fmt.pct(p.sme_share),
            "small_micro": fmt.money(p.small_micro), "small_micro_share": fmt.pct(p.small_micro_share),
            "kind_sme_shares": [fmt.share(s) | {"amount_nonzero": k.amount != ZERO}
                                for s, k in zip(p.kind_sme_shares, p.kind_shares)],
            "none": p.total == ZERO, "sme_none": p.sme == ZERO,
            "kind_shares": [fmt.share(s) for s in p.kind_shares],
        },
        "vehicles_total": fmt.style.count(f.vehicles_total),
        "vehicles": [{"label": label, "count": fmt.style.count(getattr(data.assets.vehicles, key))}
                     for key, label in VEHICLE_CATEGORIES],
        "equipment_over_1m": fmt.style.count(data.assets.equipment_over_1m),
        "evaluated": [
            {"label": k.label, "projects": fmt.style.count(k.projects), "amount": fmt.money(k.amount),
             "share": fmt.pct(k.share)}
            for k in f.evaluated
        ],
        "evaluated_projects": fmt.style.count(f.evaluated_projects),
        "evaluated_amount": fmt.money(f.evaluated_amount),
    }


VEHICLE_CATEGORIES = (
    ("ministerial", "副部（省）级及以上领导用车"), ("principal", "主要负责人用车"),
    ("confidential", "机要通信用车"), ("emergency", "应急保障用车"), ("law_enforcement", "执法执勤用车"),
    ("special", "特种专业技术用车"), ("retired_service", "离退休干部服务用车"), ("other", "其他用车"),
)


def _three_public(item, fmt: Formatter) -> dict[str, Any]:
    return {"label": item.label, **fmt.completion(item.actual, item.budget, item.completion),
            "last_year": fmt.money(item.last_year) if item.last_year is not None else None,
            "change": fmt.change(item.change)}


def indicator_merges(form, fmt: Formatter) -> list[dict[str, Any]]:
    """How the indicator table's cells merge, as on the published forms, one entry per indicator.

    ``level1_rows`` is the height of the 一级指标 cell on the first row of a run of
    equal 一级指标 (0 below it), labelled with the weight DERIVED from its indicators
    (``产出指标（40分）``), never a printed header; ``level2_rows`` the same for equal
    consecutive 二级指标 within one 一级指标.
    """
    weights = {g.level1: fmt.style.score(g.weight) for g in form.groups}
    indicators = [s.indicator for s in form.indicators]
    merges = [{"level1_rows": 0, "level1_name": "", "level1_weight": "", "level2_rows": 0}
              for _ in indicators]
    i = 0
    while i < len(indicators):
        level1 = indicators[i].level1.strip()
        j = i
        while j < len(indicators) and indicators[j].level1.strip() == level1:
            j += 1
        merges[i].update(level1_rows=j - i, level1_name=level1, level1_weight=weights[level1])
        k = i
        while k < j:
            m = k
            while m < j and indicators[m].level2 == indicators[k].level2:
                m += 1
            merges[k]["level2_rows"] = m - k
            k = m
        i = j
    return merges


def evaluation_context(scores, fmt: Formatter, data_unit_name: str = "") -> list[dict[str, Any]]:
    """The scored 绩效 forms, formatted: the 部门整体 form first (named after the unit), then each project."""
    forms = []
    for form in scores:
        ev, funds = form.evaluation, form.evaluation.funds

        def line(l) -> list[str]:
            return [fmt.cell(l.initial_budget), fmt.cell(l.full_year_budget), fmt.cell(l.executed)]

        forms.append({
            "whole": form.path == "evaluation.whole",
            "name": ev.name or (data_unit_name if form.path == "evaluation.whole" else ""),
            "department": ev.department, "implementer": ev.implementer,
            "budget_kind": ev.budget_kind,
            "funds": {
                "total": line(funds),
                "current_year": line(funds.sources.current_year),
                "carried_over": line(funds.sources.carried_over),
                "other": line(funds.sources.other),
                "by_income": {k: fmt.cell(getattr(funds.by_income, k))
                              for k in ("general", "fund", "special_account", "other")},
                "by_nature": {k: fmt.cell(getattr(funds.by_nature, k)) for k in ("basic", "project")},
                "weight": fmt.style.score(FUNDS_WEIGHT),
                "execution": fmt.pct(form.execution),
                "score": fmt.style.score(form.funds_score),
                "executed": fmt.money(funds.executed), "full_year_budget": fmt.money(funds.full_year_budget),
                "initial_budget": fmt.money(funds.initial_budget),
            },
            "goal": ev.goal, "achieved": ev.achieved,
            "indicators": [
                {"level1": s.indicator.level1, "level2": s.indicator.level2, "name": s.indicator.name,
                 "target": s.indicator.target, "actual": s.indicator.actual,
                 "weight": fmt.style.score(s.indicator.weight), "score": fmt.style.score(s.score),
                 "kind": s.kind, "tier": s.tier.name if s.tier else None,
                 "achievement": fmt.pct(s.achievement) if s.achievement else None,
                 "deviation": s.indicator.deviation}
                for s in form.indicators
            ],
            "groups": [{"level1": g.level1, "weight": fmt.style.score(g.weight), "score": fmt.style.score(g.score)}
                       for g in form.groups],
            "merges": indicator_merges(form, fmt),
            "total": fmt.style.score(form.total),
            "weight_total": fmt.style.score(FUNDS_WEIGHT + form.indicator_weight),
            "grade": form.grade,
            "report": ev.report,
        })
    return forms


def evaluation_summary(scores, fmt: Formatter) -> dict[str, Any]:
    """The figures the 绩效自评报告 states: the whole unit's funds and score, the projects' totals."""
    whole, projects = scores[0], scores[1:]
    f = whole.evaluation.funds
    budget = total(p.evaluation.funds.full_year_budget for p in projects)
    executed = total(p.evaluation.funds.executed for p in projects)
    initial = total(p.evaluation.funds.initial_budget for p in projects)
    return {
        "initial_budget": fmt.money(f.initial_budget), "full_year_budget": fmt.money(f.full_year_budget),
        "executed": fmt.money(f.executed), "execution": fmt.pct(whole.execution),
        "basic": fmt.money(f.by_nature.basic), "project": fmt.money(f.by_nature.project),
        "by_nature_stated": f.by_nature.basic != ZERO or f.by_nature.project != ZERO,
        "by_income": [{"label": label, "amount": fmt.money(getattr(f.by_income, key))}
                      for key, label in (("general", "一般公共预算"), ("fund", "政府性基金"),
                                         ("special_account", "纳入专户管理的非税收入"), ("other", "其他资金"))
                      if getattr(f.by_income, key) != ZERO],
        "score": fmt.style.score(whole.total), "grade": whole.grade,
        "funds_score": fmt.style.score(whole.funds_score),
        "groups": [{"level1": g.level1, "weight": fmt.style.score(g.weight), "score": fmt.style.score(g.score)}
                   for g in whole.groups],
        "projects": fmt.style.count(len(projects)),
        "projects_initial_budget": fmt.money(initial),
        "projects_budget": fmt.money(budget), "projects_executed": fmt.money(executed),
        "projects_execution": fmt.pct(ratio(executed, budget)),
    }


def basic_data_context(data, fmt: Formatter, scores) -> dict[str, Any] | None:
    """部门整体支出绩效评价基础数据表: the stated figures, their subtotals and control rates."""
    ev = data.evaluation
    if ev is None or ev.basic_data is None:
        return None
    b = ev.basic_data
    c = b.costs

    def years(t) -> list[str]:
        return [fmt.cell(t.last_year), fmt.cell(t.budget), fmt.cell(t.actual)]

    def summed(*items) -> list[str]:
        return [fmt.cell(total(getattr(t, k) for t in items)) for k in ("last_year", "budget", "actual")]

    projects = [form.evaluation for form in scores[1:]]
    project_rows = [{"label": f"{i}、{p.name}", "cells": [fmt.cell(c.project_last_year.get(p.name, ZERO)),
                                                         fmt.cell(p.funds.initial_budget), fmt.cell(p.funds.executed)]}
                    for i, p in enumerate(projects, 1)]
    project_total = [fmt.cell(total(c.project_last_year.get(p.name, ZERO) for p in projects)),
                     fmt.cell(total(p.funds.initial_budget for p in projects)),
                     fmt.cell(total(p.funds.executed for p in projects))]
    bl = b.buildings
    return {
        "staff": {"authorized": fmt.style.count(b.staff.authorized), "actual": fmt.style.count(b.staff.actual),
                  "rate": fmt.pct(ratio(Decimal(b.staff.actual), Decimal(b.staff.authorized)))},
        "three_public": summed(c.vehicle_purchase, c.vehicle_operation, c.abroad, c.reception),
        "vehicle": summed(c.vehicle_purchase, c.vehicle_operation),
        "vehicle_purchase": years(c.vehicle_purchase), "vehicle_operation": years(c.vehicle_operation),
        "abroad": years(c.abroad), "reception": years(c.reception),
        "projects": project_rows, "projects_total": project_total,
        "public": years(c.public), "office": years(c.office), "utilities_travel": years(c.utilities_travel),
        "meeting_training": years(c.meeting_training), "procurement": years(c.procurement),
        "buildings": {
            "approved_area": fmt.cell(bl.approved_area), "actual_area": fmt.cell(bl.actual_area),
            "area_rate": fmt.pct(ratio(bl.actual_area, bl.approved_area)),
            "budget_investment": fmt.cell(bl.budget_investment), "actual_investment": fmt.cell(bl.actual_investment),
            "investment_rate": fmt.pct(ratio(bl.actual_investment, bl.budget_investment)),
        },
        "savings_measures": b.savings_measures,
    }


def build_context(checked, style: Style) -> dict[str, Any]:
    """The one template context: unit, texts, tables, derived figures and 绩效 forms."""
    data: UnitData = checked.loaded.data
    f: Figures | None = checked.figures
    fmt = Formatter(style, data.unit.amount_unit)
    u = data.unit
    return {
        "unit": {"name": u.name, "code": u.code, "year": u.year, "department": u.department,
                 "amount_unit": style.unit, "date": u.date or f"{u.year + 1}-06-30"},
        "tables": tables_context(f, data, fmt) if f is not None else {},
        "f": derived_context(f, data, fmt) if f is not None else {},
        "evaluation": evaluation_context(checked.evaluation, fmt, u.name) if checked.evaluation else [],
        "ev": evaluation_summary(checked.evaluation, fmt) if checked.evaluation else {},
        "basic_data": basic_data_context(data, fmt, checked.evaluation) if checked.evaluation else None,
    }


def figures_document(checked, style: Style) -> dict[str, Any]:
    """What ``figures --json`` prints: every table row, derived figure and 绩效 score, as rendered."""
    context = build_context(checked, style)
    return {"unit": context["unit"], "tables": context["tables"], "figures": context["f"],
            "evaluation": context["evaluation"], "evaluation_summary": context["ev"],
            "evaluation_basic_data": context["basic_data"]}
