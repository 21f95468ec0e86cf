"""Which characters the installed fonts can show: a missing glyph is named, never silent.

WeasyPrint (through Pango and fontconfig) falls back to any installed font
for a character the chosen fonts lack, so a character prints as long as one
installed font has it.  The union of the installed fonts' character maps is
read once per process with fontTools.
"""

from __future__ import annotations

import functools
import hashlib
import os
import subprocess
import unicodedata
from pathlib import Path
from typing import Iterable

from ..write import write_atomic

_INVISIBLE = {"Cc", "Cf", "Zs", "Zl", "Zp"}


def _cache_file(files: list[str]) -> Path:
    digest = hashlib.sha256("\n".join(f"{f}:{os.path.getmtime(f) if os.path.exists(f) else 0}"
                                       for f in files).encode()).hexdigest()[:16]
    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "juesuan"
    return base / f"glyphs-{digest}.txt"


@functools.cache
def installed_characters() -> frozenset[int]:
    """Every code point some installed font maps (empty when fontconfig is missing).

    Reading every font's cmap takes seconds (the CJK collections are large),
    so the union is kept in a cache file keyed by the installed font files.
    """
    try:
        files = subprocess.run(["fc-list", "--format", "%{file}\n"], capture_output=True, text=True,
                               check=True, timeout=60).stdout.split("\n")
    except (OSError, subprocess.SubprocessError):
        return frozenset()
    files = sorted(set(filter(None, files)))
    cache = _cache_file(files)
    try:
        return frozenset(int(x, 16) for x in cache.read_text(encoding="ascii").split())
    except (OSError, ValueError):
        pass
    covered = _read_cmaps(files)
    try:
        cache.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(cache, " ".join(f"{c:x}" for c in sorted(covered)).encode("ascii"))
    except OSError:
        pass  # no cache: slower next time, nothing else
    return frozenset(covered)


def _read_cmaps(files: list[str]) -> set[int]:
    from fontTools.ttLib import TTCollection, TTFont

    covered: set[int] = set()
    for path in files:
        try:
            fonts = TTCollection(path, lazy=True).fonts if path.lower().endswith(".ttc") else [TTFont(path, lazy=True)]
            for font in fonts:
                cmap = font.getBestCmap()
                if cmap:
                    covered.update(cmap)
        except Exception:  # a font file fontTools cannot read: it shows nothing we could count on
            continue
    return covered


def missing(text: str, covered: frozenset[int]) -> list[str]:
    """The distinct visible characters of ``text`` that no installed font has."""
    seen = []
    for ch in text:
        if ord(ch) not in covered and unicodedata.category(ch) not in _INVISIBLE and ch not in seen \
                and not _variation_selector(ord(ch)):
            seen.append(ch)
    return seen


def _variation_selector(code: int) -> bool:
    return 0xFE00 <= code <= 0xFE0F or 0xE0100 <= code <= 0xE01EF


def glyph_warnings(texts: Iterable[tuple[str, str]]) -> list[str]:
    """A warning per (field, character) no font can show, in Chinese."""
    covered = installed_characters()
    if not covered:
        return ["无法读取已安装的字体（fc-list 不可用），没有检查缺字"]
    warnings = []
    for path, text in texts:
        for ch in missing(text, covered):
            warnings.append(f"字段 {path} 中的字符“{ch}”（U+{ord(ch):04X}）没有任何已安装的字体能显示，"
                            "PDF中会显示为空白方框；请换用常用字，或安装含有该字的字体")
    return warnings
