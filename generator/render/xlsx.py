"""XLSX output: the document's tables as a workbook (openpyxl), one sheet per table.

What finance bureaus archive beside the PDF (the published documents link it as
决算报表.xls): each 公开表 on a sheet of its own, laid out from the document tree as
printed — the title merged across the table, 表号, the 部门 line and 金额单位, the
header rows with their merged cells, the body rows with every amount a number (the
number shown, with the number format of the tables), the notes — with the layout's
column widths, the header rows repeated on each printed page, the page's orientation
and fitted to its width.  A 绩效自评 document's workbook holds its forms instead.

No word or number is added here.  The workbook is byte-stable: its timestamps are the
document's date and openpyxl writes its parts in a fixed order.
"""

from __future__ import annotations

import io
import re
import zipfile
from datetime import datetime
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.page import PageMargins
from openpyxl.worksheet.properties import PageSetupProperties

from ..layout.tree import Cell, Document, Grid, Table

#: A sheet's width in Excel's character units, by orientation: the columns share it as the layout decided.
SHEET_WIDTH = {False: 100, True: 160}

_THIN = Side(style="thin", color="000000")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_FONT = "宋体"
_UNSAFE_SHEET = re.compile(r"[\[\]:*?/\\]")


def sheet_name(table: Table, taken: set[str]) -> str:
    """The sheet's name: the 表号 (公开01表), else the title, at most 31 characters, unique."""
    base = _UNSAFE_SHEET.sub("_", table.label or table.title or table.key)[:31] or "表"
    name, n = base, 2
    while name in taken:
        suffix = f"({n})"
        name, n = base[:31 - len(suffix)] + suffix, n + 1
    taken.add(name)
    return name


def _tables(document: Document) -> list[Table]:
    statements = document.tables("statement")
    return statements or document.tables("form")


def _write_cell(ws, row: int, column: int, cell: Cell) -> None:
    target = ws.cell(row=row, column=column)
    if cell.value is not None:
        target.value = cell.value
        target.number_format = cell.number_format or "General"
    else:
        target.value = cell.text or None
    target.alignment = Alignment(horizontal=cell.alignment, vertical="center", wrap_text=cell.role not in
                                 ("amount", "code", "index"), indent=cell.indent)
    target.font = Font(name=_FONT, size=10, bold=cell.strong or cell.role == "header")


def _write_grid(ws, grid: Grid, top: int) -> int:
    """The grid's cells from row ``top``; returns the next free row."""
    for r, c, cell in grid.placed():
        row, column = top + r, c + 1
        _write_cell(ws, row, column, cell)
        if cell.colspan > 1 or cell.rowspan > 1:
            ws.merge_cells(start_row=row, start_column=column, end_row=row + cell.rowspan - 1,
                           end_column=column + cell.colspan - 1)
    for r in range(len(grid.rows)):
        for c in range(len(grid.columns)):
            ws.cell(row=top + r, column=c + 1).border = _BORDER
    return top + len(grid.rows)


def _line(ws, row: int, text: str, width: int, *, size: int = 10, bold: bool = False, align: str = "left") -> None:
    ws.cell(row=row, column=1, value=text).font = Font(name=_FONT, size=size, bold=bold)
    ws.cell(row=row, column=1).alignment = Alignment(horizontal=align, vertical="center", wrap_text=True)
    if width > 1:
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=width)


def _sheet(wb: Workbook, table: Table, name: str) -> None:
    ws = wb.create_sheet(name)
    width = max(len(g.columns) for g in table.grids)
    _line(ws, 1, table.title, width, size=16, bold=True, align="center")
    row = 2
    if table.label:
        _line(ws, row, table.label, width, align="right")
        row += 1
    if table.owner:
        half = max(1, width // 2)
        ws.cell(row=row, column=1, value=table.owner).font = Font(name=_FONT, size=10)
        if half > 1:
            ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=half)
        ws.cell(row=row, column=half + 1, value=table.unit).font = Font(name=_FONT, size=10)
        ws.cell(row=row, column=half + 1).alignment = Alignment(horizontal="right")
        if width > half + 1:
            ws.merge_cells(start_row=row, start_column=half + 1, end_row=row, end_column=width)
    else:
        _line(ws, row, table.unit, width, align="right")
    row += 1
    first_grid_row = row
    header_rows = len(table.grids[0].header)
    for grid in table.grids:
        row = _write_grid(ws, grid, row)
    for text in ([table.empty] if table.empty else []) + list(table.notes) + ([table.closing] if table.closing else []):
        _line(ws, row, text, width, align="right" if text == table.closing else "left")
        ws.row_dimensions[row].height = 15 * max(1, len(text) // (width * 6) + 1)
        row += 1
    widest = max(table.grids, key=lambda g: len(g.columns))
    total = SHEET_WIDTH[table.landscape]
    for i, column in enumerate(widest.columns, 1):
        ws.column_dimensions[get_column_letter(i)].width = float(max(Decimal(4), column.width * total / 100))
    ws.page_setup.orientation = "landscape" if table.landscape else "portrait"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    ws.page_margins = PageMargins(left=0.5, right=0.5, top=0.6, bottom=0.6)
    ws.print_options.horizontalCentered = True
    if header_rows:
        ws.print_title_rows = f"{first_grid_row}:{first_grid_row + header_rows - 1}"
        ws.freeze_panes = ws.cell(row=first_grid_row + header_rows, column=1)


def render_xlsx(document: Document, profile=None) -> bytes:
    """The workbook of ``document``'s tables (its 公开表; a 绩效 document's forms), as bytes."""
    wb = Workbook()
    wb.remove(wb.active)
    taken: set[str] = set()
    for table in _tables(document):
        _sheet(wb, table, sheet_name(table, taken))
    if not wb.worksheets:
        wb.create_sheet("说明").cell(row=1, column=1, value=f"{document.title}没有表格")
    stamp = datetime.fromisoformat(document.date).replace(tzinfo=None)
    wb.properties.title = document.title
    wb.properties.creator = document.unit_name
    wb.properties.created = wb.properties.modified = stamp
    wb.properties.lastModifiedBy = None
    buffer = io.BytesIO()
    wb.save(buffer)
    return _restamp(buffer.getvalue(), stamp)


def _restamp(data: bytes, stamp: datetime) -> bytes:
    """Re-zip with every member dated ``stamp``, in the order written (byte-stable)."""
    date_time = (max(stamp.year, 1980), stamp.month, stamp.day, 0, 0, 0)
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as zin, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for name in zin.namelist():
            info = zipfile.ZipInfo(name, date_time=date_time)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            content = zin.read(name)
            if name == "docProps/core.xml":  # openpyxl stamps "modified" with the clock when saving
                content = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)",
                                 rb"\g<1>" + stamp.strftime("%Y-%m-%dT%H:%M:%SZ").encode() + rb"\g<2>", content)
            zout.writestr(info, content)
    return out.getvalue()


__all__ = ["render_xlsx", "sheet_name"]
