"""A county in one command: isolation of failures, the workbook, incremental runs, consolidation."""

import shutil
from pathlib import Path
from decimal import Decimal

import pytest
from openpyxl import load_workbook

import generator.render as render_module
from generator.batch import WORKBOOK, run_batch
from generator.cli import main
from generator.pipeline import check_file

from conftest import DATA


@pytest.fixture
def county(tmp_path):
    folder = tmp_path / "县"
    (folder / "乡镇").mkdir(parents=True)
    shutil.copy(DATA / "demo-2024-school.yaml", folder / "demo.yaml")
    shutil.copy(DATA / "yiyang-2024-shebao.yaml", folder / "乡镇" / "yiyang.yaml")
    shutil.copy(DATA / "lanshan-2024-shebao.yaml", folder / "lanshan.yaml")            # its check fails
    (folder / "broken.yaml").write_text("unit: [this is\n", encoding="utf-8")            # not YAML
    crash = (DATA / "demo-2024-school.yaml").read_text(encoding="utf-8").replace("示例县第一中学", "注入失败单位")
    (folder / "crash.yaml").write_text(crash, encoding="utf-8")                         # its renderer raises
    (folder / "_defaults.yaml").write_text("finance_bureau: 示例县财政局\nunit: {year: 2024}\n", encoding="utf-8")
    return folder


@pytest.fixture
def failing_renderer(monkeypatch):
    """Make the renderer raise for one unit (workers are forked, so they inherit the patch)."""
    real = render_module.render_bytes

    def render_bytes(document, profile, formats):
        if document.unit_name == "注入失败单位":
            raise RuntimeError("注入的渲染错误")
        return real(document, profile, formats)

    monkeypatch.setattr(render_module, "render_bytes", render_bytes)


def outputs(folder):
    return sorted(p.name for p in folder.iterdir() if p.suffix in (".docx", ".pdf"))


def test_county_batch(county, tmp_path, failing_renderer, capsys):
    out = tmp_path / "out"
    code = main(["batch", str(county), "-o", str(out), "--jobs", "2", "--format", "docx"])
    assert code == 1
    assert outputs(out) == ["2024年度益阳市社会保险服务中心部门决算.docx", "2024年度示例县第一中学部门决算.docx"]
    wb = load_workbook(out / WORKBOOK)
    header = [c.value for c in wb["单位"][1]]
    column = {name: header.index(name) for name in header}
    units = {row[0]: row for row in wb["单位"].iter_rows(min_row=2, values_only=True)}
    # a YAML syntax error is labelled as such, with its line
    assert units["broken.yaml"][3] == "YAML格式错误（第2行）" and "不是有效的YAML" in units["broken.yaml"][6]
    assert units["lanshan.yaml"][3] == "未生成（数据有错误）" and units["lanshan.yaml"][4] == 5
    assert units["crash.yaml"][3] == "程序出错" and "注入的渲染错误" in units["crash.yaml"][6]
    yiyang = units["乡镇/yiyang.yaml"]
    assert yiyang[3] == "已生成" and yiyang[column["金额单位"]] == "万元"
    # amounts are numbers Excel can sum, in the unit's own display unit, with a number format
    assert yiyang[column["本年收入合计"]] == 841.69 and yiyang[column["三公决算"]] == 1.51
    # the demo school writes 元, its profile shows 万元: the workbook has what the documents show
    assert units["demo.yaml"][column["金额单位"]] == "万元" and units["demo.yaml"][column["本年收入合计"]] < 10_000
    cell = wb["单位"].cell(row=2, column=column["本年支出合计"] + 1)
    assert cell.number_format == "#,##0.00"
    assert wb["单位"].freeze_panes == "A2" and wb["单位"].auto_filter.ref
    issues = list(wb["问题"].iter_rows(min_row=2, values_only=True))
    assert ("lanshan.yaml", "蓝山县社会保险服务中心", "lanshan.yaml:83", "T06-SUM", "错误") == issues[
        [i for i, row in enumerate(issues) if row[3] == "T06-SUM"][0]][:5]
    assert "示例县财政局" in wb.properties.title

    # a second run renders nothing new; the failures are tried again
    before = {p.name: p.stat().st_mtime_ns for p in out.iterdir() if p.suffix == ".docx"}
    report = run_batch(county, out, jobs=2, formats=("docx",))
    assert report.skipped == 2
    assert {p.name: p.stat().st_mtime_ns for p in out.iterdir() if p.suffix == ".docx"} == before
    # a changed unit file is rendered again, the other is not
    demo = county / "demo.yaml"
    demo.write_text(demo.read_text(encoding="utf-8").replace("学校内设", "学校共设"), encoding="utf-8")
    assert run_batch(county, out, jobs=2, formats=("docx",)).skipped == 1
    # --force renders everything again
    assert run_batch(county, out, jobs=2, formats=("docx",), force=True).skipped == 0


def test_defaults_are_inherited(tmp_path):
    folder = tmp_path / "县"
    folder.mkdir()
    text = (DATA / "demo-2024-school.yaml").read_text(encoding="utf-8").replace("  year: 2024\n", "")
    (folder / "demo.yaml").write_text(text, encoding="utf-8")
    (folder / "_defaults.yaml").write_text("unit: {year: 2024}\n", encoding="utf-8")
    report = run_batch(folder, tmp_path / "out", jobs=1, formats=("docx",))
    assert [r.status for r in report.results] == ["已生成"]


def test_bad_defaults_stop_the_batch(tmp_path, capsys):
    folder = tmp_path / "县"
    folder.mkdir()
    shutil.copy(DATA / "demo-2024-school.yaml", folder / "demo.yaml")
    (folder / "_defaults.yaml").write_text("unit: {name: 不能共用}\n", encoding="utf-8")
    assert main(["batch", str(folder), "-o", str(tmp_path / "out")]) == 2
    assert "不能写 name" in capsys.readouterr().err


# ---------------------------------------------------------------- consolidation


def department(tmp_path, units, year=2024, listed=None):
    (tmp_path / "units").mkdir(exist_ok=True)
    for u in units:
        shutil.copy(DATA / u, tmp_path / "units" / u)
    text = f"""\
unit: {{name: 示例部门, code: D1, year: {year}, amount_unit: 万元}}
overview: {{duties: 部门职责。, organization: 内设机构。}}
consolidate:
""" + "".join(f"  - {name}\n" for name in (listed or [f"units/{u}" for u in units]))
    path = tmp_path / "dept.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_consolidation_is_the_row_by_row_sum(tmp_path):
    checked = check_file(department(tmp_path, ["yiyang-2024-shebao.yaml", "lanshan-2024-shebao.yaml"]))
    parts = [check_file(DATA / u) for u in ("yiyang-2024-shebao.yaml", "lanshan-2024-shebao.yaml")]
    t = checked.figures.tables
    for key in ("t02", "t03", "t05"):
        table = getattr(t, key)
        for column in ("total", "basic") if key != "t02" else ("total", "general"):
            for row in table.rows:
                if row.level == "项":
                    expected = sum((getattr(p.figures.tables, key).value(row.code, column) for p in parts), Decimal(0))
                    assert row.values[column] == expected, (key, row.code, column)
    items = checked.loaded.data.basic_items.items
    assert items["30101"].amount == Decimal("143.78") + Decimal("130.03")
    assert checked.figures.three_public.actual == Decimal("1.51") + Decimal("2.81")
    assert checked.loaded.data.overview.subordinate_units == ("益阳市社会保险服务中心", "蓝山县社会保险服务中心")
    assert checked.loaded.data.overview.duties == "部门职责。"
    # lanshan's own errors travel with it
    assert [i.code for i in checked.errors].count("CONS-UNIT") == 1


def test_consolidation_refuses_a_unit_twice_and_mismatched_units(tmp_path):
    twice = check_file(department(tmp_path, ["yiyang-2024-shebao.yaml", "yiyang-2024-shebao.yaml"]))
    assert "CONS-DUPLICATE" in [i.code for i in twice.errors]
    mixed = check_file(department(tmp_path, ["yiyang-2024-shebao.yaml", "demo-2024-school.yaml"]))
    assert any(i.code == "CONS-MISMATCH" and "金额单位" in i.message for i in mixed.errors)
    other_year = check_file(department(tmp_path, ["yiyang-2024-shebao.yaml"], year=2023))
    assert any(i.code == "CONS-MISMATCH" and "年度" in i.message for i in other_year.errors)


@pytest.mark.parametrize("listed", [["dept.yaml"], [str(DATA / "yiyang-2024-shebao.yaml")], ["../outside.yaml"]])
def test_consolidation_reads_only_unit_files_beside_it(tmp_path, listed):
    (tmp_path.parent / "outside.yaml").write_text("unit: {}\n", encoding="utf-8")
    checked = check_file(department(tmp_path, [], listed=listed))
    assert [i.code for i in checked.errors] == ["CONS-PATH"]


def test_defaults_fill_only_what_the_file_leaves_out_and_keep_its_line_numbers():
    from generator.load.county import Defaults
    from generator.load import load_bytes

    text = (DATA / "demo-2024-school.yaml").read_text(encoding="utf-8")
    without_year = text.replace("  year: 2024\n", "").replace("{authorized: 120,", "{authorized: 很多,")
    loaded = load_bytes("demo.yaml", without_year.encode("utf-8"), Defaults({"year": "2024", "profile": "yuan"}))
    assert loaded.data.unit.year == 2024 and loaded.data.unit.profile == "hunan"   # the file's own profile stands
    (issue,) = [i for i in loaded.issues if i.code == "LOAD-TYPE"]
    assert "authorized: 很多" in without_year.splitlines()[issue.line - 1]


def test_two_files_for_one_unit_are_an_error_for_both_and_nothing_is_overwritten(tmp_path):
    folder = tmp_path / "县"
    (folder / "副本").mkdir(parents=True)
    shutil.copy(DATA / "yiyang-2024-shebao.yaml", folder / "yiyang.yaml")
    shutil.copy(DATA / "yiyang-2024-shebao.yaml", folder / "副本" / "yiyang.yaml")   # a copy in a subfolder
    shutil.copy(DATA / "demo-2024-school.yaml", folder / "demo.yaml")
    out = tmp_path / "out"
    report = run_batch(folder, out, jobs=2, formats=("docx",))
    by_file = {r.file: r for r in report.results}
    for name, other in (("yiyang.yaml", "副本/yiyang.yaml"), ("副本/yiyang.yaml", "yiyang.yaml")):
        result = by_file[name]
        assert not result.ok and result.status == "未生成（与其他单位的输出文件同名）"
        (clash,) = [i for i in result.issues if i["code"] == "BATCH-NAME-CLASH"]
        assert other in clash["message"] and "2024年度益阳市社会保险服务中心部门决算.docx" in clash["message"]
    assert outputs(out) == ["2024年度示例县第一中学部门决算.docx"]
    assert not (out / ".juesuan-staging").exists()
    wb = load_workbook(out / WORKBOOK)
    rows = {row[0]: row for row in wb["单位"].iter_rows(min_row=2, values_only=True)}
    assert "同名" in rows["yiyang.yaml"][6] and "副本/yiyang.yaml" in rows["yiyang.yaml"][6]
    # the same clash when one of the two was rendered (and skipped as unchanged) in an earlier run
    shutil.rmtree(folder / "副本")
    assert run_batch(folder, out, jobs=1, formats=("docx",)).failed == []
    (folder / "副本").mkdir()
    shutil.copy(DATA / "yiyang-2024-shebao.yaml", folder / "副本" / "yiyang.yaml")
    report = run_batch(folder, out, jobs=1, formats=("docx",))
    assert sorted(r.file for r in report.failed) == ["yiyang.yaml", "副本/yiyang.yaml"]
    assert outputs(out) == ["2024年度示例县第一中学部门决算.docx"]


def test_names_differing_only_in_case_clash_as_on_windows():
    from generator.batch import UnitResult, _Claims

    claims = _Claims(Path("/nonexistent"))
    assert claims.settle(UnitResult("a.yaml", "已生成", True, planned=["2024年度ABC部门决算.pdf"])) == []
    clashed = claims.settle(UnitResult("b.yaml", "已生成", True, planned=["2024年度abc部门决算.pdf"]))
    assert [u.file for u in clashed] == ["b.yaml", "a.yaml"] and not any(u.ok for u in clashed)


def test_main_issues_are_whole_messages_never_cut_inside_a_number():
    from generator.batch.workbook import main_issues

    issues = [{"severity": "error", "place": f"06表 3020{k} 某费", "message": f"打印数 1234567.8{k} ≠ 各项相加 1234567.0{k}"}
              for k in range(9)]
    text = main_issues(issues, limit=100)
    shown, rest = text.rsplit("；另有", 1)
    assert rest.startswith(f"{9 - shown.count('；') - 1}条")
    for part in shown.split("；"):
        assert part in [f"{i['place']}：{i['message']}" for i in issues]
    assert main_issues([{"severity": "warning", "place": "", "message": "只有警告"}]) == "只有警告"


def test_a_date_as_accountants_write_it_in_the_defaults_renders_every_unit(tmp_path):
    folder = tmp_path / "县"
    folder.mkdir()
    text = (DATA / "demo-2024-school.yaml").read_text(encoding="utf-8").replace('  date: "2025-06-30"\n', "")
    (folder / "demo.yaml").write_text(text, encoding="utf-8")
    (folder / "_defaults.yaml").write_text("unit: {date: 2025年7月1日}\n", encoding="utf-8")
    report = run_batch(folder, tmp_path / "out", jobs=1, formats=("docx",))
    assert [r.status for r in report.results] == ["已生成"]
    import docx
    cover = docx.Document(tmp_path / "out" / report.results[0].outputs[0]).paragraphs
    assert "2025年7月1日" in [p.text for p in cover]


def test_the_review_workbook_links_every_file_the_batch_wrote(tmp_path):
    folder = tmp_path / "县"
    folder.mkdir()
    shutil.copy(DATA / "yiyang-2024-shebao.yaml", folder / "yiyang.yaml")
    out = tmp_path / "out"
    report = run_batch(folder, out, jobs=1, formats=("docx", "xlsx"))
    assert sorted(report.results[0].outputs) == ["2024年度益阳市社会保险服务中心部门决算.docx",
                                                 "2024年度益阳市社会保险服务中心部门决算.xlsx"]
    files = load_workbook(out / WORKBOOK)["文件"]
    rows = list(files.iter_rows(min_row=2))
    assert [r[2].value for r in rows] == ["DOCX（可编辑）", "XLSX（公开表工作簿）"]
    for row in rows:
        assert row[3].hyperlink.target == row[3].value and (out / row[3].value).is_file()
    # the 公开表 workbook: one sheet per table, amounts as numbers
    sheets = load_workbook(out / "2024年度益阳市社会保险服务中心部门决算.xlsx")
    assert sheets.sheetnames == [f"公开0{n}表" for n in range(1, 10)]
    assert sheets["公开02表"]["C7"].value == 841.69


def test_a_batch_sums_a_department_from_the_units_beside_it(tmp_path):
    """In a batch the file's shown name is relative to the county's folder, not to the working
    directory: the department's units are still found beside it (they were not, found by the
    realistic county of bench/)."""
    county = tmp_path / "县"
    county.mkdir()
    department(county, ["yiyang-2024-shebao.yaml"])
    report = run_batch(county, tmp_path / "out", jobs=1, formats=("docx",))
    results = {r.file: r for r in report.results}
    assert set(results) == {"dept.yaml", "units/yiyang-2024-shebao.yaml"}
    dept = results["dept.yaml"]
    assert dept.ok and not [i for i in dept.issues if i["code"].startswith("CONS-")], dept.issues
    assert any(name.endswith(".docx") for name in dept.outputs)
