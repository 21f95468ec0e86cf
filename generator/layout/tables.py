"""The 决算表 of 第二部分 (公开01–10表), each built once from its profile definition.

A table's definition (``tables.yaml`` of the profile) names its ``kind`` and lists its
columns, each with its header texts from top to bottom and the value it shows; the
header rows, their merged cells and the 栏次 row follow from those lists, so a
province whose 05表 has other columns, other labels or other groups changes its
profile, not this module.  The kinds:

* ``functional`` — 02, 03, 05, 07, 08: the 合计 row and the 类/款/项 rows of a computed
  table; values ``code`` (or ``class_code`` / ``section_code`` / ``item_code`` for a code
  split over 类 | 款 | 项 columns), ``name`` and the computed columns (``total``, ``basic``…);
* ``summary`` — 01, 04: two sides (收入, 支出) of rows in bands, each band padded so that
  both sides line up, every row with its 行次;
* ``economic`` — 06: the economic classes stacked in side-by-side groups, the 人员经费 and
  公用经费 totals in the last row;
* ``single`` — 09: one row of values;
* ``list`` — 10: rows listed one by one, each with its own unit.

Every cell's text is formatted here in the profile's style; an amount cell also
carries the number it shows (rounded as displayed), for a spreadsheet.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Callable

from ..money import ZERO, quantize_half_up
from ..narrative.context import Formatter
from ..narrative.numerals import chinese
from ..profiles import ProfileError
from . import widths
from .tree import Cell, Grid, Table


LEVEL_INDENT = {"合计": 0, "类": 0, "款": 1, "项": 2}

#: A table whose columns do not fit the page at its text size gets smaller text, down to this (pt).
SMALLEST_FONT_PT = Decimal(8)

#: What a value name means for the column's kind: names of labels, codes and 行次.
_TEXT_VALUES = {"label": "label", "name": "label", "code": "code", "class_code": "code", "section_code": "code",
                "item_code": "code", "row_number": "index", "unit": "index"}


class TableSpecError(ProfileError):
    """A profile's table definition that cannot be laid out (a set-up problem, exit 2)."""


@dataclass(frozen=True)
class Frame:
    """What every table of a document shares: whose it is, its unit, the room on the page."""

    owner: str                  # 部门：XX (or 单位：XX)
    unit: str                   # 金额单位：万元
    portrait_mm: Decimal        # the text width of a portrait page
    landscape_mm: Decimal       # … and of a landscape page
    font_pt: Decimal            # the tables' text size
    owner_label: str = "部门"    # what {owner} means in a table's title, notes and 空表说明


def ordinal(n: int) -> str:
    """The ``n``-th (from 0) as a heading numeral: 一, 二 … 九十九."""
    return chinese(n + 1) if n < 99 else str(n + 1)


# ------------------------------------------------------------------ headers


def header_rows(paths: list[list[str]]) -> list[list[Cell]]:
    """Header rows from each column's header texts, top to bottom: adjacent columns sharing a
    text under the same parents merge across; a column whose list ends early spans down."""
    depth = max(len(p) for p in paths)
    rows: list[list[Cell]] = [[] for _ in range(depth)]
    n = len(paths)
    for level in range(depth):
        c = 0
        while c < n:
            path = paths[c]
            if level >= len(path):
                c += 1
                continue
            end = c + 1
            while end < n and len(paths[end]) > level and paths[end][:level + 1] == path[:level + 1] \
                    and (level < len(path) - 1) == (level < len(paths[end]) - 1):
                end += 1
            rowspan = depth - level if level == len(path) - 1 else 1
            rows[level].append(Cell(path[level], "header", colspan=end - c, rowspan=rowspan))
            c = end
    return rows


def column_numbers(kinds: list[str]) -> list[Cell]:
    """The 栏次 row: 栏次 over the label columns (merged when adjacent), blank over 行次, 1, 2, … over values."""
    cells: list[Cell] = []
    count = 0
    c = 0
    while c < len(kinds):
        kind = kinds[c]
        if kind in ("label", "code"):
            end = c
            while end < len(kinds) and kinds[end] in ("label", "code"):
                end += 1
            cells.append(Cell("栏次", "header", colspan=end - c))
            c = end
            continue
        if kind in ("index", "unit"):
            cells.append(Cell("", "header"))
        else:
            count += 1
            cells.append(Cell(str(count), "header"))
        c += 1
    return cells


# ------------------------------------------------------------------ cells


def amount_cell(fmt: Formatter, value: Decimal | None, *, strong: bool = False) -> Cell:
    """An amount as the profile shows it in a table (blank or 0.00 for zero), with its number."""
    text = fmt.cell(value)
    shown = None
    if value is not None and text != "":
        shown = quantize_half_up(fmt.style.convert(value, fmt.data_unit), fmt.style.amount_places)
    return Cell(text, "amount", strong=strong, value=shown, number_format=fmt.style.number_format)


def count_cell(fmt: Formatter, value: int | None) -> Cell:
    if value is None:
        return Cell("", "amount")
    return Cell(fmt.style.count(value), "amount", value=Decimal(value), number_format="0")


def _kind(value: str) -> str:
    return _TEXT_VALUES.get(value, "amount")


def _get(obj: Any, path: str) -> Any:
    for name in path.split("."):
        obj = obj[name] if isinstance(obj, dict) else getattr(obj, name)
    return obj


def _spec_columns(spec: dict, key: str = "columns") -> list[dict]:
    columns = spec.get(key)
    if not columns:
        raise TableSpecError(f"表 {spec.get('key')} 没有定义 {key}")
    for column in columns:
        if not isinstance(column, dict) or "value" not in column or "header" not in column:
            raise TableSpecError(f"表 {spec.get('key')} 的栏目应写成 {{header: [表头…], value: 名称}}：{column!r}")
    return columns


def _headers(column: dict) -> list[str]:
    header = column["header"]
    return [header] if isinstance(header, str) else [str(h) for h in header]


# ------------------------------------------------------------------ the kinds


def functional(spec: dict, table, fmt: Formatter) -> tuple[list[dict], list[list[Cell]], bool]:
    """02, 03, 05, 07, 08: 合计 and the 类/款/项 rows; the 合计 label spans the code and name columns."""
    columns = _spec_columns(spec)
    keys = {c.key for c in table.columns}
    for column in columns:
        if _kind(column["value"]) == "amount" and column["value"] not in keys:
            raise TableSpecError(f"表 {spec['key']} 的栏目 {column['value']} 不是 {spec.get('source')} 表的数字"
                                 f"（可用：{'、'.join(sorted(keys))}）")
    leading = 0
    while leading < len(columns) and _kind(columns[leading]["value"]) in ("label", "code"):
        leading += 1
    rows: list[list[Cell]] = []
    body = [row for row in table.rows if row.level != "合计"]
    total_row = table.total
    for row in body:
        cells = []
        for column in columns:
            value = column["value"]
            if value == "code":
                cells.append(Cell(row.code, "code"))
            elif value in ("class_code", "section_code", "item_code"):
                part = {"class_code": row.code[:3], "section_code": row.code[3:5], "item_code": row.code[5:7]}[value]
                cells.append(Cell(part, "code"))
            elif value == "name":
                cells.append(Cell(row.name, "label", indent=LEVEL_INDENT.get(row.level, 0)))
            else:
                cells.append(amount_cell(fmt, row.values[value]))
        rows.append(cells)
    label = spec.get("total_label", "合计")
    total = [Cell(label, "total", colspan=leading, strong=True)] if leading else []
    total += [amount_cell(fmt, total_row.values[c["value"]], strong=True) for c in columns[leading:]]
    if spec.get("total_row", "first") == "last":
        rows.append(total)
    else:
        rows.insert(0, total)
    empty = total_row.is_empty and not body
    return columns, rows, empty


def _row_values(item: Any) -> tuple[str, Any]:
    """A summary row's label and its values: a Line's amount, a row object's named figures."""
    return getattr(item, "label", ""), item


def summary(spec: dict, table, fmt: Formatter) -> tuple[list[dict], list[list[Cell]], bool]:
    """01, 04: the sides side by side; band k of each side padded to the longer; 行次 run on from
    one side to the next."""
    sides = spec.get("sides") or []
    if not sides:
        raise TableSpecError(f"表 {spec.get('key')} 没有定义 sides")
    laid: list[list[list[tuple]]] = []   # side → band → rows of (label, values, options)
    for side in sides:
        bands = []
        for band in side.get("bands") or []:
            rows = []
            for entry in band:
                if "rows" in entry:
                    items = _get(table, entry["rows"])
                    for i, item in enumerate(items):
                        label = getattr(item, "label", "")
                        if entry.get("numbered"):
                            label = f"{ordinal(i)}、{label}"
                        rows.append((label, item, {"indent": entry.get("indent", getattr(item, "indent", 0))}))
                else:
                    rows.append((entry.get("label", ""), _get(table, entry["value"]) if "value" in entry else None,
                                 {"total": bool(entry.get("total")), "indent": entry.get("indent", 0)}))
            bands.append(rows)
        laid.append(bands)
    band_count = max(len(b) for b in laid)
    heights = [max((len(side[k]) if k < len(side) else 0) for side in laid) for k in range(band_count)]
    columns: list[dict] = []
    per_side_rows: list[list[list[Cell]]] = []
    number = 0
    for side, bands in zip(sides, laid):
        side_columns = _spec_columns(side)
        columns += side_columns
        cells_rows: list[list[Cell]] = []
        for k, height in enumerate(heights):
            band = bands[k] if k < len(bands) else []
            for i in range(height):
                number += 1
                if i < len(band):
                    label, values, options = band[i]
                else:
                    label, values, options = "", None, {}
                strong = bool(options.get("total"))
                row = []
                for column in side_columns:
                    value = column["value"]
                    if value == "label":
                        row.append(Cell(label, "total" if strong else "label", strong=strong,
                                        indent=options.get("indent", 0)))
                    elif value == "row_number":
                        row.append(Cell(str(number), "index"))
                    elif values is None:
                        row.append(Cell("", "amount"))
                    else:
                        amount = values if isinstance(values, Decimal) else _get(values, value)
                        row.append(amount_cell(fmt, amount, strong=strong))
                cells_rows.append(row)
        per_side_rows.append(cells_rows)
    rows = [sum(parts, []) for parts in zip(*per_side_rows)]
    return columns, rows, False


def economic_classes(spec: dict, table) -> list[list[str]]:
    """Each column group's classes: those the profile lists (``empty_classes: hide`` leaves out a
    listed class with nothing in it), and every class the unit spent on that the profile does not
    list, added to the last group of its kind (人员经费 or 公用经费) — never dropped."""
    from ..model import catalogue

    groups = spec.get("groups") or []
    listed = [[str(code) for code in group["classes"]] for group in groups]
    for codes in listed:
        for code in codes:
            if code not in table.groups:
                raise TableSpecError(f"表 {spec['key']}：经济分类 {code} 不是06表的类（可用：{'、'.join(table.groups)}）")
    hide = spec.get("empty_classes", "show") == "hide"

    def spent(code: str) -> bool:
        return any(row.amount != ZERO for row in table.groups[code])

    shown = [[c for c in codes if spent(c) or not hide] for codes in listed]
    everywhere = {c for codes in listed for c in codes}
    for code in table.groups:
        if code in everywhere or not spent(code):
            continue
        personnel = code in catalogue.PERSONNEL_GROUPS
        same_kind = [i for i, codes in enumerate(listed)
                     if any((c in catalogue.PERSONNEL_GROUPS) == personnel for c in codes)]
        target = same_kind[-1] if same_kind else len(shown) - 1
        shown[target] = sorted(shown[target] + [code], key=catalogue.ECONOMIC_GROUP_ORDER.index)
    return shown


def economic(spec: dict, table, fmt: Formatter) -> tuple[list[dict], list[list[Cell]], bool]:
    """06: each group's classes stacked (the class row, then its items), the groups side by side."""
    groups = spec.get("groups") or []
    inner = _spec_columns(spec)
    columns = [dict(c, header=[g["header"], *_headers(c)]) for g in groups for c in inner]
    stacks = []
    for codes in economic_classes(spec, table):
        stack = []
        for code in codes:
            rows = table.groups[code]
            if spec.get("empty_items", "show") == "hide":
                rows = (rows[0], *(r for r in rows[1:] if r.amount != ZERO))
            stack += list(rows)
        stacks.append(stack)
    height = max(len(s) for s in stacks)
    rows = []
    for i in range(height):
        row = []
        for stack in stacks:
            item = stack[i] if i < len(stack) else None
            for column in inner:
                value = column["value"]
                if item is None:
                    row.append(Cell("", _kind(value) if value != "name" else "label"))
                elif value == "code":
                    row.append(Cell(item.code, "code", strong=item.is_group))
                elif value == "name":
                    row.append(Cell(item.name, "label", strong=item.is_group, indent=0 if item.is_group else 1))
                else:
                    row.append(amount_cell(fmt, item.amount, strong=item.is_group))
        rows.append(row)
    last = []
    width = len(inner)
    for total in spec.get("totals") or []:
        span = len(total["groups"]) * width
        last.append(Cell(total["label"], "total", colspan=span - 1, strong=True))
        last.append(amount_cell(fmt, _get(table, total["value"]), strong=True))
    if last:
        rows.append(last)
    return columns, rows, False


def single(spec: dict, table, fmt: Formatter) -> tuple[list[dict], list[list[Cell]], bool]:
    """09: one row of values."""
    columns = _spec_columns(spec)
    return columns, [[amount_cell(fmt, _get(table, c["value"])) for c in columns]], False


def listed(spec: dict, table, fmt: Formatter) -> tuple[list[dict], list[list[Cell]], bool]:
    """10: each row a label, its unit, its 行次 and its value; ``rows:`` lists a row of several items."""
    columns = _spec_columns(spec)
    money = fmt.style.unit
    lines: list[tuple[str, str, Any, int]] = []
    for entry in spec.get("rows") or []:
        unit = money if entry.get("unit", "money") == "money" else entry["unit"]
        if "rows" in entry:
            for i, item in enumerate(_get(table, entry["rows"]), 1):
                lines.append((f"{i}. {item.label}", unit, item.count, entry.get("indent", 1)))
        else:
            lines.append((entry["label"], unit, _get(table, entry["value"]), entry.get("indent", 0)))
    rows = []
    for number, (label, unit, value, indent) in enumerate(lines, 1):
        row = []
        for column in columns:
            kind = column["value"]
            if kind == "label":
                row.append(Cell(label, "label", indent=indent * 2))
            elif kind == "unit":
                row.append(Cell(unit, "index"))
            elif kind == "row_number":
                row.append(Cell(str(number), "index"))
            elif isinstance(value, int):
                row.append(count_cell(fmt, value))
            else:
                row.append(amount_cell(fmt, value))
        rows.append(row)
    return columns, rows, False


KINDS: dict[str, Callable] = {"functional": functional, "summary": summary, "economic": economic,
                              "single": single, "list": listed}


def _without_row_numbers(spec: dict) -> dict:
    """The definition without its 行次 columns (``row_numbers: false``: provinces that print none)."""
    def kept(columns):
        return [c for c in columns or () if not (isinstance(c, dict) and c.get("value") == "row_number")]

    spec = dict(spec)
    if "columns" in spec:
        spec["columns"] = kept(spec["columns"])
    if "sides" in spec:
        spec["sides"] = [{**side, "columns": kept(side.get("columns"))} for side in spec["sides"]]
    return spec


def for_unit(spec: dict, texts: dict[str, str]) -> dict:
    """A table's definition with the unit's own words (``texts:`` ``t07.empty``, ``t07.note``)."""
    key = spec.get("key", "")
    own = dict(spec)
    if texts.get(f"{key}.empty", "").strip():
        own["empty"] = texts[f"{key}.empty"].strip()
    if texts.get(f"{key}.note", "").strip():
        own["note"] = [line.strip() for line in texts[f"{key}.note"].splitlines() if line.strip()]
    return own


def build_table(spec: dict, sources: dict[str, Any], fmt: Formatter, frame: Frame, block_id: str) -> Table:
    """One 决算表 from its definition and the computed tables (``sources``: t01 … t10)."""
    key = spec.get("key", "")
    if spec.get("row_numbers", True) is False:
        spec = _without_row_numbers(spec)
    kind = spec.get("kind")
    if kind not in KINDS:
        raise TableSpecError(f"表 {key} 的 kind “{kind}”不是可用的样式（{'、'.join(KINDS)}）")
    source = sources.get(spec.get("source", key))
    if source is None:
        raise TableSpecError(f"表 {key} 的数字来源 {spec.get('source', key)} 不存在（可用：{'、'.join(sources)}）")
    columns, body, empty = KINDS[kind](spec, source, fmt)
    kinds = [_kind(c["value"]) for c in columns]
    header = header_rows([_headers(c) for c in columns])
    if spec.get("column_numbers", True):
        header.append(column_numbers(kinds))
    landscape = bool(spec.get("landscape"))
    page_mm = frame.landscape_mm if landscape else frame.portrait_mm
    wanted = widths.needs(kinds, header + body)
    font = widths.font_size(wanted, page_mm, Decimal(str(spec.get("font_size", frame.font_pt))),
                            Decimal(str(spec.get("smallest_font_size", SMALLEST_FONT_PT))))
    grid = Grid(widths.columns(kinds, wanted, widths.available_ems(page_mm, font)), tuple(tuple(r) for r in header),
                tuple(tuple(r) for r in body))
    def said(text: str) -> str:
        return str(text).replace("{owner}", frame.owner_label)

    notes = tuple(said(n) for n in spec.get("note") or ())
    if len(notes) == 1:
        printed = (f"注：{notes[0]}",)
    else:
        printed = tuple(f"注：{i}. {n}" if i == 1 else f"{i}. {n}" for i, n in enumerate(notes, 1))
    return Table(block_id, key, "statement", said(spec.get("title", "")), spec.get("label", ""), frame.owner, frame.unit,
                 (grid,), said(spec.get("empty", "")) if empty else "", printed, "", landscape,
                 compact=bool(spec.get("compact")), font_size=font)


def is_empty(table: Table) -> bool:
    """A table with no data (07, 08 of most units): the 目录 marks it （空表）."""
    return bool(table.empty)


__all__ = ["Frame", "TableSpecError", "build_table", "header_rows", "column_numbers", "amount_cell", "ordinal",
           "is_empty", "ZERO"]
