"""绩效自评: indicator values parsed as people write them, and the scoring rules (primer §7).

Pure functions on Decimal.  A value such as ``≥36.6万人`` becomes a
:class:`Quantity` (comparator, number, unit) converted to its base unit
(万人 → 人, 亿元 → 元); ``基本达成目标`` is qualitative and scored by tier.
Every score is rounded to two decimals half-up and never exceeds its 分值.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal

from ..model import Evaluation, EvaluationData, Indicator
from ..money import HUNDRED, ZERO, Ratio, convert, quantize_half_up, ratio, total

FUNDS_WEIGHT = Decimal(10)
"""资金执行 is worth 10 points on every form; the indicators share the other 90."""

_COMPARATORS = (("≥", ">="), (">=", ">="), ("≧", ">="), ("不低于", ">="), ("不少于", ">="),
                ("≤", "<="), ("<=", "<="), ("≦", "<="), ("不高于", "<="), ("不超过", "<="),
                ("＞", ">"), (">", ">"), ("＜", "<"), ("<", "<"), ("=", "="), ("＝", "="))

_MULTIPLIERS = {"亿": Decimal(100_000_000), "万": Decimal(10_000), "千": Decimal(1000), "百": Decimal(100)}

_NUMBER = re.compile(r"^([+-]?\d+(?:\.\d+)?)\s*(.*)$")
_YEAR_LIKE = re.compile(r"^\d{4}年(\d{1,2}月(\d{1,2}日)?)?(底|前|内|之前)?$")


@dataclass(frozen=True)
class Quantity:
    """A number with its comparator and unit, converted to the unit's base."""

    comparator: str        # ">=", "<=", ">", "<", "=" or "" (none written)
    number: Decimal        # as written
    unit: str              # as written: 万人, 亿元, %, 元/卷, ""
    base_unit: str         # 人, 元, %, 元/卷, "" (unit without its 万/亿 prefix)
    value: Decimal         # number × multiplier, in the base unit


def parse_value(text: str) -> Quantity | None:
    """A quantity, or None when the text is qualitative (合规, 及时, 基本达成目标, 2024年)."""
    raw = unicodedata.normalize("NFKC", text).strip().replace(" ", "").replace(",", "")
    comparator = ""
    for written, meaning in _COMPARATORS:
        if raw.startswith(written):
            comparator, raw = meaning, raw[len(written):]
            break
    if _YEAR_LIKE.match(raw):
        return None
    match = _NUMBER.match(raw)
    if not match:
        return None
    number = Decimal(match.group(1))
    unit = match.group(2)
    multiplier, base = Decimal(1), unit
    if unit[:1] in _MULTIPLIERS and unit != "百分比":
        multiplier, base = _MULTIPLIERS[unit[0]], unit[1:]
    return Quantity(comparator, number, unit, base, number * multiplier)


# ------------------------------------------------------------------ qualitative tiers


@dataclass(frozen=True)
class Tier:
    name: str
    low: Decimal      # share of 分值, in percent
    high: Decimal


DEFAULT_TIERS = (Tier("达成预期指标", Decimal(80), Decimal(100)),
                 Tier("部分达成预期指标并具有一定效果", Decimal(50), Decimal(80)),
                 Tier("未达成预期指标且效果较差", Decimal(0), Decimal(50)))
"""The national tiers; a profile may set others (some provinces cut at 80 and 60)."""


def tier_of(actual: str, target: str, tiers: tuple[Tier, ...] = DEFAULT_TIERS) -> Tier | None:
    """The tier a qualitative 实际完成值 states, or None when it cannot be told."""
    text = unicodedata.normalize("NFKC", actual).strip()
    if any(word in text for word in ("未达成", "未完成", "未达到", "没有完成")):
        return tiers[2]
    if any(word in text for word in ("部分达成", "部分完成", "部分达到", "基本完成但")):
        return tiers[1]
    if text and (text == unicodedata.normalize("NFKC", target).strip()
                 or any(word in text for word in ("达成", "完成", "达到", "已", "是"))):
        return tiers[0]
    return None


# ------------------------------------------------------------------ scores


@dataclass(frozen=True)
class IndicatorScore:
    """The computed score of one indicator, and why."""

    indicator: Indicator
    kind: str                   # 正向 / 反向 / 等于 / 定性
    score: Decimal              # rounded half-up to 0.01, ≤ weight
    achievement: Ratio | None   # B/x or x/B for quantitative ones
    tier: Tier | None
    problem: str = ""           # why it could not be scored as written (then score is 0)
    note: str = ""              # an interpretation the user should know of


def _capped(weight: Decimal, share: Decimal) -> Decimal:
    """分值 × share (share ≤ 1), rounded to two decimals half-up."""
    return min(weight, quantize_half_up(weight * share, 2))


_PER_PERIOD = re.compile(r"/(年|月|季|季度|次|期)$")


def _is_cost(ind: Indicator) -> bool:
    return "成本" in ind.level1 or "成本" in ind.level2


def comparable(target: Quantity, actual: Quantity, equivalents: tuple[frozenset[str], ...] = (),
               written: tuple[str, str] = ("", "")) -> tuple[bool, str]:
    """Whether two quantities can be compared, and a note when it took an interpretation.

    The same base unit (万人 and 人, 亿元 and 元); one side without a unit (read in the other's);
    元/年 against 元 (a rate per period against its amount for the year); and the pairs the
    profile declares equal (人次 with 人, only where a province counts them alike)."""
    t, a = target.base_unit, actual.base_unit
    target_text, actual_text = (f"“{w}”" if w else "" for w in written)
    if t == a:
        return True, ""
    if not a:
        return True, f"实际完成值{actual_text}没有写单位，按“{t}”计算"
    if not t:
        return True, f"年度指标值{target_text}没有写单位，按“{a}”计算"
    if _PER_PERIOD.sub("", t) == _PER_PERIOD.sub("", a):
        return True, f"“{target.unit}”与“{actual.unit}”按同一单位比较"
    if any({t, a} <= pair for pair in equivalents):
        return True, f"按方案的规定，“{target.unit}”与“{actual.unit}”按同一单位比较"
    return False, ""


def _qualitative(ind: Indicator, tier: Tier, tiers: tuple[Tier, ...], note: str = "") -> IndicatorScore:
    weight = ind.weight
    low, high = weight * tier.low / HUNDRED, weight * tier.high / HUNDRED
    if ind.score is None:
        if tier is tiers[0]:
            return IndicatorScore(ind, "定性", weight, None, tier, note=note)
        return IndicatorScore(ind, "定性", ZERO, None, tier,
                              f"实际完成值属于“{tier.name}”档（{low:f}–{high:f}分），请在 score 中填写该档内的得分",
                              note)
    if not low <= ind.score <= high:
        return IndicatorScore(ind, "定性", min(max(ind.score, low), high), None, tier,
                              f"自评得分 {ind.score:f} 不在“{tier.name}”档的范围 {low:f}–{high:f} 分内", note)
    return IndicatorScore(ind, "定性", quantize_half_up(ind.score, 2), None, tier, note=note)


def score_indicator(ind: Indicator, tiers: tuple[Tier, ...] = DEFAULT_TIERS,
                    equivalents: tuple[frozenset[str], ...] = ()) -> IndicatorScore:
    """One indicator's score by its kind and direction (primer §7); an indicator that cannot be
    scored as written has a ``problem`` (an error for the checker), never a silent 0."""
    weight = ind.weight
    target, actual = parse_value(ind.target), parse_value(ind.actual)
    if ind.kind == "定性" or (target is None and ind.kind != "定量"):
        tier = tier_of(ind.actual, ind.target, tiers)
        if tier is None:
            return IndicatorScore(ind, "定性", ZERO, None, None,
                                  f"无法从实际完成值“{ind.actual}”判断达成档次（达成预期指标、部分达成预期指标并具有一定效果、"
                                  "未达成预期指标且效果较差）")
        return _qualitative(ind, tier, tiers)
    if target is None:
        return IndicatorScore(ind, "定量", ZERO, None, None,
                              f"写明是定量指标，年度指标值“{ind.target}”却不是数量")
    if actual is None:
        tier = tier_of(ind.actual, ind.target, tiers)
        if tier is not None:  # a tier phrase written as the actual value of a numeric target
            return _qualitative(ind, tier, tiers, f"年度指标值是数量，实际完成值写的是档次“{ind.actual}”，按档次计分")
        return IndicatorScore(ind, "定量", ZERO, None, None,
                              f"年度指标值“{ind.target}”是数量，实际完成值“{ind.actual}”既不是数量也不是达成档次")
    ok, note = comparable(target, actual, equivalents, (ind.target, ind.actual))
    if not ok:
        return IndicatorScore(ind, "定量", ZERO, None, None,
                              f"实际完成值的单位“{actual.unit or '（无）'}”与年度指标值的单位“{target.unit or '（无）'}”"
                              "不能比较")
    x, b = target.value, actual.value
    direction = ind.direction or {">=": "正向", ">": "正向", "<=": "反向", "<": "反向", "=": "等于"}.get(target.comparator)
    if direction is None:
        if _is_cost(ind):
            direction = "反向"
            note = "；".join(filter(None, [note, "成本指标没有写比较符，按反向（不超过年度指标值得满分）计分"]))
        else:
            direction = "正向"
    strict = target.comparator in (">", "<")
    if direction == "正向":
        met = b > x if strict else b >= x
        share = Decimal(1) if met or x == ZERO else b / x
        return IndicatorScore(ind, "正向", _capped(weight, min(share, Decimal(1))), ratio(b, x), None, note=note)
    if direction == "反向":
        met = b < x if strict else b <= x
        share = Decimal(1) if met else (x / b if b else Decimal(1))
        return IndicatorScore(ind, "反向", _capped(weight, min(share, Decimal(1))), ratio(x, b), None, note=note)
    met = b == x
    share = Decimal(1) if met else (min(b, x) / max(b, x) if max(b, x) else Decimal(1))
    return IndicatorScore(ind, "等于", _capped(weight, share), ratio(b, x), None, note=note)


GRADES = ((Decimal(90), "优"), (Decimal(80), "良"), (Decimal(60), "中"), (Decimal(0), "差"))


def grade_of(score: Decimal) -> str:
    """优 (≥90), 良 (80–90), 中 (60–80), 差 (<60)."""
    return next(name for bound, name in GRADES if score >= bound)


@dataclass(frozen=True)
class GroupWeight:
    level1: str
    weight: Decimal
    score: Decimal


@dataclass(frozen=True)
class EvaluationScore:
    """One form scored: funds, indicators, groups, 总分, 等级."""

    evaluation: Evaluation
    path: str                       # where it was written (evaluation.whole / evaluation.projects[i])
    execution: Ratio                # 执行率 = 全年执行数 / 全年预算数
    funds_score: Decimal
    indicators: tuple[IndicatorScore, ...]
    groups: tuple[GroupWeight, ...]
    indicator_weight: Decimal
    total: Decimal
    grade: str

    @property
    def weight_total(self) -> Decimal:
        """总分's 分值: the funds' 10 plus the indicators' weights (100 on a well-formed form)."""
        return FUNDS_WEIGHT + self.indicator_weight


def score_evaluation(ev: Evaluation, path: str, tiers: tuple[Tier, ...] = DEFAULT_TIERS,
                     equivalents: tuple[frozenset[str], ...] = ()) -> EvaluationScore:
    funds = ev.funds
    execution = ratio(funds.executed, funds.full_year_budget)
    if execution.defined:
        funds_score = _capped(FUNDS_WEIGHT, min(funds.executed / funds.full_year_budget, Decimal(1)))
    else:
        funds_score = ZERO
    scores = tuple(score_indicator(ind, tiers, equivalents) for ind in ev.indicators)
    groups: dict[str, list[IndicatorScore]] = {}
    for s in scores:
        groups.setdefault(s.indicator.level1.strip(), []).append(s)
    group_weights = tuple(GroupWeight(name, total(s.indicator.weight for s in members),
                                      total(s.score for s in members))
                          for name, members in groups.items())
    total_score = funds_score + total(s.score for s in scores)
    return EvaluationScore(ev, path, execution, funds_score, scores, group_weights,
                           total(s.indicator.weight for s in scores), total_score, grade_of(total_score))


def score_all(data: EvaluationData, tiers: tuple[Tier, ...] = DEFAULT_TIERS,
              equivalents: tuple[frozenset[str], ...] = ()) -> tuple[EvaluationScore, ...]:
    """The 部门整体 form first (when the unit has one), then each project's."""
    forms = [score_evaluation(data.whole, "evaluation.whole", tiers, equivalents)] if data.whole is not None else []
    forms += [score_evaluation(p, f"evaluation.projects[{i}]", tiers, equivalents)
              for i, p in enumerate(data.projects)]
    return tuple(forms)


def whole_of(scores) -> EvaluationScore | None:
    """The 部门整体 form, or None when the unit fills project forms only."""
    return next((s for s in scores if s.path == "evaluation.whole"), None)


def projects_of(scores) -> tuple[EvaluationScore, ...]:
    return tuple(s for s in scores if s.path != "evaluation.whole")


# ------------------------------------------------------------------ what the reports and 基础数据表 state


@dataclass(frozen=True)
class EvaluationSummary:
    """The figures the 绩效自评报告 states: the projects' totals and their execution."""

    projects: int
    initial_budget: Decimal           # Σ 年初预算数 of the project forms
    full_year_budget: Decimal         # Σ 全年预算数
    executed: Decimal                 # Σ 全年执行数
    execution: Ratio                  # executed / full_year_budget


def in_unit(form: EvaluationScore, amount: Decimal, unit: str) -> Decimal:
    """An amount of a form (written in the form's own ``amount_unit``, else ``unit``) in ``unit``."""
    return convert(amount, form.evaluation.amount_unit or unit, unit)


def summarize(scores: tuple[EvaluationScore, ...], unit: str = "万元") -> EvaluationSummary:
    """The project forms' totals, in ``unit`` (the unit's data unit; a form may be written in its own)."""
    projects = projects_of(scores)

    def summed(key: str) -> Decimal:
        return total(in_unit(s, getattr(s.evaluation.funds, key), unit) for s in projects)

    budget, executed = summed("full_year_budget"), summed("executed")
    return EvaluationSummary(len(projects), summed("initial_budget"), budget, executed, ratio(executed, budget))


@dataclass(frozen=True)
class ThreeYearsFigures:
    """上年决算数、本年预算数、本年决算数 of a 基础数据表 line."""

    last_year: Decimal
    budget: Decimal
    actual: Decimal


@dataclass(frozen=True)
class ProjectLine:
    label: str                        # 1、项目名称
    years: ThreeYearsFigures          # 上年决算数 (written), 年初预算数 and 全年执行数 (of its form)


@dataclass(frozen=True)
class BasicDataFigures:
    """部门整体支出绩效评价基础数据表: the stated lines, their subtotals and the control rates."""

    staff_rate: Ratio                 # 实际在职人数 / 编制数
    three_public: ThreeYearsFigures   # 公车购置 + 运行 + 出国 + 接待
    vehicle: ThreeYearsFigures        # 公车购置 + 运行
    projects: tuple[ProjectLine, ...]
    projects_total: ThreeYearsFigures
    area_rate: Ratio                  # 实际规模 / 批复规模
    investment_rate: Ratio            # 实际投资 / 预算投资


def _summed(*lines) -> ThreeYearsFigures:
    return ThreeYearsFigures(*(total(getattr(line, k) for line in lines) for k in ("last_year", "budget", "actual")))


def basic_data_figures(data: EvaluationData, scores: tuple[EvaluationScore, ...],
                       unit: str = "万元") -> BasicDataFigures | None:
    """The 基础数据表's figures, in ``unit`` (the unit's data unit)."""
    b = data.basic_data
    if b is None:
        return None
    c = b.costs
    projects = tuple(
        ProjectLine(f"{i}、{s.evaluation.name}",
                    ThreeYearsFigures(c.project_last_year.get(s.evaluation.name, ZERO),
                                      in_unit(s, s.evaluation.funds.initial_budget, unit),
                                      in_unit(s, s.evaluation.funds.executed, unit)))
        for i, s in enumerate(projects_of(scores), 1))
    return BasicDataFigures(
        staff_rate=ratio(Decimal(b.staff.actual), Decimal(b.staff.authorized)),
        three_public=_summed(c.vehicle_purchase, c.vehicle_operation, c.abroad, c.reception),
        vehicle=_summed(c.vehicle_purchase, c.vehicle_operation),
        projects=projects,
        projects_total=_summed(*(p.years for p in projects)),
        area_rate=ratio(b.buildings.actual_area, b.buildings.approved_area),
        investment_rate=ratio(b.buildings.actual_investment, b.buildings.budget_investment),
    )
