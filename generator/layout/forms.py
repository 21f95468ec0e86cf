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
from ..profiles import ProfileError
from .tables import amount_cell
from .tree import Cell, Column, Grid

#: What a rate with a zero denominator prints in the forms (执行率, 控制率).
NO_RATE = "无法计算"

#: The columns a form may print, each with its header and its share of the width before the shares
#: are scaled to 100.  A profile chooses and orders them (``evaluation.form`` in profile.yaml); the
#: defaults are the Hunan forms.
FUNDS_COLUMNS = {
    "initial_budget": ("年初预算数", "11.5"), "full_year_budget": ("全年预算数", "11.5"),
    "executed": ("全年执行数", "11.5"), "balance": ("资金结转结余", "11.5"),
}
INDICATOR_COLUMNS = {
    "level1": ("一级指标", "12", "label"), "level2": ("二级指标", "11", "label"), "name": ("三级指标", "18", "text"),
    "declared": ("目标申报数", "11", "text"), "target": ("年度指标值", "14", "text"),
    "actual": ("实际完成值", "14", "text"), "weight": ("分值", "6", "score"), "score": ("自评得分", "7", "score"),
    "deviation": ("偏差原因分析及改进措施", "13.5", "text"), "qualitative_note": ("定性值情况说明", "12", "text"),
    "note": ("备注", "8", "text"),
}
DEFAULT_FUNDS = ("initial_budget", "full_year_budget", "executed")
DEFAULT_INDICATORS = ("level1", "level2", "name", "target", "actual", "weight", "score", "deviation")
REQUIRED_INDICATORS = ("level1", "level2", "name", "target", "actual", "weight", "score")


class FormSpecError(ProfileError):
    """A profile's ``evaluation.form`` naming a column the forms do not have."""


def form_columns(settings: dict | None) -> tuple[tuple[tuple[str, str], ...], tuple[tuple[str, str], ...]]:
    """The funds columns and the indicator columns a profile prints, as (key, header) pairs: each
    entry a key or ``{key: …, header: …}`` (a province's own heading, e.g. 年初指标值)."""
    settings = settings or {}

    def chosen(name, known, default, required=()):
        out = []
        for entry in settings.get(name) or default:
            key, header = (entry.get("key"), entry.get("header")) if isinstance(entry, dict) else (entry, None)
            if key not in known:
                raise FormSpecError(f"evaluation.form.{name} 中有不认识的栏目“{key}”（可用：{'、'.join(known)}）")
            out.append((key, str(header or known[key][0])))
        missing = [k for k in required if k not in {key for key, _ in out}]
        if missing:
            raise FormSpecError(f"evaluation.form.{name} 缺少必须的栏目：{'、'.join(missing)}")
        return tuple(out)

    return (chosen("funds", FUNDS_COLUMNS, DEFAULT_FUNDS, ("executed",)),
            chosen("indicators", INDICATOR_COLUMNS, DEFAULT_INDICATORS, REQUIRED_INDICATORS))


def _scaled(kinds_and_shares) -> tuple[Column, ...]:
    """Columns whose shares are scaled to sum to 100 (the last takes the rounding)."""
    shares = [Decimal(share) for _, share in kinds_and_shares]
    whole = sum(shares)
    widths = [(share * 100 / whole).quantize(Decimal("0.01")) for share in shares]
    widths[-1] += Decimal(100) - sum(widths)
    return tuple(Column(kind, width, kind in ("amount", "score", "rate"))
                 for (kind, _), width in zip(kinds_and_shares, widths))


BASIC_SHARES = ("31",) + ("11.5",) * 6
BASIC_KINDS = ("label",) + ("amount",) * 6


def _head(text: str, colspan: int = 1, rowspan: int = 1, **kw) -> Cell:
    return Cell(text, "header", colspan=colspan, rowspan=rowspan, **kw)


def _text(text: str, colspan: int = 1, **kw) -> Cell:
    return Cell(text, "text", colspan=colspan, **kw)


def _centre(text: str, colspan: int = 1) -> Cell:
    return Cell(text, "score", colspan=colspan)


def _rate(fmt: Formatter, ratio) -> Cell:
    return Cell(fmt.pct(ratio) if ratio.defined else NO_RATE, "rate")


def evaluation_form(score: EvaluationScore, fmt: Formatter, unit_name: str,
                    settings: dict | None = None) -> tuple[Grid, ...]:
    """整体 (named after the unit) or 项目支出绩效自评表: two grids, with the columns the profile
    chooses (``settings``: its ``evaluation.form``)."""
    ev, funds = score.evaluation, score.evaluation.funds
    whole = score.path == "evaluation.whole"
    unit = fmt.style.unit
    funds_columns, indicator_columns = form_columns(settings)
    amounts = [key for key, _ in funds_columns]
    span = len(amounts) + 4                 # the columns right of the side heading
    top: list[list[Cell]] = []
    if whole:
        top.append([_head("预算部门、\n单位名称"), _text(ev.name or unit_name, span)])
    else:
        top.append([_head("项目名称"), _text(ev.name, span)])
        top.append([_head("主管部门"), _text(ev.department, 2), _head("实施单位"), _text(ev.implementer, span - 3)])
    lines = 7 if whole else 5
    side = f"年度预算申请\n（{unit}）" if whole else f"项目资金\n（{unit}）"
    top.append([_head(side, rowspan=lines), _head("")] + [_head(header) for _, header in funds_columns]
               + [_head("分值"), _head("执行率"), _head("得分")])

    def values(line) -> list[Cell]:
        return [amount_cell(fmt, getattr(line, key, None)) for key in amounts]

    top.append([Cell("年度资金总额", "label"), *values(funds),
                _centre(fmt.style.score(Decimal(10))), _rate(fmt, score.execution),
                _centre(fmt.style.score(score.funds_score))])
    if whole:
        incomes = (("一般公共预算", funds.by_income.general), ("政府性基金拨款", funds.by_income.fund),
                   ("纳入专户管理的非税收入拨款", funds.by_income.special_account), ("其他资金", funds.by_income.other))
        natures = (("基本支出", funds.by_nature.basic), ("项目支出", funds.by_nature.project))
        top.append([_head("按收入性质分", 3, align="left"), _head("按支出性质分", span - 3, align="left")])
        for i, (label, amount) in enumerate(incomes):
            prefix = "其中：" if i == 0 else ""
            row = [Cell(prefix + label, "label", colspan=2), amount_cell(fmt, amount)]
            if i < len(natures):
                row += [Cell(prefix + natures[i][0], "label", colspan=2),
                        replace(amount_cell(fmt, natures[i][1]), colspan=span - 5)]
            else:
                row += [Cell("", "label", colspan=2), Cell("", "label", colspan=span - 5)]
            top.append(row)
    else:
        s = funds.sources
        for label, line in (("其中：当年财政拨款", s.current_year), ("上年结转资金", s.carried_over), ("其他资金", s.other)):
            top.append([Cell(label, "label"), *values(line), Cell(""), Cell(""), Cell("")])
    if funds.deviation.strip():
        top.append([_head("偏差原因分析"), _text(funds.deviation, span)])
    top.append([_head("年度总体目标", rowspan=2), _head("预期目标", 3), _head("实际完成情况", span - 3)])
    top.append([_text(ev.goal, 3), _text(ev.achieved, span - 3)])

    header = [_head("", open="bottom")] + [_head(title) for _, title in indicator_columns]
    weights = {g.level1: fmt.style.score(g.weight) for g in score.groups}
    rows: list[list[Cell]] = []
    indicators = [s.indicator for s in score.indicators]
    for n, (s, (level1_rows, level2_rows)) in enumerate(zip(score.indicators, merges(indicators))):
        ind = s.indicator
        row: list[Cell] = []
        if n == 0:
            row.append(_head("绩效指标", rowspan=len(indicators), open="top"))
        for key, _ in indicator_columns:
            if key == "level1":
                if level1_rows:
                    name = ind.level1.strip()
                    row.append(Cell(f"{name}\n（{weights[name]}分）", "label", rowspan=level1_rows,
                                    align="center", strong=True))
            elif key == "level2":
                if level2_rows:
                    row.append(Cell(ind.level2, "label", rowspan=level2_rows, align="center"))
            elif key in ("target", "actual", "declared"):
                row.append(Cell(getattr(ind, key), "text", align="center"))
            elif key == "weight":
                row.append(_centre(fmt.style.score(ind.weight)))
            elif key == "score":
                row.append(_centre(fmt.style.score(s.score)))
            else:   # name, deviation, qualitative_note, note
                row.append(_text(getattr(ind, key)))
        rows.append(row)
    keys = [key for key, _ in indicator_columns]
    before_weight = keys.index("weight")
    total_row = [_head("总分", before_weight + 1)]
    for key in keys[before_weight:]:
        total_row.append(_centre(fmt.style.score(score.weight_total)) if key == "weight"
                         else _centre(fmt.style.score(score.total)) if key == "score" else Cell(""))
    rows.append(total_row)
    top_columns = _scaled([("label", "13.5"), ("label", "22")]
                          + [("amount", FUNDS_COLUMNS[key][1]) for key in amounts]
                          + [("score", "8"), ("rate", "11"), ("score", "11")])
    indicator_grid = _scaled([("label", "4.5")] + [(INDICATOR_COLUMNS[key][2], INDICATOR_COLUMNS[key][1])
                                                   for key in keys])
    return (Grid(top_columns, (), tuple(tuple(r) for r in top), keep_together=True),
            Grid(indicator_grid, (tuple(header),), tuple(tuple(r) for r in rows)))


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
    columns = _scaled(list(zip(BASIC_KINDS, BASIC_SHARES)))
    return (Grid(columns, (), tuple(tuple(r) for r in first), keep_together=True),
            Grid(columns, (tuple(header),), tuple(tuple(r) for r in costs)),
            Grid(columns, (), tuple(tuple(r) for r in last), keep_together=True))
