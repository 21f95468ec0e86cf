"""The review workbook (审核清单) a finance-bureau reviewer opens first, written with openpyxl.

Sheet 单位: one row per unit (status, counts and first messages, key figures,
output files).  Sheet 问题: every issue.  Sheet 文件: every output, linked.  Frozen header rows, filters, and
column widths that fit Chinese text (a CJK character is two columns wide).
"""

from __future__ import annotations

import io
from decimal import Decimal
import unicodedata
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from ..write import write_atomic

AMOUNT_COLUMNS = ("本年收入合计", "本年支出合计", "基本支出", "项目支出", "三公预算", "三公决算")
FIGURE_COLUMNS = (*AMOUNT_COLUMNS, "绩效总分", "绩效等级")
UNIT_HEADER = ("单位文件", "单位名称", "单位编码", "状态", "错误数", "警告数", "主要问题", "金额单位", *FIGURE_COLUMNS,
               "生成的文件", "用时（秒）")

MAIN_ISSUES_CHARS = 300
"""主要问题 holds whole messages up to about this length; the 问题 sheet holds them all."""

AMOUNT_FORMAT = "#,##0.00"
SCORE_FORMAT = "0.00"
FILE_HEADER = ("单位文件", "单位名称", "文件", "文件名（点击打开）")
FILE_KINDS = {".pdf": "PDF（公开用）", ".docx": "DOCX（可编辑）", ".xlsx": "XLSX（公开表工作簿）"}
ISSUE_HEADER = ("单位文件", "单位名称", "位置（文件:行）", "代码", "级别", "表、行、栏", "说明", "字段路径")

_BAD = PatternFill("solid", fgColor="F8D7DA")
_WARN = PatternFill("solid", fgColor="FFF3CD")
_HEAD = PatternFill("solid", fgColor="DDE5F0")


def display_width(text: str) -> int:
    """Columns a text takes: 2 for a wide (CJK) character, 1 otherwise."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in str(text))


def _sheet(wb, title: str, header: tuple[str, ...], rows: list[list], wrap: set[int], max_width: int = 60):
    ws = wb.create_sheet(title)
    ws.append(list(header))
    for row in rows:
        ws.append(row)
    for cell in ws[1]:
        cell.font = Font(bold=True)
        cell.fill = _HEAD
        cell.alignment = Alignment(vertical="center", wrap_text=True)
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = ws.dimensions
    for index, name in enumerate(header, 1):
        widest = max([display_width(name)] + [display_width(r[index - 1]) for r in rows if r[index - 1] is not None])
        ws.column_dimensions[get_column_letter(index)].width = min(max_width, widest + 2)
        if index - 1 in wrap:
            for (cell,) in ws.iter_rows(min_row=2, min_col=index, max_col=index):
                cell.alignment = Alignment(wrap_text=True, vertical="top")
    return ws


def write_workbook(path: Path, results, finance_bureau: str = "") -> Path:
    """Write the workbook atomically; returns its path."""
    wb = Workbook()
    wb.remove(wb.active)
    unit_rows = []
    for r in results:
        figures = [_number(r.figures.get(c)) for c in AMOUNT_COLUMNS]
        unit_rows.append([r.file, r.name, r.code, r.status, r.errors, r.warnings, main_issues(r.issues),
                          r.amount_unit if any(v is not None for v in figures) else "", *figures,
                          _number(r.figures.get("绩效总分")), r.figures.get("绩效等级", ""), "\n".join(r.outputs),
                          Decimal(round_seconds(r.seconds))])
    units = _sheet(wb, "单位", UNIT_HEADER, unit_rows, wrap={6, len(UNIT_HEADER) - 2})
    first_amount = UNIT_HEADER.index(AMOUNT_COLUMNS[0])
    score = UNIT_HEADER.index("绩效总分")
    for row_cells, r in zip(units.iter_rows(min_row=2), results):
        fill = _BAD if not r.ok or r.errors else (_WARN if r.warnings else None)
        if fill is not None:
            row_cells[3].fill = fill
        for cell in row_cells[first_amount:first_amount + len(AMOUNT_COLUMNS)]:
            cell.number_format = AMOUNT_FORMAT
        row_cells[score].number_format = SCORE_FORMAT
        row_cells[-1].number_format = "0.0"
    issue_rows = []
    for r in results:
        for i in r.issues:
            where = f"{i['file']}:{i['line']}" if i.get("line") else i["file"]
            issue_rows.append([r.file, r.name, where, i["code"], "错误" if i["severity"] == "error" else "警告",
                               i.get("place", ""), i["message"], i.get("path", "")])
    issues = _sheet(wb, "问题", ISSUE_HEADER, issue_rows, wrap={6}, max_width=90)
    for row_cells in issues.iter_rows(min_row=2):
        row_cells[4].fill = _BAD if row_cells[4].value == "错误" else _WARN
    file_rows = [[r.file, r.name, FILE_KINDS.get(Path(name).suffix, Path(name).suffix), name]
                 for r in results for name in r.outputs]
    files = _sheet(wb, "文件", FILE_HEADER, file_rows, wrap=set(), max_width=80)
    for row_cells in files.iter_rows(min_row=2):
        link = row_cells[3]
        link.hyperlink = link.value          # beside the workbook: opens the file from 审核清单.xlsx
        link.font = Font(color="0563C1", underline="single")
    wb.properties.title = f"{finance_bureau}部门决算审核清单" if finance_bureau else "部门决算审核清单"
    buffer = io.BytesIO()
    wb.save(buffer)
    write_atomic(path, buffer.getvalue())
    return path


def _number(text: str | None) -> Decimal | None:
    """A figure for a cell: a number Excel can sum (openpyxl writes a Decimal as a number)."""
    return Decimal(text) if text not in (None, "") else None


def main_issues(issues: list[dict], limit: int = MAIN_ISSUES_CHARS) -> str:
    """The unit's errors (else its warnings), whole messages only, about ``limit`` characters;
    what does not fit is counted, never cut in the middle of a message or a number."""
    chosen = [i for i in issues if i["severity"] == "error"] or list(issues)
    shown: list[str] = []
    length = 0
    for issue in chosen:
        text = f"{issue['place']}：{issue['message']}" if issue.get("place") else issue["message"]
        if shown and length + len(text) > limit:
            break
        shown.append(text)
        length += len(text) + 1
    rest = len(chosen) - len(shown)
    return "；".join(shown) + (f"；另有{rest}条（见“问题”表）" if rest else "")


def round_seconds(seconds: float) -> str:
    """Seconds as text with one decimal (a display value, not money)."""
    return f"{seconds:.1f}"
