"""juesuan import: every layout of both reference units reads back to the hand-written data/ file.

The workbooks are built cell by cell from the printed tables (tests/workbooks/make_workbooks.py,
independent of the project's code) in four layouts.  Imported with last year's file (here the
hand-written file itself, so that every non-table text and figure is the same), the result's
tables — every cell of 公开01–09表 as ``figures --json`` prints them — equal the hand-written
file's, and check reports the same issues (plus the 沿用上年 reminders).  Imported into the
hand-written file, nothing changes, byte for byte.
"""

from __future__ import annotations

import shutil
from decimal import Decimal

import pytest

from conftest import DATA
from generator.cli import main
from generator.load.loader import load_file
from generator.pipeline import check_file, figures_document
from workbooks.make_workbooks import LAYOUTS, UNITS, build, default_name

CASES = [(unit, layout) for unit in UNITS for layout in LAYOUTS]


@pytest.fixture(scope="session")
def books(tmp_path_factory):
    folder = tmp_path_factory.mktemp("workbooks")
    for unit, layout in CASES:
        build(unit, layout, folder)
    return folder


def run(capsys, *args):
    code = main([str(a) for a in args])
    out, err = capsys.readouterr()
    return code, out, err


def issues_of(checked):
    return sorted((i.code, i.severity.value, i.place) for i in checked.issues if i.code != "TEXT-CARRIED")


def tables_of(checked):
    return {key: table["rows"] for key, table in figures_document(checked)["tables"].items()}


@pytest.fixture(scope="session")
def reference():
    return {unit: check_file(DATA / f"{unit}-2024-shebao.yaml") for unit in UNITS}


@pytest.mark.parametrize("unit,layout", CASES)
def test_import_gives_the_hand_written_tables_and_issues(unit, layout, books, reference, tmp_path, capsys):
    target = tmp_path / "imported.yaml"
    code, out, err = run(capsys, "import", books / default_name(unit, layout), "-o", target,
                         "--from", DATA / f"{unit}-2024-shebao.yaml", "--year", "2024")
    assert code == 0, err
    assert f"已写出：{target}" in out
    imported = check_file(target)
    assert imported.figures is not None
    assert tables_of(imported) == tables_of(reference[unit])
    assert issues_of(imported) == issues_of(reference[unit])
    carried = {i.path for i in imported.issues if i.code == "TEXT-CARRIED"}
    assert {"overview.duties", "overview.organization", "reasons.total_change"} <= carried


@pytest.mark.parametrize("unit,layout", CASES)
def test_import_into_the_hand_written_file_changes_nothing(unit, layout, books, tmp_path, capsys):
    target = tmp_path / "unit.yaml"
    shutil.copy(DATA / f"{unit}-2024-shebao.yaml", target)
    code, out, err = run(capsys, "import", books / default_name(unit, layout), "--into", target)
    assert code == 0, err
    assert "没有变化" in err
    assert target.read_bytes() == (DATA / f"{unit}-2024-shebao.yaml").read_bytes()


def _model_figures(data):
    """Every table figure of a loaded unit, keyed by where it sits (zeros left out)."""
    out = {}
    for row in data.functional:
        for section in ("income", "expenditure", "general_budget", "fund_budget", "capital_budget"):
            for name, value in vars(getattr(row, section)).items():
                if value:
                    out[(row.code, section, name)] = value
    for code, item in data.basic_items.items.items():
        out[("06", code)] = item.amount
    out[("06", "personnel")] = data.basic_items.personnel_total
    out[("06", "public")] = data.basic_items.public_total
    for column in ("budget", "actual"):
        for name, value in vars(getattr(data.three_public, column)).items():
            if value:
                out[("09", column, name)] = value
    for section in ("income", "expenditure", "general_budget"):
        for name, value in vars(getattr(data.totals, section)).items():
            if value:
                out[("合计", section, name)] = value
    return out


@pytest.mark.parametrize("unit", UNITS)
def test_without_last_year_the_figures_are_there_and_the_rest_is_asked(unit, books, tmp_path, capsys):
    """No --from: the workbook's figures as in the hand-written file; everything else 待填写 (未填写)."""
    target = tmp_path / "new.yaml"
    code, _, err = run(capsys, "import", books / default_name(unit, "sheets-split-codes"), "-o", target)
    assert code == 0, err
    loaded = load_file(target)
    wrong = [i for i in loaded.issues if i.code != "UNFILLED"]
    assert wrong == []
    asked = {i.path for i in loaded.issues}
    assert {"overview.duties", "overview.organization", "last_year.total", "unit.code",
            "three_public.reception_batches"} <= asked
    assert _model_figures(loaded.data) == _model_figures(load_file(DATA / f"{unit}-2024-shebao.yaml").data)
    assert f"待填写 {len(asked)} 处" in err


def test_each_figure_names_its_cell(books, tmp_path, capsys):
    target = tmp_path / "y.yaml"
    run(capsys, "import", books / default_name("yiyang", "sheets-split-codes"), "-o", target)
    text = target.read_text(encoding="utf-8")
    assert '  - code: "2080101"                     # 行政运行\n' \
           "    income: {general: 573.66}           # 公开02表!F14\n" \
           "    expenditure: {basic: 573.66}        # 公开03表!F14\n" in text
    assert '"30101": 143.78                     # 基本工资 公开06表!C7' in text
    assert "personnel_total: 635.97               # 人员经费合计（核对用） 公开06表!C34" in text
    assert "budget: {reception: 1.51, total: 1.51}  # 预算数（全年预算数） 公开09表!A8、F8" in text


def test_a_yuan_workbook_converted_from_wan_is_written_in_wan(books, tmp_path, capsys):
    """Every amount a whole multiple of 100 元: the tables were converted from 万元 (their 万元 tails
    would be errors in 元), so the file is in 万元, exactly; --unit 元 keeps 元."""
    book = books / default_name("yiyang", "sheets-code-column-yuan-text")
    target = tmp_path / "wan.yaml"
    code, _, err = run(capsys, "import", book, "-o", target)
    assert code == 0
    assert "每个金额都是100元的整数倍" in err
    data = load_file(target).data
    assert data.unit.amount_unit == "万元"
    assert data.totals.income.total == Decimal("841.69")
    yuan = tmp_path / "yuan.yaml"
    assert run(capsys, "import", book, "-o", yuan, "--unit", "元")[0] == 0
    data = load_file(yuan).data
    assert data.unit.amount_unit == "元" and data.totals.income.total == Decimal("8416900.00")
