"""汇总: a department's 部门决算 from its units' files, summed row by row.

A department file names its units under ``consolidate`` (本级 first, then the
下属单位) and carries its own texts (部门职责, 机构设置, reasons…).  Every
figure comes from the units: amounts and counts are added field by field,
功能分类 rows and 经济分类 items by code.  Printed subtotals of the units are
not carried over (the sums are recomputed).  The 决算单位构成 lists the units.
"""

from __future__ import annotations

import dataclasses
from decimal import Decimal
from pathlib import Path
from typing import Any

from ..issues import Issue, Severity, UnusableInput
from .loader import Loaded, load_file
from ..model import FunctionalRow, PrintedTotals, UnitData


def _is_printed(f) -> bool:
    return bool(f.metadata.get("printed"))


def add(a: Any, b: Any, f=None) -> Any:
    """Field-wise sum of two values of the same model type (texts: the first one's)."""
    if f is not None and _is_printed(f) and f.metadata.get("kind") == "amount" and f.name != "amount":
        return None  # a printed subtotal of one unit says nothing about the sum
    if a is None:
        return b
    if b is None:
        return a
    if isinstance(a, bool) or isinstance(a, str):
        return a
    if isinstance(a, (Decimal, int)):
        return a + b
    if dataclasses.is_dataclass(a):
        return dataclasses.replace(a, **{g.name: add(getattr(a, g.name), getattr(b, g.name), g)
                                         for g in dataclasses.fields(a)})
    if isinstance(a, dict):
        merged = dict(a)
        for key, value in b.items():
            merged[key] = add(merged.get(key), value)
        return merged
    if isinstance(a, tuple) and any(isinstance(row, FunctionalRow) for row in (*a, *b)):
        rows: dict[str, FunctionalRow] = {}
        for row in (*a, *b):
            rows[row.code] = add(rows[row.code], row) if row.code in rows else row
        return tuple(rows[code] for code in sorted(rows))
    if isinstance(a, tuple):
        return tuple(dict.fromkeys((*a, *b)))
    return a


def _strip(value: Any, f=None) -> Any:
    """A unit's figures without its printed subtotals (they say nothing about the sum)."""
    if f is not None and _is_printed(f) and f.metadata.get("kind") == "amount" and f.name != "amount":
        return None
    if isinstance(value, PrintedTotals):
        return PrintedTotals()
    if f is not None and f.name == "functional":
        return tuple(_strip(row) for row in value if len(row.code) == 7)
    if f is not None and f.name == "items" and isinstance(value, dict):
        return {k: _strip(v) for k, v in value.items() if len(k) == 5}
    if dataclasses.is_dataclass(value):
        return dataclasses.replace(value, **{g.name: _strip(getattr(value, g.name), g)
                                             for g in dataclasses.fields(value)})
    if isinstance(value, dict):
        return {k: _strip(v) for k, v in value.items()}
    return value


def _roll_up(budget):
    """Budget lines written at different levels by different units: a line whose 类 or 款
    is also a line is added into it, so no money is counted twice."""
    lines = dict(budget.lines)
    for code in sorted(lines, key=len, reverse=True):
        parent = next((p for p in lines if p != code and code.startswith(p)), None)
        if parent is not None:
            lines[parent] = add(lines[parent], lines.pop(code))
    return dataclasses.replace(budget, lines=lines)


def overlay_texts(numbers: Any, texts: Any, f=None) -> Any:
    """``numbers`` with every text field taken from ``texts`` (the department's own file)."""
    if isinstance(numbers, str) or f is not None and f.metadata.get("kind") in ("text", "choice"):
        return texts
    if dataclasses.is_dataclass(numbers) and dataclasses.is_dataclass(texts):
        return dataclasses.replace(numbers, **{g.name: overlay_texts(getattr(numbers, g.name), getattr(texts, g.name), g)
                                               for g in dataclasses.fields(numbers)})
    if isinstance(numbers, dict) and isinstance(texts, dict) and f is not None and \
            f.metadata.get("kind") in ("map",):
        return {k: overlay_texts(v, texts[k]) if k in texts else v for k, v in numbers.items()}
    return numbers


def consolidate(dept: Loaded, check=None, defaults=None, folder: Path | None = None) -> tuple[Loaded, list[Issue]]:
    """The department's Loaded with its figures summed from its units' files.

    ``folder`` is where the department's file is (its units' paths are relative to it); by
    default the folder of ``dept.file``, which is the file's name as shown and, in a batch,
    relative to the county's folder rather than to the working directory.

    ``check`` validates a unit's Loaded (the pipeline's ``validate``); a unit
    whose data has errors is still summed, and the returned list says so
    (CONS-UNIT errors to add after the department itself is validated, so
    its figures are still computed and a 草稿 can be rendered).
    """
    later: list[Issue] = []
    data = dept.data
    shown = Path(dept.file).parent                  # the units' names as the user sees them
    base = folder if folder is not None else shown
    issues = list(dept.issues)
    units: list[tuple[str, UnitData]] = []
    seen: dict[Path, int] = {}
    for i, name in enumerate(data.consolidate):
        path_label = f"consolidate[{i}]"
        path = (base / name).resolve()
        if Path(name).is_absolute() or not path.is_relative_to(base.resolve()):
            issues.append(Issue(dept.file, dept.line(path_label), path_label, "CONS-PATH", Severity.ERROR,
                                f"下属单位文件 {name} 不在汇总文件所在的文件夹（或其子文件夹）中；请写相对路径"))
            continue
        if path.name == Path(dept.file).name and path.parent == base.resolve():
            issues.append(Issue(dept.file, dept.line(path_label), path_label, "CONS-PATH", Severity.ERROR,
                                "汇总文件不能把自己列为下属单位"))
            continue
        if path in seen:
            issues.append(Issue(dept.file, dept.line(path_label), path_label, "CONS-DUPLICATE", Severity.ERROR,
                                f"下属单位文件 {name} 列了两次（第一次在第{dept.line(f'consolidate[{seen[path]}]')}行），会被重复汇总"))
            continue
        seen[path] = i
        try:
            loaded = load_file(path, str(shown / name), defaults)
        except UnusableInput as exc:
            issues.append(Issue(dept.file, dept.line(path_label), path_label, "CONS-UNIT", Severity.ERROR,
                                f"下属单位文件 {name} 无法使用：{exc.issue.message}"))
            continue
        errors = [i for i in loaded.issues if i.is_error]
        if errors:
            issues.append(Issue(dept.file, dept.line(path_label), path_label, "CONS-UNIT", Severity.ERROR,
                                f"下属单位文件 {name} 有 {len(errors)} 条错误，请先修正（第一条：{errors[0].format()}）"))
            continue
        if check is not None:
            data_errors = [i for i in check(loaded).issues if i.is_error]
            if data_errors:
                later.append(Issue(dept.file, dept.line(path_label), path_label, "CONS-UNIT", Severity.ERROR,
                                   f"下属单位文件 {name} 的数据有 {len(data_errors)} 条错误，汇总数会带上这些错误"
                                   f"（第一条：{data_errors[0].format()}）"))
        if loaded.data.consolidate:
            issues.append(Issue(dept.file, dept.line(path_label), path_label, "CONS-UNIT", Severity.ERROR,
                                f"下属单位文件 {name} 本身也是汇总文件；请直接列出它所汇总的单位"))
            continue
        u = loaded.data.unit
        for label, mine, theirs in (("年度", data.unit.year, u.year), ("金额单位", data.unit.amount_unit, u.amount_unit)):
            if mine != theirs:
                issues.append(Issue(dept.file, dept.line(path_label), path_label, "CONS-MISMATCH", Severity.ERROR,
                                    f"下属单位 {u.name}（{name}）的{label}是 {theirs}，汇总文件是 {mine}，不能汇总"))
        units.append((name, loaded.data))
    if any(i.is_error for i in issues) or not units:
        if not units and not any(i.is_error for i in issues):
            issues.append(Issue(dept.file, dept.line("consolidate"), "consolidate", "CONS-UNIT", Severity.ERROR,
                                "consolidate 中没有列出任何单位文件"))
        return dataclasses.replace(dept, issues=issues, accounts=True), later
    numbers = _strip(units[0][1])
    for _, unit in units[1:]:
        numbers = add(numbers, _strip(unit))
    numbers = dataclasses.replace(numbers, initial_budget=_roll_up(numbers.initial_budget))
    summed = overlay_texts(numbers, data)
    names = [unit.unit.name for _, unit in units]
    summed = dataclasses.replace(
        summed,
        unit=data.unit,
        overview=dataclasses.replace(summed.overview, subordinate_units=tuple(n for n in names if n != data.unit.name)),
        names={**numbers.names, **data.names},
        glossary=data.glossary, attachments=data.attachments, evaluation=data.evaluation,
        consolidate=data.consolidate,
    )
    lines = {k: v for k, v in dept.lines.items()}
    return dataclasses.replace(dept, data=summed, issues=issues, lines=lines, accounts=True), later
