"""Finding the 公开表 in a workbook by what they say, never by where they are.

A table is found by its title (收入支出决算总表 …, in the wordings provinces use)
or its label (公开NN表, whose numbering varies: 三公 is 公开07表 in some provinces,
公开09表 in others — so the title, not the number, decides which table it is).
A sheet may hold one table or several one after another: each title starts a
region that runs to the next one.  A label without a recognisable title, or a sheet
with neither, is told by its header texts.  The region's preamble gives the
部门/单位 line, the 金额单位 and the year when the title states one.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from .cells import norm, plain
from .workbook import Sheet

TITLES = {
    "t01": "收入支出决算总表", "t02": "收入决算表", "t03": "支出决算表", "t04": "财政拨款收入支出决算总表",
    "t05": "一般公共预算财政拨款支出决算表", "t06": "一般公共预算财政拨款基本支出决算明细表",
    "t07": "政府性基金预算财政拨款收入支出决算表", "t08": "国有资本经营预算财政拨款支出决算表",
    "t09": "财政拨款“三公”经费支出决算表", "t10": "部门决算公开相关信息统计表",
}
"""The official titles (the Hunan wording), by table key: how messages name a table."""

REQUIRED = ("t02", "t03", "t05", "t06", "t09")
"""Without these the unit's figures are not there; 01 and 04 hold balances and cross-checks,
07 and 08 are often left out when empty."""

_LABEL = re.compile(r"^(?:附表)?公开(?:表)?(\d{1,2})表?$|^附表(\d{1,2})$")


def title_kind(text: str) -> str | None:
    """Which table a title names (its wording varies by province and year), or None."""
    t = norm(text)
    if not t or len(t) > 60 or not t.endswith("表") or t.startswith(("注", "说明")):
        return None
    if "公开" in t and _LABEL.match(t):
        return None
    if "三公" in t:
        return "t09"
    if "基本支出" in t and "预算" in t:
        return "t06"
    if "政府性基金" in t:
        return "t07"
    if "国有资本经营" in t or "国有资产经营" in t:
        return "t08"
    if "一般公共预算" in t and "支出" in t:
        return "t05"
    if "财政拨款" in t and ("收入支出决算总表" in t or "收支决算总表" in t or "收支总表" in t):
        return "t04"
    if "收入支出决算总表" in t or "收支决算总表" in t or "收支总表" in t:
        return "t01"
    if t.endswith("收入决算表"):
        return "t02"
    if t.endswith("支出决算表"):
        return "t03"
    if "相关信息统计表" in t:
        return "t10"
    return None


def label_number(text: str) -> int | None:
    match = _LABEL.match(norm(text))
    if not match:
        return None
    return int(match.group(1) or match.group(2))


def header_kind(texts: set[str]) -> str | None:
    """A table told by its header texts alone (no title): the words only one table prints."""
    if {"公务接待费"} & texts and {"预算数", "决算数"} & texts:
        return "t09"
    if {"人员经费合计", "公用经费合计"} & texts:
        return "t06"
    if "年初财政拨款结转和结余" in texts:
        return "t04"
    if {"本年收入合计", "本年支出合计", "年初结转和结余"} <= texts and "收入" in texts:
        return "t01"
    if {"本年收入合计", "财政拨款收入"} <= texts:
        return "t02"
    if {"本年支出合计", "基本支出", "上缴上级支出"} <= texts:
        return "t03"
    if {"年初结转和结余", "本年收入", "年末结转和结余"} <= texts:
        return "t07"
    return None


@dataclass
class Region:
    """Where one table sits: its sheet, its rows [top, bottom), and what its preamble says."""

    kind: str
    sheet: Sheet
    top: int
    bottom: int
    title: str = ""
    title_at: tuple[int, int] | None = None
    label: str = ""
    label_at: tuple[int, int] | None = None
    unit_word: str = ""               # 万元 / 元 as printed ("" when the table states none)
    unit_at: tuple[int, int] | None = None
    department: str = ""
    department_at: tuple[int, int] | None = None
    year: int | None = None
    body_top: int = 0                 # the first row after the preamble: the header rows start here

    @property
    def name(self) -> str:
        """How messages name the table: 公开02表 收入决算表 (its own label and title as printed)."""
        label = plain(self.label) or ""
        title = plain(self.title) or TITLES[self.kind]
        return f"{label} {title}".strip()

    def ref(self, row: int, col: int) -> str:
        return self.sheet.ref(row, col)

    @property
    def where(self) -> str:
        at = self.title_at or self.label_at or (self.top, 0)
        return self.sheet.ref(*at)


_UNIT = re.compile(r"^(?:金额)?(?:计量)?单位[:：](万元|元|千元|亿元)$")
_DEPARTMENT = re.compile(r"^(?:部门|单位|单位名称|部门名称|编制单位|预算单位|填报单位)(?:\(盖章\))?[:：](.*)$")
_YEAR = re.compile(r"(20\d\d)年")


def find_regions(sheets: list[Sheet]) -> list[Region]:
    """Every table found in the workbook, in sheet order."""
    regions: list[Region] = []
    for sheet in sheets:
        regions += _sheet_regions(sheet)
    return regions


def _sheet_regions(sheet: Sheet) -> list[Region]:
    titles: list[tuple[int, int, str, str]] = []   # row, col, kind, text
    labels: list[tuple[int, int, str]] = []
    for r, row in enumerate(sheet.rows):
        for c, value in enumerate(row):
            if not isinstance(value, str) or not value.strip() or sheet.covered(r, c):
                continue
            kind = title_kind(value)
            if kind is not None:
                titles.append((r, c, kind, value))
            elif label_number(value) is not None:
                labels.append((r, c, value))
    starts: list[Region] = []
    used: set[int] = set()
    for r, c, kind, text in titles:
        region = Region(kind, sheet, r, sheet.height, title=text, title_at=(r, c))
        for i, (lr, lc, ltext) in enumerate(labels):
            if i not in used and r - 2 <= lr <= r + 3:
                region.label, region.label_at = ltext, (lr, lc)
                region.top = min(region.top, lr)
                used.add(i)
                break
        starts.append(region)
    for i, (lr, lc, ltext) in enumerate(labels):
        if i not in used:  # a label without a title: the headers below it tell the table
            starts.append(Region("", sheet, lr, sheet.height, label=ltext, label_at=(lr, lc)))
    if not starts:  # no title in the cells: the sheet's own name may be the title
        kind = title_kind(sheet.name)
        starts.append(Region(kind or "", sheet, 0, sheet.height, title=sheet.name if kind else ""))
    starts.sort(key=lambda region: region.top)
    for region, following in zip(starts, starts[1:]):
        region.bottom = following.top
    found = []
    for region in starts:
        _read_preamble(region)
        if not region.kind:
            region.kind = header_kind(_texts(sheet, region.body_top, min(region.bottom, region.body_top + 12))) or ""
        if region.kind:
            found.append(region)
    return found


def _texts(sheet: Sheet, top: int, bottom: int) -> set[str]:
    return {norm(v) for r in range(top, bottom) for v in sheet.rows[r] if isinstance(v, str) and v.strip()}


def _read_preamble(region: Region) -> None:
    """The 部门/单位 line, the 金额单位 and the year, in the rows before the headers."""
    sheet = region.sheet
    last = max(at[0] for at in (region.title_at, region.label_at, (region.top, 0)) if at is not None)
    for r in range(region.top, min(region.bottom, region.top + 6)):
        row = sheet.rows[r]
        for c, value in enumerate(row):
            if not isinstance(value, str) or not value.strip() or sheet.covered(r, c):
                continue
            text = norm(value)
            unit = _UNIT.match(text)
            if unit:
                region.unit_word, region.unit_at = unit.group(1), (r, c)
                last = max(last, r)
                continue
            dept = _DEPARTMENT.match(text)
            if dept and not region.department:
                name = plain(re.split(r"[:：]", plain(value), maxsplit=1)[1]) if dept.group(1) else ""
                if not name:  # 部门： in one cell, the name in the next
                    name = next((plain(v) for v in row[c + 1:] if plain(v) and not _UNIT.match(norm(v))), "")
                region.department, region.department_at = name, (r, c)
                last = max(last, r)
                continue
            if (r, c) in (region.title_at, region.label_at):
                year = _YEAR.search(text)
                if year:
                    region.year = int(year.group(1))
    if region.year is None:
        year = _YEAR.search(norm(sheet.name))
        region.year = int(year.group(1)) if year else None
    region.body_top = last + 1


def majority(values: list[str]) -> str:
    counted = Counter(v for v in values if v)
    return counted.most_common(1)[0][0] if counted else ""
