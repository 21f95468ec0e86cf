"""Loading: YAML node tree → :class:`~generator.model.UnitData`, issues with file:line.

The loader is driven by the dataclasses of :mod:`generator.model`: each field's
``metadata["kind"]`` says how its YAML value is read.  Every problem becomes an
:class:`~generator.issues.Issue` naming the file, the line and the field path;
all of them are collected in one run.  Amounts are built as ``Decimal`` from the
scalar's text, never through ``float``.
"""

from __future__ import annotations

import datetime
import difflib
import re
import typing
import unicodedata
from dataclasses import MISSING, dataclass, field, fields
from decimal import Decimal
from pathlib import Path
from typing import Any

from yaml.error import Mark
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from .. import model
from ..model.catalogue import Names, unit_names
from .county import Defaults
from ..issues import Issue, Severity
from ..money import ZERO, parse_decimal
from .yamlread import FULL_WIDTH_COLON, FULL_WIDTH_INDENT, Document, line_of, read_file, read_text

MAX_AMOUNT = Decimal("1e12")
"""No unit's figure reaches a trillion in either unit: larger is a typing error."""

_NULL = "tag:yaml.org,2002:null"
_FUNCTIONAL_CODE = re.compile(model.FUNCTIONAL_CODE)
_ECONOMIC_CODE = re.compile(model.ECONOMIC_CODE)


@dataclass
class Loaded:
    """A loaded unit: the data, where each field was written, and the issues."""

    file: str
    data: model.UnitData | None
    lines: dict[str, int]
    issues: list[Issue]
    accounts: bool = True
    """False for a file that carries only ``unit`` and ``evaluation`` (绩效 documents only)."""
    catalogue: dict[str, str] = field(default_factory=dict)
    """Names of codes the county gives (``catalogue:`` in ``_defaults.yaml``)."""

    @property
    def names(self) -> Names:
        """Every code's name for this unit: its file's own, the county's, the built-in catalogue's."""
        return unit_names(self.data, self.catalogue)

    def line(self, path: str) -> int | None:
        """The line of ``path``, or of its nearest written ancestor."""
        while path:
            if path in self.lines:
                return self.lines[path]
            cut = max(path.rfind("."), path.rfind("["))
            path = path[:cut] if cut > 0 else ""
        return None


def load_file(path: Path, display_name: str | None = None, defaults: Defaults | None = None) -> Loaded:
    """Load a unit file; raises :class:`~generator.issues.UnusableInput` for exit 2.

    ``defaults`` (a county's ``_defaults.yaml``) gives the values of unit fields
    the file does not write, and names of codes.
    """
    return load_document(read_file(path, display_name), defaults)


def load_bytes(file: str, data: bytes, defaults: Defaults | None = None) -> Loaded:
    return load_document(read_text(file, data), defaults)


def load_document(doc: Document, defaults: Defaults | None = None) -> Loaded:
    builder = _Builder(doc.file, list(doc.issues))
    builder.defaults = defaults.fields if defaults is not None else {}
    builder.places = _amount_places(doc.root)
    keys = {key.value for key, _ in doc.root.value if isinstance(key, ScalarNode)}
    accounts = not ("evaluation" in keys and not keys & ACCOUNT_SECTIONS)
    if not accounts or "consolidate" in keys:  # 绩效-only, or figures from the units' files
        builder.optional = ACCOUNT_SECTIONS
    data = builder.record(model.UnitData, doc.root, "")
    return Loaded(doc.file, data, builder.lines, builder.issues, accounts,
                  dict(defaults.catalogue) if defaults is not None else {})


def read_unit_fields(file: str, node: MappingNode, names: tuple[str, ...]) -> tuple[dict[str, str], list[Issue]]:
    """Some fields of ``unit:`` (a county's defaults), checked as in a unit file, as normalised texts."""
    builder = _Builder(file, [])
    by_name = {f.name: f for f in fields(model.Unit)}
    hints = model.hints(model.Unit)
    values: dict[str, str] = {}
    for key, value in node.value:
        name = key.value if isinstance(key, ScalarNode) else None
        if name in names and not _is_null(value):
            read = builder.value(by_name[name], hints[name], value, f"unit.{name}")
            if read not in ("", 0):
                values[name] = str(read)
    return values, builder.issues


ACCOUNT_SECTIONS = frozenset({
    "overview", "functional", "totals", "balances", "basic_items", "economic_groups", "three_public",
    "last_year", "initial_budget", "reasons", "running_cost", "general_expenses", "procurement", "assets",
    "performance",
})
"""The 决算 sections: a file with none of them (and an ``evaluation``) is 绩效-only."""


def _amount_places(root: MappingNode) -> int:
    """Decimals an amount may carry: 2 in 元, 6 in 万元 (a cent expressed in 万元)."""
    for key, value in root.value:
        if key.value == "unit" and isinstance(value, MappingNode):
            for k, v in value.value:
                if k.value == "amount_unit" and isinstance(v, ScalarNode) and v.value.strip() == "元":
                    return 2
    return 6


# ------------------------------------------------------------------ numbers

_GROUPED = re.compile(r"^[+-]?\d{1,3}(,\d{3})+(\.\d+)?$")
_ZERO_MARKS = {"—", "-", "－", "——", "/", "——"}


def _halfwidth(text: str) -> str:
    """Full-width forms (１２３．４５, ，, the ideographic space) as their half-width selves.

    Only those: NFKC on the whole text would also read ① as 1 and 2² as 22.
    """
    return "".join(unicodedata.normalize("NFKC", c) if "\uff00" <= c <= "\uffef" or c == "\u3000" else c
                   for c in text)


def read_amount(raw: str) -> tuple[Decimal | None, str | None]:
    """The amount a scalar text means, or an explanation of how to write it.

    Decided case by case (docs/data-format.md lists them): full-width digits and
    thousands separators are read as the number they clearly mean; a dash means
    0 as in the printed tables; units (万, 元) and other text are refused.
    """
    text = _halfwidth(raw).strip().replace("\u3000", "")
    if text in _ZERO_MARKS:
        return ZERO, None
    if _GROUPED.match(text):
        text = text.replace(",", "")
    lowered = text.lower()
    if lowered in {".nan", "nan", ".inf", "inf", "+.inf", "-.inf", "-inf", "infinity"}:
        return None, "不是有限的数（NaN或无穷大），请写普通数字"
    value = parse_decimal(text)
    if value is not None:
        return value, None
    if re.match(r"^[+-]?[\d.,]+\s*(万元|万|元|亿元|亿)$", text):
        return None, "金额中不要写单位，按文件的金额单位（unit.amount_unit）只写数字，如 12.3"
    if "%" in text:
        return None, "这里应写金额，不是百分比"
    return None, "应当是数字（如 1234.56），不能含有文字"


_DATE = re.compile(r"^(\d{4})\s*(?:[-/.]|年)\s*(\d{1,2})\s*(?:[-/.]|月)\s*(\d{1,2})\s*日?$")


def read_date(raw: str) -> tuple[datetime.date | None, str]:
    """The date a text means (2025-06-30, 2025-6-30, 2025/06/30, 2025.06.30, 2025年6月30日),
    or why it is not one."""
    text = _halfwidth(raw).strip().replace("．", ".")
    match = _DATE.match(text)
    if not match:
        return None, "请写成 2025-06-30 或 2025年6月30日 这样的年、月、日"
    year, month, day = (int(g) for g in match.groups())
    if not 1 <= month <= 12:
        return None, f"月份应在1到12之间，这里是{month}月"
    try:
        return datetime.date(year, month, day), ""
    except ValueError:
        return None, f"{year}年没有{month}月{day}日这一天"


class _Builder:
    def __init__(self, file: str, issues: list[Issue]):
        self.file = file
        self.issues = issues
        self.lines: dict[str, int] = {}
        self.places = 6
        self.optional: frozenset[str] = frozenset()  # top-level sections not required here
        self.defaults: dict[str, str] = {}  # field path → value text, for fields the file leaves out

    # -------------------------------------------------------------- issues

    def issue(self, node: Node | None, path: str, code: str, message: str,
              severity: Severity = Severity.ERROR) -> None:
        line = line_of(node) if node is not None else None
        self.issues.append(Issue(self.file, line, path, code, severity, message))

    # -------------------------------------------------------------- records

    def record(self, cls: type, node: Node | None, path: str, *, shorthand: bool = False) -> Any:
        """Build record ``cls`` from a mapping node (or, in a code map, its scalar shorthand)."""
        if node is not None:
            self.lines[path] = line_of(node)
        if node is None or _is_null(node):
            return self._defaults(cls, node, path, report=node is not None)
        if shorthand and isinstance(node, ScalarNode) and "amount" in {f.name for f in fields(cls)}:
            # shorthand: "30101: 130.03" means {amount: 130.03}
            return cls(amount=self.amount(node, path, printed=False))
        if not isinstance(node, MappingNode):
            self.issue(node, path, "LOAD-TYPE", f"这里应当是“字段: 值”的映射，写成了{_describe(node)}")
            return self._defaults(cls, None, path)
        by_name = {f.name: f for f in fields(cls)}
        hints = model.hints(cls)
        values: dict[str, Any] = {}
        for key, value in node.value:
            name = key.value if isinstance(key, ScalarNode) else None
            child = _join(path, name or "?")
            if name not in by_name:
                self._unknown_field(key, child, name, by_name)
                continue
            if name in values:
                continue  # the duplicate key was reported while reading
            if not (_is_null(value) and by_name[name].metadata.get("kind") == "amount"):
                self.lines[child] = line_of(key)
            values[name] = self.value(by_name[name], hints[name], value, child)
        for f in fields(cls):
            child = _join(path, f.name)
            if f.name in values:
                continue
            if child in self.defaults:
                values[f.name] = self.value(f, hints[f.name], _default_node(self.defaults[child]), child)
                self.lines.pop(child, None)  # not written in this file: no line of its own
            else:
                values[f.name] = self.absent(f, hints[f.name], node, child, report=True)
        return cls(**values)

    def _defaults(self, cls: type, node: Node | None, path: str, *, report: bool = True) -> Any:
        hints = model.hints(cls)
        return cls(**{f.name: self.absent(f, hints[f.name], node, _join(path, f.name), report=report)
                      for f in fields(cls)})

    def absent(self, f, typ: Any, node: Node | None, path: str, *, report: bool) -> Any:
        """The value of a field the file does not write (reported when required)."""
        if report and f.metadata.get("required") and path not in self.optional:
            self.issue(node, path, "LOAD-MISSING",
                       f"缺少必填字段“{f.name}”（{f.metadata.get('doc', '')}）")
        if f.metadata.get("kind") == "record" and f.default is not None:
            return self._defaults(model.unwrap(typ), None, path, report=False)
        if f.default is not MISSING:
            return f.default
        if f.default_factory is not MISSING:
            return f.default_factory()
        return {"year": 0}.get(f.metadata.get("kind"), "")

    def _unknown_field(self, key: Node, path: str, name: str | None, by_name: dict) -> None:
        pasted = FULL_WIDTH_INDENT if (name or "").startswith("\u3000") else \
            FULL_WIDTH_COLON if "：" in (name or "") else None
        if pasted is not None:
            self.issue(key, path, "LOAD-YAML", f"“{name}”：{pasted}")
            return
        close = difflib.get_close_matches(name or "", list(by_name), n=1, cutoff=0.6)
        hint = f"；是不是“{close[0]}”？" if close else f"；这里可用的字段：{', '.join(by_name)}"
        self.issue(key, path, "LOAD-UNKNOWN-FIELD", f"不认识的字段“{name}”，它不会被使用{hint}")

    # -------------------------------------------------------------- values

    def value(self, f, typ: Any, node: Node, path: str) -> Any:
        kind = f.metadata.get("kind")
        if isinstance(node, ScalarNode) and node.value.strip() == PLACEHOLDER:
            self.issue(node, path, "UNFILLED", f"未填写：请把“{PLACEHOLDER}”换成{_WHAT.get(kind, '实际的内容')}")
            return self.absent(f, typ, None, path, report=False)
        if kind == "record":
            if f.default is None and _is_null(node):
                return None
            return self.record(model.unwrap(typ), node, path)
        if kind == "list":
            return self.list(typing.get_args(typ)[0], node, path)
        if kind == "map":
            return self.code_map(f, typing.get_args(typ)[1], node, path)
        if kind == "textmap":
            return self.text_map(node, path)
        if kind == "amountmap":
            return self.amount_map(node, path)
        if kind == "strings":
            return self.strings(node, path)
        blank_is_none = bool(f.metadata.get("printed") or f.metadata.get("optional"))
        if kind == "amount":
            return self.amount(node, path, printed=blank_is_none)
        if kind == "count":
            return self.count(node, path, printed=blank_is_none)
        if kind == "year":
            return self.year(node, path)
        if kind == "date":
            return self.date(node, path)
        if kind == "choice":
            return self.choice(f, node, path)
        if kind == "code":
            return self.functional_code(node, path)
        return self.text(node, path)

    def scalar(self, node: Node, path: str, what: str) -> ScalarNode | None:
        if isinstance(node, ScalarNode):
            return node
        self.issue(node, path, "LOAD-TYPE", f"这里应当是{what}，写成了{_describe(node)}")
        return None

    def amount(self, node: Node, path: str, *, printed: bool) -> Decimal | None:
        empty = None if printed else ZERO
        if _is_null(node):
            return empty  # a blank figure is not "written": nothing is cross-checked against it
        self.lines[path] = line_of(node)
        scalar = self.scalar(node, path, "金额（数字）")
        if scalar is None:
            return empty
        if scalar.tag == "tag:yaml.org,2002:bool":
            self.issue(node, path, "LOAD-TYPE", f"应当是金额（数字），写成了“{scalar.value}”")
            return empty
        value, problem = read_amount(scalar.value)
        if value is None:
            self.issue(node, path, "LOAD-NUMBER", f"“{scalar.value}”不是金额：{problem}")
            return empty
        if value < 0:
            self.issue(node, path, "LOAD-NEGATIVE", f"金额 {scalar.value} 是负数；这里只能填0或正数")
            return empty
        if value >= MAX_AMOUNT:
            self.issue(node, path, "LOAD-TOO-LARGE", f"金额 {scalar.value} 大得不合理（上限 10^12），请检查是否多打了位数")
            return empty
        places = _places(value)
        if places > self.places:
            unit = "元" if self.places == 2 else "万元"
            self.issue(node, path, "LOAD-PRECISION",
                       f"金额 {scalar.value} 有{places}位小数；金额单位为{unit}时最多{self.places}位")
            return empty
        return value

    def count(self, node: Node, path: str, *, printed: bool = False) -> int | None:
        self.lines[path] = line_of(node)
        empty = None if printed else 0
        if _is_null(node):
            return empty
        scalar = self.scalar(node, path, "整数")
        if scalar is None:
            return empty
        text = _halfwidth(scalar.value).strip()
        if scalar.tag == "tag:yaml.org,2002:bool" or not re.fullmatch(r"\d+", text):
            self.issue(node, path, "LOAD-TYPE", f"应当是0或正整数（人数、个数等），写成了“{scalar.value}”")
            return empty
        if len(text) > 9:
            self.issue(node, path, "LOAD-TOO-LARGE", f"数量 {text} 大得不合理，请检查")
            return empty
        return int(text)

    def year(self, node: Node, path: str) -> int:
        scalar = self.scalar(node, path, "年度（如 2024）")
        text = _halfwidth(scalar.value).strip() if scalar else ""
        if not re.fullmatch(r"20\d\d", text):
            if scalar is not None:
                self.issue(node, path, "LOAD-TYPE", f"年度应当是四位数字，如 2024，写成了“{scalar.value}”")
            return 0
        return int(text)

    def date(self, node: Node, path: str) -> str:
        """A date as written (年月日, -, /, .; unpadded), as ISO ``YYYY-MM-DD``; an impossible one is refused."""
        if _is_null(node):
            return ""
        scalar = self.scalar(node, path, "日期（如 2025-06-30）")
        if scalar is None:
            return ""
        day, problem = read_date(scalar.value)
        if day is None:
            self.issue(node, path, "LOAD-DATE", f"“{scalar.value}”不是有效的日期：{problem}")
            return ""
        return day.isoformat()

    def choice(self, f, node: Node, path: str) -> str:
        scalar = self.scalar(node, path, "文字")
        options = f.metadata["options"]
        if scalar is None:
            return f.default
        if scalar.value.strip() not in options:
            self.issue(node, path, "LOAD-CHOICE",
                       f"“{scalar.value}”不是可选值；可选：{'、'.join(options)}")
            return f.default
        return scalar.value.strip()

    def text(self, node: Node, path: str) -> str:
        if _is_null(node):
            return ""
        scalar = self.scalar(node, path, "文字")
        return scalar.value if scalar is not None else ""

    def functional_code(self, node: Node, path: str) -> str:
        scalar = self.scalar(node, path, "科目编码")
        if scalar is None:
            return ""
        code = _halfwidth(scalar.value).strip()
        if not _FUNCTIONAL_CODE.match(code):
            self.issue(node, path, "LOAD-CODE",
                       f"“{scalar.value}”不是支出功能分类科目编码：应为以2开头的3位（类）、5位（款）或7位（项）数字")
            return ""
        return code

    def list(self, item: type, node: Node, path: str) -> tuple:
        if _is_null(node):
            return ()
        if not isinstance(node, SequenceNode):
            self.issue(node, path, "LOAD-TYPE", f"这里应当是列表（每项以“- ”开头），写成了{_describe(node)}")
            return ()
        return tuple(self.record(item, child, f"{path}[{i}]") for i, child in enumerate(node.value))

    def code_map(self, f, value_type: type, node: Node, path: str) -> dict:
        if _is_null(node):
            return {}
        if not isinstance(node, MappingNode):
            self.issue(node, path, "LOAD-TYPE", f"这里应当是“编码: 金额”的映射，写成了{_describe(node)}")
            return {}
        pattern, what = {
            "economic": (_ECONOMIC_CODE, "经济分类科目编码：应为以3开头的3位（类）或5位（款）数字"),
            "functional": (_FUNCTIONAL_CODE, "支出功能分类科目编码：应为以2开头的3、5或7位数字"),
        }[f.metadata["key"]]
        result: dict = {}
        written: dict[str, str] = {}  # code → the key as written first
        for key, value in node.value:
            code = _halfwidth(str(key.value)).strip() if isinstance(key, ScalarNode) else ""
            child = f"{path}.{code or '?'}"
            if not pattern.match(code):
                self.issue(key, child, "LOAD-CODE", f"“{code}”不是{what}")
                continue
            if code in result:
                if key.value != written[code]:  # the very same key was reported while reading
                    self.issue(key, child, "LOAD-DUPLICATE-KEY",
                               f"编码“{key.value}”与第{self.lines[child]}行的“{written[code]}”是同一个编码{code}；"
                               "这里的值不会被使用，请删去多余的一个或改正编码")
                continue
            written[code] = key.value
            self.lines[child] = line_of(key)
            result[code] = self.record(value_type, value, child, shorthand=True)
        return result

    def text_map(self, node: Node, path: str) -> dict[str, str]:
        return self._named_map(node, path, "文字", lambda value, child: self.text(value, child))

    def amount_map(self, node: Node, path: str) -> dict[str, Decimal]:
        return self._named_map(node, path, "金额", lambda value, child: self.amount(value, child, printed=True))

    def _named_map(self, node: Node, path: str, what: str, read) -> dict:
        """A mapping from free names (terms, project names, codes in ``names``) to values."""
        if _is_null(node):
            return {}
        if not isinstance(node, MappingNode):
            self.issue(node, path, "LOAD-TYPE", f"这里应当是“名称: {what}”的映射，写成了{_describe(node)}")
            return {}
        result = {}
        for key, value in node.value:
            name = str(key.value).strip() if isinstance(key, ScalarNode) else ""
            child = f"{path}.{name}"
            self.lines[child] = line_of(key)
            item = read(value, child)
            if name and name not in result and item is not None:
                result[name] = item
        return result

    def strings(self, node: Node, path: str) -> tuple[str, ...]:
        if _is_null(node):
            return ()
        if not isinstance(node, SequenceNode):
            self.issue(node, path, "LOAD-TYPE", f"这里应当是列表（每项以“- ”开头），写成了{_describe(node)}")
            return ()
        return tuple(self.text(child, f"{path}[{i}]") for i, child in enumerate(node.value))


def _places(value: Decimal) -> int:
    """Decimals that matter: 1.2300000 has 2.

    Counted on the digits as written: ``Decimal.normalize`` would first round
    to the context's 28 digits and let 60.000…0001 (29 digits) pass as 60.
    """
    _, digits, exponent = value.as_tuple()
    zeros = len(digits) - len("".join(map(str, digits)).rstrip("0"))
    return max(0, -(exponent + zeros)) if any(digits) else 0


PLACEHOLDER = "待填写"
"""What ``juesuan new`` writes where the accountant must answer (generator/model/skeleton.py)."""

_WHAT = {"amount": "金额（没有就写0）", "count": "人数、个数（没有就写0）", "text": "文字", "code": "科目编码",
         "choice": "可选值之一", "date": "日期", "year": "年度"}

_NOWHERE = Mark("defaults", 0, -1, 0, None, None)  # line_of() gives 0: no line in the unit's file


def _default_node(text: str) -> ScalarNode:
    """A value given by the county defaults, read like one written in the file."""
    return ScalarNode("tag:yaml.org,2002:str", text, _NOWHERE, _NOWHERE)


def _join(path: str, name: str) -> str:
    return f"{path}.{name}" if path else name


def _is_null(node: Node) -> bool:
    return isinstance(node, ScalarNode) and node.tag == _NULL


def _describe(node: Node) -> str:
    if isinstance(node, MappingNode):
        return "映射"
    if isinstance(node, SequenceNode):
        return "列表"
    return f"“{node.value}”"
