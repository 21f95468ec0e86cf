"""``juesuan new``: a complete unit file for an accountant to fill in.

Written from the dataclasses of :mod:`generator.model`, so it always has
every field of the format: zero where a figure is unknown, an empty text
where a text is, and a Chinese comment on each line saying what it is and
which table it feeds.  As written, it passes ``check`` (with the compliance
warnings a blank file deserves).
"""

from __future__ import annotations

import json
import typing
from dataclasses import fields
from typing import Any

from . import model

_EXAMPLE_ROW_CODE = "2080101"  # 行政运行: a real 项 so the row passes check while all zero
_SKIPPED_AT_TOP = {"evaluation"}  # written as a commented block: zero weights would not pass check


def _hints(cls: type) -> dict[str, Any]:
    return typing.get_type_hints(cls, vars(model))


def _unwrap(typ: Any) -> Any:
    args = [a for a in typing.get_args(typ) if a is not type(None)]
    return args[0] if args and type(None) in typing.get_args(typ) else typ


def _comment(f) -> str:
    doc = f.metadata.get("doc", "")
    feeds = f.metadata.get("feeds", "")
    return f"{doc}（用于：{feeds}）" if feeds else doc


def _scalar(f, name: str, code: str, year: int) -> str:
    kind = f.metadata.get("kind")
    if f.name == "name" and kind == "text" and name:
        return json.dumps(name, ensure_ascii=False)
    if f.name == "code" and kind == "text" and code:
        return json.dumps(code, ensure_ascii=False)
    if kind == "year":
        return str(year)
    if kind == "amount":
        return "0"
    if kind == "count":
        return "0"
    if kind == "choice":
        return json.dumps(f.default, ensure_ascii=False)
    if kind == "code":
        return f'"{_EXAMPLE_ROW_CODE}"'
    return '""'


def _record(cls: type, indent: int, out: list[str], name: str, code: str, year: int, *, top: bool = False) -> None:
    pad = "  " * indent
    hints = _hints(cls)
    for f in fields(cls):
        comment = _comment(f)
        kind = f.metadata.get("kind")
        typ = hints[f.name]
        if top and f.name in _SKIPPED_AT_TOP:
            out.append(f"{pad}# {f.name}:  # {comment}")
            out.append(f"{pad}#   见 docs/data-format.md 的“绩效自评数据”一节；有绩效自评表时取消注释并填写。")
            continue
        if kind == "record":
            out.append(f"{pad}{f.name}:  # {comment}")
            sub: list[str] = []
            passed = (name, code) if f.name == "unit" else ("", "")
            _record(_unwrap(typ), indent + 1, sub, *passed, year)
            if f.name == "totals":  # printed figures: blank, so nothing is cross-checked until copied
                sub = [_blank(line) for line in sub]
            out.extend(sub)
        elif kind == "list":
            item = typing.get_args(typ)[0]
            out.append(f"{pad}{f.name}:  # {comment}")
            out.append(f"{pad}  -  # 每一项一行；可按需要复制多项")
            body: list[str] = []
            _record(item, 0, body, "", "", year)
            out.extend(f"{pad}    {line}" for line in body)
        elif kind in ("map", "textmap", "amountmap"):
            out.append(f"{pad}{f.name}: {{}}  # {comment}")
        elif kind == "strings":
            out.append(f"{pad}{f.name}: []  # {comment}")
        elif f.metadata.get("printed") and kind == "amount":
            out.append(f"{pad}{f.name}:  # {comment}（不填则不核对）")
        else:
            out.append(f"{pad}{f.name}: {_scalar(f, name, code, year)}  # {comment}")


def _blank(line: str) -> str:
    head, sep, comment = line.partition("  # ")
    if head.rstrip().endswith(": 0"):
        head = head.rstrip()[:-2]
        comment += "（打印数，不填则不核对）"
    return f"{head}{sep}{comment}"


def skeleton(name: str, code: str, year: int) -> str:
    """The YAML text of a new unit file."""
    out = [
        "# yaml-language-server: $schema=../docs/unit.schema.json",
        f"# {name} {year}年度部门决算数据。由 juesuan new 生成：每个字段都已列出，未知的数字为0、文字为空。",
        "# 填写说明见 docs/data-format.md；填好后运行 juesuan check 本文件 核对。",
    ]
    _record(model.UnitData, 0, out, name, code, year, top=True)
    return "\n".join(out) + "\n"
