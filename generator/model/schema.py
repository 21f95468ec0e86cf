"""The JSON Schema (draft 2020-12) of a unit file, generated from :mod:`generator.model`.

Nothing here lists fields: the schema is a walk over the dataclasses from
:class:`~generator.model.UnitData`, each field translated by its
``metadata["kind"]`` the way :mod:`generator.load` reads it.  The schema is for
editors (completion, hover help in Chinese, red underlines while typing); the
loader stays the judge: it accepts a few forms a schema cannot describe
(``1,234.56`` and a dash are strings to the schema) and refuses a few a schema
lets through (``12.3万`` is a string too).

Regenerate the committed copy with::

    python -m generator.model.schema > docs/unit.schema.json
"""

from __future__ import annotations

import json
import sys
import typing
from dataclasses import fields, is_dataclass
from typing import Any

from .. import model
from ..load.loader import MAX_AMOUNT

SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"

FUNCTIONAL_CODE, ECONOMIC_CODE, _CODE_PATTERNS = model.FUNCTIONAL_CODE, model.ECONOMIC_CODE, model.CODE_PATTERNS

MAX_COUNT = 999_999_999
"""The loader refuses a count of more than 9 digits."""

_COUNT_TEXT = r"^\s*[0-9０-９]+\s*$"
"""A count written as text: the loader reads "12" and full-width "１２" as 12."""

_YEAR_TEXT = r"^\s*20\d\d\s*$"


def _amount() -> dict:
    """An amount: a number ≥ 0, a pasted text form (1,234.56, ——, full-width) or blank."""
    return {"anyOf": [
        {"type": "number", "minimum": 0, "exclusiveMaximum": int(MAX_AMOUNT)},
        {"type": "string"},
        {"type": "null"},
    ]}


def _count() -> dict:
    return {"anyOf": [
        {"type": "integer", "minimum": 0, "maximum": MAX_COUNT},
        {"type": "string", "pattern": _COUNT_TEXT},
        {"type": "null"},
    ]}


def _year() -> dict:
    return {"anyOf": [
        {"type": "integer", "minimum": 2000, "maximum": 2099},
        {"type": "string", "pattern": _YEAR_TEXT},
    ]}


_DATE_TEXT = r"^\s*[0-9０-９]{4}\s*([-/.．／－]|年)\s*[0-9０-９]{1,2}\s*([-/.．／－]|月)\s*[0-9０-９]{1,2}\s*日?\s*$"
"""A date as accountants write it: 2025-06-30, 2025-6-30, 2025/06/30, 2025.06.30, 2025年6月30日."""


def _date() -> dict:
    return {"anyOf": [{"type": "string", "pattern": _DATE_TEXT}, {"type": "null"}]}


def _text() -> dict:
    # The loader takes any scalar's text: an unquoted 430102 or 2025-06-30 is text too.
    return {"type": ["string", "number", "null"]}


def _functional_code() -> dict:
    return {"anyOf": [
        {"type": "string", "pattern": FUNCTIONAL_CODE},
        {"type": "integer", "anyOf": [
            {"minimum": 200, "maximum": 299},
            {"minimum": 20000, "maximum": 29999},
            {"minimum": 2000000, "maximum": 2999999},
        ]},
    ]}


def _requires_something(cls: type) -> bool:
    return any(f.metadata.get("required") for f in fields(cls))


def record_schema(cls: type, *, nullable: bool = False) -> dict:
    """The object schema of a record: one property per field, in model order."""
    hints = model.hints(cls)
    properties = {f.name: field_schema(f, hints[f.name]) for f in fields(cls)}
    schema: dict[str, Any] = {"type": ["object", "null"] if nullable else "object"}
    doc = (cls.__doc__ or "").strip()
    if doc and not doc.startswith(f"{cls.__name__}("):  # not the dataclass's generated signature
        schema["title"] = doc.rstrip(".")
    schema["properties"] = properties
    schema["additionalProperties"] = False
    required = [f.name for f in fields(cls) if f.metadata.get("required")]
    if required:
        schema["required"] = required
    return schema


def _map_value(value_type: type) -> dict:
    """A code map's value: the record, or just its amount when the record has one.

    The loader reads a scalar as ``{amount: scalar}`` for records with an
    ``amount`` field ("30101: 130.03"); a blank value is the record's defaults.
    """
    shape = "{" + ", ".join(f"{g.name}: …" for g in fields(value_type)) + "}"
    if "amount" in {g.name for g in fields(value_type)}:
        return {"description": f"直接写金额，或写成 {shape}", "anyOf": [_amount(), record_schema(value_type)]}
    return {"description": f"写成 {shape}", **record_schema(value_type, nullable=True)}


def _value_schema(f, typ: Any) -> dict:
    """The schema of a field's value, by its kind (without the description)."""
    kind = f.metadata.get("kind")
    required = bool(f.metadata.get("required"))
    if kind == "record":
        # A blank record (``procurement:``) is read as all defaults; it is a
        # mistake only where the record has required fields of its own.
        args = [a for a in typing.get_args(typ) if a is not type(None)]
        if args and type(None) in typing.get_args(typ):   # an optional section (X | None)
            return record_schema(args[0], nullable=True)
        return record_schema(typ, nullable=not required and not _requires_something(typ))
    if kind == "list":
        (item,) = typing.get_args(typ)[:1]
        return {"type": "array" if required else ["array", "null"], "items": record_schema(item)}
    if kind == "map":
        return {
            "type": ["object", "null"],
            "propertyNames": {"pattern": _CODE_PATTERNS[f.metadata["key"]]},
            "additionalProperties": _map_value(typing.get_args(typ)[1]),
        }
    if kind == "textmap":
        return {"type": ["object", "null"], "additionalProperties": _text()}
    if kind == "amountmap":
        return {"type": ["object", "null"], "additionalProperties": _amount()}
    if kind == "strings":
        return {"type": ["array", "null"], "items": _text()}
    if kind == "amount":
        return _amount()
    if kind == "count":
        return _count()
    if kind == "year":
        return _year()
    if kind == "date":
        return _date()
    if kind == "choice":
        return {"enum": list(f.metadata["options"]), "default": f.default}
    if kind == "code":
        return _functional_code()
    if kind == "text":
        return _text()
    raise ValueError(f"field {f.name!r}: unknown kind {kind!r}")


def field_schema(f, typ: Any) -> dict:
    """A field's schema: its Chinese description first, then its value schema."""
    doc = f.metadata.get("doc", "")
    feeds = f.metadata.get("feeds", "")
    description = f"{doc}（用于：{feeds}）" if feeds else doc
    return {"description": description, **_value_schema(f, typ)}


def json_schema() -> dict:
    """The JSON Schema of a unit file (one unit, one year)."""
    assert is_dataclass(model.UnitData)
    root = record_schema(model.UnitData)
    root.pop("title", None)
    # A file is either a whole 决算 (its required sections) or 绩效-only (unit + evaluation).
    required = root.pop("required")
    root["anyOf"] = [{"required": required}, {"required": ["unit", "evaluation"]}]
    return {
        "$schema": SCHEMA_DIALECT,
        "title": "部门决算公开：单位数据文件",
        "description": (
            "一个单位一个年度的决算数据（一个YAML文件）。由 generator/model/__init__.py 生成："
            "python -m generator.model.schema > docs/unit.schema.json；说明见 docs/data-format.md。"
        ),
        **root,
    }


def render() -> str:
    """The schema as the committed file's text: UTF-8 JSON, indent 2, trailing newline."""
    return json.dumps(json_schema(), ensure_ascii=False, indent=2) + "\n"


def main() -> int:
    sys.stdout.buffer.write(render().encode("utf-8"))
    sys.stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
