"""A table's header rows: each column named by the texts printed above it.

The header block is the rows between the preamble and the 栏次 row (or, where
there is none, the first row of figures).  A merged header cell names every column
it spans, so a column's *path* is the texts from top to bottom — 05's ``本年支出 /
基本支出``, 09's ``决算数 / 公务用车购置及运行维护费 / 小计``.  Sheets saved without
merges print a group header once, over blank cells: there, a blank header cell with
texts below it belongs to the header on its left.  The 栏次 numbers are kept beside
each column as a cross-check of the reading.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .cells import integer, is_blank, norm
from .locate import Region

TOTAL_WORDS = ("合计", "总计", "本年合计")


@dataclass(frozen=True)
class Column:
    col: int
    path: tuple[str, ...]            # normalised header texts, top to bottom
    at: tuple[int, int]              # the cell of the lowest header text
    number: int | None = None        # the 栏次 number printed under it

    @property
    def leaf(self) -> str:
        return self.path[-1] if self.path else ""

    def has(self, text: str) -> bool:
        return text in self.path


@dataclass
class Header:
    top: int                          # first header row
    numbering: int | None             # the 栏次 row, when printed
    data_top: int                     # first row of the table body
    columns: list[Column] = field(default_factory=list)

    def column(self, col: int) -> Column | None:
        return next((c for c in self.columns if c.col == col), None)


def is_numbering_row(row: list[object]) -> bool:
    """The 栏次 row: it says 栏次, or holds only the numbers 1, 2, 3 … in order."""
    texts = [v for v in row if not is_blank(v)]
    if not texts:
        return False
    if any(norm(v) == "栏次" for v in texts):
        return True
    numbers = [integer(v) for v in texts]
    return len(numbers) >= 2 and None not in numbers and numbers == list(range(1, len(numbers) + 1))


_CODE = re.compile(r"^[23]\d{2}(\d{2}(\d{2})?)?$")


def looks_like_data(row: list[object]) -> bool:
    for value in row:
        text = norm(value)
        if text in TOTAL_WORDS or _CODE.match(text) or (isinstance(value, (int, float)) and value > 1000):
            return True
    return False


def read_header(region: Region) -> Header:
    sheet = region.sheet
    top = region.body_top
    limit = min(region.bottom, top + 8)
    numbering = next((r for r in range(top, limit) if is_numbering_row(sheet.rows[r])), None)
    if numbering is not None:
        data_top = numbering + 1
        rows = range(top, numbering)
    else:
        data_top = next((r for r in range(top + 1, limit) if looks_like_data(sheet.rows[r])), top + 1)
        rows = range(top, data_top)
    width = max((len(sheet.rows[r]) for r in range(top, min(region.bottom, sheet.height))), default=0)
    grid = [[norm(sheet.shown(r, c)) for c in range(width)] for r in rows]
    merged = any(r1 <= rows.stop - 1 and r2 >= rows.start for r1, _, r2, _ in sheet.merges) if rows else False
    if not merged:
        _fill_group_headers(grid)
    header = Header(top, numbering, data_top)
    for c in range(width):
        path: list[str] = []
        at = None
        for i, r in enumerate(rows):
            text = grid[i][c]
            if text and (not path or path[-1] != text):
                path.append(text)
            if text:
                at = sheet.anchor(r, c)
        number = integer(sheet.value(numbering, c)) if numbering is not None else None
        if path or number is not None:
            header.columns.append(Column(c, tuple(path), at or (top, c), number))
    return header


def _fill_group_headers(grid: list[list[str]]) -> None:
    """Without merges, a group header is printed once, over blanks: give it to the columns below it."""
    for i in range(len(grid) - 1):
        row = grid[i]
        for c in range(1, len(row)):
            if row[c] or not row[c - 1]:
                continue
            below = any(grid[j][c] for j in range(i + 1, len(grid)))
            left_below = any(grid[j][c - 1] for j in range(i + 1, len(grid)))
            if below and left_below:
                row[c] = row[c - 1]
