"""Our own XLSX export (``juesuan render --format xlsx``) read back by ``juesuan import`` gives the
figures it was made from: a round trip through the writer, not a fixture (those are in
tests/workbooks, built independently)."""

from __future__ import annotations

import shutil

import pytest

from conftest import DATA
from generator.cli import main
from generator.pipeline import check_file, figures_document, process


def run(capsys, *args):
    code = main([str(a) for a in args])
    out, err = capsys.readouterr()
    return code, out, err


def tables_of(checked):
    return {key: table["rows"] for key, table in figures_document(checked)["tables"].items()}


@pytest.mark.parametrize("unit", ["yiyang-2024-shebao", "demo-2024-school"])
def test_our_export_imports_to_the_same_figures(unit, tmp_path, capsys):
    source = DATA / f"{unit}.yaml"
    (workbook,) = process(source, tmp_path / "out", ("xlsx",)).paths
    target = tmp_path / "back.yaml"
    code, _, err = run(capsys, "import", workbook, "-o", target, "--from", source, "--year", "2024")
    assert code == 0, err
    back, original = check_file(target), check_file(source)
    assert back.loaded.data.unit.amount_unit == original.loaded.data.unit.amount_unit
    assert tables_of(back) == tables_of(original)
    assert sorted((i.code, i.place) for i in back.issues if i.code != "TEXT-CARRIED") == \
        sorted((i.code, i.place) for i in original.issues)


def test_our_export_into_its_own_file_changes_nothing(tmp_path, capsys):
    source = DATA / "yiyang-2024-shebao.yaml"
    (workbook,) = process(source, tmp_path / "out", ("xlsx",)).paths
    target = tmp_path / "unit.yaml"
    shutil.copy(source, target)
    code, _, err = run(capsys, "import", workbook, "--into", target)
    assert code == 0 and "没有变化" in err
    assert target.read_bytes() == source.read_bytes()


def test_an_inconsistent_unit_does_not_round_trip_silently(tmp_path, capsys):
    """蓝山's published 06 contradicts its 05 (primer §8); our export prints 06 as its items sum, so the
    workbook is not consistent with itself — the import says where, and writes nothing."""
    source = DATA / "lanshan-2024-shebao.yaml"
    (workbook,) = process(source, tmp_path / "out", ("xlsx",), draft=True).paths
    code, _, err = run(capsys, "import", workbook, "-o", tmp_path / "back.yaml")
    assert code == 1
    assert "公开05表!D7: IMPORT-TOTAL 错误" in err and "500.63" in err and "83.13" in err
    assert not (tmp_path / "back.yaml").exists()
