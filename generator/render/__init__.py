"""Rendering a checked unit to files: build the document once, lay it out per format, write.

Every requested format is rendered to bytes before anything is written, so a
renderer failing leaves no partial set of outputs; each file is then written
atomically.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..layout.document import Document, build_document, build_evaluation_document
from ..pipeline import Checked
from ..profiles import Profile
from ..write import output_path, safe_filename, write_atomic


@dataclass(frozen=True)
class Rendered:
    paths: tuple[Path, ...]
    warnings: tuple[str, ...]
    renamed: tuple[tuple[str, str], ...] = ()   # (title, file name) where the title was not a safe name


def render_bytes(document: Document, profile: Profile, formats: tuple[str, ...]) -> tuple[dict[str, bytes], list[str]]:
    outputs: dict[str, bytes] = {}
    warnings: list[str] = []
    for fmt in formats:
        if fmt == "docx":
            from .docx import render_docx
            outputs[fmt] = render_docx(document, profile)
        elif fmt == "pdf":
            from .pdf import render_pdf
            result = render_pdf(document, profile)
            outputs[fmt] = result.data
            warnings.extend(result.warnings)
    return outputs, warnings


def documents_of(checked: Checked, profile: Profile, *, draft: bool = False) -> list[Document]:
    """What a unit's file produces: the 部门决算 when it has the accounts, the 绩效自评 when it has 绩效 data."""
    documents = []
    if checked.loaded.accounts:
        documents.append(build_document(checked, profile, draft=draft))
    if checked.evaluation:
        documents.append(build_evaluation_document(checked, profile, draft=draft))
    return documents


def render_unit(checked: Checked, profile: Profile, folder: Path, formats: tuple[str, ...],
                *, draft: bool = False) -> Rendered:
    """Render every document of the unit in every format, then write them all."""
    pending: list[tuple[Path, bytes]] = []
    warnings: list[str] = []
    if "pdf" in formats:  # the PDF shows a character only if some installed font has it
        from ..check.checks import _texts
        from .glyphs import glyph_warnings
        warnings += glyph_warnings(_texts(checked.loaded.data))
    renamed: list[tuple[str, str]] = []
    for document in documents_of(checked, profile, draft=draft):
        outputs, found = render_bytes(document, profile, formats)
        warnings.extend(found)
        if safe_filename(document.title) != document.title:
            renamed.append((document.title, safe_filename(document.title)))
            warnings.append(f"文件名中不能使用的字符已替换：“{document.title}” → “{safe_filename(document.title)}”")
        pending += [(output_path(folder, document.title, f".{fmt}"), data) for fmt, data in outputs.items()]
    for path, data in pending:
        write_atomic(path, data)
    return Rendered(tuple(path for path, _ in pending), tuple(warnings), tuple(renamed))
