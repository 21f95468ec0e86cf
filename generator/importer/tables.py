"""Reading each kind of 公开表 into lines of figures, every figure with its cell.

A *line* is one printed row: a 功能分类 or 经济分类 code with its name, or a labelled
line of 01/04 (本年收入合计, 年初结转和结余 …); its figures are keyed by what the
column means (``fiscal``, ``basic`` …), decided by the header texts.  Rows are found
by code or label; codes in one column (text or number) or over 类 | 款 | 项 columns;
the 合计 row first or last.  A figure that cannot be placed — a row without code or
known label, a column whose header is not known, a cell that is not an amount, a
formula without its value — is an issue naming its cell, never dropped and never
guessed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

from ..issues import Issue, Severity
from ..model import catalogue
from .cells import amount, is_blank, norm, plain
from .headers import TOTAL_WORDS, Column, Header, read_header
from .locate import Region

ERROR, WARNING = Severity.ERROR, Severity.WARNING


def issue(ref: str, code: str, message: str, severity: Severity = ERROR, place: str = "") -> Issue:
    """An import issue: its "file" is the cell (``公开02表!C7``), as check's is file:line."""
    return Issue(ref, None, "", code, severity, message, place)


@dataclass
class Figure:
    value: Decimal | None        # None: the cell is blank (printed as nothing)
    ref: str

    @property
    def amount(self) -> Decimal:
        return self.value if self.value is not None else Decimal(0)

    @property
    def nonzero(self) -> bool:
        return self.value is not None and self.value != 0


@dataclass
class Line:
    key: str                      # a code ("2080101", "30201"), or a label's key ("income_total")
    name: str                     # the code's name or the label, as printed
    ref: str                      # the cell of the code or label
    values: dict[str, Figure] = field(default_factory=dict)

    def get(self, name: str) -> Decimal | None:
        figure = self.values.get(name)
        return figure.value if figure is not None else None


@dataclass
class ReadTable:
    region: Region
    header: Header
    lines: list[Line] = field(default_factory=list)
    total: Line | None = None
    columns: dict[str, Column] = field(default_factory=dict)

    @property
    def kind(self) -> str:
        return self.region.kind

    def line(self, key: str) -> Line | None:
        return next((line for line in self.lines if line.key == key), None)


# ------------------------------------------------------------------ column meanings

_BREAKDOWN = re.compile(r"^(其中|含)|^(人员经费|公用经费)$")
"""Sub-columns some provinces print under a column already read (其中：…, 基本支出's 人员经费)."""


def _kind_field(leaf: str) -> str | None:
    if "一般公共预算" in leaf:
        return "general"
    if "政府性基金" in leaf:
        return "fund"
    if "国有资本经营" in leaf:
        return "capital"
    return None


def field_02(path: tuple[str, ...]) -> str | None:
    leaf = path[-1]
    if "财政拨款收入" in path or leaf == "财政拨款":
        if leaf in ("财政拨款收入", "财政拨款", "小计", "合计"):
            return "fiscal"
        return _kind_field(leaf)
    if leaf in ("本年收入合计", "收入合计", "合计", "本年收入"):
        return "total"
    if leaf.endswith("财政拨款收入") or leaf.endswith("财政拨款"):
        return _kind_field(leaf)
    return {"上级补助收入": "superior", "事业收入": "business", "经营收入": "operating",
            "附属单位上缴收入": "affiliated", "其他收入": "other"}.get(leaf)


def field_03(path: tuple[str, ...]) -> str | None:
    return {"本年支出合计": "total", "支出合计": "total", "合计": "total", "基本支出": "basic",
            "项目支出": "project", "上缴上级支出": "remit_superior", "经营支出": "operating",
            "对附属单位补助支出": "subsidy_affiliated"}.get(path[-1])


def field_05(path: tuple[str, ...]) -> str | None:
    return {"小计": "total", "合计": "total", "本年支出": "total", "支出合计": "total", "本年支出合计": "total",
            "基本支出": "basic", "项目支出": "project"}.get(path[-1])


def field_07(path: tuple[str, ...]) -> str | None:
    leaf = path[-1]
    if leaf in ("年初结转和结余", "年初结转结余"):
        return "opening"
    if leaf in ("年末结转和结余", "年末结转结余"):
        return "closing"
    if leaf in ("本年收入", "本年收入合计"):
        return "income"
    if leaf in ("小计", "合计", "本年支出", "本年支出合计"):
        return "spent"
    return {"基本支出": "basic", "项目支出": "project"}.get(leaf)


def field_08(path: tuple[str, ...]) -> str | None:
    return {"合计": "spent", "小计": "spent", "本年支出": "spent", "本年支出合计": "spent",
            "基本支出": "basic", "项目支出": "project"}.get(path[-1])


CODED_FIELDS = {"t02": field_02, "t03": field_03, "t05": field_05, "t07": field_07, "t08": field_08}

#: How a message names each column meaning.
COLUMN_NAMES = {
    "total": "合计", "fiscal": "财政拨款收入", "general": "一般公共预算财政拨款", "fund": "政府性基金预算财政拨款",
    "capital": "国有资本经营预算财政拨款", "superior": "上级补助收入", "business": "事业收入", "operating": "经营收入",
    "affiliated": "附属单位上缴收入", "other": "其他收入", "basic": "基本支出", "project": "项目支出",
    "remit_superior": "上缴上级支出", "subsidy_affiliated": "对附属单位补助支出", "opening": "年初结转和结余",
    "closing": "年末结转和结余", "income": "本年收入", "spent": "本年支出合计", "amount": "金额",
}

_FUNCTIONAL = re.compile(r"^2\d{2}(\d{2}(\d{2})?)?$")
_ECONOMIC = re.compile(r"^3\d{2}(\d{2})?$")
_CODE_AND_NAME = re.compile(r"^(\d{3,7})(?:[\s\u3000]+|(?=\D))(.*)$")
_NOTE = ("注", "说明", "备注", "填报", "单位负责人", "制表", "审核", "财务负责人")


def _is_note(row: list[object]) -> bool:
    first = next((v for v in row if not is_blank(v)), None)
    return isinstance(first, str) and norm(first).startswith(_NOTE)


class Reader:
    """Reads the tables of one workbook; gathers the issues."""

    def __init__(self, places: int):
        self.places = places
        self.issues: list[Issue] = []

    def add(self, ref: str, code: str, message: str, severity: Severity = ERROR, place: str = "") -> None:
        self.issues.append(issue(ref, code, message, severity, place))

    def figure(self, region: Region, row: int, col: int, where: str) -> Figure | None:
        """The figure in a cell, or None (with an issue) when the cell holds no usable amount."""
        sheet = region.sheet
        ref = region.ref(row, col)
        if (row, col) in sheet.uncached:
            self.add(ref, "IMPORT-FORMULA",
                     f"{where}：单元格是公式 {sheet.uncached[(row, col)]}，但工作簿中没有保存它的计算结果，"
                     "数字无法读取；请在 Excel 或 WPS 中打开工作簿、保存后再导入")
            return None
        value, problem = amount(sheet.value(row, col), self.places)
        if problem:
            self.add(ref, "IMPORT-AMOUNT", f"{where}：{problem}")
            return None
        return Figure(value, ref)

    # -------------------------------------------------------------- columns

    def value_columns(self, table: ReadTable, meaning, labels: set[int]) -> dict[int, str]:
        """Column → meaning, for the columns whose header the table's kind knows."""
        region = table.region
        found: dict[int, str] = {}
        taken: dict[str, Column] = {}
        for column in table.header.columns:
            if column.col in labels or not column.path:
                continue
            name = meaning(column.path)
            if name is None:
                continue
            if name in taken:
                self.add(region.ref(*column.at), "IMPORT-COLUMN",
                         f"{region.name}：栏目“{'/'.join(column.path)}”与 {region.ref(*taken[name].at)} 的"
                         f"“{'/'.join(taken[name].path)}”是同一栏（{COLUMN_NAMES.get(name, name)}），无法确定用哪一栏")
                continue
            taken[name] = column
            found[column.col] = name
        table.columns = taken
        self._cross_check_numbering(table, found)
        return found

    def _cross_check_numbering(self, table: ReadTable, found: dict[int, str]) -> None:
        """The 栏次 numbers over the columns read must run 1, 2, 3 … from left to right."""
        region = table.region
        numbers = [(c, table.header.column(c).number) for c in sorted(found)]
        printed = [n for _, n in numbers if n is not None]
        if not printed or table.header.numbering is None:
            return
        if sorted(printed) != printed or len(set(printed)) != len(printed):
            self.add(region.ref(table.header.numbering, numbers[0][0]), "IMPORT-NUMBERING",
                     f"{region.name}：栏次编号 {'、'.join(map(str, printed))} 不是从左到右递增的；"
                     "各栏按表头文字导入，请核对表头", WARNING)

    def unknown_columns(self, table: ReadTable, known: set[int], rows: list[int]) -> None:
        """A column with figures whose header no reading knows: reported, never read as something else."""
        region = table.region
        for column in table.header.columns:
            if column.col in known:
                continue
            cells = [r for r in rows if not is_blank(region.sheet.value(r, column.col))
                     and amount(region.sheet.value(r, column.col), self.places)[0] not in (None,)]
            if not cells:
                continue
            header = "/".join(column.path) or "（无表头）"
            if column.path and _BREAKDOWN.search(column.leaf):
                self.add(region.ref(*column.at), "IMPORT-COLUMN",
                         f"{region.name}：栏目“{header}”是其上一栏的细分，数据格式中没有这一栏，没有导入", WARNING)
                continue
            self.add(region.ref(cells[0], column.col), "IMPORT-UNPLACED",
                     f"{region.name}：栏目“{header}”不是这张表认识的栏目，其中的数字无法导入"
                     f"（第一个在 {region.ref(cells[0], column.col)}）；请核对表头文字")

    # -------------------------------------------------------------- 02 03 05 07 08

    def coded(self, region: Region) -> ReadTable:
        """A table of 功能分类 rows: 合计 (first or last), then 类/款/项 rows."""
        sheet = region.sheet
        header = read_header(region)
        table = ReadTable(region, header)
        split = [c for c in header.columns if c.leaf in ("类", "款", "项")]
        split = sorted(split, key=lambda c: ("类", "款", "项").index(c.leaf))
        code_cols = [c.col for c in split] if len(split) >= 2 else \
            [c.col for c in header.columns if any(w in c.leaf for w in ("编码", "代码", "编号"))][:1]
        name_col = next((c.col for c in header.columns if c.leaf in ("科目名称", "名称", "功能分类科目名称")), None)
        item_col = next((c.col for c in header.columns if c.leaf == "项目" and c.col not in code_cols), None)
        if name_col is None:
            name_col = item_col
        if not code_cols and name_col is not None:
            code_cols = [name_col]  # codes written with the names: 2080109 社会保险经办机构
        labels = set(code_cols) | ({name_col} if name_col is not None else set()) | \
            {c.col for c in header.columns if c.path and c.path[0] == "项目"}
        fields = self.value_columns(table, CODED_FIELDS[region.kind], labels)
        if not code_cols:
            self.add(region.where, "IMPORT-COLUMN", f"{region.name}：没有找到科目编码列（表头“科目编码”或“类、款、项”）")
        body: list[int] = []
        state = {"class": "", "section": ""}
        seen: dict[str, str] = {}
        for r in range(header.data_top, region.bottom):
            row = sheet.rows[r]
            if all(is_blank(v) for v in row) or _is_note(row):
                continue
            body.append(r)
            label_texts = [norm(sheet.shown(r, c)) for c in sorted(labels)]
            code, code_name, code_ref = self._code(region, r, code_cols, state)
            name = plain(sheet.value(r, name_col)) if name_col is not None and name_col not in code_cols else ""
            name = name or code_name
            where = f"{region.name} {code + ' ' if code else ''}{name}".strip()
            values = {}
            for col, meaning in fields.items():
                figure = self.figure(region, r, col, f"{where} · {'/'.join(header.column(col).path)}")
                if figure is not None:
                    values[meaning] = figure
            if not code and any(t in TOTAL_WORDS for t in label_texts):
                if table.total is not None:
                    self.add(region.ref(r, 0), "IMPORT-UNPLACED",
                             f"{region.name}：第二个合计行（第一个在 {table.total.ref}），这一行没有导入")
                    continue
                table.total = Line("total", "合计", region.ref(r, min(labels) if labels else 0), values)
                continue
            if not code:
                if any(f.value is not None for f in values.values()):
                    shown = next((t for t in label_texts if t), "")
                    self.add(code_ref, "IMPORT-UNPLACED",
                             f"{region.name}：这一行{('“' + shown + '”') if shown else ''}没有科目编码，"
                             "也不是合计行，其中的数字无法导入；请补上科目编码")
                continue
            if code in seen:
                self.add(code_ref, "IMPORT-DUPLICATE-CODE",
                         f"{region.name}：科目 {code} 出现两次（另一次在 {seen[code]}）；同一科目的数字应在同一行")
                continue
            seen[code] = code_ref
            table.lines.append(Line(code, name, code_ref, values))
        self.unknown_columns(table, set(fields) | labels, body)
        return table

    def _code(self, region: Region, r: int, cols: list[int], state: dict) -> tuple[str, str, str]:
        """The 功能分类 code of a row (one column, or 类|款|项 carried down), its name if written
        in the code cell, and the cell to name in a message."""
        sheet = region.sheet
        texts = [norm(sheet.value(r, c)) for c in cols]
        ref = region.ref(r, cols[0]) if cols else region.ref(r, 0)
        if len(cols) >= 2:
            if not any(re.match(r"^\d", t) for t in texts):
                return "", "", ref
            cls, sec, item = (texts + ["", "", ""])[:3]
            code = ""
            if item:
                if len(item) == 7:
                    code = item
                elif len(item) == 2:
                    section = sec if len(sec) == 5 else (cls or state["class"]) + sec if len(sec) == 2 else state["section"]
                    code = section + item
                else:
                    code = item
            elif sec:
                code = sec if len(sec) == 5 else (cls or state["class"]) + sec if len(sec) == 2 else sec
            elif cls:
                code = cls
            if code and not _FUNCTIONAL.match(code):
                self.add(ref, "IMPORT-CODE", f"{region.name}：“{'|'.join(t for t in texts if t)}”不是支出功能分类科目编码")
                return "", "", ref
            if code:
                state["class"] = code[:3]
                state["section"] = code[:5] if len(code) >= 5 else ""
            return code, "", ref
        if not cols:
            return "", "", ref
        text = texts[0]
        if not text:
            return "", "", ref
        if _FUNCTIONAL.match(text):
            return text, "", ref
        raw = plain(sheet.value(r, cols[0]))
        match = _CODE_AND_NAME.match(raw)
        if match and _FUNCTIONAL.match(match.group(1)):
            return match.group(1), plain(match.group(2)), ref
        if text in TOTAL_WORDS or not re.match(r"^\d", text):
            return "", "", ref
        self.add(ref, "IMPORT-CODE", f"{region.name}：“{raw}”不是支出功能分类科目编码（类3位、款5位、项7位，以2开头）")
        return "", "", ref

    # -------------------------------------------------------------- 06

    def basic_items(self, region: Region) -> ReadTable:
        """06: side-by-side groups of (经济分类科目编码, 科目名称, 决算数), then 人员经费合计 / 公用经费合计."""
        sheet = region.sheet
        header = read_header(region)
        table = ReadTable(region, header)
        cols = header.columns
        codes = [c.col for c in cols if any(w in c.leaf for w in ("编码", "代码"))]
        names = [c.col for c in cols if "名称" in c.leaf]
        amounts = [c.col for c in cols if c.leaf in ("决算数", "金额", "本年决算数", "决算金额", "合计", "本年支出")
                   or (c.leaf not in ("人员经费", "公用经费") and c.col not in codes and c.col not in names
                       and c.leaf.endswith("决算数"))]
        groups = []
        for code_col in codes:
            name_col = next((c for c in names if c > code_col), None)
            amount_col = next((c for c in amounts if c > (name_col if name_col is not None else code_col)), None)
            if amount_col is not None:
                groups.append((code_col, name_col, amount_col))
        if not groups:
            self.add(region.where, "IMPORT-COLUMN",
                     f"{region.name}：没有找到“经济分类科目编码、科目名称、决算数”各栏，这张表没有导入")
            return table
        known = {c for group in groups for c in group if c is not None}
        seen: dict[str, str] = {}
        body = []
        for r in range(header.data_top, region.bottom):
            row = sheet.rows[r]
            if all(is_blank(v) for v in row) or _is_note(row):
                continue
            body.append(r)
            self._totals_06(table, r, [g[2] for g in groups])
            for code_col, name_col, amount_col in groups:
                text = norm(sheet.value(r, code_col))
                if sheet.covered(r, code_col) or text in ("人员经费合计", "公用经费合计", "合计", "基本支出合计"):
                    continue
                name = plain(sheet.value(r, name_col)) if name_col is not None else ""
                if not text and norm(name) in ("人员经费合计", "公用经费合计", "合计", "基本支出合计"):
                    continue
                figure = None
                if not sheet.covered(r, amount_col):
                    figure = self.figure(region, r, amount_col, f"{region.name} {text} {name}".strip())
                if not text:
                    if figure is not None and figure.value is not None and not self._is_total_value(table, figure):
                        self.add(figure.ref, "IMPORT-UNPLACED",
                                 f"{region.name}：这一格有数字 {figure.value}，但同一行没有经济分类科目编码，无法导入")
                    continue
                if not _ECONOMIC.match(text):
                    self.add(region.ref(r, code_col), "IMPORT-CODE",
                             f"{region.name}：“{plain(sheet.value(r, code_col))}”不是经济分类科目编码（以3开头的3位或5位数字）")
                    continue
                if text in seen:
                    self.add(region.ref(r, code_col), "IMPORT-DUPLICATE-CODE",
                             f"{region.name}：经济分类科目 {text} 出现两次（另一次在 {seen[text]}）")
                    continue
                seen[text] = region.ref(r, code_col)
                table.lines.append(Line(text, name, region.ref(r, code_col),
                                        {"amount": figure} if figure is not None else {}))
        self.unknown_columns(table, known | set(codes) | set(names), body)
        return table

    def _is_total_value(self, table: ReadTable, figure: Figure) -> bool:
        return any(line.values.get("amount") is figure or
                   (line.values.get("amount") is not None and line.values["amount"].ref == figure.ref)
                   for line in table.lines if line.key in ("personnel_total", "public_total", "basic_total"))

    def _totals_06(self, table: ReadTable, r: int, amount_cols: list[int]) -> None:
        region = table.region
        sheet = region.sheet
        row = sheet.rows[r]
        found = [(c, {"人员经费合计": "personnel_total", "公用经费合计": "public_total", "合计": "basic_total",
                      "基本支出合计": "basic_total"}[norm(v)])
                 for c, v in enumerate(row) if not sheet.covered(r, c)
                 and norm(v) in ("人员经费合计", "公用经费合计", "合计", "基本支出合计")]
        for i, (c, key) in enumerate(found):
            end = found[i + 1][0] if i + 1 < len(found) else len(row)
            cells = [a for a in amount_cols if c < a < end and not sheet.covered(r, a)]
            filled = [a for a in cells if not is_blank(sheet.value(r, a))]
            col = filled[0] if filled else (cells[-1] if cells else None)
            if col is None:
                continue
            figure = self.figure(region, r, col, f"{region.name} {plain(row[c])}")
            if figure is not None:
                table.lines.append(Line(key, plain(row[c]), region.ref(r, c), {"amount": figure}))

    # -------------------------------------------------------------- 09

    def three_public(self, region: Region) -> ReadTable:
        """09: 预算数 and 决算数 (and 上年决算数 where printed), each 合计 … 公务接待费; one row of figures.
        Printed the other way round (items as rows, 预算数 / 决算数 as columns) it is read by row labels."""
        sheet = region.sheet
        header = read_header(region)
        table = ReadTable(region, header)
        columns: dict[int, tuple[str, str]] = {}
        for column in header.columns:
            side = _side(column.path)
            item = _item_09(column.path)
            if side and item:
                columns[column.col] = (side, item)
        body = [r for r in range(header.data_top, region.bottom)
                if not all(is_blank(v) for v in sheet.rows[r]) and not _is_note(sheet.rows[r])]
        if columns:
            line = Line("row", "", region.ref(header.data_top, 0))
            for r in body:
                if not any(not is_blank(sheet.value(r, c)) for c in columns):
                    continue
                if line.values:
                    self.add(region.ref(r, min(columns)), "IMPORT-UNPLACED",
                             f"{region.name}：表中只应有一行数字（已读 {line.ref} 所在的一行），这一行没有导入")
                    break
                for col, (side, item) in columns.items():
                    figure = self.figure(region, r, col, f"{region.name} · {_SIDE_NAMES[side]} · {_ITEM_NAMES[item]}")
                    if figure is not None:
                        line.values[f"{side}.{item}"] = figure
                line.ref = region.ref(r, min(columns))
            table.lines.append(line)
            self.unknown_columns(table, set(columns), body)
            return table
        # items as rows
        sides = {c.col: _side(c.path) for c in header.columns if _side(c.path) and len(c.path) == 1}
        label_col = next((c.col for c in header.columns if c.leaf == "项目"), 0)
        if not sides:
            self.add(region.where, "IMPORT-COLUMN", f"{region.name}：没有找到“预算数”“决算数”各栏，这张表没有导入")
            return table
        line = Line("row", "", region.ref(header.data_top, label_col))
        for r in body:
            item = _item_09((norm(sheet.value(r, label_col)),))
            if item is None:
                if any(amount(sheet.value(r, c), self.places)[0] for c in sides):
                    self.add(region.ref(r, label_col), "IMPORT-UNPLACED",
                             f"{region.name}：“{plain(sheet.value(r, label_col))}”不是“三公”经费的项目，这一行没有导入")
                continue
            for col, side in sides.items():
                figure = self.figure(region, r, col, f"{region.name} · {_SIDE_NAMES[side]} · {_ITEM_NAMES[item]}")
                if figure is not None:
                    line.values[f"{side}.{item}"] = figure
        table.lines.append(line)
        return table

    # -------------------------------------------------------------- 01 04

    def two_sided(self, region: Region) -> ReadTable:
        """01 and 04: 收入 lines on the left, 支出 lines (every 类, totals, balances) on the right."""
        sheet = region.sheet
        header = read_header(region)
        table = ReadTable(region, header)
        cols = header.columns
        left = [c for c in cols if c.path and c.path[0] == "收入"]
        right = [c for c in cols if c.path and c.path[0] == "支出"]
        if not left or not right:  # no 收入/支出 over the blocks: split at the second 项目 column
            items = [c.col for c in cols if c.leaf == "项目"]
            if len(items) >= 2:
                left = [c for c in cols if c.col < items[1]]
                right = [c for c in cols if c.col >= items[1]]
        if not left or not right:
            self.add(region.where, "IMPORT-COLUMN", f"{region.name}：没有找到“收入”“支出”两部分的表头，这张表没有导入")
            return table
        t04 = region.kind == "t04"
        sides = []
        for name, block in (("left", left), ("right", right)):
            label = next((c.col for c in block if c.leaf == "项目"), block[0].col)
            values = {}
            for c in block:
                if c.col == label or c.leaf in ("行次", "栏次"):
                    continue
                meaning = _meaning_04(c.leaf) if (t04 and name == "right") else "amount"
                if meaning in values.values():
                    continue
                values[c.col] = meaning
            sides.append((name, label, values))
        known = {c.col for c in cols if c.leaf in ("项目", "行次")} | {c for _, _, v in sides for c in v}
        body = []
        state = {"left": "", "right": ""}
        seen: dict[str, str] = {}
        for r in range(header.data_top, region.bottom):
            row = sheet.rows[r]
            if all(is_blank(v) for v in row) or _is_note(row):
                continue
            body.append(r)
            for name, label_col, value_cols in sides:
                text = plain(sheet.value(r, label_col))
                key = _line_key(region.kind, name, text, state)
                values = {}
                for col, meaning in value_cols.items():
                    figure = self.figure(region, r, col, f"{region.name} {text or '第' + str(r + 1) + '行'}")
                    if figure is not None:
                        values[meaning] = figure
                if key is None:
                    if any(f.value is not None for f in values.values()):
                        self.add(region.ref(r, label_col), "IMPORT-UNPLACED",
                                 f"{region.name}：“{text}”不是这张表认识的项目，这一行的数字无法导入" if text else
                                 f"{region.name}：这一行没有项目名称，其中的数字无法导入")
                    continue
                if key in seen:
                    self.add(region.ref(r, label_col), "IMPORT-UNPLACED",
                             f"{region.name}：“{text}”出现两次（另一次在 {seen[key]}），这一行没有导入")
                    continue
                seen[key] = region.ref(r, label_col)
                table.lines.append(Line(key, text, region.ref(r, label_col), values))
        self.unknown_columns(table, known, body)
        return table


# ------------------------------------------------------------------ 09 words

_SIDE_NAMES = {"budget": "预算数", "actual": "决算数", "last_year": "上年决算数"}
_ITEM_NAMES = {"total": "合计", "abroad": "因公出国（境）费", "vehicle_total": "公务用车购置及运行维护费",
               "vehicle_purchase": "公务用车购置费", "vehicle_operation": "公务用车运行维护费", "reception": "公务接待费"}


def _side(path: tuple[str, ...]) -> str | None:
    for text in path:
        if text in ("上年决算数", "上年决算"):
            return "last_year"
        if text in ("预算数", "年初预算数", "全年预算数", "预算"):
            return "budget"
        if text in ("决算数", "本年决算数", "决算"):
            return "actual"
    return None


def _item_09(path: tuple[str, ...]) -> str | None:
    leaf = re.sub(r"^[一二三四五六七八九十\d]+[、.]|^\([一二三四五六七八九十\d]+\)", "", path[-1]) if path else ""
    vehicles = any("公务用车购置及运行" in t for t in path)
    if leaf in ("合计", "三公经费合计", "总计"):
        return "total"
    if leaf.startswith("因公出国"):
        return "abroad"
    if leaf in ("公务用车购置费", "购置费", "公务用车购置"):
        return "vehicle_purchase"
    if leaf in ("公务用车运行维护费", "运行维护费", "公务用车运行费", "公务用车运行维护"):
        return "vehicle_operation"
    if leaf.startswith("公务用车购置及运行") or (vehicles and leaf in ("小计", "合计")):
        return "vehicle_total"
    if leaf.startswith("公务接待"):
        return "reception"
    return None


# ------------------------------------------------------------------ 01 / 04 line labels

_ORDINAL = re.compile(r"^(?:[一二三四五六七八九十]+、|\([一二三四五六七八九十\d]+\)|\d+[.、])")
_CLASS_BY_NAME = {norm(name): code for code, name in catalogue.CLASSES}

_LEFT_01 = {
    "一般公共预算财政拨款收入": "general", "政府性基金预算财政拨款收入": "fund",
    "国有资本经营预算财政拨款收入": "capital", "上级补助收入": "superior", "事业收入": "business",
    "经营收入": "operating", "附属单位上缴收入": "affiliated", "其他收入": "other",
    "本年收入合计": "income_total", "使用非财政拨款结余(含专用结余)": "non_fiscal_surplus_used",
    "使用非财政拨款结余": "non_fiscal_surplus_used", "年初结转和结余": "opening", "总计": "income_grand",
}
_RIGHT_01 = {"本年支出合计": "expenditure_total", "结余分配": "surplus_distribution",
             "年末结转和结余": "closing", "总计": "expenditure_grand"}
_KINDS_04 = {"一般公共预算财政拨款": "general", "政府性基金预算财政拨款": "fund", "国有资本经营预算财政拨款": "capital"}


def _meaning_04(leaf: str) -> str:
    if leaf in ("合计", "小计", "总计"):
        return "total"
    return _kind_field(leaf) or "amount"


def _line_key(kind: str, side: str, text: str, state: dict) -> str | None:
    """The key of a 01/04 line from its label (ordinals like 一、 dropped); None when unknown."""
    t = _ORDINAL.sub("", norm(text))
    if not t:
        return None
    if side == "right" and t in _CLASS_BY_NAME:
        return f"class:{_CLASS_BY_NAME[t]}"
    if kind == "t01":
        return (_LEFT_01 if side == "left" else _RIGHT_01).get(t)
    kinds = {k + "收入": v for k, v in _KINDS_04.items()} | _KINDS_04
    if side == "left":
        if t == "年初财政拨款结转和结余":
            state["left"] = "opening"
            return "opening_total"
        if t in kinds:
            return f"{state['left'] or 'income'}_{kinds[t]}"
        return {"本年收入合计": "income_total", "总计": "income_grand"}.get(t)
    if t == "年末财政拨款结转和结余":
        state["right"] = "closing"
        return "closing"
    if t in kinds and state["right"] == "closing":
        return f"closing_{kinds[t]}"
    return {"本年支出合计": "expenditure_total", "总计": "expenditure_grand"}.get(t)


def read_table(reader: Reader, region: Region) -> ReadTable:
    if region.kind in CODED_FIELDS:
        return reader.coded(region)
    if region.kind == "t06":
        return reader.basic_items(region)
    if region.kind == "t09":
        return reader.three_public(region)
    if region.kind in ("t01", "t04"):
        return reader.two_sided(region)
    return ReadTable(region, read_header(region))
