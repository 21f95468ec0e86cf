"""Rendering a checked unit to files: build the document once, lay it out per format, write.

Every requested format is rendered to bytes before anything is written, so a
renderer failing leaves no partial set of outputs; each file is then written
atomically.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .document import Document, build_document
from .pipeline import Checked
from .profiles import Profile
from .write import output_path, write_atomic


@dataclass(frozen=True)
class Rendered:
    paths: tuple[Path, ...]
    warnings: tuple[str, ...]


def render_bytes(document: Document, profile: Profile, formats: tuple[str, ...]) -> tuple[dict[str, bytes], list[str]]:
    outputs: dict[str, bytes] = {}
    warnings: list[str] = []
    for fmt in formats:
        if fmt == "docx":
            from .render_docx import render_docx
            outputs[fmt] = render_docx(document, profile)
        elif fmt == "pdf":
            from .render_pdf import render_pdf
            result = render_pdf(document, profile)
            outputs[fmt] = result.data
            warnings.extend(result.warnings)
    return outputs, warnings


def render_unit(checked: Checked, profile: Profile, folder: Path, formats: tuple[str, ...],
                *, draft: bool = False) -> Rendered:
    document = build_document(checked, profile, draft=draft)
    outputs, warnings = render_bytes(document, profile, formats)
    paths = []
    for fmt, data in outputs.items():
        path = output_path(folder, document.title, f".{fmt}")
        write_atomic(path, data)
        paths.append(path)
    return Rendered(tuple(paths), tuple(warnings))
