"""The document a renderer lays out: blocks, tables and metadata, built once.

:func:`build_document` is the single entry for both renderers: the DOCX and
the PDF receive the same :class:`Document`, so they carry the same sentences
and the same table cells.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..narrative.blocks import Block, build_blocks, text_context
from ..pipeline import Checked
from ..narrative.context import build_context
from ..profiles import Profile


@dataclass(frozen=True)
class TableSpec:
    """A table's place in the profile: key (t01…), title, label (公开01表), notes."""

    key: str
    title: str
    label: str
    landscape: bool
    note: tuple[str, ...]
    empty: str = ""


@dataclass(frozen=True)
class Document:
    title: str                       # 2024年度XX部门决算
    unit_name: str
    year: int
    date: str                        # YYYY-MM-DD: cover date and PDF metadata
    amount_unit: str                 # 万元 / 元 as displayed
    draft: bool                      # 草稿 on every page
    blocks: tuple[Block, ...]
    tables: dict[str, Any]           # key → the formatted rows of present.tables_context
    specs: dict[str, TableSpec]      # key → title, label, notes
    evaluation: tuple[dict[str, Any], ...] = ()   # the 绩效 forms (TABLE eval:N), formatted
    basic_data: dict[str, Any] | None = None      # 基础数据表 (TABLE eval_basic)

    def spec(self, key: str) -> TableSpec:
        return self.specs[key]


def _document(checked: Checked, profile: Profile, draft: bool, template: str | None, fallback_title: str) -> Document:
    data = checked.loaded.data
    context = build_context(checked, profile.style) | text_context(data, profile)
    blocks = build_blocks(context, profile, template)
    specs = {
        t["key"]: TableSpec(t["key"], t["title"], t["label"], bool(t.get("landscape")),
                            tuple(t.get("note", ())), t.get("empty", ""))
        for t in profile.settings.get("tables", [])
    }
    cover = next((b.text for b in blocks if b.kind == "cover"), fallback_title)
    return Document(
        title=cover, unit_name=data.unit.name, year=data.unit.year, date=context["unit"]["date"],
        amount_unit=profile.style.unit, draft=draft, blocks=blocks, tables=context["tables"], specs=specs,
        evaluation=tuple(context["evaluation"]), basic_data=context["basic_data"],
    )


def build_document(checked: Checked, profile: Profile, *, draft: bool = False) -> Document:
    """The 部门决算 (five parts); its 第五部分 holds the 绩效 documents when the unit has them."""
    data = checked.loaded.data
    return _document(checked, profile, draft, None, f"{data.unit.year}年度{data.unit.name}部门决算")


def build_evaluation_document(checked: Checked, profile: Profile, *, draft: bool = False) -> Document:
    """The standalone 绩效自评 file: forms and reports."""
    data = checked.loaded.data
    return _document(checked, profile, draft, "evaluation_document.j2", f"{data.unit.year}年度{data.unit.name}绩效自评")
