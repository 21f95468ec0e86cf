"""Where an issue is, as the accountant sees it: table, row and column, not a field path.

``functional[3].income.general`` is ``02表 2080109 行政运行 · 一般公共预算财政拨款收入``;
``basic_items.items.30201`` is ``06表 30201 办公费``; ``three_public.budget.reception``
is ``三公 · 公务接待费 · 预算数``.  The machine path stays on the issue (``--json``);
this is what ``check`` prints.  Labels come from the model's field metadata
(``label``, else the start of ``doc``), so a new field is described without code here.
"""

from __future__ import annotations

import dataclasses
import functools
import re
import typing
from typing import Any

from .. import model
from .catalogue import Names

_TOKEN = re.compile(r"\[(\d+)\]|\.?([^.\[]+)")

#: The table a 功能分类 row's section feeds.
ROW_TABLES = {"income": "02表", "expenditure": "03表", "general_budget": "05表",
              "fund_budget": "07表", "capital_budget": "08表"}
TOTAL_TABLES = {"income": "02表 合计行", "expenditure": "03表 合计行", "general_budget": "05表 合计行"}
THREE_PUBLIC_COLUMNS = {"budget": "预算数", "actual": "决算数", "last_year": "上年决算数"}


def label(f: dataclasses.Field) -> str:
    """A field's short name: its ``label``, else its ``doc`` up to the first clause."""
    if f.metadata.get("label"):
        return f.metadata["label"]
    doc = re.sub(r"^（[^）]*）", "", f.metadata.get("doc", ""))
    return re.split(r"[，；：]|（(?!含|境|省|单位)", doc)[0].strip() or f.name


def tokens(path: str) -> list[str | int]:
    """``functional[3].income.general`` → ``["functional", 3, "income", "general"]``."""
    return [int(index) if index else name for index, name in _TOKEN.findall(path)]


@functools.cache
def _fields(cls: type) -> dict[str, tuple[dataclasses.Field, Any]]:
    types = model.hints(cls)
    return {f.name: (f, types[f.name]) for f in dataclasses.fields(cls)}


def _record_of(typ: Any) -> type | None:
    """The record class a field's type holds (``X``, ``X | None``, ``tuple[X, ...]``, ``dict[str, X]``)."""
    for candidate in (typ, *typing.get_args(typ)):
        if dataclasses.is_dataclass(candidate):
            return candidate
        for inner in typing.get_args(candidate):
            if dataclasses.is_dataclass(inner):
                return inner
    return None


def _labels(cls: type, rest: list[str | int]) -> list[str]:
    """The labels of a path inside a record (map keys and list indices are shown as written)."""
    out: list[str] = []
    for token in rest:
        if cls is None:
            out.append(str(token))
            continue
        if isinstance(token, int):
            out.append(f"第{token + 1}项")
            continue
        entry = _fields(cls).get(token)
        if entry is None:
            out.append(str(token))
            cls = None
            continue
        f, typ = entry
        out.append(label(f))
        cls = _record_of(typ)
    return out


def _code(code: str, names: Names) -> str:
    name = (names.functional(code) if code.startswith("2") else names.economic(code)) or ""
    return f"{code} {name}".strip()


def describe(path: str, data: model.UnitData | None, names: Names | None = None) -> str:
    """The place ``path`` names, in the words of the printed document (``""`` for none)."""
    if not path:
        return ""
    parts = tokens(path)
    if data is None:
        return " · ".join(_labels(model.UnitData, parts))
    names = names or Names({})
    head = parts[0]
    try:
        if head == "functional" and len(parts) >= 2 and isinstance(parts[1], int):
            row = data.functional[parts[1]]
            where = _code(row.code, names) if row.code else f"第{parts[1] + 1}个科目"
            rest = parts[2:]
            if rest and rest[0] in ROW_TABLES:
                return " · ".join([f"{ROW_TABLES[rest[0]]} {where}", *_labels(_section(rest[0]), rest[1:])])
            return " · ".join([f"功能分类 {where}", *_labels(model.FunctionalRow, rest)])
        if head == "totals" and len(parts) >= 2 and parts[1] in TOTAL_TABLES:
            return " · ".join([TOTAL_TABLES[parts[1]], *_labels(_section(parts[1]), parts[2:])])
        if head == "basic_items" and len(parts) >= 3 and parts[1] == "items":
            rest = _labels(model.EconomicItem, parts[3:]) if parts[3:] != ["amount"] else []
            return " · ".join([f"06表 {_code(str(parts[2]), names)}", *rest])
        if head == "basic_items" and len(parts) == 2:
            return "06表 " + " · ".join(_labels(model.BasicItems, parts[1:]))
        if head == "three_public" and len(parts) >= 3 and parts[1] in THREE_PUBLIC_COLUMNS:
            item = _labels(model.ThreePublicAmounts, parts[2:3])
            return " · ".join(["三公", *item, THREE_PUBLIC_COLUMNS[str(parts[1])]])
        if head == "three_public":
            return " · ".join(["三公", *_labels(model.ThreePublic, parts[1:])])
        if head == "initial_budget" and len(parts) >= 3 and parts[1] == "lines":
            rest = _labels(model.BudgetLine, parts[3:]) if parts[3:] != ["amount"] else []
            return " · ".join([f"年初预算 {_code(str(parts[2]), names)}", *rest])
        if head == "economic_groups" and len(parts) >= 2:
            return " · ".join([f"基本支出分组 {_code(str(parts[1]), names)}",
                               *_labels(model.GroupComparison, parts[2:])])
        if head == "names" and len(parts) >= 2:
            return f"自定科目名称 {parts[1]}"
        if head == "evaluation":
            return _evaluation(parts, data)
    except (IndexError, KeyError, TypeError):
        pass  # a path the data does not hold (e.g. a row the loader could not read): labels only
    return " · ".join(_labels(model.UnitData, parts))


def _section(name: str) -> type:
    return _record_of(_fields(model.FunctionalRow)[name][1])


def _evaluation(parts: list[str | int], data: model.UnitData) -> str:
    ev = data.evaluation
    out = ["绩效"]
    rest = parts[1:]
    if ev is None or not rest:
        return " · ".join(out + _labels(model.EvaluationData, rest))
    if rest[0] == "whole":
        form, rest = ev.whole, rest[1:]
        out.append("整体支出绩效自评表")
    elif rest[0] == "projects" and len(rest) >= 2 and isinstance(rest[1], int):
        form, rest = ev.projects[rest[1]], rest[2:]
        out.append(f"项目“{form.name.strip()}”" if form.name.strip() else f"第{parts[2] + 1}个项目")
    else:
        return " · ".join(out + _labels(model.EvaluationData, rest))
    if len(rest) >= 2 and rest[0] == "indicators" and isinstance(rest[1], int):
        indicator = form.indicators[rest[1]]
        out.append(f"指标“{indicator.name.strip()}”" if indicator.name.strip() else f"第{rest[1] + 1}个指标")
        return " · ".join(out + _labels(model.Indicator, rest[2:]))
    return " · ".join(out + _labels(model.Evaluation, rest))
