"""The figures of 第三部分 formatted once, in the profile's style, for the narrative.

:func:`build_context` turns :class:`~generator.compute.figures.Figures` and the
scored 绩效 forms into plain dicts, lists and strings: every derived figure with
its amount, rate and direction words.  The narrative templates read it and
``figures --json`` prints it.  :class:`Formatter` is the one place an amount or a
rate becomes text (the layout formats table cells with it too).  Nothing here
computes: every sum and ratio comes from :mod:`generator.compute`.
"""

from __future__ import annotations

import dataclasses
from decimal import Decimal
from typing import Any

from ..compute.evaluation import FUNDS_WEIGHT, summarize, whole_of
from ..compute.figures import Figures, Share
from ..model import UnitData
from ..money import ZERO, Change, Ratio
from .style import Style


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
            "both_zero": change.current == ZERO and change.base == ZERO,   # nothing either year: nothing to say
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
        "budget_base": f.budget_base,
        "class_changes": [{"code": c.code, "label": c.label, "change": fmt.change(c.change), "reason": c.reason}
                          for c in f.general_class_changes],
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
                 "none": f.fund_income == ZERO and f.fund_expenditure == ZERO, "change": fmt.change(f.fund_change)},
        "capital": {"expenditure": fmt.money(f.capital_expenditure), "none": f.capital_expenditure == ZERO,
                    "change": fmt.change(f.capital_change)},
        "reception_detail": _reception(tp, fmt),
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
        "vehicles": [{"label": v.label, "count": fmt.style.count(v.count)} for v in f.vehicles],
        "equipment_over_1m": fmt.style.count(f.equipment_over_1m),
        "equipment_over_500k": fmt.count(data.assets.equipment_over_500k),
        "building_area": (fmt.style.quantity(data.assets.building_area)
                          if data.assets.building_area is not None else None),
        "evaluated": [
            {"label": k.label, "projects": fmt.style.count(k.projects), "amount": fmt.money(k.amount),
             "share": fmt.pct(k.share)}
            for k in f.evaluated
        ],
        "evaluated_projects": fmt.style.count(f.evaluated_projects),
        "evaluated_amount": fmt.money(f.evaluated_amount),
    }


def _reception(tp, fmt: Formatter) -> list[dict[str, Any]] | None:
    """公务接待 split into 国内 and 国（境）外, the parts the unit stated (None: no split given)."""
    if tp.reception_detail is None:
        return None
    parts = []
    for label, part in (("国内公务接待", tp.reception_detail.domestic), ("国（境）外公务接待", tp.reception_detail.foreign)):
        if part.amount is None and part.batches is None and part.people is None:
            continue
        parts.append({"label": label, "amount": fmt.money(part.amount) if part.amount is not None else None,
                      "none": part.amount is not None and part.amount == ZERO and not part.batches,
                      "batches": fmt.count(part.batches), "people": fmt.count(part.people)})
    return parts


def _three_public(item, fmt: Formatter) -> dict[str, Any]:
    return {"label": item.label, **fmt.completion(item.actual, item.budget, item.completion),
            "last_year": fmt.money(item.last_year) if item.last_year is not None else None,
            "change": fmt.change(item.change)}


def form_formatter(style: Style, form, data_unit: str) -> Formatter:
    """How a 绩效 form prints its amounts: in its own ``amount_unit`` when it has one (a form in
    万元 inside a 元 document, as printed), else like the document."""
    unit = form.evaluation.amount_unit
    if not unit:
        return Formatter(style, data_unit)
    return Formatter(dataclasses.replace(style, unit=unit, unit_suffix=unit), unit)


def evaluation_context(scores, style: Style, data_unit: str, data_unit_name: str = "") -> list[dict[str, Any]]:
    """The scored 绩效 forms, formatted: the 部门整体 form (named after the unit) when there is one,
    then each project.  ``key`` is the form's place in the document (``TABLE eval:N``); the
    sentences' amounts are in the document's unit, the cells in the form's own."""
    forms = []
    for key, form in enumerate(scores):
        ev, funds = form.evaluation, form.evaluation.funds
        cells = form_formatter(style, form, data_unit)
        fmt = Formatter(style, ev.amount_unit or data_unit)   # the form's amounts said in the document's unit
        whole = form.path == "evaluation.whole"

        def line(l) -> list[str]:
            return [cells.cell(l.initial_budget), cells.cell(l.full_year_budget), cells.cell(l.executed)]

        forms.append({
            "key": f"eval:{key}", "whole": whole,
            "name": ev.name or (data_unit_name if whole else ""),
            "department": ev.department, "implementer": ev.implementer,
            "budget_kind": ev.budget_kind, "amount_unit": cells.style.unit,
            "funds": {
                "total": line(funds),
                "current_year": line(funds.sources.current_year),
                "carried_over": line(funds.sources.carried_over),
                "other": line(funds.sources.other),
                "by_income": {k: cells.cell(getattr(funds.by_income, k))
                              for k in ("general", "fund", "special_account", "other")},
                "by_nature": {k: cells.cell(getattr(funds.by_nature, k)) for k in ("basic", "project")},
                "weight": fmt.style.score(FUNDS_WEIGHT),  # the funds line is worth 10 on every form
                "execution": fmt.pct(form.execution),
                "score": fmt.style.score(form.funds_score),
                "executed": fmt.money(funds.executed), "full_year_budget": fmt.money(funds.full_year_budget),
                "initial_budget": fmt.money(funds.initial_budget),
                "deviation": funds.deviation,
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
            "total": fmt.style.score(form.total),
            "weight_total": fmt.style.score(form.weight_total),
            "grade": form.grade,
            "report": ev.report,
        })
    return forms


def evaluation_summary(scores, fmt: Formatter) -> dict[str, Any]:
    """The figures the 绩效自评报告 states: the whole unit's funds and score (``whole``: whether the
    unit has the 整体 form at all), the projects' totals (in the document's unit)."""
    projects = summarize(scores, fmt.data_unit)
    summary: dict[str, Any] = {
        "whole": False,
        "projects": fmt.style.count(projects.projects),
        "has_projects": projects.projects > 0,
        "projects_initial_budget": fmt.money(projects.initial_budget),
        "projects_budget": fmt.money(projects.full_year_budget), "projects_executed": fmt.money(projects.executed),
        "projects_execution": fmt.pct(projects.execution),
    }
    whole = whole_of(scores)
    if whole is None:
        return summary
    f = whole.evaluation.funds
    own = Formatter(fmt.style, whole.evaluation.amount_unit or fmt.data_unit)
    return summary | {
        "whole": True,
        "initial_budget": own.money(f.initial_budget), "full_year_budget": own.money(f.full_year_budget),
        "executed": own.money(f.executed), "execution": fmt.pct(whole.execution),
        "basic": own.money(f.by_nature.basic), "project": own.money(f.by_nature.project),
        "by_nature_stated": f.by_nature.basic != ZERO or f.by_nature.project != ZERO,
        "by_income": [{"label": label, "amount": own.money(getattr(f.by_income, key))}
                      for key, label in (("general", "一般公共预算"), ("fund", "政府性基金"),
                                         ("special_account", "纳入专户管理的非税收入"), ("other", "其他资金"))
                      if getattr(f.by_income, key) != ZERO],
        "score": fmt.style.score(whole.total), "grade": whole.grade,
        "funds_score": fmt.style.score(whole.funds_score),
        "groups": [{"level1": g.level1, "weight": fmt.style.score(g.weight), "score": fmt.style.score(g.score)}
                   for g in whole.groups],
    }


def build_context(checked, style: Style) -> dict[str, Any]:
    """The one template context: unit, texts, tables, derived figures and 绩效 forms."""
    data: UnitData = checked.loaded.data
    f: Figures | None = checked.figures
    fmt = Formatter(style, data.unit.amount_unit)
    u = data.unit
    forms = evaluation_context(checked.evaluation, style, u.amount_unit, u.name) if checked.evaluation else []
    return {
        "unit": {"name": u.name, "code": u.code, "year": u.year, "department": u.department,
                 "amount_unit": style.unit, "date": u.date or f"{u.year + 1}-06-30"},
        "f": derived_context(f, data, fmt) if f is not None else {},
        "evaluation": forms,
        "whole": next((form for form in forms if form["whole"]), None),
        "projects": [form for form in forms if not form["whole"]],
        "ev": evaluation_summary(checked.evaluation, fmt) if checked.evaluation else {},
        "basic_data": getattr(checked, "basic_data", None) is not None,   # whether there is a 基础数据表
    }


def figures_document(checked, style: Style, tables: dict[str, Any] | None = None) -> dict[str, Any]:
    """What ``figures --json`` prints: every derived figure and 绩效 score as rendered, and the
    tables (``tables``: each table's rows of cells as printed, from the layout)."""
    context = build_context(checked, style)
    return {"unit": context["unit"], "tables": tables or {}, "figures": context["f"],
            "evaluation": context["evaluation"], "evaluation_summary": context["ev"]}
