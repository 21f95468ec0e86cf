"""Render: the document tree → DOCX, PDF and XLSX bytes, then every file written.

Each writer is a function of the tree alone (:mod:`.docx`, :mod:`.pdf`, :mod:`.xlsx`).
Every requested format of every document is rendered to bytes before anything is
written, so a writer failing leaves no partial set of outputs; each file is then
written atomically under a safe name.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

from ..layout.tree import Document
from ..model import texts
from ..profiles import Profile
from ..write import output_path, safe_filename, write_atomic

FORMATS = ("docx", "pdf", "xlsx")
"""The output formats, in the order files are written."""


@dataclass(frozen=True)
class Rendered:
    paths: tuple[Path, ...]
    warnings: tuple[str, ...]
    renamed: tuple[tuple[str, str], ...] = ()   # (title, file name) where the title was not a safe name


def render_bytes(document: Document, profile: Profile, formats: tuple[str, ...]) -> tuple[dict[str, bytes], list[str]]:
    """Each requested format's bytes, and the writers' warnings (in Chinese)."""
    outputs: dict[str, bytes] = {}
    warnings: list[str] = []
    pages: dict[str, int] | None = None
    # the PDF first: the DOCX's 目录 shows the pages the PDF laid out
    for fmt in sorted(formats, key=lambda f: f != "pdf"):
        if fmt == "docx":
            from .docx import render_docx
            if pages is None and document.toc is not None and document.toc.page_numbers:
                from .pdf import pdf_pages
                pages = pdf_pages(document, profile)
            outputs[fmt] = render_docx(document, profile, pages)
        elif fmt == "pdf":
            from .pdf import render_pdf
            result = render_pdf(document, profile)
            outputs[fmt] = result.data
            pages = result.pages
            warnings.extend(result.warnings)
        elif fmt == "xlsx":
            from .xlsx import render_xlsx
            outputs[fmt] = render_xlsx(document)
        else:
            raise ValueError(f"unknown format {fmt!r}")
    return {fmt: outputs[fmt] for fmt in formats}, warnings


def write_documents(checked, documents: Iterable[Document], folder: Path, formats: tuple[str, ...]) -> Rendered:
    """Render every document in every format, then write them all."""
    pending: list[tuple[Path, bytes]] = []
    warnings: list[str] = []
    if "pdf" in formats:  # the PDF shows a character only if some installed font has it
        from .glyphs import glyph_warnings
        warnings += glyph_warnings(texts(checked.loaded.data))
    renamed: list[tuple[str, str]] = []
    for document in documents:
        outputs, found = render_bytes(document, checked.profile, formats)
        warnings.extend(found)
        if safe_filename(document.title) != document.title:
            renamed.append((document.title, safe_filename(document.title)))
            warnings.append(f"文件名中不能使用的字符已替换：“{document.title}” → “{safe_filename(document.title)}”")
        pending += [(output_path(folder, document.title, f".{fmt}"), outputs[fmt]) for fmt in FORMATS if fmt in outputs]
    for path, data in pending:
        write_atomic(path, data)
    return Rendered(tuple(path for path, _ in pending), tuple(warnings), tuple(renamed))
