"""Last year: what no 公开表 holds, and this year's comparison figures.

From last year's unit file (``--from 上年.yaml``) everything the workbook cannot give
is carried over — 部门职责, 机构设置, staffing, every reason, the 三公 counts,
政府采购, 国有资产, 绩效, the 年初预算 lines and their reasons — and last year's
决算 figures, as the generator computes them from that file, become this year's
comparison figures: ``last_year`` (总计, 财政拨款总计, 一般公共预算财政拨款支出, per
类), ``three_public.last_year``, ``running_cost.last_year``.  Amounts follow this
year's 金额单位 (万元 ↔ 元, exact).  Last year's published document (DOCX or PDF)
serves the same purpose the first year: see :mod:`generator.importer.document`.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field, fields, is_dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any, Callable

from .. import model
from ..issues import Issue, Severity, UnusableInput
from ..money import convert
from .tables import issue


class LastYearError(Exception):
    """Last year's file or document cannot be used at all (exit code 2)."""

    def __init__(self, issue_: Issue):
        super().__init__(issue_.message)
        self.issue = issue_


@dataclass
class Carried:
    """What last year supplies: its data (in this year's 金额单位), what of it is known, comparisons."""

    source: str                                   # the file, as messages name it
    data: model.UnitData
    comparisons: dict[str, Any] = field(default_factory=dict)   # "last_year.total" → Decimal …
    known: Callable[[str], bool] = lambda path: True
    issues: list[Issue] = field(default_factory=list)
    unmatched: list[str] = field(default_factory=list)          # what a document did not give (listed)
    matched: list[str] = field(default_factory=list)            # what it did give

    def knows(self, path: str) -> bool:
        return self.known(path)

    def value(self, path: str) -> Any:
        obj: Any = self.data
        for part in path.split("."):
            obj = obj.get(part) if isinstance(obj, dict) else getattr(obj, part)
        return obj


def scaled(obj: Any, factor: Decimal) -> Any:
    """A record with every amount multiplied by ``factor`` (万元 ↔ 元); counts and texts unchanged."""
    if factor == 1:
        return obj
    if isinstance(obj, Decimal):
        return obj * factor
    if isinstance(obj, dict):
        return {k: scaled(v, factor) for k, v in obj.items()}
    if isinstance(obj, tuple):
        return tuple(scaled(v, factor) for v in obj)
    if is_dataclass(obj) and not isinstance(obj, type):
        changes = {}
        for f in fields(obj):
            kind = f.metadata.get("kind")
            value = getattr(obj, f.name)
            if kind in ("amount", "amountmap", "record", "map", "list") and value is not None:
                changes[f.name] = scaled(value, factor)
        return dataclasses.replace(obj, **changes)
    return obj


def factor(from_unit: str, to_unit: str) -> Decimal:
    return convert(Decimal(1), from_unit, to_unit)


def from_unit_file(path: Path, amount_unit: str) -> Carried:
    """Last year's unit file: its texts and non-table figures, its 决算 figures as comparisons."""
    from ..pipeline import check_file

    try:
        checked = check_file(path)
    except UnusableInput as exc:
        raise LastYearError(issue(str(path), "IMPORT-FROM", f"上年的文件无法使用：{exc.issue.message}")) from None
    except OSError as exc:
        raise LastYearError(issue(str(path), "IMPORT-FROM", f"上年的文件无法读取：{exc}")) from None
    data = checked.loaded.data
    if data is None:
        raise LastYearError(issue(str(path), "IMPORT-FROM", "上年的文件无法使用"))
    issues = []
    errors = checked.errors
    if errors:
        issues.append(issue(str(path), "IMPORT-FROM",
                            f"上年的文件有 {len(errors)} 条错误（用 juesuan check {path} 查看）；"
                            "其中的文字照样沿用，请一并核对", Severity.WARNING))
    unit = data.unit.amount_unit
    k = factor(unit, amount_unit)
    carried = Carried(str(path), scaled(data, k), issues=issues)
    figures = checked.figures
    if figures is None:
        issues.append(issue(str(path), "IMPORT-FROM",
                            "上年的文件有结构错误，上年的决算数无法计算：与上年比较的数字写作“待填写”", Severity.WARNING))
        return carried
    carried.comparisons = comparisons(figures, data, k)
    return carried


def comparisons(figures, data: model.UnitData, k: Decimal) -> dict[str, Any]:
    """Last year's 决算 as this year's comparison figures (``last_year``, 三公, 机关运行经费)."""
    t09 = figures.tables.t09.actual
    out: dict[str, Any] = {
        "last_year.total": figures.grand_total * k,
        "last_year.fiscal_total": figures.fiscal_total * k,
        "last_year.general_budget": figures.general_total * k,
    }
    by_class = {s.code: s.amount * k for s in figures.general_by_class if s.code}
    if by_class:
        out["last_year.general_by_class"] = by_class
    if figures.fund_expenditure or data.last_year.fund_expenditure is not None:
        out["last_year.fund_expenditure"] = figures.fund_expenditure * k
    if figures.capital_expenditure or data.last_year.capital_expenditure is not None:
        out["last_year.capital_expenditure"] = figures.capital_expenditure * k
    for item in ("abroad", "vehicle_purchase", "vehicle_operation", "reception"):
        value = getattr(t09, item)
        out[f"three_public.last_year.{item}"] = value * k
    out["running_cost.last_year"] = figures.running_cost * k
    for group in figures.groups:
        out[f"economic_groups.{group.code}.last_year"] = group.actual * k
    return out
