"""Writing a unit file: sections in the data format's order, each line with its Chinese comment.

The figures from the workbook are written as a hand-written file writes them — the
项 rows' data, the printed 类/款/合计 rows marked 核对用 — each block followed by the
cells it was read from (``# 公开02表!E12、F12``).  What no table holds comes from last
year's file or document (:class:`~generator.importer.lastyear.Carried`), marked
``沿用上年``; without one, the fields ``juesuan new`` asks for are written ``待填写``
and ``check`` reports each as 未填写.  Everything else is driven by the dataclasses of
:mod:`generator.model` (field order, kinds, descriptions), so a new field of the
format is carried over without code here.
"""

from __future__ import annotations

import json
import re
import typing
from dataclasses import MISSING, fields
from decimal import Decimal
from typing import Any

from .. import model
from ..load.loader import PLACEHOLDER
from ..model import catalogue
from ..model.skeleton import ASKED
from .assemble import DATA_FIELDS, PRINTED_FIELDS, Imported, Value
from .cells import money_text, norm

COMMENT_COLUMN = 40

#: The sections (and fields) the workbook fills; everything else comes from last year or is asked.
TABLE_SECTIONS = frozenset({"functional", "totals", "balances", "basic_items"})
TABLE_FIELDS = frozenset({"three_public.budget", "three_public.actual"})
#: Written from last year's figures (comparisons), never carried as last year wrote them.
COMPARISON_FIELDS = frozenset({"last_year", "three_public.last_year", "running_cost.last_year"})
#: Never carried: this year's own, or another document's.
NOT_CARRIED = frozenset({"evaluation", "consolidate", "carried_over", "running_cost.amount", "unit"})

_LEVEL = {3: "类", 5: "款", 7: "项"}


def _doc(f) -> str:
    """A field's comment: its description up to the first clause, without examples."""
    doc = f.metadata.get("doc", "")
    doc = re.split(r"[；;]|，如", doc)[0]
    if doc.count("（") > doc.count("）"):
        doc = doc[:doc.rindex("（")]
    return doc.strip() or f.name


class Lines:
    """The file's lines, each with an optional comment aligned at one column."""

    def __init__(self) -> None:
        self.out: list[str] = []

    def add(self, indent: int, text: str, comment: str = "") -> None:
        line = "  " * indent + text
        if comment:
            line = line.ljust(max(COMMENT_COLUMN, len(line) + 2)) + "# " + comment
        self.out.append(line)

    def raw(self, text: str) -> None:
        self.out.append(text)

    def text(self) -> str:
        return "\n".join(self.out) + "\n"


# ------------------------------------------------------------------ scalars

_PLAIN_UNSAFE = re.compile(r"^[-?:,\[\]{}#&*!|>'\"%@`\s]|[\s]$|: |:$| #|[\x00-\x1f\x7f\u2028\u2029\ufeff]")
_FLOW_UNSAFE = re.compile(r"[,\[\]{}]")
_LOOKS_TYPED = re.compile(r"^(?:[-+]?[\d.,_]+(?:e[-+]?\d+)?|0x[\da-f]+|0o[0-7]+|~|null|true|false|yes|no|on|off|y|n|"
                          r"\.inf|\.nan|[-+]?\.inf|\d{4}-\d\d?-\d\d?.*)$", re.I)


def quote(text: str, *, flow: bool = False) -> str:
    """A text as a YAML scalar: plain when that reads back as the same text, else double-quoted."""
    if (text and text != PLACEHOLDER and not _PLAIN_UNSAFE.search(text) and not _LOOKS_TYPED.match(text)
            and not (flow and _FLOW_UNSAFE.search(text)) and "\n" not in text):
        return text
    return json.dumps(text, ensure_ascii=False)


def scalar(value: Any, *, flow: bool = False) -> str:
    if isinstance(value, Decimal):
        return money_text(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, Asked):
        return PLACEHOLDER
    return quote(str(value), flow=flow)


class Asked:
    """A placeholder: 待填写, with why it is asked."""

    def __init__(self, note: str = ""):
        self.note = note


def value_text(value: Value) -> str:
    return PLACEHOLDER if value.amount is None else money_text(value.amount)


def refs_text(refs: list[str]) -> str:
    """``公开02表!E12、F12；公开01表!C7``: cells grouped by sheet (sheets in the order first met),
    each sheet's cells in reading order."""
    groups: dict[str, list[str]] = {}
    for ref in refs:
        sheet, _, cell = ref.rpartition("!")
        cells = groups.setdefault(sheet, [])
        if cell not in cells:
            cells.append(cell)

    def reading(cell: str) -> tuple[int, int, str]:
        match = re.match(r"([A-Z]+)(\d+)", cell)
        return (int(match.group(2)), len(match.group(1)), match.group(1)) if match else (0, 0, cell)

    return "；".join(f"{sheet}!{'、'.join(sorted(cells, key=reading))}" for sheet, cells in groups.items())


def flow(values: dict[str, Value]) -> tuple[str, list[str], list[str]]:
    """``{general: 573.66, fiscal: 573.66}``, the cells it came from, and the notes of placeholders."""
    body = ", ".join(f"{k}: {value_text(v)}" for k, v in values.items())
    refs = [r for v in values.values() for r in v.refs]
    notes = [v.note for v in values.values() if v.amount is None and v.note]
    return "{" + body + "}", refs, notes


# ------------------------------------------------------------------ the file


class Writer:
    """Writes one unit file from the placed figures and what last year supplies."""

    def __init__(self, imported: Imported, head: dict[str, Any], carried=None, source_name: str = ""):
        self.imp = imported
        self.head = head                 # unit fields: name, code, year, department, profile …
        self.carried = carried           # a Carried, or None
        self.source_name = source_name
        self.lines = Lines()
        self.marked: dict[str, str] = {}  # field path → the text written (for carried_over)
        self.asked_counts = _counts_asked(imported) if carried is None else frozenset()

    # -------------------------------------------------------------- entry

    def write(self, schema: str) -> str:
        L = self.lines
        year = self.head.get("year")
        L.raw(f"# yaml-language-server: $schema={schema}")
        L.raw(f"# {self.head.get('name') or '本单位'} {year}年度部门决算数据。由 juesuan import 从工作簿"
              f"“{self.source_name}”导入。")
        L.raw("# 数字后的注释是它在工作簿中的位置（工作表!单元格）。3位“类”、5位“款”行、合计行和06表的类级数字")
        L.raw("# 是表上的打印数，只用于核对；其余数字每个只写一次。")
        if self.imp.converted_from:
            L.raw(f"# 工作簿的金额单位为{self.imp.converted_from}，本文件按{self.imp.amount_unit}填写（精确换算）。")
        if self.carried is not None:
            L.raw(f"# 工作簿中没有的内容沿用上年（{self.carried.source}）：文字列在文末 carried_over 中，"
                  "check 提示“沿用上年，请核对”，")
            L.raw("# 核对或改写后删去 carried_over 中的那一行；沿用的数字行末注有“沿用上年”，请按本年实际改正。")
        else:
            L.raw(f"# 工作簿中没有的内容写作“{PLACEHOLDER}”：请换成实际的数字或文字（没有的写0），"
                  "check 会列出没有换掉的每一处。")
        for f in fields(model.UnitData):
            if f.metadata.get("machine"):
                continue
            name = f.name
            emitter = getattr(self, f"section_{name}", None)
            L.raw("")
            before = len(L.out)
            if emitter is not None:
                emitter(f)
            else:
                self.generic_section(f)
            if len(L.out) == before:
                L.out.pop()  # nothing written: no blank line either
        if self.marked:
            from ..check.checks import text_fingerprint

            L.raw("")
            L.add(0, "carried_over:", "沿用上年的文字：核对或改写后删去对应的一行（改写后也不再提示）")
            for path, text in self.marked.items():
                L.add(1, f"{quote(path)}: {text_fingerprint(text)}")
        return L.text()

    # -------------------------------------------------------------- unit

    def section_unit(self, f) -> None:
        L = self.lines
        L.add(0, "unit:", "单位基本信息")
        for g in fields(model.Unit):
            value = self.head.get(g.name)
            comment = _doc(g)
            if g.name == "name":
                comment += f"（{self.imp.unit_name_ref}）" if self.imp.unit_name_ref and value == self.imp.unit_name else ""
            if g.name == "amount_unit":
                comment = "金额单位：本文件所有金额都按它填写（工作簿各表的“金额单位”）"
            if g.name == "year" and self.head.get("year_note"):
                comment += f"（{self.head['year_note']}）"
            if value is None or value == "":
                if g.name in ("name", "code") or f"unit.{g.name}" in ASKED:
                    L.add(1, f"{g.name}: {PLACEHOLDER}", comment)
                continue
            if g.name in ("code", "date"):
                L.add(1, f"{g.name}: {json.dumps(str(value), ensure_ascii=False)}", comment)
            else:
                L.add(1, f"{g.name}: {scalar(value)}", comment + (self._carried_mark(f'unit.{g.name}')
                                                                  if g.name in ("department", "kind") else ""))

    def _carried_mark(self, path: str) -> str:
        if self.carried is not None and self.carried.knows(path):
            return "（沿用上年）"
        return ""

    # -------------------------------------------------------------- 功能分类 rows

    def section_functional(self, f) -> None:
        L = self.lines
        L.add(0, "functional:", "按支出功能分类科目的收支（公开02、03、05、07、08表）；7位“项”是数据，"
                                "3位“类”、5位“款”行是打印的小计（核对用）")
        for code in self.imp.rows:
            row_lines(L, self.imp, code, 1)

    # -------------------------------------------------------------- 合计 rows, balances

    def section_totals(self, f) -> None:
        L = self.lines
        parts = {}
        for section in ("income", "expenditure", "general_budget"):
            values = {path[2]: v for path, v in self.imp.figures.items() if path[:2] == ("totals", section)}
            if values:
                order = DATA_FIELDS[section] + PRINTED_FIELDS[section]
                parts[section] = {k: values[k] for k in order if k in values}
        if not parts:
            return
        L.add(0, "totals:", "各表“合计”行的打印数（核对用）")
        labels = {"income": "02表合计行；三种财政拨款收入取01、04表", "expenditure": "03表合计行",
                  "general_budget": "05表合计行"}
        for section, values in parts.items():
            body, refs, _ = flow(values)
            L.add(1, f"{section}: {body}", f"{labels[section]} {refs_text(refs)}")

    def section_balances(self, f) -> None:
        L = self.lines
        values = {path[1:]: v for path, v in self.imp.figures.items() if path[0] == "balances"}
        if not values:
            return
        L.add(0, "balances:", "结转和结余（公开01、04表）")
        for g in fields(model.Balances):
            if g.metadata.get("kind") == "record":
                sub = {p[1]: v for p, v in values.items() if len(p) == 2 and p[0] == g.name}
                if sub:
                    body, refs, notes = flow(sub)
                    L.add(1, f"{g.name}: {body}", "；".join([_doc(g) + " " + refs_text(refs)] + notes))
            elif (g.name,) in values:
                v = values[(g.name,)]
                L.add(1, f"{g.name}: {value_text(v)}", f"{_doc(g)} {refs_text(list(v.refs))}".strip()
                      + (f"；{v.note}" if v.note else ""))

    # -------------------------------------------------------------- 06

    def section_basic_items(self, f) -> None:
        L = self.lines
        L.add(0, "basic_items:", "公开06表 一般公共预算财政拨款基本支出明细（按经济分类）")
        L.add(1, "items:", "5位款级科目是数据；3位类级科目是打印的小计（核对用）")
        order = {code: i for i, (code, _) in enumerate(catalogue.ECONOMIC)}

        def position(code: str) -> tuple[int, str]:
            if code in order:
                return order[code], code
            group = [c for c in order if c.startswith(code[:3])]
            return (max(order[c] for c in group) if group else len(order)), code

        written = False
        for code in sorted(self.imp.items, key=position):
            value = self.imp.figures.get(("basic_items", "items", code))
            if value is None:
                continue
            info = self.imp.items[code]
            catalogued = catalogue.ECONOMIC_NAMES.get(code)
            name = info.name
            note = (name or catalogued or "") + ("（类，核对用）" if len(code) == 3 else "")
            if name and (catalogued is None or norm(name) != norm(catalogued)) and len(code) == 5:
                L.add(2, f"{json.dumps(code)}: {{amount: {value_text(value)}, name: {quote(name, flow=True)}}}",
                      f"{note} {refs_text(list(value.refs))}（标准目录中"
                      f"{'没有这个编码' if catalogued is None else '名为“' + catalogued + '”'}）")
            else:
                L.add(2, f"{json.dumps(code)}: {value_text(value)}", f"{note} {refs_text(list(value.refs))}")
            written = True
        if not written:
            L.out[-1] = "  items: {}".ljust(COMMENT_COLUMN) + "# 06表没有数字"
        for key, label in (("personnel_total", "人员经费合计（核对用）"), ("public_total", "公用经费合计（核对用）")):
            value = self.imp.figures.get(("basic_items", key))
            if value is not None:
                L.add(1, f"{key}: {value_text(value)}", f"{label} {refs_text(list(value.refs))}")

    # -------------------------------------------------------------- 三公

    def section_three_public(self, f) -> None:
        L = self.lines
        L.add(0, "three_public:", "财政拨款“三公”经费（公开09表、第三部分 七）")
        hints = model.hints(model.ThreePublic)
        for g in fields(model.ThreePublic):
            path = f"three_public.{g.name}"
            if path in TABLE_FIELDS or (g.name == "last_year" and
                                        any(p[:2] == ("three_public", "last_year") for p in self.imp.figures)):
                values = {p[2]: v for p, v in self.imp.figures.items() if p[:2] == ("three_public", g.name)}
                order = [h.name for h in fields(model.ThreePublicAmounts)]
                values = {k: values[k] for k in order if k in values}
                body, refs, _ = flow(values)
                L.add(1, f"{g.name}: {body}", f"{_doc(g)} {refs_text(refs)}".strip())
                continue
            if path in COMPARISON_FIELDS:
                self.comparison(g, model.unwrap(hints[g.name]), path, 1)
                continue
            self.field(g, model.unwrap(hints[g.name]), path, 1, self._carried_value(path))

    # -------------------------------------------------------------- comparisons with last year

    def comparison(self, f, typ: Any, path: str, indent: int) -> None:
        """A comparison figure: last year's 决算, from last year's figures; else asked (待填写)."""
        L = self.lines
        figures = self.carried.comparisons if self.carried is not None else {}
        source = f"取自 {self.carried.source} 的决算数" if self.carried is not None else ""
        if f.metadata.get("kind") == "record":
            children = [(g, f"{path}.{g.name}") for g in fields(typ)]
            if path == "three_public.last_year":
                written = {g.name: figures[p] for g, p in children if p in figures}
                if not written and self.carried is None:
                    written = {g.name: Asked() for g, p in sorted(children, key=lambda c: _ask_order(c[1]))
                               if p in ASKED}
                if written:
                    body = ", ".join(f"{k}: {scalar(v)}" for k, v in written.items())
                    L.add(indent, f"{f.name}: {{{body}}}", _join(_doc(f), source))
                return
            sub = Lines()
            for g, p in children:
                if p in figures:
                    value = figures[p]
                    if isinstance(value, dict):
                        body = ", ".join(f"{json.dumps(k)}: {scalar(v)}" for k, v in value.items())
                        sub.add(indent + 1, f"{g.name}: {{{body}}}", _doc(g))
                    else:
                        sub.add(indent + 1, f"{g.name}: {scalar(value)}", _doc(g))
                elif p in ASKED:
                    sub.add(indent + 1, f"{g.name}: {PLACEHOLDER}", _doc(g))
            if sub.out:
                L.add(indent, f"{f.name}:", _join(_doc(f), source))
                L.out += sub.out
            return
        if path in figures:
            L.add(indent, f"{f.name}: {scalar(figures[path])}", _join(_doc(f), source))
        elif path in ASKED:
            L.add(indent, f"{f.name}: {PLACEHOLDER}", _doc(f))

    # -------------------------------------------------------------- names

    def section_names(self, f) -> None:
        L = self.lines
        names: dict[str, tuple[str, str]] = {}
        if self.carried is not None and self.carried.knows("names"):
            for code, name in self.carried.data.names.items():
                if code in self.needed_names() or code in self.imp.rows or code in self.imp.items:
                    if not (code in self.imp.rows and self.imp.rows[code].name):
                        names[code] = (quote(name), "沿用上年")
        for code in self.needed_names():
            if code not in names:
                names[code] = (PLACEHOLDER, f"{_LEVEL[len(code)]} {code} 的名称：工作簿中没有印出这一行，"
                                            "标准目录中也没有")
        if not names:
            return
        L.add(0, "names:", "自定科目名称：“编码: 名称”")
        for code, (text, comment) in names.items():
            L.add(1, f"{json.dumps(code)}: {text}", comment)

    def needed_names(self) -> list[str]:
        """The 类 and 款 of printed 项 rows whose name neither the workbook nor the catalogue gives."""
        needed = []
        for code in self.imp.rows:
            for parent in (code[:3], code[:5]):
                if len(parent) < len(code) and parent not in self.imp.rows and parent not in catalogue.FUNCTIONAL \
                        and parent not in needed:
                    needed.append(parent)
        return needed

    # -------------------------------------------------------------- everything else

    def _carried_value(self, path: str) -> Any:
        if self.carried is None or not self.carried.knows(path):
            return MISSING
        return self.carried.value(path)

    def generic_section(self, f) -> None:
        path = f.name
        if path in NOT_CARRIED:
            return
        hints = model.hints(model.UnitData)
        self.field(f, model.unwrap(hints[f.name]), path, 0, self._carried_value(path))

    def field(self, f, typ: Any, path: str, indent: int, value: Any) -> None:
        """One field, from last year's value (``MISSING``: none) or asked as 待填写."""
        L = self.lines
        kind = f.metadata.get("kind")
        if path in NOT_CARRIED:
            return
        if path in COMPARISON_FIELDS:
            self.comparison(f, typ, path, indent)
            return
        comment = _doc(f)
        if kind == "record":
            cls = typ
            if value is None and f.default is None and not self._asks(path):
                return
            sub = self._aside()
            hints = model.hints(cls)
            for g in fields(cls):
                child_value = getattr(value, g.name) if value not in (MISSING, None) else MISSING
                if value not in (MISSING, None) and self.carried is not None and not self.carried.knows(f"{path}.{g.name}"):
                    child_value = MISSING
                sub.field(g, model.unwrap(hints[g.name]), f"{path}.{g.name}", indent + 1, child_value)
            if sub.lines.out or (f.metadata.get("required") and indent == 0):
                L.add(indent, f"{f.name}:" + ("" if sub.lines.out else " {}"), comment)
                L.out += sub.lines.out
            return
        if value is MISSING:
            if path in ASKED or path in self.asked_counts:
                L.add(indent, f"{f.name}: {PLACEHOLDER}", comment)
            elif kind == "map" and path in ("initial_budget.lines",) and self.carried is None:
                self._ask_budget_lines(f, indent)
            return
        default = f.default if f.default is not MISSING else (f.default_factory() if f.default_factory is not MISSING
                                                              else None)
        if value == default and path not in ASKED:
            return
        mark = "沿用上年" if kind in ("amount", "count") else ""
        if kind in ("amount", "count", "choice", "year"):
            text = scalar(value) if value is not None else ""
            L.add(indent, f"{f.name}:{' ' + text if text else ''}", _join(comment, mark))
        elif kind == "date":
            if value:
                L.add(indent, f"{f.name}: {json.dumps(value)}", comment)
        elif kind == "text":
            self.text_field(f.name, value, path, indent, comment)
        elif kind == "strings":
            if value:
                L.add(indent, f"{f.name}:", comment)
                for i, item in enumerate(value):
                    self.text_field("-", item, f"{path}[{i}]", indent + 1, "", item_mark=True)
        elif kind in ("textmap", "amountmap"):
            if value:
                L.add(indent, f"{f.name}:", comment)
                for key, item in value.items():
                    if kind == "amountmap":
                        L.add(indent + 1, f"{quote(str(key))}: {scalar(item)}", "沿用上年")
                    else:  # display settings are settings, not texts to review
                        self.text_field(quote(str(key)), item, f"{path}.{key}", indent + 1, "",
                                        review=path != "display")
        elif kind == "map":
            if value:
                L.add(indent, f"{f.name}:", comment)
                item_type = typing.get_args(typ)[1]
                for key, item in value.items():
                    self.map_entry(item_type, str(key), item, f"{path}.{key}", indent + 1)
        elif kind == "list":
            return  # lists of records (绩效 forms) are not carried over

    def _aside(self) -> "Writer":
        """A writer sharing this one's state but writing its own lines (kept only when not empty)."""
        sub = Writer(self.imp, self.head, self.carried, self.source_name)
        sub.marked = self.marked
        sub.asked_counts = self.asked_counts
        return sub

    def _asks(self, path: str) -> bool:
        return any(a == path or a.startswith(path + ".") for a in (*ASKED, *self.asked_counts))

    def _ask_budget_lines(self, f, indent: int) -> None:
        """Without last year's file: one 年初预算 line per 项 of 05, each asked."""
        L = self.lines
        items = [code for code in self.imp.rows if len(code) == 7 and
                 any(p[:3] == ("functional", code, "general_budget") for p in self.imp.figures)]
        L.add(indent, f"{f.name}:", _doc(f) + "；每个有年初预算的科目一行")
        for code in items:
            L.add(indent + 1, f"{json.dumps(code)}: {{amount: {PLACEHOLDER}, reason: {PLACEHOLDER}}}",
                  f"{self.imp.rows[code].name}：年初预算数、与决算数不同的原因（相同时可删去 reason）")

    def map_entry(self, item_type: type, key: str, item: Any, path: str, indent: int) -> None:
        """An entry of a code map (年初预算 lines, 基本支出分组): flow when short, block when it holds text."""
        L = self.lines
        parts = []
        texts = []
        comparisons = self.carried.comparisons if self.carried is not None else {}
        for g in fields(item_type):
            v = comparisons.get(f"{path}.{g.name}", getattr(item, g.name))
            default = g.default if g.default is not MISSING else None
            if v is None or (v == default and g.metadata.get("kind") != "amount"):
                continue
            if g.metadata.get("kind") == "text":
                texts.append((g, v))
            else:
                parts.append(f"{g.name}: {scalar(v)}")
        short = all("\n" not in v and len(v) < 60 for _, v in texts)
        if short:
            for g, v in texts:
                parts.append(f"{g.name}: {quote(v, flow=True)}")
                self.marked[f"{path}.{g.name}"] = v
            L.add(indent, f"{json.dumps(key)}: {{{', '.join(parts)}}}", "沿用上年")
            return
        L.add(indent, f"{json.dumps(key)}:", "沿用上年")
        for part in parts:
            L.add(indent + 1, part)
        for g, v in texts:
            self.text_field(g.name, v, f"{path}.{g.name}", indent + 1, "")

    def text_field(self, key: str, text: str, path: str, indent: int, comment: str, *, item_mark: bool = False,
                   review: bool = True) -> None:
        """A text as last year wrote it; remembered for carried_over (沿用上年，请核对)."""
        L = self.lines
        if not isinstance(text, str):
            return
        if text.strip() and review:
            self.marked[path] = text
        sep = " " if item_mark else ": "
        lead = f"{key}{sep}" if not item_mark else "- "
        if "\n" in text.rstrip("\n") or len(text) > 60:
            if "\n" in text and not text.startswith((" ", "\t", "\n")) and not re.search(r"[\x00-\x08\x0b-\x1f\x7f]", text):
                chomp = "" if text.endswith("\n") and not text.endswith("\n\n") else ("-" if not text.endswith("\n") else "+")
                L.add(indent, f"{lead}|{chomp}", comment)
                pad = "  " * (indent + 1)
                for line in text.split("\n")[:-1] if text.endswith("\n") else text.split("\n"):
                    L.raw(pad + line if line else "")
                return
        L.add(indent, f"{lead}{quote(text)}", comment)


def row_sections(imported: Imported, code: str) -> dict[str, dict[str, Value]]:
    """A 功能分类 row's figures by section, each in the data format's field order."""
    sections: dict[str, dict[str, Value]] = {}
    for path, value in imported.figures.items():
        if len(path) == 4 and path[0] == "functional" and path[1] == code:
            sections.setdefault(path[2], {})[path[3]] = value
    out = {}
    for section in DATA_FIELDS:
        if section in sections:
            order = DATA_FIELDS[section] + PRINTED_FIELDS[section]
            out[section] = {k: sections[section][k] for k in order if k in sections[section]}
    return out


def row_lines(L: Lines, imported: Imported, code: str, indent: int) -> None:
    """One 功能分类 row as a list item: its code (name in the comment), its name when the workbook's
    differs from the catalogue's, one flow mapping per table with the cells it came from."""
    row = imported.rows[code]
    level = _LEVEL[len(code)]
    catalogued = catalogue.FUNCTIONAL.get(code)
    printed = row.name
    note = printed or catalogued or ""
    if level != "项":
        note += f"（{level}，核对用）"
    L.add(indent, f"- code: {json.dumps(code)}", note)
    if printed and (catalogued is None or norm(printed) != norm(catalogued)):
        why = "标准目录中没有这个编码" if catalogued is None else f"标准目录中名为“{catalogued}”"
        L.add(indent + 1, f"name: {quote(printed)}", f"工作簿中的名称（{why}）")
    for section, values in row_sections(imported, code).items():
        body, refs, notes = flow(values)
        L.add(indent + 1, f"{section}: {body}", "；".join([refs_text(refs)] + notes) if refs or notes else "")


def _join(*parts: str) -> str:
    return "；".join(p for p in parts if p)


def _ask_order(path: str) -> int:
    order = ("abroad", "vehicle_purchase", "vehicle_operation", "reception")
    last = path.rsplit(".", 1)[-1]
    return order.index(last) if last in order else len(order)


#: The counts 第三部分 states beside each 三公 amount: asked when the workbook shows that amount.
COUNTS = {"abroad": ("three_public.abroad_groups", "three_public.abroad_people"),
          "vehicle_purchase": ("three_public.vehicles_purchased",),
          "vehicle_operation": ("three_public.vehicles_held",),
          "reception": ("three_public.reception_batches", "three_public.reception_people")}


def _counts_asked(imported: Imported) -> frozenset[str]:
    """Without last year's file: the 三公 counts whose amount the workbook shows (check would warn
    COUNT-MISSING), asked as 待填写 so the accountant answers them."""
    return frozenset(path for item, paths in COUNTS.items()
                     if imported.get("three_public", "actual", item) for path in paths)
