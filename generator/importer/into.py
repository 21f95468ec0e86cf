"""``juesuan import WORKBOOK --into UNIT.yaml``: a corrected workbook's figures into an existing file.

Only the figures the workbook holds change — the 功能分类 rows, the 合计 rows, the
balances, 06's items and totals, 09's 预算数 and 决算数 — and only where they differ;
every other byte of the file stays as the accountant left it: texts, reasons,
comments, quoting, layout.  The edits are made on the file's text at the positions
the YAML parser reports for each value (round trip by position: a re-dump through a
YAML library would reflow the accountant's lines), then the result is loaded back
before it replaces the file, atomically.  Each change is printed in the document's
words: ``02表 2080101 行政运行 · 一般公共预算财政拨款收入：573.66 → 575.66``.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass, fields
from decimal import Decimal
from pathlib import Path

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from .. import model
from ..issues import UnusableInput
from ..load.loader import PLACEHOLDER, load_bytes, load_file, read_amount
from ..model import catalogue
from ..model.places import describe
from ..write import write_atomic
from .assemble import DATA_FIELDS, PRINTED_FIELDS, Imported, Value
from .emit import Lines, flow, refs_text, row_lines, row_sections, value_text

EXIT_OK, EXIT_ERRORS, EXIT_UNUSABLE = 0, 1, 2

_OUR_COMMENT = re.compile(r"#\s*(?:'[^']*'|[^\s#!]+)![A-Z]+\d+")
"""A comment an import wrote: the cells a figure came from (``# 公开02表!E12、F12``)."""


def _say(text: str) -> None:
    print(text, file=sys.stderr)


@dataclass
class Change:
    path: str          # the field path (functional.2080101.income.general): where, for describing
    old: str           # as the file wrote it ("" when added)
    new: str           # as now written ("" when deleted)
    data: str = "new"  # which data names the place: "new" (after the change) or "old" (a deleted row)


class Editor:
    """Replacements on a text by position, applied from the end so positions stay valid."""

    def __init__(self, text: str):
        self.text = text
        self.edits: list[tuple[int, int, str]] = []

    def replace(self, start: int, end: int, new: str) -> None:
        self.edits.append((start, end, len(self.edits), new))

    def insert(self, at: int, new: str) -> None:
        self.replace(at, at, new)

    def apply(self) -> str:
        """The edited text; insertions at one place keep the order they were made in."""
        text = self.text
        last = len(text) + 1
        for start, end, _, new in sorted(self.edits, key=lambda e: e[:3], reverse=True):
            if end > last:
                raise AssertionError("overlapping edits")
            text = text[:start] + new + text[end:]
            last = start
        return text

    def line_start(self, index: int) -> int:
        return self.text.rfind("\n", 0, index) + 1

    def line_end(self, index: int) -> int:
        end = self.text.find("\n", index)
        return len(self.text) if end < 0 else end


def end_of(node: Node) -> int:
    """Where a value's own text ends (a block collection ends with its last child)."""
    if isinstance(node, ScalarNode) or node.flow_style:
        return node.end_mark.index
    children = [v for _, v in node.value] if isinstance(node, MappingNode) else list(node.value)
    return end_of(children[-1]) if children else node.start_mark.index


def pairs(node: Node | None) -> list[tuple[ScalarNode, Node]]:
    return list(node.value) if isinstance(node, MappingNode) else []


def child(node: Node | None, name: str) -> tuple[ScalarNode, Node] | None:
    return next(((k, v) for k, v in pairs(node) if isinstance(k, ScalarNode) and str(k.value).strip() == name), None)


def amount_of(node: Node) -> Decimal | None | str:
    """A value node's amount: Decimal, None for blank, PLACEHOLDER for 待填写, "?" for anything else."""
    if isinstance(node, ScalarNode) and isinstance(node.tag, str) and node.tag.endswith(":null"):
        return None
    if not isinstance(node, ScalarNode):
        return "?"
    if node.value.strip() == PLACEHOLDER:
        return PLACEHOLDER
    value, _ = read_amount(node.value)
    return value if value is not None else "?"


def same(node: Node, value: Value) -> bool:
    current = amount_of(node)
    if value.amount is None:  # asked: whatever the accountant wrote there stands
        return True
    if current in (None, PLACEHOLDER, "?"):
        return current is None and value.amount == 0
    return current == value.amount


class Updater:
    """Walks the file's nodes beside the workbook's figures and records the edits."""

    def __init__(self, text: str, root: MappingNode, imported: Imported, order: list[str]):
        self.ed = Editor(text)
        self.root = root
        self.imp = imported
        self.order = order            # the file's functional codes in order (for describing paths)
        self.changes: list[Change] = []

    # -------------------------------------------------------------- primitives

    def set_value(self, node: Node, text: str) -> None:
        self.ed.replace(node.start_mark.index, node.end_mark.index if isinstance(node, ScalarNode)
                        else end_of(node), text)

    def insert_key(self, mapping: MappingNode, name: str, text: str, order: list[str]) -> None:
        """Add ``name: text`` to a mapping, after the key that precedes it in the format's order."""
        existing = pairs(mapping)
        before = [p for p in existing if str(p[0].value) in order and order.index(str(p[0].value)) < order.index(name)]
        if mapping.flow_style:
            if not existing:
                self.ed.insert(mapping.start_mark.index + 1, f"{name}: {text}")
            elif before:
                self.ed.insert(end_of(before[-1][1]), f", {name}: {text}")
            else:
                self.ed.insert(existing[0][0].start_mark.index, f"{name}: {text}, ")
            return
        column = existing[0][0].start_mark.column if existing else mapping.start_mark.column
        if before:
            at = self.ed.line_end(end_of(before[-1][1]))
            self.ed.insert(at, "\n" + " " * column + f"{name}: {text}")
        else:
            at = self.ed.line_start(existing[0][0].start_mark.index) if existing else mapping.start_mark.index
            self.ed.insert(at, " " * column + f"{name}: {text}\n")

    def delete_key(self, mapping: MappingNode, name: str) -> None:
        existing = pairs(mapping)
        i = next(i for i, (k, _) in enumerate(existing) if str(k.value) == name)
        key, value = existing[i]
        if mapping.flow_style:
            if len(existing) == 1:
                self.ed.replace(mapping.start_mark.index + 1, mapping.end_mark.index - 1, "")
            elif i + 1 < len(existing):
                self.ed.replace(key.start_mark.index, existing[i + 1][0].start_mark.index, "")
            else:
                self.ed.replace(end_of(existing[i - 1][1]), end_of(value), "")
            return
        self.ed.replace(self.ed.line_start(key.start_mark.index), self.ed.line_end(end_of(value)) + 1, "")

    def refresh_comment(self, node: Node, refs: tuple[str, ...] | list[str]) -> None:
        """A figure's source comment, when an import wrote it, names the cells of the new workbook."""
        if not refs:
            return
        end = end_of(node)
        line_end = self.ed.line_end(end)
        tail = self.ed.text[end:line_end]
        match = _OUR_COMMENT.search(tail)
        if match and tail[:match.start()].strip() in ("", "}"):
            start = end + match.start()
            self.ed.replace(start, line_end, "# " + refs_text(list(refs)))

    # -------------------------------------------------------------- a mapping of figures

    def mapping(self, node: MappingNode, path: str, order: list[str], wanted: dict[str, Value],
                implied: dict[str, Value], line_node: Node | None = None) -> None:
        """Bring one mapping of figures (a flow ``{general: 1.00}`` or a block) to the workbook's."""
        refs: list[str] = []
        changed = False
        for name in order:
            value = wanted.get(name)
            current = child(node, name)
            if value is not None:
                refs += list(value.refs)
                if current is None:
                    self.insert_key(node, name, value_text(value), order)
                    self.changes.append(Change(f"{path}.{name}", "", value_text(value)))
                    changed = True
                elif not same(current[1], value):
                    self.set_value(current[1], value_text(value))
                    self.changes.append(Change(f"{path}.{name}", _shown(current[1]), value_text(value)))
                    changed = True
            elif name in implied:
                if current is not None and not same(current[1], implied[name]):
                    self.set_value(current[1], value_text(implied[name]))
                    self.changes.append(Change(f"{path}.{name}", _shown(current[1]), value_text(implied[name])))
                    changed = True
            elif current is not None and amount_of(current[1]) not in (None, Decimal(0), PLACEHOLDER, "?"):
                self.delete_key(node, name)
                self.changes.append(Change(f"{path}.{name}", _shown(current[1]), ""))
                changed = True
        if changed and node.flow_style:
            self.refresh_comment(node, refs)

    # -------------------------------------------------------------- the file's figure sections

    def run(self) -> None:
        self.functional()
        for section in ("income", "expenditure", "general_budget"):
            self.section(("totals", section), _amount_fields(section), "totals")
        self.balances()
        self.basic_items()
        for column in ("budget", "actual") + (("last_year",) if any(p[:2] == ("three_public", "last_year")
                                                                   for p in self.imp.figures) else ()):
            self.section(("three_public", column), [f.name for f in fields(model.ThreePublicAmounts)],
                         "three_public")

    def wanted(self, prefix: tuple[str, ...]) -> tuple[dict[str, Value], dict[str, Value]]:
        n = len(prefix)
        figures = {p[n]: v for p, v in self.imp.figures.items() if p[:n] == prefix and len(p) == n + 1}
        implied = {p[n]: v for p, v in self.imp.implied.items() if p[:n] == prefix and len(p) == n + 1}
        return figures, implied

    def section(self, prefix: tuple[str, ...], order: list[str], top: str) -> None:
        """A mapping of figures at ``prefix`` (``totals.income``), created when the file lacks it."""
        wanted, implied = self.wanted(prefix)
        wanted = {k: wanted[k] for k in order if k in wanted} | {k: v for k, v in wanted.items() if k not in order}
        parent = self.root
        for i, part in enumerate(prefix):
            found = child(parent, part)
            if found is None:
                if not wanted:
                    return
                if isinstance(parent, MappingNode) and parent is not self.root and i == len(prefix) - 1:
                    text = "{" + ", ".join(f"{k}: {value_text(v)}" for k, v in wanted.items()) + "}"
                    self.insert_key(parent, part, text, _record_order(prefix[:i]) or [part])
                    self.changes += [Change(".".join(prefix + (k,)), "", value_text(v)) for k, v in wanted.items()]
                elif parent is self.root:
                    self.append_section(top)
                return
            parent = found[1]
        if isinstance(parent, MappingNode):
            self.mapping(parent, ".".join(prefix), order, wanted, implied)
        elif wanted:
            self.set_value(parent, "{" + ", ".join(f"{k}: {value_text(v)}" for k, v in wanted.items()) + "}")
            self.changes.append(Change(".".join(prefix), _shown(parent), "…"))

    def append_section(self, name: str) -> None:
        """A whole section the file lacks, written as a fresh import writes it, before the next one."""
        from .emit import Writer

        writer = Writer(self.imp, {}, None)
        getattr(writer, f"section_{name}")(next(f for f in fields(model.UnitData) if f.name == name))
        if not writer.lines.out:
            return
        if name == "three_public":
            return  # a file always has three_public (it is required): nothing to add here
        names = [f.name for f in fields(model.UnitData)]
        later = [k for k, _ in pairs(self.root) if str(k.value) in names and names.index(str(k.value)) > names.index(name)]
        text = "\n".join(writer.lines.out) + "\n\n"
        at = self.ed.line_start(later[0].start_mark.index) if later else len(self.ed.text)
        if not later and not self.ed.text.endswith("\n"):
            text = "\n" + text
        self.ed.insert(at, text)
        self.changes.append(Change(name, "", "（新增一节）"))

    def balances(self) -> None:
        wanted, _ = self.wanted(("balances",))
        subs = {g.name for g in fields(model.Balances) if g.metadata.get("kind") == "record"}
        flat = [g.name for g in fields(model.Balances) if g.name not in subs]
        node = child(self.root, "balances")
        if node is None:
            if wanted or any(p[0] == "balances" for p in self.imp.figures):
                self.append_section("balances")
            return
        mapping = node[1]
        if not isinstance(mapping, MappingNode):
            return
        self.mapping(mapping, "balances", flat, wanted, {})
        for sub in sorted(subs):
            self.section(("balances", sub), ["general", "fund", "capital"], "balances")

    def basic_items(self) -> None:
        node = child(self.root, "basic_items")
        if node is None or not isinstance(node[1], MappingNode):
            return
        block = node[1]
        items = child(block, "items")
        wanted = {p[2]: v for p, v in self.imp.figures.items() if p[:2] == ("basic_items", "items")}
        order = sorted(set(wanted) | {str(k.value) for k, _ in pairs(items[1] if items else None)}, key=_economic_order)
        if items is None:
            text = "\n".join(f"    {_q(code)}: {value_text(v)}" for code, v in wanted.items())
            self.insert_key(block, "items", "\n" + text.rstrip() if text else "{}", ["items", "personnel_total",
                                                                                     "public_total"])
            self.changes.append(Change("basic_items.items", "", "（新增）"))
        else:
            mapping = items[1]
            for code in order:
                value = wanted.get(code)
                current = next(((k, v) for k, v in pairs(mapping) if _code(k) == code), None)
                path = f"basic_items.items.{code}"
                if current is None:
                    if value is not None:
                        self.insert_key_coded(mapping, code, value_text(value), order)
                        self.changes.append(Change(path, "", value_text(value)))
                    continue
                target = current[1]
                if isinstance(target, MappingNode):
                    found = child(target, "amount")
                    if found is None:
                        if value is not None:
                            self.insert_key(target, "amount", value_text(value), ["amount", "name"])
                            self.changes.append(Change(path, "", value_text(value)))
                        continue
                    target = found[1]
                if value is None:
                    if amount_of(target) not in (None, Decimal(0), PLACEHOLDER, "?"):
                        self.delete_item(mapping, current[0])
                        self.changes.append(Change(path, _shown(target), "", data="old"))
                elif not same(target, value):
                    self.set_value(target, value_text(value))
                    self.changes.append(Change(path, _shown(target), value_text(value)))
        totals, _ = self.wanted(("basic_items",))
        self.mapping(block, "basic_items", ["items", "personnel_total", "public_total"],
                     {k: v for k, v in totals.items() if k in ("personnel_total", "public_total")}, {})

    def insert_key_coded(self, mapping: MappingNode, code: str, text: str, order: list[str]) -> None:
        existing = pairs(mapping)
        before = [p for p in existing if _code(p[0]) in order and order.index(_code(p[0])) < order.index(code)]
        key = _q(code)
        if mapping.flow_style:
            if before:
                self.ed.insert(end_of(before[-1][1]), f", {key}: {text}")
            elif existing:
                self.ed.insert(existing[0][0].start_mark.index, f"{key}: {text}, ")
            else:
                self.ed.insert(mapping.start_mark.index + 1, f"{key}: {text}")
            return
        column = existing[0][0].start_mark.column if existing else mapping.start_mark.column
        if before:
            self.ed.insert(self.ed.line_end(end_of(before[-1][1])), "\n" + " " * column + f"{key}: {text}")
        else:
            self.ed.insert(self.ed.line_start(existing[0][0].start_mark.index), " " * column + f"{key}: {text}\n")

    def delete_item(self, mapping: MappingNode, key: Node) -> None:
        self.delete_key(mapping, str(key.value))

    # -------------------------------------------------------------- functional rows

    def functional(self) -> None:
        found = child(self.root, "functional")
        if found is None or not isinstance(found[1], SequenceNode):
            if self.imp.rows:
                self.append_section("functional")
            return
        sequence = found[1]
        items = [(node, _row_code(node)) for node in sequence.value]
        present = {code: node for node, code in items if code}
        wanted = list(self.imp.rows)
        for node, code in items:
            if code and code not in self.imp.rows:
                self.delete_row(node)
                self.changes.append(Change(f"functional.{code}", "（整行）", "", data="old"))
        for code in wanted:
            sections = row_sections(self.imp, code)
            node = present.get(code)
            if node is None:
                self.insert_row(sequence, items, code)
                continue
            if not isinstance(node, MappingNode):
                continue
            for section in DATA_FIELDS:
                values = sections.get(section, {})
                implied = {p[3]: v for p, v in self.imp.implied.items() if p[:3] == ("functional", code, section)}
                current = child(node, section)
                path = f"functional.{code}.{section}"
                if current is None:
                    if values:
                        body, refs, _ = flow(values)
                        self.insert_key(node, section, body, ["code", "name", *DATA_FIELDS])
                        self.changes += [Change(f"{path}.{k}", "", value_text(v)) for k, v in values.items()]
                    continue
                if isinstance(current[1], MappingNode):
                    self.mapping(current[1], path, _amount_fields(section), values, implied)

    def insert_row(self, sequence: SequenceNode, items: list[tuple[Node, str]], code: str) -> None:
        later = [node for node, c in items if c and c > code]
        dash = (items[0][0].start_mark.column - 2) if items else 2
        lines = Lines()
        row_lines(lines, self.imp, code, 0)
        text = "".join(" " * dash + line + "\n" for line in lines.out)
        if later:
            self.ed.insert(self.ed.line_start(later[0].start_mark.index), text)
        elif items:
            at = self.ed.line_end(end_of(items[-1][0]))
            self.ed.insert(at, "\n" + text.rstrip("\n"))
        else:
            self.ed.replace(sequence.start_mark.index, sequence.end_mark.index, "\n" + text.rstrip("\n"))
        self.changes += [Change(f"functional.{code}.{section}.{k}", "", value_text(v))
                         for section, values in row_sections(self.imp, code).items() for k, v in values.items()]

    def delete_row(self, node: Node) -> None:
        start = self.ed.line_start(node.start_mark.index)
        self.ed.replace(start, self.ed.line_end(end_of(node)) + 1, "")


def _q(code: str) -> str:
    return f'"{code}"'


def _code(key: Node) -> str:
    return str(key.value).strip() if isinstance(key, ScalarNode) else ""


def _row_code(node: Node) -> str:
    found = child(node, "code")
    return str(found[1].value).strip() if found is not None and isinstance(found[1], ScalarNode) else ""


def _amount_fields(section: str) -> list[str]:
    return list(DATA_FIELDS[section] + PRINTED_FIELDS[section])


def _record_order(prefix: tuple[str, ...]) -> list[str]:
    cls = model.UnitData
    for part in prefix:
        hints = model.hints(cls)
        cls = model.unwrap(hints.get(part))
        if cls is None or not isinstance(cls, type):
            return []
    return [f.name for f in fields(cls)] if hasattr(cls, "__dataclass_fields__") else []


_ECONOMIC_INDEX = {code: i for i, (code, _) in enumerate(catalogue.ECONOMIC)}


def _economic_order(code: str) -> tuple[int, str]:
    if code in _ECONOMIC_INDEX:
        return _ECONOMIC_INDEX[code], code
    group = [c for c in _ECONOMIC_INDEX if c.startswith(code[:3])]
    return (max(_ECONOMIC_INDEX[c] for c in group) if group else len(_ECONOMIC_INDEX)), code


def _shown(node: Node) -> str:
    return node.value.strip() if isinstance(node, ScalarNode) else "…"


# ------------------------------------------------------------------ the command


def reimport(workbook: Path, target: Path) -> int:
    from .build import read

    try:
        raw = target.read_bytes()
    except OSError as exc:
        _say(f"juesuan：无法读取 {target}：{exc.strerror or exc}")
        return EXIT_UNUSABLE
    try:
        loaded = load_file(target)
    except UnusableInput as exc:
        _say(exc.issue.format())
        _say(f"{target}: 未更新：文件无法使用")
        return EXIT_UNUSABLE
    if loaded.data is None or loaded.data.consolidate:
        _say(f"{target}: 未更新：这是主管部门的汇总文件（consolidate），数字来自所属单位的文件，不从工作簿导入")
        return EXIT_UNUSABLE
    unit = loaded.data.unit.amount_unit
    imported, issues, unusable = read(workbook, unit)
    for item in issues:
        _say(item.format())
    if imported is None or unusable or any(i.is_error for i in issues):
        _say(f"{workbook}: 未更新 {target}：工作簿{'无法使用' if unusable else '有错误'}（见上）")
        return EXIT_UNUSABLE if unusable else EXIT_ERRORS
    bom = raw.startswith(b"\xef\xbb\xbf")
    text = raw[3:].decode("utf-8") if bom else raw.decode("utf-8", errors="strict")
    crlf = "\r\n" in text
    text = text.replace("\r\n", "\n")
    root = yaml.compose(text, Loader=yaml.SafeLoader)
    order = [row.code for row in loaded.data.functional]
    updater = Updater(text, root, imported, order)
    if imported.unit_name and loaded.data.unit.name.strip() != imported.unit_name:
        _say(f"{target}: 提示：工作簿中的单位名称为“{imported.unit_name}”（{imported.unit_name_ref}），"
             f"文件中为“{loaded.data.unit.name}”；文件中的名称不改动")
    updater.run()
    if not updater.changes:
        _say(f"{target}: 没有变化：文件中的数字与工作簿 {workbook} 相同")
        return EXIT_OK
    new_text = updater.ed.apply()
    after = load_bytes(str(target), new_text.encode("utf-8"))
    new_errors = {(i.code, i.path) for i in after.issues if i.is_error} - \
        {(i.code, i.path) for i in loaded.issues if i.is_error}
    wrong = [i for i in after.issues if i.is_error and (i.code, i.path) in new_errors and i.code != "UNFILLED"]
    if wrong:
        raise AssertionError("re-import produced a file that does not load: " + "; ".join(i.format() for i in wrong))
    out = new_text.replace("\n", "\r\n") if crlf else new_text
    write_atomic(target, (b"\xef\xbb\xbf" if bom else b"") + out.encode("utf-8"))
    _report(updater.changes, loaded, after, target, workbook)
    return EXIT_OK


def _report(changes: list[Change], before, after, target: Path, workbook: Path) -> None:
    old_index = {row.code: i for i, row in enumerate(before.data.functional)}
    new_index = {row.code: i for i, row in enumerate(after.data.functional)}
    print(f"已更新：{target}（{len(changes)} 处改动，来自 {workbook}）")
    for change in changes:
        data = after if change.data == "new" else before
        path = change.path
        match = re.match(r"functional\.(\d+)(.*)$", path)
        if match:
            code = match.group(1)
            index = new_index if code in new_index and change.data == "new" else old_index
            data = after if index is new_index else before
            path = f"functional[{index.get(code, 0)}]{match.group(2)}"
        place = describe(path, data.data, data.names) or path
        if change.old == "（整行）":
            print(f"  {place}：删去这一行（工作簿中已没有这个科目）")
        elif change.old == "":
            print(f"  {place}：新增 {change.new}")
        elif change.new == "":
            print(f"  {place}：{change.old} → 删去（工作簿中为空白）")
        else:
            print(f"  {place}：{change.old} → {change.new}")
