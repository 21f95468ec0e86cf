"""Reading a workbook by meaning: titles in provinces' wordings and numberings, headers with or
without merges, amounts as printed, names from the workbook — and whatever cannot be placed is an
issue naming its cell, never dropped and never guessed."""

from __future__ import annotations

from decimal import Decimal

import pytest

from generator.cli import main
from generator.importer.cells import amount
from generator.importer.locate import title_kind
from generator.load.loader import load_file
from generator.pipeline import check_file
from workbooks import make_workbooks as mw


def run(capsys, *args):
    code = main([str(a) for a in args])
    out, err = capsys.readouterr()
    return code, out, err


def grids(unit="yiyang"):
    return mw.grids_for(mw.DATA[unit], "sheets-split-codes")


def cell_at(grid: mw.Grid, text: str) -> tuple[int, int]:
    return next(at for at, cell in grid.cells.items() if cell.value == text)


def row_of(grid: mw.Grid, code: str) -> int:
    """The row of a 功能分类 code written over 类 | 款 | 项 columns."""
    return next(r for (r, c), cell in grid.cells.items() if c == 0 and
                "".join(str(grid.cells[(r, i)].value) for i in range(3) if (r, i) in grid.cells) == code)


def write(tmp_path, sheets, name="wb.xlsx"):
    path = tmp_path / name
    path.write_bytes(mw.xlsx_bytes(sheets))
    return path


def imported(tmp_path, capsys, sheets, *options):
    target = tmp_path / "u.yaml"
    code, out, err = run(capsys, "import", write(tmp_path, sheets), "-o", target, *options)
    return code, err, target


def figures(path):
    data = load_file(path).data
    rows = {(r.code, s, k): v for r in data.functional for s in ("income", "expenditure", "general_budget")
            for k, v in vars(getattr(r, s)).items() if v}
    return rows, {c: i.amount for c, i in data.basic_items.items.items()}, data.three_public.actual


@pytest.fixture(scope="module")
def baseline(tmp_path_factory):
    folder = tmp_path_factory.mktemp("baseline")
    target = folder / "u.yaml"
    assert main(["import", str(write(folder, grids())), "-o", str(target)]) == 0
    return figures(target)


@pytest.mark.parametrize("text,kind", [
    ("收入支出决算总表", "t01"), ("2024年度益阳市社会保险服务中心收入支出决算总表", "t01"), ("部门收支决算总表", "t01"),
    ("收入决算表", "t02"), ("部门支出决算表", "t03"), ("财政拨款收支决算总表", "t04"),
    ("一般公共预算财政拨款支出决算明细表", "t05"), ("一般公共预算财政拨款基本支出决算表", "t06"),
    ("政府性基金预算财政拨款收入支出决算表", "t07"), ("国有资产经营预算财政拨款支出决算表", "t08"),
    ('财政拨款"三公"经费支出决算表', "t09"), ("一般公共预算财政拨款“三公”经费支出决算表", "t09"),
    ("部门决算公开相关信息统计表", "t10"),
    ("注：本表反映部门本年度各项支出情况。", None), ("公开02表", None), ("在职人员名单", None),
])
def test_titles_in_their_variants(text, kind):
    assert title_kind(text) == kind


@pytest.mark.parametrize("raw,value", [
    (841.6900000000001, "841.69"), (45.61, "45.61"), (493, "493"), ("8,416,900.00", "8416900.00"),
    ("４，４８７，８００．００", "4487800.00"), (" 13,500.00\u3000", "13500.00"), ("——", "0"), ("0.00", "0.00"),
    ("", None), (None, None),
])
def test_amounts_as_printed(raw, value):
    got, problem = amount(raw, 6)
    assert problem is None and (got == Decimal(value) if value is not None else got is None)


@pytest.mark.parametrize("raw,words", [("12.3万", "不要写单位"), ("12,34.5", "不能含有文字"), (-5, "负数"),
                                        ("1.234", "小数位太多")])
def test_what_is_not_an_amount(raw, words):
    got, problem = amount(raw, 2)
    assert got is None and words in problem


def test_sanggong_numbered_07_is_still_sanggong(tmp_path, capsys, baseline):
    """The number varies by province (三公 as 公开07表): the title decides which table it is."""
    sheets = grids()
    by_label = {g.name: g for g in sheets}
    t07, t09 = by_label["公开07表"], by_label["公开09表"]
    t07.cells[cell_at(t07, "公开07表")].value = "公开09表"
    t09.cells[cell_at(t09, "公开09表")].value = "公开07表"
    t07.name, t09.name = "表九", "表七"
    code, err, target = imported(tmp_path, capsys, sheets)
    assert code == 0, err
    assert figures(target) == baseline


def test_headers_without_merges_and_a_table_without_its_title(tmp_path, capsys, baseline):
    """Sheets saved without merged cells print a group header once; a table whose title is missing
    is told by its header texts."""
    sheets = grids()
    for g in sheets:
        g.merges = []
    t02 = next(g for g in sheets if g.name == "公开02表")
    del t02.cells[cell_at(t02, "收入决算表")]
    t02.name = "Sheet2"
    code, err, target = imported(tmp_path, capsys, sheets)
    assert code == 0, err
    assert figures(target) == baseline


def test_a_name_the_catalogue_lacks_or_words_differently(tmp_path, capsys):
    """The workbook's name wins: a code outside the catalogue imports cleanly, a different wording of a
    known code is written with a warning from check (NAME-DIFFERS)."""
    sheets = grids()
    for g in sheets:
        for at, cell in list(g.cells.items()):
            if cell.value == "01" and g.cells.get((at[0], at[1] - 2), mw.Cell("")).value == "221":
                cell.value = "99"                       # 2210201 住房公积金 → 2210299, not in the catalogue
            if cell.value == "住房公积金" and at[1] == 3:
                cell.value = "其他住房改革支出"
            if cell.value == "统计信息事务":
                cell.value = "统计信息事务管理"         # 20105, as a province words it
    code, err, target = imported(tmp_path, capsys, sheets)
    assert code == 0, err
    text = target.read_text(encoding="utf-8")
    assert 'name: 其他住房改革支出' in text and "标准目录中没有这个编码" in text
    issues = check_file(target).issues
    assert not [i for i in issues if i.code == "CODE-UNKNOWN"]
    assert [i.place for i in issues if i.code == "NAME-DIFFERS"] == ["功能分类 20105 统计信息事务管理 · 科目名称"]


def test_a_column_no_table_has_is_reported_with_its_cell(tmp_path, capsys):
    sheets = grids()
    t03 = next(g for g in sheets if g.name == "公开03表")
    at = cell_at(t03, "对附属单位补助支出")
    t03.cells[at].value = "财政专户管理资金支出"
    r, c = row_of(t03, "2080101"), at[1]
    t03.cells[(r, c)] = mw.Cell(5.0)
    code, err, target = imported(tmp_path, capsys, sheets)
    assert code == 1 and not target.exists()
    assert f"公开03表!{mw._col_letter(c)}{r + 1}: IMPORT-UNPLACED 错误" in err
    assert "栏目“财政专户管理资金支出”不是这张表认识的栏目" in err


def test_a_row_without_code_is_reported_with_its_cell(tmp_path, capsys):
    sheets = grids()
    t05 = next(g for g in sheets if g.name == "公开05表")
    r = row_of(t05, "2210201")
    for c in range(3):
        t05.cells.pop((r, c), None)
    t05.cells[(r, 3)].value = "其中：住房公积金"
    code, err, _ = imported(tmp_path, capsys, sheets)
    assert code == 1
    assert f"公开05表!A{r + 1}: IMPORT-UNPLACED 错误" in err and "没有科目编码" in err


def test_a_cell_that_is_not_an_amount(tmp_path, capsys):
    sheets = grids()
    t06 = next(g for g in sheets if g.name == "公开06表")
    r, c = cell_at(t06, "30201")
    t06.cells[(r, c + 2)] = mw.Cell("10.02万")
    code, err, _ = imported(tmp_path, capsys, sheets)
    assert code == 1
    assert f"公开06表!{mw._col_letter(c + 2)}{r + 1}: IMPORT-AMOUNT 错误" in err and "不要写单位" in err


def test_a_missing_table(tmp_path, capsys):
    sheets = [g for g in grids() if g.name != "公开06表"]
    code, err, _ = imported(tmp_path, capsys, sheets)
    assert code == 1 and "没有找到06表“一般公共预算财政拨款基本支出决算明细表”" in err
    sheets = [g for g in grids() if g.name not in ("公开07表", "公开08表")]
    code, err, _ = imported(tmp_path, capsys, sheets)
    assert code == 0 and "按空表处理" in err
