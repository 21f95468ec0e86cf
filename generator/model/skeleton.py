"""``juesuan new``: a unit file for an accountant to fill in.

Written from the dataclasses of :mod:`generator.model`, so it always has every
field of the format.  Each figure or text the document states is written as
``待填写`` (check reports each one as 未填写 until it is filled, and render
refuses the file without ``--draft``); every other field is there as a
commented line with its default, so nothing has to be looked up; each mapping
(``basic_items.items``, ``initial_budget.lines``) shows one commented example
entry.  Fields the chosen profile does not use are left out.
"""

from __future__ import annotations

import json
import os
import typing
from dataclasses import fields
from pathlib import Path
from typing import Any

from .. import model
from ..profiles import TEMPLATES, Profile

from ..load.loader import PLACEHOLDER  # what the skeleton writes where the accountant must answer: 未填写 until filled

SCHEMA = TEMPLATES.parent / "docs" / "unit.schema.json"

#: The fields the skeleton asks for (``待填写``): what the document states and no default can know.
ASKED = frozenset({
    "unit.department",
    "overview.duties", "overview.organization",
    "overview.staffing.authorized", "overview.staffing.actual", "overview.staffing.retired",
    "functional.code", "functional.income.general", "functional.expenditure.basic",
    "functional.expenditure.project", "functional.general_budget.basic", "functional.general_budget.project",
    *(f"three_public.{column}.{item}" for column in ("budget", "actual", "last_year")
      for item in ("abroad", "vehicle_purchase", "vehicle_operation", "reception")),
    "last_year.total", "last_year.fiscal_total", "last_year.general_budget",
    "initial_budget.total",
    "general_expenses.meeting.amount", "general_expenses.training.amount", "general_expenses.events.amount",
    "procurement.goods.amount", "procurement.works.amount", "procurement.services.amount",
    "assets.vehicles.total", "assets.equipment_over_1m",
})

#: Fields only some profiles use: written when the profile's ``uses`` names them (or it prints 公开10表).
PROFILE_FIELDS = frozenset({"unit.kind", "economic_groups", "last_year.general_by_class", "last_year.fund_expenditure",
                            "last_year.capital_expenditure", "reasons.by_class", "reasons.fund_change",
                            "reasons.capital_change"})

#: One commented example entry for each mapping of codes.
EXAMPLES = {
    "basic_items.items": ['"30101": 待填写  # 基本工资（每个有数的经济分类款级科目一行）',
                          '"30201": {amount: 待填写, name: 办公费}  # 也可写成这样，name 可省'],
    "initial_budget.lines": ['"2080101": {amount: 待填写, reason: 决算数与年初预算数不同的原因}'
                             '  # 每个有年初预算的科目一行（通常按7位“项”）'],
    "economic_groups": ['"301": {initial_budget: 待填写, last_year: 待填写, reason: 变化的原因}'],
    "names": ['"2130104": 事业运行  # 标准目录中没有的编码的名称'],
    "glossary.terms": ["财政拨款收入: 你们自己的解释  # 覆盖或补充标准名词解释"],
}

#: Mappings written even when empty, with their example commented, so the accountant sees where entries go.
SHOWN_MAPS = frozenset({"basic_items.items", "initial_budget.lines"})


def _comment(f) -> str:
    doc = f.metadata.get("doc", "")
    feeds = f.metadata.get("feeds", "")
    return f"{doc}（用于：{feeds}）" if feeds else doc


class _Writer:
    def __init__(self, name: str, code: str, year: int, profile: Profile):
        self.given = {"unit.name": json.dumps(name, ensure_ascii=False),
                      "unit.code": json.dumps(code, ensure_ascii=False), "unit.year": str(year)}
        if profile.name:
            self.given["unit.profile"] = json.dumps(profile.name, ensure_ascii=False)
        uses = set(profile.settings.get("uses") or ())
        if any(t.get("key") == "t10" for t in profile.settings.get("tables", [])):
            uses.add("unit.kind")
        self.unused = PROFILE_FIELDS - uses
        self.asked = set(ASKED) | ({"unit.kind"} & uses)
        self.out: list[str] = []

    def asks(self, path: str) -> bool:
        return any(a == path or a.startswith(path + ".") for a in self.asked)

    def record(self, cls: type, path: str, indent: int, commented: bool) -> None:
        pad = "  " * indent
        hints = model.hints(cls)
        for f in fields(cls):
            child = f"{path}.{f.name}" if path else f.name
            if f.metadata.get("machine"):
                continue  # written by the tools (juesuan import), not by the accountant
            if child in self.unused or (not path and f.name == "evaluation"):
                if f.name == "evaluation":
                    self.out.append(f"{pad}# evaluation:  # {_comment(f)}")
                    self.out.append(f"{pad}#   见 docs/data-format.md 的“绩效自评数据”一节；有绩效自评表时取消注释并填写。")
                continue
            shown = self.asks(child) or f.metadata.get("required") or child in SHOWN_MAPS
            self.field(f, model.unwrap(hints[f.name]), child, indent, commented or not shown)

    def field(self, f, typ: Any, path: str, indent: int, commented: bool) -> None:
        pad = "  " * indent
        mark = "# " if commented else ""
        kind = f.metadata.get("kind")
        comment = _comment(f)
        if kind == "record":
            self.out.append(f"{pad}{mark}{f.name}:  # {comment}")
            self.record(typ, path, indent + 1, commented)
        elif kind == "list":
            item = typing.get_args(typ)[0]
            self.out.append(f"{pad}{mark}{f.name}:  # {comment}")
            self.out.append(f"{pad}{mark}  -  # 每一项一行；按需要复制多项")
            self.record(item, path, indent + 2, commented)
        elif kind in ("map", "textmap", "amountmap"):
            self.out.append(f"{pad}{mark}{f.name}:  # {comment}")
            for example in EXAMPLES.get(path, ()):
                self.out.append(f"{pad}  # {example}")
        elif kind == "strings":
            self.out.append(f"{pad}{mark}{f.name}: []  # {comment}")
        elif path in self.given:
            self.out.append(f"{pad}{f.name}: {self.given[path]}  # {comment}")
        elif path in self.asked:
            self.out.append(f"{pad}{f.name}: {PLACEHOLDER}  # {comment}")
        else:
            value = _default(f, path)
            self.out.append(f"{pad}# {f.name}:{' ' + value if value else ''}  # {comment}")


def _default(f, path: str) -> str:
    kind = f.metadata.get("kind")
    if f.metadata.get("printed") or f.metadata.get("optional") or path.startswith("totals."):
        return ""
    if kind in ("amount", "count"):
        return "0"
    if kind == "choice":
        return json.dumps(f.default, ensure_ascii=False)
    return '""'


def schema_reference(target: Path | None) -> str:
    """The editor's schema path: relative to where the file is written, else absolute."""
    if target is not None:
        try:
            return Path(os.path.relpath(SCHEMA, Path(target).resolve().parent)).as_posix()
        except ValueError:  # another drive (Windows): no relative path exists
            pass
    return SCHEMA.as_uri()


def skeleton(name: str, code: str, year: int, profile: Profile, target: Path | None = None) -> str:
    """The YAML text of a new unit file, to be written at ``target`` (None: shown on screen)."""
    writer = _Writer(name, code, year, profile)
    writer.out = [
        f"# yaml-language-server: $schema={schema_reference(target)}",
        f"# {name} {year}年度部门决算数据。由 juesuan new 生成（模板方案：{profile.name}）。",
        f"# 把每个“{PLACEHOLDER}”换成实际的数字或文字（没有的写0）；以 # 开头的行是可选项，需要时去掉 # 再填写。",
        "# 填写说明见 docs/data-format.md；填好后运行 juesuan check 本文件 核对：没有换掉的“待填写”都会列出。",
    ]
    writer.record(model.UnitData, "", 0, False)
    return "\n".join(writer.out) + "\n"
