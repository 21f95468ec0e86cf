"""The layout stage: tables from their profile definitions, header rows from header lists, user text kept on its line."""

from __future__ import annotations

from pathlib import Path

from generator.layout.tables import column_numbers, header_rows
from generator.layout.tree import Cell, Heading
from generator.pipeline import check_file, documents
from generator.render import render_bytes

from conftest import DATA, check_text, unit_text
from readback import docx_tables, in_order, pdf_raw_text, squeeze, xlsx_sheets

PROFILES = Path(__file__).resolve().parent / "profiles"


def test_header_rows_merge_shared_parents_and_span_short_lists_down():
    paths = [["项目", "科目代码"], ["项目", "科目名称"], ["本年支出", "小计"], ["本年支出", "基本支出"], ["年末结转和结余"]]
    top, second = header_rows(paths)
    assert top == [Cell("项目", "header", colspan=2), Cell("本年支出", "header", colspan=2),
                   Cell("年末结转和结余", "header", rowspan=2)]
    assert [c.text for c in second] == ["科目代码", "科目名称", "小计", "基本支出"]
    assert [c.text for c in column_numbers(["code", "label", "amount", "amount", "index", "amount"])] == \
        ["栏次", "1", "2", "", "3"]


def test_a_province_s_own_05_is_a_profile_folder_alone_in_every_format(tmp_path):
    checked = check_file(DATA / "yiyang-2024-shebao.yaml", profile=str(PROFILES / "split-codes"))
    document = documents(checked)[0]
    t05 = document.table("t05")
    matrix = t05.grids[0].matrix()
    assert t05.title == "一般公共预算财政拨款支出决算明细表"
    assert matrix[0][:5] == ["功能分类科目编码", "", "", "科目名称", "基本支出"]
    assert matrix[1][:3] == ["类", "款", "项"]
    assert matrix[3][:7] == ["201", "", "", "一般公共服务支出", "45.61", "", "45.61"]
    assert matrix[5][:4] == ["201", "05", "01", "行政运行"]
    assert matrix[-1][0] == "总计" and matrix[-1][4:7] == ["841.69", "", "841.69"]
    # the other tables are Hunan's
    assert document.table("t02").grids[0].matrix()[1][0] == "科目代码"
    outputs, _ = render_bytes(document, checked.profile, ("docx", "pdf", "xlsx"))
    assert docx_tables(outputs["docx"])[4] == matrix
    sheet = xlsx_sheets(outputs["xlsx"])["公开05表"]
    assert sheet[3][:4] == ["功能分类科目编码", "", "", "科目名称"] and sheet[-2][0] == "总计"
    pdf = tmp_path / "x.pdf"
    pdf.write_bytes(outputs["pdf"])
    assert in_order(["一般公共预算财政拨款支出决算明细表", "功能分类科目编码", "类", "款", "项", "201", "05", "01",
                     "行政运行"], squeeze(pdf_raw_text(pdf))) is None


def test_a_line_break_in_a_name_never_becomes_a_heading():
    checked = check_text(unit_text({"names": {"2080109": "社会保险经办机构\nH1 注入的标题"}}))
    assert not checked.errors
    document = documents(checked)[0]
    headings = [b.text for b in document.blocks if isinstance(b, Heading)]
    assert "注入的标题" not in headings and not any("注入" in h for h in headings)
    texts = [cell.text for t in document.tables() for g in t.grids for r in g.rows for cell in r]
    assert "社会保险经办机构H1 注入的标题" in texts or any("注入的标题" in t for t in texts)
