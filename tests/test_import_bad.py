"""juesuan import refuses what it cannot read faithfully: a message in Chinese naming the sheet and
cell, an exit code as for check (2: the workbook cannot be used; 1: its figures are wrong), and no
file written."""

from __future__ import annotations

import shutil

import pytest

from conftest import DATA
from generator.cli import main
from workbooks.make_workbooks import BAD_CASES, bad_name, build, build_bad

#: case → (exit code, what the message must say)
EXPECTED = {
    "corrupt": (2, ["IMPORT-CORRUPT", "工作簿已损坏"]),
    "password": (2, ["IMPORT-PASSWORD", "密码"]),
    "no-tables": (2, ["IMPORT-NO-TABLES", "没有认出任何一张公开表", "在职人员名单、固定资产清单"]),
    "duplicate-table": (1, ["IMPORT-DUPLICATE-TABLE", "收入决算表出现了两次：公开02表!A1", "'公开02表 (2)'!A1"]),
    "total-disagrees": (1, ["公开02表!E8: IMPORT-TOTAL 错误", "851.69", "841.70", "超出尾数误差"]),
    "unit-mismatch": (1, ["公开03表!J3: IMPORT-UNIT 错误", "金额单位为“元”", "“万元”"]),
    "formula-no-cache": (1, ["公开02表!E8: IMPORT-FORMULA 错误", "=SUM(F8:K8)", "没有保存它的计算结果"]),
}


@pytest.fixture(scope="session")
def bad(tmp_path_factory):
    folder = tmp_path_factory.mktemp("bad")
    for case in BAD_CASES:
        build_bad(case, folder)
    return folder


def run(capsys, *args):
    code = main([str(a) for a in args])
    out, err = capsys.readouterr()
    return code, out, err


def test_every_bad_case_has_an_expectation():
    assert set(EXPECTED) == set(BAD_CASES)


@pytest.mark.parametrize("case", BAD_CASES)
def test_bad_workbook_is_refused_and_nothing_written(case, bad, tmp_path, capsys):
    target = tmp_path / "unit.yaml"
    code, out, err = run(capsys, "import", bad / bad_name(case), "-o", target)
    exit_code, words = EXPECTED[case]
    assert code == exit_code
    for word in words:
        assert word in err, (word, err)
    assert "未写出文件" in err and out == ""
    assert "Traceback" not in err
    assert not target.exists()
    assert list(tmp_path.iterdir()) == []  # no temporary file left either


@pytest.mark.parametrize("case", BAD_CASES)
def test_bad_workbook_into_leaves_the_file_as_it_was(case, bad, tmp_path, capsys):
    target = tmp_path / "unit.yaml"
    shutil.copy(DATA / "yiyang-2024-shebao.yaml", target)
    code, _, err = run(capsys, "import", bad / bad_name(case), "--into", target)
    assert code == EXPECTED[case][0]
    assert "未更新" in err
    assert target.read_bytes() == (DATA / "yiyang-2024-shebao.yaml").read_bytes()


def test_an_existing_file_is_not_overwritten_without_force(tmp_path, capsys):
    book = build("yiyang", "sheets-split-codes", tmp_path)
    target = tmp_path / "unit.yaml"
    target.write_text("# 会计写的文件\n", encoding="utf-8")
    code, _, err = run(capsys, "import", book, "-o", target)
    assert code == 2 and "已存在，不覆盖" in err and "--force" in err
    assert target.read_text(encoding="utf-8") == "# 会计写的文件\n"
    code, out, _ = run(capsys, "import", book, "-o", target, "--force")
    assert code == 0 and "已写出" in out
    assert target.read_text(encoding="utf-8").startswith("# yaml-language-server")


def test_options_that_contradict_each_other(tmp_path, capsys):
    book = build("yiyang", "sheets-split-codes", tmp_path)
    code, _, err = run(capsys, "import", book, "--into", DATA / "yiyang-2024-shebao.yaml", "-o", tmp_path / "x.yaml")
    assert code == 2 and "不能与 -o 或 --from 同时使用" in err
    code, _, err = run(capsys, "import", book, "--from", tmp_path / "没有这个文件.yaml")
    assert code == 2 and "不存在" in err


def test_a_file_that_is_not_a_workbook(tmp_path, capsys):
    paper = tmp_path / "决算报表.txt"
    paper.write_text("这不是工作簿", encoding="utf-8")
    code, _, err = run(capsys, "import", paper, "-o", tmp_path / "x.yaml")
    assert code == 2 and "不是 Excel 工作簿" in err
    code, _, err = run(capsys, "import", tmp_path / "missing.xlsx")
    assert code == 2 and "无法读取工作簿" in err


def test_last_year_file_that_cannot_be_used(tmp_path, capsys):
    book = build("yiyang", "sheets-split-codes", tmp_path)
    broken = tmp_path / "上年.yaml"
    broken.write_text("unit: [\n", encoding="utf-8")
    code, _, err = run(capsys, "import", book, "-o", tmp_path / "x.yaml", "--from", broken)
    assert code == 2 and "上年的文件无法使用" in err
    assert not (tmp_path / "x.yaml").exists()
