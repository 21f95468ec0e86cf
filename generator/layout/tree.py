"""The document as one tree of blocks, tables and forms, belonging to no output format.

Like pandoc's ``Pandoc Meta [Block]``: every writer (DOCX, HTML for the PDF, XLSX)
is a function of this tree alone, so two formats cannot disagree about content
because neither decides any.  Every word and number a reader sees is here, as
text: headings, paragraphs, each table's title, 表号, 部门 line, 金额单位, header
cells, body cells, notes, the empty-table statement, 目录 entries, the cover.
What a writer still decides is how it looks (fonts, borders, page breaks).

A table is one or more :class:`Grid`\\ s (a 绩效 form stacks two or three) of rows of
:class:`Cell`\\ s.  A cell spanning several columns or rows appears once, at its
top-left; the cells it covers are not in the rows (as in HTML).  Header rows repeat
on each page a table runs over.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Iterator

#: What a cell holds, for the writers' styles: a header, a row's label, a code, an amount,
#: a rate, a score, an index (行次, 栏次 numbers), free text, or a total row's label.
ROLES = frozenset({"header", "label", "code", "amount", "rate", "score", "index", "text", "total"})

#: Default alignment of each role (a cell may say otherwise).
ALIGN = {"header": "center", "label": "left", "code": "left", "amount": "right", "rate": "center",
         "score": "center", "index": "center", "text": "left", "total": "center"}


@dataclass(frozen=True)
class Cell:
    """One cell: its text as printed, what it is, and where it sits in the grid."""

    text: str = ""
    role: str = "text"
    colspan: int = 1
    rowspan: int = 1
    indent: int = 0                 # characters, for 款/项 names and 其中 lines
    align: str = ""                 # left / center / right; "" = the role's default
    strong: bool = False            # a total row, a group row
    value: Decimal | None = None    # the number shown, as rounded for display (for spreadsheets)
    number_format: str = ""         # how a spreadsheet shows ``value`` ("#,##0.00", "0.00", "0")
    open: str = ""                  # "bottom" / "top": no border there (a stub cell joined to the one below)

    @property
    def alignment(self) -> str:
        return self.align or ALIGN.get(self.role, "left")


@dataclass(frozen=True)
class Column:
    """A column: what it holds and its share of the table's width (percent, summing to 100)."""

    kind: str                       # code / label / amount / index / text / rate / score / unit
    width: Decimal                  # percent of the table's width
    nowrap: bool = False            # amounts and codes never break inside


@dataclass(frozen=True)
class Grid:
    """A rectangle of cells: header rows (repeated on each page) above body rows."""

    columns: tuple[Column, ...]
    header: tuple[tuple[Cell, ...], ...]
    body: tuple[tuple[Cell, ...], ...]
    keep_together: bool = False     # the whole grid on one page (a form's top part)

    @property
    def rows(self) -> tuple[tuple[Cell, ...], ...]:
        return self.header + self.body

    def placed(self) -> Iterator[tuple[int, int, Cell]]:
        """Every cell with its (row, column) in the full grid, spans resolved, row by row (what it
        keeps is the rows below that cells span into, not the whole grid)."""
        covered: dict[int, set[int]] = {}   # row → the columns cells from the rows above span into
        for r, row in enumerate(self.rows):
            taken = covered.pop(r, set())
            c = 0
            for cell in row:
                while c in taken:
                    c += 1
                yield r, c, cell
                for dr in range(1, cell.rowspan):
                    covered.setdefault(r + dr, set()).update(range(c, c + cell.colspan))
                c += cell.colspan

    def matrix(self) -> list[list[str]]:
        """The grid as rows × columns of texts, a spanning cell's text in its top-left slot only."""
        out = [["" for _ in self.columns] for _ in self.rows]
        for r, c, cell in self.placed():
            out[r][c] = cell.text
        return out


# ------------------------------------------------------------------ blocks


@dataclass(frozen=True)
class Block:
    """One piece of the document in reading order; ``id`` is its anchor (目录 links)."""

    id: str


@dataclass(frozen=True)
class Cover(Block):
    title: str
    unit_name: str
    date: str                       # as printed: 2025年6月30日


@dataclass(frozen=True)
class TocEntry:
    level: int                      # 1, 2, 3
    text: str
    target: str                     # the id of the block it points to


@dataclass(frozen=True)
class Toc(Block):
    title: str
    entries: tuple[TocEntry, ...]
    page_numbers: bool = True


@dataclass(frozen=True)
class Heading(Block):
    level: int
    text: str


@dataclass(frozen=True)
class Paragraph(Block):
    text: str
    role: str = ""                  # "item": a numbered item's title (1. …（类）…（款）…（项）), kept with what follows


@dataclass(frozen=True)
class Table(Block):
    """A 决算表 (公开01表 …) or a 绩效 form: its caption lines, its grids, the lines under it."""

    key: str                        # t01 … t10, eval_basic, eval:N
    kind: str                       # "statement" (公开表) or "form" (绩效)
    title: str
    label: str = ""                 # 公开01表
    owner: str = ""                 # 部门：益阳市社会保险服务中心
    unit: str = ""                  # 金额单位：万元
    grids: tuple[Grid, ...] = ()
    empty: str = ""                 # 说明：本单位没有政府性基金收入……（only for a table with no data）
    notes: tuple[str, ...] = ()     # 注：1. …, 2. … (each line as printed)
    closing: str = ""               # a form's last line: 等级：优
    landscape: bool = False
    compact: bool = False           # tight rows, so that a long table keeps to one page
    font_size: Decimal | None = None  # the table's text size (pt); None: the document's table size


@dataclass(frozen=True)
class Orientation(Block):
    """From here on the pages are landscape (wide tables) or portrait again."""

    landscape: bool


@dataclass(frozen=True)
class Document:
    """A whole document: its metadata and its blocks."""

    title: str                      # 2024年度XX部门决算: the cover's title and the file's name
    unit_name: str
    year: int
    date: str                       # ISO YYYY-MM-DD: PDF and DOCX metadata
    draft: bool                     # 草稿 on every page
    blocks: tuple[Block, ...] = field(default_factory=tuple)

    def tables(self, kind: str | None = None) -> list[Table]:
        return [b for b in self.blocks if isinstance(b, Table) and (kind is None or b.kind == kind)]

    def table(self, key: str) -> Table:
        return next(t for t in self.tables() if t.key == key)

    @property
    def toc(self) -> Toc | None:
        return next((b for b in self.blocks if isinstance(b, Toc)), None)
