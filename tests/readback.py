"""Reading our outputs back as a person's tools would: the tables of a DOCX and an XLSX as
matrices of texts, a PDF's text in drawing order, a DOCX's headings and 目录 entries.

A matrix has a cell's text in the top-left slot of the rectangle it spans and "" in the
slots it covers — what :meth:`generator.layout.tree.Grid.matrix` gives for the tree.
"""

from __future__ import annotations

import io
import re
import subprocess
import zipfile
from decimal import Decimal
from pathlib import Path

from lxml import etree

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _docx_body(data: bytes):
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return etree.fromstring(z.read("word/document.xml")).find(f"{W}body")


def _text(element) -> str:
    """A paragraph's or a cell's text, line breaks as \\n."""
    parts = []
    for node in element.iter(f"{W}t", f"{W}br", f"{W}tab", f"{W}p"):
        if node.tag == f"{W}t":
            parts.append(node.text or "")
        elif node.tag == f"{W}br":
            parts.append("\n")
        elif node.tag == f"{W}tab":
            parts.append("\t")
        elif node.tag == f"{W}p" and parts and node is not element:
            parts.append("\n")
    return "".join(parts).strip("\n")


def docx_tables(data: bytes) -> list[list[list[str]]]:
    """Every ``w:tbl`` of the body, in order, as a matrix: gridSpan and vMerge resolved."""
    tables = []
    for tbl in _docx_body(data).iter(f"{W}tbl"):
        width = len(tbl.findall(f"{W}tblGrid/{W}gridCol"))
        matrix = []
        for tr in tbl.findall(f"{W}tr"):
            row = []
            for tc in tr.findall(f"{W}tc"):
                span = tc.find(f"{W}tcPr/{W}gridSpan")
                n = int(span.get(f"{W}val")) if span is not None else 1
                merge = tc.find(f"{W}tcPr/{W}vMerge")
                continued = merge is not None and merge.get(f"{W}val") in (None, "continue")
                text = "" if continued else "\n".join(_text(p) for p in tc.findall(f"{W}p"))
                row += [text] + [""] * (n - 1)
            assert len(row) == width, f"a row of {len(row)} slots in a table of {width} columns"
            matrix.append(row)
        tables.append(matrix)
    return tables


def docx_paragraphs(data: bytes) -> list[tuple[str, str]]:
    """(style, text) of every body paragraph outside tables, in order."""
    out = []
    for p in _docx_body(data).iter(f"{W}p"):
        if any(a.tag == f"{W}tbl" for a in p.iterancestors()):
            continue
        style = p.find(f"{W}pPr/{W}pStyle")
        out.append((style.get(f"{W}val") if style is not None else "", _text(p)))
    return out


def xlsx_sheets(data: bytes) -> dict[str, list[list[object]]]:
    """Each sheet as rows of values (numbers as Decimal, texts as str, blanks as ""), merged
    cells' covered slots blank."""
    from openpyxl import load_workbook

    wb = load_workbook(io.BytesIO(data))
    sheets = {}
    for ws in wb.worksheets:
        rows = []
        for row in ws.iter_rows():
            values = []
            for cell in row:
                value = cell.value
                if value is None:
                    values.append("")
                elif isinstance(value, (int, float)) and not isinstance(value, bool):
                    values.append(Decimal(str(value)))
                else:
                    values.append(str(value))
            rows.append(values)
        sheets[ws.title] = rows
    return sheets


def pdf_raw_text(path: Path) -> str:
    """The PDF's text in the order it is drawn (pdftotext -raw): a cell's lines stay together."""
    return subprocess.run(["pdftotext", "-raw", str(path), "-"], capture_output=True, text=True, check=True).stdout


def pdf_pages_text(path: Path) -> list[str]:
    """Each page's text (pdftotext -raw), in page order."""
    text = subprocess.run(["pdftotext", "-raw", str(path), "-"], capture_output=True, text=True, check=True).stdout
    return text.split("\f")[:-1] if text.endswith("\f") else text.split("\f")


def in_order(needles: list[str], haystack: str) -> str | None:
    """The first of ``needles`` (squeezed) not found in ``haystack`` after the previous one; None if all are."""
    position = 0
    for needle in needles:
        squeezed = squeeze(needle)
        if not squeezed:
            continue
        at = haystack.find(squeezed, position)
        if at < 0:
            return needle
        position = at + len(squeezed)
    return None
