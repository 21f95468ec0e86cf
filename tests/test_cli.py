"""The command line: exit codes, issue lines, JSON, no traceback for bad input."""

import json
import subprocess
import sys

import pytest

from generator.cli import main

from conftest import DATA, ROOT, unit_text


def run(capsys, *args):
    code = main([str(a) for a in args])
    out, err = capsys.readouterr()
    return code, out, err


def test_clean_unit_exits_0(capsys):
    code, out, err = run(capsys, "check", DATA / "demo-2024-school.yaml")
    assert code == 0 and out == ""
    assert "通过（错误 0 条，警告 0 条）" in err


def test_warnings_only_exit_0_and_print_file_line_code(capsys):
    code, out, _ = run(capsys, "check", DATA / "yiyang-2024-shebao.yaml")
    assert code == 0
    lines = out.splitlines()
    # the three rounding tails of the published tables, and the 公务接待 counts it does not state
    assert [line.split(": ")[1].split()[0] for line in lines] == ["T02-SUM", "T06-SUM", "COUNT-MISSING", "BUDGET-SUM"]
    # the level in Chinese, the place as the accountant sees it (table, row, column), no field path
    assert lines[0].startswith(f"{DATA / 'yiyang-2024-shebao.yaml'}:88: T02-SUM 警告 02表 合计行 · 一般公共预算财政拨款收入：")
    assert "totals.income" not in out


def test_errors_exit_1_naming_the_lanshan_inconsistencies(capsys):
    code, out, _ = run(capsys, "check", DATA / "lanshan-2024-shebao.yaml")
    assert code == 1
    assert ":83: T06-SUM 错误 06表 302 商品和服务支出：打印数 83.35 ≠ 各项相加 83.13" in out
    assert ":96: T06-SUM 警告 06表 人员经费合计：打印数 417.28 ≠ 各项相加 417.27" in out


def test_json_keeps_the_machine_path_beside_the_place(capsys):
    code, out, _ = run(capsys, "check", "--json", DATA / "lanshan-2024-shebao.yaml")
    (report,) = json.loads(out)
    issue = next(i for i in report["issues"] if i["line"] == 83)
    assert issue["path"] == "basic_items.items.302" and issue["place"] == "06表 302 商品和服务支出"
    assert issue["severity"] == "error"


@pytest.mark.parametrize("content", [b"- a list\n", b"a: [unclosed\n", b"", b"\xff\xfe\x00bad"])
def test_unusable_input_exits_2_without_traceback(tmp_path, capsys, content):
    bad = tmp_path / "bad.yaml"
    bad.write_bytes(content)
    code, out, err = run(capsys, "check", bad)
    assert code == 2
    assert "Traceback" not in out + err
    assert out.startswith(f"{bad}")


def test_missing_file_exits_2(tmp_path, capsys):
    code, out, _ = run(capsys, "check", tmp_path / "nope.yaml")
    assert code == 2 and "LOAD-READ" in out


def test_worst_exit_code_over_several_files(tmp_path, capsys):
    bad = tmp_path / "bad.yaml"
    bad.write_text("- x\n")
    code, _, _ = run(capsys, "check", DATA / "demo-2024-school.yaml", DATA / "lanshan-2024-shebao.yaml", bad)
    assert code == 2


def test_check_json(capsys):
    code, out, _ = run(capsys, "check", "--json", DATA / "lanshan-2024-shebao.yaml")
    report = json.loads(out)
    assert code == 1 and report[0]["exit_code"] == 1 and report[0]["errors"] == 5
    assert {"file", "line", "path", "code", "severity", "message"} <= set(report[0]["issues"][0])


def test_figures_json_gives_rendered_strings(capsys):
    code, out, _ = run(capsys, "figures", "--json", DATA / "yiyang-2024-shebao.yaml")
    doc = json.loads(out)
    assert code == 0
    assert doc["figures"]["personnel"]["share"] == "75.56%"
    # each table as rows of cells, as printed: the header rows, the 栏次 row, then 合计
    rows = doc["tables"]["t02"]["rows"]
    assert rows[0][:3] == ["项目", "", "本年收入合计"] and rows[2][:3] == ["栏次", "", "1"]
    assert rows[3][:4] == ["合计", "", "841.69", "841.69"]


def test_figures_refuses_structurally_broken_file(tmp_path, capsys):
    bad = tmp_path / "u.yaml"
    bad.write_text(unit_text({"functional": [{"code": "12"}]}), encoding="utf-8")
    code, out, err = run(capsys, "figures", "--json", bad)
    assert code == 1 and out == "" and "LOAD-CODE" in err


def test_bad_option_exits_2(capsys):
    with pytest.raises(SystemExit) as exc:
        main(["render", "x.yaml", "--format", "odt"])
    assert exc.value.code == 2
    assert "不支持的格式" in capsys.readouterr().err


def test_module_and_console_script_entry_points():
    result = subprocess.run([sys.executable, "-m", "generator", "check", str(DATA / "demo-2024-school.yaml")],
                            capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 0
    result = subprocess.run([sys.executable, "-m", "generator", "--help"], capture_output=True, text=True)
    assert "用法" in result.stdout and "check" in result.stdout


def test_evaluation_only_file_check_and_render(tmp_path, capsys):
    unit = DATA / "yuanjiang-2024-shebao-jixiao.yaml"
    code, out, _ = run(capsys, "check", unit)
    assert code == 1 and "PERF-OVER-100 错误 绩效 · 项目“待遇领取资格认证工作经费” · 指标“群众满意度” · 实际完成值" in out
    code, _, err = run(capsys, "render", unit, "-o", tmp_path, "--format", "docx")
    assert code == 1 and "未生成" in err and list(tmp_path.iterdir()) == []
    code, out, _ = run(capsys, "render", unit, "-o", tmp_path, "--format", "docx", "--draft")
    assert code == 0
    assert [p.name for p in tmp_path.iterdir()] == ["2024年度沅江市社会保险服务中心绩效自评.docx"]


def test_unsafe_unit_name_is_mapped_to_a_safe_file_name(tmp_path, capsys):
    text = unit_text({"unit": {"name": "../../etc/单位\\名称:*?", "code": "T/1", "year": 2024}})
    source = tmp_path / "u.yaml"
    source.write_text(text, encoding="utf-8")
    out = tmp_path / "out"
    code, stdout, err = run(capsys, "render", source, "-o", out, "--format", "docx")
    assert code == 0
    (written,) = list(out.iterdir())
    assert written.parent == out and "/" not in written.name and not written.name.startswith(".")
    assert "文件名中不能使用的字符已替换" in err and written.stem in err
