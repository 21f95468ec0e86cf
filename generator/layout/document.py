"""The layout stage: a checked unit and its profile → the document tree every writer lays out.

:func:`build_document` (the 部门决算) and :func:`build_evaluation_document` (the
绩效自评 file) are the single entries for all writers: the narrative's lines become
headings and paragraphs, each ``TABLE`` line the table or form it names, built here
from its definition; a heading right before a 绩效 form becomes the form's title;
the 目录 lists what the profile says it lists (the part and section headings, and
the tables of 第二部分 as 一、收入支出决算总表（空表）…); the pages turn landscape
before a run of wide tables and back after it.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from ..narrative.blocks import Block as Line, build_blocks, text_context
from ..compute.evaluation import whole_of
from ..narrative.context import Formatter, build_context, form_formatter
from ..narrative.style import chinese_date
from ..profiles import Profile, ProfileError
from .forms import basic_data_form, evaluation_form
from .tables import Frame, TableSpecError, build_table, for_unit, ordinal
from .tree import Block, Cover, Document, Heading, Orientation, Paragraph, Table, Toc, TocEntry

#: What a profile's ``page:`` may still set over its typography (the text widths the tables are
#: fitted to, the tables' text size); by default all three follow from ``typography:``.
PAGE = ("portrait_width_mm", "landscape_width_mm", "table_font_pt")


class LayoutError(ProfileError):
    """A document line the layout cannot place (a profile's template naming a table it does not define)."""


def frame(checked, profile: Profile) -> Frame:
    data = checked.loaded.data
    t = profile.typography
    derived = {"portrait_width_mm": t.portrait_width_mm, "landscape_width_mm": t.landscape_width_mm,
               "table_font_pt": t.table.size}
    page = {**derived, **{k: Decimal(str(v)) for k, v in (profile.settings.get("page") or {}).items() if k in PAGE}}
    owner = profile.settings.get("owner_label", "部门")
    return Frame(f"{owner}：{data.unit.name}", f"金额单位：{profile.style.unit}", page["portrait_width_mm"],
                 page["landscape_width_mm"], page["table_font_pt"], owner)


def sources(checked) -> dict[str, Any]:
    """The computed tables a table definition may take its figures from."""
    f = checked.figures
    if f is None:
        return {}
    t = f.tables
    return {"t01": t.t01, "t02": t.t02, "t03": t.t03, "t04": t.t04, "t05": t.t05, "t06": t.t06, "t07": t.t07,
            "t08": t.t08, "t09": t.t09, "t10": f.t10}


def statement_tables(checked, profile: Profile) -> dict[str, Table]:
    """Every 决算表 of the profile for this unit, by key (what ``figures --json`` prints)."""
    fmt = Formatter(profile.style, checked.loaded.data.unit.amount_unit)
    where = frame(checked, profile)
    available = sources(checked)
    texts = dict(checked.loaded.data.texts)
    return {spec["key"]: build_table(for_unit(spec, texts), available, fmt, where, f"t-{spec['key']}")
            for spec in profile.tables if available}


def form_grids(checked, profile: Profile) -> dict[str, tuple]:
    """Every 绩效 form of the unit, by key (``eval:N``, ``eval_basic``): its grids."""
    fmt = Formatter(profile.style, checked.loaded.data.unit.amount_unit)
    return {key: grids for key, (_, grids) in _forms(checked, profile, fmt).items()}


def _forms(checked, profile: Profile, fmt: Formatter) -> dict[str, tuple[str, Any]]:
    """The 绩效 forms a ``TABLE`` line may name (``eval:N`` and ``eval_basic``): each its
    金额单位 line (a form may be in its own unit) and its grids."""
    scores = checked.evaluation or ()
    data = checked.loaded.data
    settings = (profile.settings.get("evaluation") or {}).get("form")
    forms = {}
    for i, s in enumerate(scores):
        own = form_formatter(profile.style, s, data.unit.amount_unit)
        forms[f"eval:{i}"] = (f"金额单位：{own.style.unit}", evaluation_form(s, own, data.unit.name, settings))
    if checked.basic_data is not None and whole_of(scores) is not None:
        forms["eval_basic"] = (f"金额单位：{profile.style.unit}", basic_data_form(data.evaluation, checked.basic_data, data.unit.year, fmt))
    return forms


def layout(lines: tuple[Line, ...], checked, profile: Profile, *, title: str, draft: bool) -> Document:
    """The narrative's lines laid out as the document tree."""
    data = checked.loaded.data
    fmt = Formatter(profile.style, data.unit.amount_unit)
    where = frame(checked, profile)
    specs = {spec["key"]: for_unit(spec, dict(data.texts)) for spec in profile.tables}
    available = sources(checked)
    forms = _forms(checked, profile, fmt)
    iso = data.unit.date or f"{data.unit.year + 1}-06-30"
    toc_settings = profile.settings.get("toc") or {}
    toc_levels = int(toc_settings.get("levels", 2))
    cover = (profile.settings.get("structure") or {}).get("cover")
    cover_date = not (isinstance(cover, dict) and cover.get("date") is False)

    blocks: list[Block] = []
    entries: list[TocEntry] = []
    statements = 0
    skip_heading = set()
    for i, line in enumerate(lines):
        if line.kind == "h2" and i + 1 < len(lines) and lines[i + 1].kind == "table" and lines[i + 1].table in forms:
            skip_heading.add(i)  # the heading is the form's title
    for i, line in enumerate(lines):
        block_id = f"b{i + 1}"
        if i in skip_heading:
            continue
        if line.kind == "cover":
            blocks.append(Cover(block_id, line.text, data.unit.name, chinese_date(iso) if cover_date else ""))
        elif line.kind == "toc":
            blocks.append(Toc(block_id, line.text, (), bool(toc_settings.get("page_numbers", True))))
        elif line.kind in ("h1", "h2", "h3"):
            level = int(line.kind[1])
            blocks.append(Heading(block_id, level, line.text))
            if level <= toc_levels:
                entries.append(TocEntry(level, line.text, block_id))
        elif line.kind in ("p", "item"):
            blocks.append(Paragraph(block_id, line.text, "item" if line.kind == "item" else ""))
        elif line.kind == "table" and line.table in forms:
            form_title = lines[i - 1].text if i - 1 in skip_heading else ""
            grids = forms[line.table][1]
            closing = ""
            if line.table.startswith("eval:"):
                closing = f"等级：{checked.evaluation[int(line.table[5:])].grade}"
            blocks.append(Table(block_id, line.table, "form", form_title, unit=forms[line.table][0], grids=grids,
                                closing=closing))
            if form_title and 2 <= toc_levels:
                entries.append(TocEntry(2, form_title, block_id))
        elif line.kind == "table" and line.table in specs and available:
            table = build_table(specs[line.table], available, fmt, where, block_id)
            blocks.append(table)
            if toc_settings.get("tables", True):
                mark = "（空表）" if table.empty else ""
                entries.append(TocEntry(2, f"{ordinal(statements)}、{table.title}{mark}", block_id))
            statements += 1
        elif line.kind == "table":
            raise LayoutError(f"模板方案 {profile.name} 的文件结构中有表“{line.table}”，但方案的 tables 中没有它的定义")
        else:  # pragma: no cover - the narrative emits only the kinds above
            raise LayoutError(f"未知的内容块：{line.kind}")
    blocks = [b if not isinstance(b, Toc) else Toc(b.id, b.title, tuple(entries), b.page_numbers) for b in blocks]
    return Document(title, data.unit.name, data.unit.year, iso, draft, tuple(_oriented(blocks)))


def _oriented(blocks: list[Block]) -> list[Block]:
    """The blocks with an :class:`Orientation` wherever the pages turn (a run of wide tables)."""
    out: list[Block] = []
    landscape = False
    for block in blocks:
        wide = isinstance(block, Table) and block.landscape
        if wide != landscape:
            out.append(Orientation(f"{block.id}-o", wide))
            landscape = wide
        out.append(block)
    return out


def _document(checked, profile: Profile, draft: bool, template: str | None, fallback_title: str) -> Document:
    data = checked.loaded.data
    context = build_context(checked, profile.style) | text_context(data, profile)
    lines = build_blocks(context, profile, template)
    title = next((line.text for line in lines if line.kind == "cover"), fallback_title)
    return layout(lines, checked, profile, title=title, draft=draft)


def build_document(checked, profile: Profile, *, draft: bool = False) -> Document:
    """The 部门决算 (five parts); its 第五部分 holds the 绩效 documents when the unit has them."""
    data = checked.loaded.data
    return _document(checked, profile, draft, None, f"{data.unit.year}年度{data.unit.name}部门决算")


def build_evaluation_document(checked, profile: Profile, *, draft: bool = False) -> Document:
    """The standalone 绩效自评 file: forms and reports."""
    data = checked.loaded.data
    return _document(checked, profile, draft, "evaluation_document.j2", f"{data.unit.year}年度{data.unit.name}绩效自评")


__all__ = ["LayoutError", "TableSpecError", "build_document", "build_evaluation_document", "statement_tables"]
