"""A county's shared settings: ``_defaults.yaml`` beside (or above) its unit files.

One file serves every unit of a county folder: the unit header fields they
share (年度, 方案, 金额单位, 日期…), the finance bureau's name for the review
workbook, display overrides, and names of codes the built-in catalogue lacks
(``catalogue:``).  A unit file's own values win.  ``check``, ``render`` and
``batch`` all take a unit's defaults from the nearest ``_defaults.yaml`` in its
folder or a folder above it, so one unit checked alone and the same unit in a
county batch give the same result.

Every value is read and checked here, with its line: a county's bad date is
one clear message naming ``_defaults.yaml:3``, not a failure of every unit.
"""

from __future__ import annotations

import dataclasses
import functools
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from yaml.nodes import MappingNode, ScalarNode

from ..issues import Issue, UnusableInput
from .yamlread import line_of, read_file

DEFAULTS_FILE = "_defaults.yaml"

UNIT_FIELDS = ("year", "profile", "amount_unit", "date", "department", "kind")
"""The unit header fields a county may set for all its units."""

_SECTIONS = ("unit", "finance_bureau", "display", "catalogue")


class DefaultsError(Exception):
    """The county defaults file is unusable (the whole batch stops, exit 2)."""


@dataclass(frozen=True)
class Defaults:
    """What ``_defaults.yaml`` says; empty when there is none."""

    unit: dict[str, str] = field(default_factory=dict)        # field name → value text, as the loader reads it
    finance_bureau: str = ""
    display: dict[str, Any] = field(default_factory=dict)
    catalogue: dict[str, str] = field(default_factory=dict)   # code → name, for codes the catalogue lacks
    file: str = ""                                            # where they were read ("" for none)
    text: bytes = b""                                         # the file's bytes (part of a batch's digest)

    @property
    def fields(self) -> dict[str, str]:
        """The unit defaults as field paths (``unit.year``), as :func:`generator.load.load_file` takes them."""
        return {f"unit.{k}": v for k, v in self.unit.items()}


NONE = Defaults()


def find_defaults(unit_file: Path) -> Path | None:
    """The nearest ``_defaults.yaml`` in the unit file's folder or a folder above it."""
    for folder in Path(unit_file).resolve().parents:
        candidate = folder / DEFAULTS_FILE
        if candidate.is_file():
            return candidate
    return None


def defaults_for(unit_file: Path) -> Defaults:
    """The defaults that apply to ``unit_file`` (raises :class:`DefaultsError`)."""
    path = find_defaults(unit_file)
    return read_defaults(path) if path is not None else NONE


def read_defaults(path: Path) -> Defaults:
    """Read and check one defaults file; every problem names its line."""
    return _read_cached(str(path), path.stat().st_mtime_ns, path.stat().st_size)


@functools.lru_cache(maxsize=8)
def _read_cached(path_text: str, mtime_ns: int, size: int) -> Defaults:
    del mtime_ns, size  # part of the cache key: an edited file is read again
    from ..narrative.style import Style
    from .loader import read_unit_fields

    path = Path(path_text)
    try:
        doc = read_file(path, path_text)
    except UnusableInput as exc:
        raise DefaultsError(exc.issue.format()) from None
    problems: list[Issue] = [i for i in doc.issues if i.is_error]
    sections: dict[str, Any] = {}
    for key, value in doc.root.value:
        name = key.value if isinstance(key, ScalarNode) else "?"
        if name not in _SECTIONS:
            raise DefaultsError(f"{path_text}:{line_of(key)}: 不认识的字段“{name}”"
                                f"（可用：{'、'.join(_SECTIONS)}）")
        sections[name] = value
    unit: dict[str, str] = {}
    node = sections.get("unit")
    if isinstance(node, MappingNode):
        for key, _ in node.value:
            if isinstance(key, ScalarNode) and key.value not in UNIT_FIELDS:
                raise DefaultsError(f"{path_text}:{line_of(key)}: unit 中只能写各单位共用的字段"
                                    f"（{'、'.join(UNIT_FIELDS)}），不能写 {key.value}")
        unit, issues = read_unit_fields(path_text, node, UNIT_FIELDS)
        problems += issues
    elif node is not None and not _null(node):
        raise DefaultsError(f"{path_text}:{line_of(node)}: unit 应当是“字段: 值”的映射")
    display = _plain_mapping(path_text, sections.get("display"), "display")
    known = {f.name for f in dataclasses.fields(Style)}
    for name in display:
        if name not in known:
            raise DefaultsError(f"{path_text}: display 中有不认识的设置：{name}（可用：{'、'.join(sorted(known))}）")
    catalogue = {str(k).strip(): str(v).strip() for k, v in _plain_mapping(path_text, sections.get("catalogue"),
                                                                           "catalogue").items()}
    for code, name in catalogue.items():
        if not (code.isdigit() and code[0] in "23" and len(code) in (3, 5, 7)) or not name:
            raise DefaultsError(f"{path_text}: catalogue 中的“{code}: {name}”应写成“科目编码: 名称”"
                                "（功能分类3、5、7位，经济分类3、5位）")
    if problems:
        raise DefaultsError("\n".join(p.format() for p in problems))
    bureau = sections.get("finance_bureau")
    return Defaults(unit, bureau.value.strip() if isinstance(bureau, ScalarNode) and not _null(bureau) else "",
                    display, catalogue, path_text, path.read_bytes())


def _null(node) -> bool:
    return isinstance(node, ScalarNode) and node.tag == "tag:yaml.org,2002:null"


def _plain_mapping(file: str, node, name: str) -> dict[str, Any]:
    """A flat mapping of scalars (display settings, catalogue names) as Python values."""
    if node is None or _null(node):
        return {}
    if not isinstance(node, MappingNode):
        raise DefaultsError(f"{file}:{line_of(node)}: {name} 应当是“名称: 值”的映射")
    import yaml

    result: dict[str, Any] = {}
    for key, value in node.value:
        if not isinstance(value, ScalarNode):
            raise DefaultsError(f"{file}:{line_of(value)}: {name} 中的 {key.value} 应当是一个值")
        result[str(key.value)] = yaml.SafeLoader("").construct_object(value) if value.tag != "tag:yaml.org,2002:str" \
            else value.value
    return result
