"""Reading the 决算 software's workbook (.xlsx, .xls) into plain grids of cells.

python-calamine reads both formats without LibreOffice.  A sheet becomes a
:class:`Sheet`: its cell values from A1 on (so positions are the workbook's own),
its merged ranges, and the formula cells that carry no cached value (calamine
reads those as blank; an .xlsx saved by a program that does not compute formulas
has them, and their figures are unknown, not zero).  A workbook that cannot be
read — not a workbook, damaged, password-protected — is a :class:`WorkbookError`
carrying one issue in Chinese.
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from ..issues import Issue, Severity

MAX_WORKBOOK_BYTES = 50 * 1024 * 1024
"""A 决算 workbook is well under 1 MiB; 50 MiB is not one."""

SUFFIXES = (".xlsx", ".xlsm", ".xls")


class WorkbookError(Exception):
    """The workbook cannot be used at all (exit code 2)."""

    def __init__(self, file: str, code: str, message: str):
        super().__init__(message)
        self.issue = Issue(file, None, "", code, Severity.ERROR, message)


def column_letter(index: int) -> str:
    """0 → A, 25 → Z, 26 → AA."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def cell_name(row: int, col: int) -> str:
    """Zero-based (row, col) as Excel names it: (11, 3) → D12."""
    return f"{column_letter(col)}{row + 1}"


def sheet_prefix(name: str) -> str:
    """A sheet's name as a reference writes it: quoted when it holds spaces or punctuation."""
    if re.fullmatch(r"\w+", name):
        return name
    return "'" + name.replace("'", "''") + "'"


@dataclass
class Sheet:
    """One worksheet: values by zero-based (row, col) from A1, merged ranges, formulas without a value."""

    name: str
    rows: list[list[object]]
    merges: tuple[tuple[int, int, int, int], ...] = ()   # inclusive (r1, c1, r2, c2)
    uncached: dict[tuple[int, int], str] = field(default_factory=dict)  # (row, col) → formula text
    _anchor: dict[tuple[int, int], tuple[int, int]] | None = field(default=None, repr=False)

    @property
    def height(self) -> int:
        return len(self.rows)

    @property
    def width(self) -> int:
        return max((len(r) for r in self.rows), default=0)

    def value(self, row: int, col: int) -> object:
        if 0 <= row < len(self.rows) and 0 <= col < len(self.rows[row]):
            return self.rows[row][col]
        return ""

    def anchor(self, row: int, col: int) -> tuple[int, int]:
        """The top-left cell of the merged range holding (row, col), else the cell itself."""
        if self._anchor is None:
            self._anchor = {(r, c): (r1, c1) for r1, c1, r2, c2 in self.merges
                            for r in range(r1, r2 + 1) for c in range(c1, c2 + 1)}
        return self._anchor.get((row, col), (row, col))

    def shown(self, row: int, col: int) -> object:
        """What the cell shows: a merged range shows its top-left value in every cell it covers."""
        return self.value(*self.anchor(row, col))

    def covered(self, row: int, col: int) -> bool:
        """Inside a merged range but not its top-left cell."""
        return self.anchor(row, col) != (row, col)

    def ref(self, row: int, col: int) -> str:
        """``公开02表!D12``."""
        return f"{sheet_prefix(self.name)}!{cell_name(row, col)}"


def read_workbook(path: Path, display: str | None = None) -> list[Sheet]:
    """Every visible worksheet of the workbook at ``path``; raises :class:`WorkbookError`."""
    file = display or str(path)
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise WorkbookError(file, "IMPORT-READ", f"无法读取工作簿：{exc.strerror or exc}") from None
    if not path.is_file():
        raise WorkbookError(file, "IMPORT-READ", "不是文件，无法读取")
    if size > MAX_WORKBOOK_BYTES:
        raise WorkbookError(file, "IMPORT-READ", f"文件大小{size}字节，不像决算软件导出的工作簿（上限50 MiB）")
    with path.open("rb") as handle:
        head = handle.read(8)
    if _encrypted(path, head):
        raise WorkbookError(file, "IMPORT-PASSWORD",
                            "工作簿设置了打开密码，无法读取：请在 Excel 或 WPS 中用密码打开，"
                            "“另存为”不加密码的工作簿后再导入")
    if path.suffix.lower() not in SUFFIXES and not (head.startswith(b"PK") or head.startswith(_OLE)):
        raise WorkbookError(file, "IMPORT-READ",
                            f"不是 Excel 工作簿（.xlsx 或 .xls）：{path.name}；请用决算软件导出的工作簿")
    from python_calamine import CalamineWorkbook

    try:
        book = CalamineWorkbook.from_path(str(path))
        sheets = []
        for meta in book.sheets_metadata:
            if str(meta.visible).rsplit(".", 1)[-1] != "Visible" or str(meta.typ).rsplit(".", 1)[-1] != "WorkSheet":
                continue
            sheet = book.get_sheet_by_name(meta.name)
            rows = sheet.to_python(skip_empty_area=False)
            merges = tuple((r1, c1, r2, c2) for (r1, c1), (r2, c2) in (sheet.merged_cell_ranges or ()))
            sheets.append(Sheet(meta.name, rows, merges))
    except Exception as exc:  # calamine raises its own types (ZipError, XlsError, PasswordError …)
        if type(exc).__name__ == "PasswordError":
            raise WorkbookError(file, "IMPORT-PASSWORD",
                                "工作簿设置了密码，无法读取：请在 Excel 或 WPS 中打开，"
                                "“另存为”不加密码的工作簿后再导入") from None
        raise WorkbookError(file, "IMPORT-CORRUPT",
                            f"工作簿已损坏或不是 Excel 文件，无法读取（{type(exc).__name__}）："
                            "请从决算软件重新导出，或在 Excel 中打开后另存为 .xlsx") from None
    if head.startswith(b"PK"):
        _mark_uncached_formulas(path, sheets)
    return sheets


_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def _encrypted(path: Path, head: bytes) -> bool:
    """An encrypted .xlsx is an OLE container (as an .xls is); msoffcrypto tells them apart."""
    if not head.startswith(_OLE):
        return False
    try:
        import msoffcrypto

        with path.open("rb") as handle:
            return bool(msoffcrypto.OfficeFile(handle).is_encrypted())
    except Exception:  # not an Office file msoffcrypto knows: let calamine decide
        return False


_CELL = re.compile(rb"<(?:\w+:)?c\b([^>]*?)(?:/>|>(.*?)</(?:\w+:)?c>)", re.S)
_REF = re.compile(rb'\br="([A-Z]+)(\d+)"')
_FORMULA = re.compile(rb"<(?:\w+:)?f\b[^>]*?(?:/>|>(.*?)</(?:\w+:)?f>)", re.S)
_VALUE = re.compile(rb"<(?:\w+:)?v\b[^>]*>(.+?)</(?:\w+:)?v>", re.S)
_SHEET = re.compile(rb'<(?:\w+:)?sheet\b[^>]*?\bname="([^"]*)"[^>]*?\br:id="([^"]*)"', re.S)
_REL = re.compile(rb'<Relationship\b[^>]*?\bId="([^"]*)"[^>]*?\bTarget="([^"]*)"', re.S)
_REL_ALT = re.compile(rb'<Relationship\b[^>]*?\bTarget="([^"]*)"[^>]*?\bId="([^"]*)"', re.S)


def _mark_uncached_formulas(path: Path, sheets: list[Sheet]) -> None:
    """Record, per sheet, the formula cells whose cached value is missing (calamine shows them blank)."""
    try:
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
            book = archive.read("xl/workbook.xml")
            rels = archive.read("xl/_rels/workbook.xml.rels") if "xl/_rels/workbook.xml.rels" in names else b""
            targets = {rid: target for rid, target in _REL.findall(rels)}
            targets.update({rid: target for target, rid in _REL_ALT.findall(rels)})
            by_name = {s.name: s for s in sheets}
            for raw_name, rid in _SHEET.findall(book):
                sheet = by_name.get(_xml_text(raw_name))
                target = targets.get(rid)
                if sheet is None or target is None:
                    continue
                target = target.decode().lstrip("/")
                member = target if target.startswith("xl/") else f"xl/{target}"
                if member not in names:
                    continue
                xml = archive.read(member)
                if b"<f" not in xml and b":f" not in xml:
                    continue
                for attrs, body in _CELL.findall(xml):
                    if not body:
                        continue
                    formula = _FORMULA.search(body)
                    if formula is None or _VALUE.search(body):
                        continue
                    ref = _REF.search(attrs)
                    if ref is None:
                        continue
                    col = _column_index(ref.group(1).decode())
                    sheet.uncached[(int(ref.group(2)) - 1, col)] = "=" + _xml_text(formula.group(1) or b"")
    except (zipfile.BadZipFile, KeyError, OSError):
        return  # calamine read it; a part we cannot find holds no formulas we could report


def _column_index(letters: str) -> int:
    index = 0
    for ch in letters:
        index = index * 26 + ord(ch) - 64
    return index - 1


def _xml_text(raw: bytes) -> str:
    text = raw.decode("utf-8", errors="replace")
    return (text.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", '"')
            .replace("&apos;", "'").replace("&amp;", "&"))
