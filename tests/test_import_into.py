"""juesuan import --into: a corrected workbook updates the figures of an existing unit file and
nothing else — every text, reason, comment and line the accountant wrote stays byte for byte — and
each change is printed in the document's words."""

from __future__ import annotations

import dataclasses
import shutil
from decimal import Decimal

import pytest

from conftest import DATA
from generator.cli import main
from generator.pipeline import check_file
from workbooks import make_workbooks as mw

YIYANG = DATA / "yiyang-2024-shebao.yaml"


def run(capsys, *args):
    code = main([str(a) for a in args])
    out, err = capsys.readouterr()
    return code, out, err


def _plus(amount, delta="2"):
    return None if amount is None else str(Decimal(amount) + Decimal(delta))


def _bump_rows(table: mw.CodedTable, codes: set[str], columns: int) -> mw.CodedTable:
    rows = tuple((code, name, tuple(_plus(v) if code in codes and i < columns else v for i, v in enumerate(values)))
                 for code, name, values in table.rows)
    total = tuple(_plus(v) if i < columns else v for i, v in enumerate(table.total))
    return dataclasses.replace(table, rows=rows, total=total)


def corrected_yiyang() -> mw.UnitData:
    """益阳 with 2080101 行政运行 2.00 larger, consistently in every table that shows it
    (its 款, 类 and 合计 rows; 01 and 04; 06's 30101 基本工资, 301 and 人员经费合计)."""
    u = mw.YIYANG
    codes = {"2080101", "20801", "208"}
    t01 = {k: _plus(v) if k in (1, 27, 30, 38, 57, 60) else v for k, v in u.t01.items()}
    t04_left = {k: _plus(v) if k in (1, 27, 32) else v for k, v in u.t04_left.items()}
    t04_right = {k: tuple(_plus(x) if i < 2 else x for i, x in enumerate(v)) if k in (40, 59, 64) else v
                 for k, v in u.t04_right.items()}
    t06 = {k: _plus(v) if k in ("30101", "301") else v for k, v in u.t06.items()}
    return dataclasses.replace(
        u, t01=t01, t02=_bump_rows(u.t02, codes, 2), t03=_bump_rows(u.t03, codes, 2),
        t05=_bump_rows(u.t05, codes, 2), t04_left=t04_left, t04_right=t04_right, t06=t06,
        t06_personnel_total=_plus(u.t06_personnel_total))


@pytest.fixture(scope="module")
def corrected(tmp_path_factory):
    path = tmp_path_factory.mktemp("corrected") / "益阳决算报表（改正）.xlsx"
    path.write_bytes(mw.xlsx_bytes(mw.grids_for(corrected_yiyang(), "sheets-split-codes")))
    return path


def _expected_after(text: str) -> str:
    """The hand-written file with exactly the corrected figures changed, on their own lines."""
    changes = [('{code: "208",', "714.15", "716.15"), ('{code: "20801",', "605.73", "607.73"),
               ("totals:", None, None), ("  income: {general: 841.69", "841.69", "843.69"),
               ("  expenditure: {basic: 841.69", "841.69", "843.69"),
               ("  general_budget: {basic: 841.69", "841.69", "843.69"),
               ('    "301": 586.87', "586.87", "588.87"), ('    "30101": 143.78', "143.78", "145.78"),
               ("  personnel_total: 635.97", "635.97", "637.97")]
    lines = text.split("\n")
    in_row = False
    for i, line in enumerate(lines):
        if line.startswith("  - "):
            in_row = line == '  - code: "2080101"'
        if in_row and "573.66" in line:
            lines[i] = line.replace("573.66", "575.66")
        for start, old, new in changes:
            if old and start in line:
                lines[i] = line.replace(old, new)
    return "\n".join(lines)


def test_corrected_workbook_changes_only_its_figures(corrected, tmp_path, capsys):
    target = tmp_path / "益阳.yaml"
    shutil.copy(YIYANG, target)
    before = target.read_text(encoding="utf-8")
    code, out, err = run(capsys, "import", corrected, "--into", target)
    assert code == 0, err
    after = target.read_text(encoding="utf-8")
    assert after == _expected_after(before)
    assert "全年预算数841.69万元" in after  # a text stating the old figure is the accountant's: untouched
    lines = out.splitlines()
    assert lines[0].startswith(f"已更新：{target}（") and "处改动" in lines[0]
    assert "  02表 2080101 行政运行 · 一般公共预算财政拨款收入：573.66 → 575.66" in lines
    assert "  03表 2080101 行政运行 · 基本支出：573.66 → 575.66" in lines
    assert "  05表 208 社会保障和就业支出 · 小计（打印数）：714.15 → 716.15" in lines
    assert "  06表 30101 基本工资：143.78 → 145.78" in lines
    assert "  06表 人员经费合计：635.97 → 637.97" in lines
    checked = check_file(target)
    # the same issues, and check now points at the texts that state the old 841.69 (the accountant's to edit)
    new = [i.code for i in checked.issues if i.code != "TEXT-FIGURE"]
    assert sorted(new) == sorted(i.code for i in check_file(YIYANG).issues)
    assert all("841.69" in i.message for i in checked.issues if i.code == "TEXT-FIGURE")
    assert checked.figures.grand_total == Decimal("843.69")
    # once more: nothing left to change
    code, out, err = run(capsys, "import", corrected, "--into", target)
    assert code == 0 and "没有变化" in err and target.read_text(encoding="utf-8") == after


def test_rows_the_workbook_gained_or_lost(tmp_path, capsys):
    """A 项 the file lacks is added (in code order, written as an import writes it); one the workbook
    no longer has is deleted; a figure the workbook leaves blank goes; the accountant's own lines stay."""
    book = mw.build("yiyang", "sheets-split-codes", tmp_path)
    text = YIYANG.read_text(encoding="utf-8")
    removed = ('  - code: "2080199"\n    income: {general: 32.07}\n    expenditure: {basic: 32.07}\n'
               '    general_budget: {basic: 32.07}\n')
    assert removed in text
    edited = (text.replace(removed, "")
              .replace('    income: {general: 573.66}\n', '    income: {general: 570.00, other: 3}  # 核对过\n')
              .replace('  - code: "2210201"\n', '  - code: "2299999"   # 手写的一行\n    income: {general: 1}\n'
                                                 '  - code: "2210201"\n'))
    target = tmp_path / "u.yaml"
    target.write_text(edited, encoding="utf-8")
    code, out, err = run(capsys, "import", book, "--into", target)
    assert code == 0, err
    result = target.read_text(encoding="utf-8")
    assert '    income: {general: 573.66}  # 核对过\n' in result
    assert "2299999" not in result
    assert ('  - code: "2080199"                       # 其他人力资源和社会保障管理事务支出\n'
            '    income: {general: 32.07}              # 公开02表!F15\n') in result
    assert result.index('"2080199"') < result.index('"20805"')
    assert "  02表 2080101 行政运行 · 其他收入：3 → 删去（工作簿中为空白）" in out
    assert "删去这一行（工作簿中已没有这个科目）" in out
    assert "  02表 2080199 其他人力资源和社会保障管理事务支出 · 一般公共预算财政拨款收入：新增 32.07" in out
    code, _, err = run(capsys, "import", book, "--into", target)
    assert "没有变化" in err


def test_line_endings_and_bom_are_kept(tmp_path, capsys):
    book = mw.build("yiyang", "sheets-split-codes", tmp_path)
    raw = b"\xef\xbb\xbf" + YIYANG.read_bytes().replace(b"\n", b"\r\n").replace(b"573.66}", b"570.00}", 1)
    target = tmp_path / "crlf.yaml"
    target.write_bytes(raw)
    assert run(capsys, "import", book, "--into", target)[0] == 0
    assert target.read_bytes() == raw.replace(b"570.00}", b"573.66}")


def test_a_unit_in_yuan_takes_the_workbook_in_its_own_unit(tmp_path, capsys):
    """--into converts exactly to the file's 金额单位: 万元 figures into a file in 元."""
    book = mw.build("yiyang", "sheets-split-codes", tmp_path)
    target = tmp_path / "yuan.yaml"
    text = YIYANG.read_text(encoding="utf-8").replace("amount_unit: 万元", "amount_unit: 元")
    target.write_text(text, encoding="utf-8")
    code, out, _ = run(capsys, "import", book, "--into", target)
    assert code == 0
    assert "  02表 2080101 行政运行 · 一般公共预算财政拨款收入：573.66 → 5736600.00" in out
