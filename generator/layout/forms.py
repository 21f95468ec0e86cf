"""The 绩效 forms as grids: the 整体 and 项目支出绩效自评表, and the 基础数据表.

Each form is the published grid in stacked parts: the name, the 年度资金 lines and
the 年度总体目标 (kept on one page), then the indicators under a header row that
repeats on each page, with the 一级指标 (labelled with its DERIVED weight, never a
printed header) and the 二级指标 merged down their rows, and 总分.  The 基础数据表 is
three parts: 财政供养人员, 经费控制情况 (its year header repeated), 楼堂馆所 and 厉行节约.
Every number is formatted here from what compute scored and summed.
"""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

from ..compute.evaluation import BasicDataFigures, EvaluationScore
from ..narrative.context import Formatter
from .tables import amount_cell
from .tree import Cell, Column, Grid

#: What a rate with a zero denominator prints in the forms (执行率, 控制率).
NO_RATE = "无法计算"

#: The forms' column shares (percent), as the published forms print them.
TOP_SHARES = ("13.5", "22", "11.5", "11.5", "11.5", "8", "11", "11")
TOP_KINDS = ("label", "label", "amount", "amount", "amount", "score", "rate", "score")
INDICATOR_SHARES = ("4.5", "12", "11", "18", "14", "14", "6", "7", "13.5")
INDICATOR_KINDS = ("label", "label", "label", "text", "text", "text", "score", "score", "text")
BASIC_SHARES = ("31",) + ("11.5",) * 6
BASIC_KINDS = ("label",) + ("amount",) * 6


def _columns(kinds, shares) -> tuple[Column, ...]:
    return tuple(Column(k, Decimal(s), k in ("amount", "score", "rate")) for k, s in zip(kinds, shares))


def _head(text: str, colspan: int = 1, rowspan: int = 1, **kw) -> Cell:
    return Cell(text, "header", colspan=colspan, rowspan=rowspan, **kw)


def _text(text: str, colspan: int = 1, **kw) -> Cell:
    return Cell(text, "text", colspan=colspan, **kw)


def _centre(text: str, colspan: int = 1) -> Cell:
    return Cell(text, "score", colspan=colspan)


def _rate(fmt: Formatter, ratio) -> Cell:
    return Cell(fmt.pct(ratio) if ratio.defined else NO_RATE, "rate")


def evaluation_form(score: EvaluationScore, fmt: Formatter, unit_name: str) -> tuple[Grid, ...]:
    """整体 (the first form, named after the unit) or 项目支出绩效自评表: two grids."""
    ev, funds = score.evaluation, score.evaluation.funds
    whole = score.path == "evaluation.whole"
    unit = fmt.style.unit
    top: list[list[Cell]] = []
    if whole:
        top.append([_head("预算部门、\n单位名称"), _text(ev.name or unit_name, 7)])
    else:
        top.append([_head("项目名称"), _text(ev.name, 7)])
        top.append([_head("主管部门"), _text(ev.department, 2), _head("实施单位"), _text(ev.implementer, 4)])
    lines = 7 if whole else 5
    side = f"年度预算申请\n（{unit}）" if whole else f"项目资金\n（{unit}）"
    top.append([_head(side, rowspan=lines), _head(""), _head("年初预算数"), _head("全年预算数"), _head("全年执行数"),
                _head("分值"), _head("执行率"), _head("得分")])
    top.append([Cell("年度资金总额", "label"), amount_cell(fmt, funds.initial_budget),
                amount_cell(fmt, funds.full_year_budget), amount_cell(fmt, funds.executed),
                _centre(fmt.style.score(Decimal(10))), _rate(fmt, score.execution),
                _centre(fmt.style.score(score.funds_score))])
    if whole:
        incomes = (("一般公共预算", funds.by_income.general), ("政府性基金拨款", funds.by_income.fund),
                   ("纳入专户管理的非税收入拨款", funds.by_income.special_account), ("其他资金", funds.by_income.other))
        natures = (("基本支出", funds.by_nature.basic), ("项目支出", funds.by_nature.project))
        top.append([_head("按收入性质分", 3, align="left"), _head("按支出性质分", 4, align="left")])
        for i, (label, amount) in enumerate(incomes):
            prefix = "其中：" if i == 0 else ""
            row = [Cell(prefix + label, "label", colspan=2), amount_cell(fmt, amount)]
            if i < len(natures):
                row += [Cell(prefix + natures[i][0], "label", colspan=2),
                        replace(amount_cell(fmt, natures[i][1]), colspan=2)]
            else:
                row += [Cell("", "label", colspan=2), Cell("", "label", colspan=2)]
            top.append(row)
    else:
        s = funds.sources
        for label, line in (("其中：当年财政拨款", s.current_year), ("上年结转资金", s.carried_over), ("其他资金", s.other)):
            top.append([Cell(label, "label"), amount_cell(fmt, line.initial_budget),
                        amount_cell(fmt, line.full_year_budget), amount_cell(fmt, line.executed),
                        Cell(""), Cell(""), Cell("")])
    top.append([_head("年度总体目标", rowspan=2), _head("预期目标", 3), _head("实际完成情况", 4)])
    top.append([_text(ev.goal, 3), _text(ev.achieved, 4)])

    header = [_head("", open="bottom"), _head("一级指标"), _head("二级指标"), _head("三级指标"), _head("年度指标值"),
              _head("实际完成值"), _head("分值"), _head("自评得分"), _head("偏差原因分析及改进措施")]
    weights = {g.level1: fmt.style.score(g.weight) for g in score.groups}
    rows: list[list[Cell]] = []
    indicators = [s.indicator for s in score.indicators]
    for n, (s, (level1_rows, level2_rows)) in enumerate(zip(score.indicators, merges(indicators))):
        ind = s.indicator
        row: list[Cell] = []
        if n == 0:
            row.append(_head("绩效指标", rowspan=len(indicators), open="top"))
        if level1_rows:
            name = ind.level1.strip()
            row.append(Cell(f"{name}\n（{weights[name]}分）", "label", rowspan=level1_rows, align="center",
                            strong=True))
        if level2_rows:
            row.append(Cell(ind.level2, "label", rowspan=level2_rows, align="center"))
        row += [_text(ind.name), Cell(ind.target, "text", align="center"), Cell(ind.actual, "text", align="center"),
                _centre(fmt.style.score(ind.weight)), _centre(fmt.style.score(s.score)), _text(ind.deviation)]
        rows.append(row)
    rows.append([_head("总分", 6), _centre(fmt.style.score(score.weight_total)), _centre(fmt.style.score(score.total)),
                 Cell("")])
    return (Grid(_columns(TOP_KINDS, TOP_SHARES), (), tuple(tuple(r) for r in top), keep_together=True),
            Grid(_columns(INDICATOR_KINDS, INDICATOR_SHARES), (tuple(header),), tuple(tuple(r) for r in rows)))


def merges(indicators) -> list[tuple[int, int]]:
    """(一级指标 rows, 二级指标 rows) per indicator: the height of the merged cell on the first row
    of a run of equal 一级指标 (0 below it), and of equal consecutive 二级指标 within one 一级指标."""
    out = [(0, 0) for _ in indicators]
    i = 0
    while i < len(indicators):
        level1 = indicators[i].level1.strip()
        j = i
        while j < len(indicators) and indicators[j].level1.strip() == level1:
            j += 1
        k = i
        while k < j:
            m = k
            while m < j and indicators[m].level2 == indicators[k].level2:
                m += 1
            out[k] = (j - i if k == i else 0, m - k)
            k = m
        i = j
    return out


def basic_data_form(data, figures: BasicDataFigures, year: int, fmt: Formatter) -> tuple[Grid, ...]:
    """部门整体支出绩效评价基础数据表: three grids sharing their columns (a label, six values)."""
    b = data.basic_data
    c = b.costs
    unit = fmt.style.unit

    def two(cell: Cell) -> Cell:  # each amount takes two of the six value columns
        return replace(cell, colspan=2)

    def line(label: str, years, indent: int = 0) -> list[Cell]:
        return [Cell(label, "label", indent=indent)] + [two(amount_cell(fmt, v))
                                                        for v in (years.last_year, years.budget, years.actual)]

    first = [
        [_head("财政供养人员情况（人）", rowspan=2), _head("编制数", 2), _head(f"{year}年实际在职人数", 2),
         _head("控制率", 2)],
        [Cell(fmt.style.count(b.staff.authorized), "score", colspan=2),
         Cell(fmt.style.count(b.staff.actual), "score", colspan=2),
         Cell(fmt.pct(figures.staff_rate) if figures.staff_rate.defined else NO_RATE, "rate", colspan=2)],
    ]
    header = [_head("经费控制情况"), _head(f"{year - 1}年决算数", 2), _head(f"{year}年预算数", 2),
              _head(f"{year}年决算数", 2)]
    costs = [
        line("三公经费", figures.three_public),
        line("1、公务用车购置和维护经费", figures.vehicle, 1),
        line("其中：公车购置", c.vehicle_purchase, 2),
        line("公车运行维护", c.vehicle_operation, 5),
        line("2、出国经费", c.abroad, 1),
        line("3、公务接待", c.reception, 1),
        line("项目支出（一个专项一行）", figures.projects_total),
        *(line(p.label, p.years, 1) for p in figures.projects),
        line("公用经费", c.public),
        line("其中：办公费", c.office, 1),
        line("水费、电费、差旅费", c.utilities_travel, 4),
        line("会议费、培训费", c.meeting_training, 4),
        line("政府采购金额", c.procurement),
    ]
    bl = b.buildings
    last = [
        [_head(f"楼堂馆所控制情况\n（{year}年完工项目）", rowspan=2), _head("批复规模\n（㎡）"), _head("实际规模\n（㎡）"),
         _head("规模控制率"), _head(f"预算投资\n（{unit}）"), _head(f"实际投资\n（{unit}）"), _head("投资概算控制率")],
        [Cell(fmt.cell(bl.approved_area), "score"), Cell(fmt.cell(bl.actual_area), "score"),
         _rate(fmt, figures.area_rate), amount_cell(fmt, bl.budget_investment), amount_cell(fmt, bl.actual_investment),
         _rate(fmt, figures.investment_rate)],
        [_head("厉行节约保障措施"), _text(b.savings_measures, 6)],
    ]
    columns = _columns(BASIC_KINDS, BASIC_SHARES)
    return (Grid(columns, (), tuple(tuple(r) for r in first), keep_together=True),
            Grid(columns, (tuple(header),), tuple(tuple(r) for r in costs)),
            Grid(columns, (), tuple(tuple(r) for r in last), keep_together=True))
