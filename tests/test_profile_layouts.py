"""Two more provinces' layouts, each written as a profile folder under tests/profiles (issue 12).

``qita-yuan``: a 元 document; 三公 as 公开07表 before 政府性基金 08 and 国有资本经营 09 (the
labels numbered by place); 单位 in the table heads; 第三部分 十、其他重要事项的情况说明 with
（一）–（四）; completion against the 全年预算; four glossary terms numbered 一、; no cover date;
no page numbers in the 目录; a 整体 form in 万元.

``wan-shi``: a 万元 document; tables with titles only (no 公开NN表, no 行次, no 栏次), zeros as
0.00, a 公开10表; 第三部分 七 政府性基金 / 八 国有资本经营 / 九 三公 / 十 其他重要事项; no
第五部分; project forms with the province's own columns; a section in the unit's own words.

Each unit file (tests/layouts/) is rendered in both formats and checked section by section
and table by table; the expected figures are computed here from the unit files' numbers.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pytest
import yaml

from generator.layout.tree import Heading, Paragraph
from generator.pipeline import check_file, documents
from generator.render import render_bytes

from readback import docx_paragraphs, docx_tables, in_order, pdf_raw_text, squeeze

LAYOUTS = Path(__file__).parent / "layouts"


def yuan(amount) -> str:
    return f"{Decimal(str(amount)):,.2f} 元"


def percent(part, whole, places="0.01") -> str:
    return f"{(Decimal(str(part)) * 100 / Decimal(str(whole))).quantize(Decimal(places), ROUND_HALF_UP)}%"


def _render(name: str, out: Path):
    path = LAYOUTS / name
    checked = check_file(path)
    assert not checked.errors, [i.format() for i in checked.errors]
    results = []
    for n, document in enumerate(documents(checked)):
        outputs, _ = render_bytes(document, checked.profile, ("docx", "pdf"))
        pdf = out / f"{n}.pdf"
        pdf.write_bytes(outputs["pdf"])
        results.append((document, outputs["docx"], pdf))
    return yaml.safe_load(path.read_text(encoding="utf-8")), checked, results


@pytest.fixture(scope="module")
def school(tmp_path_factory):
    """qita-yuan: (the unit file's data, the checked unit, [(document, docx, pdf path)…])."""
    return _render("school-qita-yuan.yaml", tmp_path_factory.mktemp("qita"))


@pytest.fixture(scope="module")
def shebao(tmp_path_factory):
    """wan-shi: the same."""
    return _render("shebao-wan-shi.yaml", tmp_path_factory.mktemp("wanshi"))


def paragraphs(document) -> list[str]:
    return [b.text for b in document.blocks if isinstance(b, Paragraph)]


def under(document, heading: str) -> list[str]:
    """The paragraphs under a heading, up to the next heading of its level or above."""
    blocks = list(document.blocks)
    start = next(i for i, b in enumerate(blocks) if isinstance(b, Heading) and b.text == heading)
    level = blocks[start].level
    out = []
    for b in blocks[start + 1:]:
        if isinstance(b, Heading) and b.level <= level:
            break
        if isinstance(b, Paragraph):
            out.append(b.text)
    return out


def headings(document) -> list[tuple[int, str]]:
    return [(b.level, b.text) for b in document.blocks if isinstance(b, Heading)]


# ------------------------------------------------------------------ both layouts, both formats


@pytest.mark.parametrize("unit", ["school", "shebao"])
def test_both_formats_carry_the_same_headings_and_tables(unit, request):
    _, _, results = request.getfixturevalue(unit)
    for document, docx, pdf in results:
        assert [(f"Heading{level}", text) for level, text in headings(document)] == \
               [p for p in docx_paragraphs(docx) if p[0].startswith("Heading")]
        assert docx_tables(docx) == [grid.matrix() for table in document.tables() for grid in table.grids]
        text = squeeze(pdf_raw_text(pdf))
        assert in_order([t for _, t in headings(document)], text[text.find(squeeze(headings(document)[0][1])):]) is None
        for table in document.tables():
            assert in_order([table.title, *(c.text for g in table.grids for r in g.rows for c in r)],
                            text) is None, table.key
            assert squeeze(table.label) in text


# ------------------------------------------------------------------ qita-yuan


def test_qita_parts_sections_and_numbering(school):
    _, _, results = school
    document = results[0][0]
    got = headings(document)
    assert [t for level, t in got if level == 1] == [
        "第一部分 单位概况", "第二部分 2024年度单位决算表", "第三部分 2024年度单位决算情况说明", "第四部分 名词解释", "第五部分 附件"]
    part3 = [t for level, t in got if level in (2, 3)]
    start = part3.index("一、收入支出决算总体情况说明")
    assert part3[start:start + 21] == [
        "一、收入支出决算总体情况说明", "二、收入决算情况说明", "三、支出决算情况说明", "四、财政拨款收入支出决算总体情况说明",
        "五、一般公共预算财政拨款支出决算情况说明", "（一）总体情况", "（二）结构情况", "（三）具体情况",
        "六、一般公共预算财政拨款基本支出决算情况说明",
        "七、财政拨款“三公”经费支出决算情况说明", "（一）总体情况", "（二）具体情况",
        "八、政府性基金预算财政拨款支出决算情况说明", "九、国有资本经营预算财政拨款支出决算情况说明",
        "十、其他重要事项的情况说明", "（一）机关运行经费支出情况", "（二）政府采购支出情况", "（三）国有资产占用情况",
        "（四）预算绩效管理情况", "2024年度示例县第一中学整体支出绩效自评报告", "一、部门（单位）基本情况"]
    assert document.blocks[0].title == "2024年度示例县第一中学单位决算" and document.blocks[0].date == ""
    assert document.toc.page_numbers is False


def test_qita_tables_in_the_province_s_order_with_its_labels_and_heads(school):
    data, _, results = school
    document = results[0][0]
    statements = document.tables("statement")
    assert [(t.label, t.title) for t in statements][6:] == [
        ("公开07表", "财政拨款“三公”经费支出决算表"), ("公开08表", "政府性基金预算财政拨款收入支出决算表"),
        ("公开09表", "国有资本经营预算财政拨款支出决算表")]
    assert [t.label for t in statements] == [f"公开{n:02d}表" for n in range(1, 10)]
    assert {t.owner for t in statements} == {"单位：示例县第一中学"}
    assert statements[0].notes[0] == "注：1. 本表反映单位本年度的总收支和年末结转结余情况。"
    # 三公: 预算数 and 决算数 side by side under each item
    t09 = statements[6].grids[0].matrix()
    # (a merged cell's text in its first slot, the slots it covers blank)
    assert t09[0] == ["合计", "", "因公出国（境）费", "", "公务用车购置费", "", "公务用车运行维护费", "", "公务接待费", ""]
    assert [c.colspan for c in statements[6].grids[0].header[0]] == [2] * 5
    assert t09[1] == ["预算数", "决算数"] * 5
    tp = data["three_public"]
    assert t09[3][:2] == [f"{tp['budget']['total']:,.2f}", f"{tp['actual']['total']:,.2f}"]
    assert t09[3][8:] == [f"{tp['budget']['reception']:,.2f}", f"{tp['actual']['reception']:,.2f}"]
    # 06: the classes listed that have amounts; 310 (spent) shown, 307/309/311–313/399 (nothing) not
    t06 = statements[5].grids[0].matrix()
    third_codes = [row[6] for row in t06[2:] if len(row[6]) == 3]
    assert third_codes == ["310"]


def test_qita_completion_against_the_full_year_budget(school):
    data, _, results = school
    document = results[0][0]
    text = paragraphs(document)
    full_year = data["initial_budget"]["full_year_total"]
    spent = sum(Decimal(str(r["general_budget"].get("basic", 0))) + Decimal(str(r["general_budget"].get("project", 0)))
                for r in data["functional"] if "general_budget" in r)
    assert f"2024年度一般公共预算财政拨款支出全年预算数为{yuan(full_year)}，支出决算数为{yuan(spent)}，" \
           f"完成全年预算的{percent(spent, full_year)}，其中：" in text
    line = data["initial_budget"]["lines"]["2050204"]
    assert (f"全年预算为{yuan(line['full_year'])}，支出决算为{yuan(8000000)}，完成全年预算的"
            f"{percent(8000000, line['full_year'])}。决算数小于全年预算数，主要原因是："
            "（1）部分教学设备采购延至下年；（2）校舍维修工程结算金额低于预算。") in text


def test_qita_sentences_the_data_gives(school):
    data, _, results = school
    document = results[0][0]
    text = "\n".join(paragraphs(document))
    ly = data["last_year"]
    # each 类 against last year: 205 7,900,000 → 8,000,000
    assert (f"与上年相比，教育支出（类）增加{yuan(100000)}，增长{percent(100000, ly['general_by_class']['205'])}，"
            "主要原因是：教师绩效工资标准调整；社会保障和就业支出（类）持平；") in text
    # 政府性基金 against last year; 国有资本经营: nothing either year, nothing said
    fund = Decimal("100000.00")
    assert (f"与上年相比，支出增加{yuan(fund - Decimal(str(ly['fund_expenditure'])))}，"
            f"增长{percent(fund - Decimal(str(ly['fund_expenditure'])), ly['fund_expenditure'])}。"
            "主要原因是：彩票公益金资助的学生活动项目增加。") in text
    assert "2024年度本单位没有使用国有资本经营预算安排的支出，公开09表为空表。\n" in text + "\n"
    detail = data["three_public"]["reception_detail"]["domestic"]
    assert (f"其中：国内公务接待费{yuan(detail['amount'])}，接待{detail['batches']}批次、{detail['people']}人次；"
            "未发生国（境）外公务接待。") in text
    assert "主要用于保障教学管理用车的燃料、维修、保险等支出。截至2024年12月31日" in text
    assets = data["assets"]
    assert (f"截至2024年12月31日，本单位共有房屋面积{Decimal(str(assets['building_area'])):,.2f}平方米；共有车辆1辆，"
            f"其中：其他用车1辆；单价50万元以上设备（不含车辆）{assets['equipment_over_500k']}台（套），"
            "其中无单价100万元以上设备（不含车辆）。") in text
    glossary = under(document, "第四部分 名词解释")
    assert [p.split("：")[0] for p in glossary] == ["一、基本支出", "二、项目支出", "三、“三公”经费", "四、机关运行经费"]


def test_qita_the_whole_form_in_wan_yuan_inside_the_yuan_document(school):
    data, _, results = school
    document = results[0][0]
    whole = document.table("eval:0")
    funds = data["evaluation"]["whole"]["funds"]
    assert whole.unit == "金额单位：万元" and document.table("eval:1").unit == "金额单位：元"
    assert [c.text for c in whole.grids[0].body[2]][1:4] == [f"{Decimal(str(funds[k])):,.2f}" for k in
                                                             ("initial_budget", "full_year_budget", "executed")]
    executed_yuan = Decimal(str(funds["executed"])) * 10000
    assert any(p.startswith("2024年度部门整体支出年初预算数") and f"全年执行数{yuan(executed_yuan)}" in p
               for p in paragraphs(document))


# ------------------------------------------------------------------ wan-shi


def test_wanshi_parts_and_sections(shebao):
    _, _, results = shebao
    document = results[0][0]
    got = headings(document)
    assert [t for level, t in got if level == 1] == [
        "第一部分 概况", "第二部分 2024年度部门决算表", "第三部分 2024年度部门决算情况说明", "第四部分 名词解释"]
    assert [t for level, t in got if level == 2][:2] == ["一、主要职能", "二、机构设置"]
    part3 = [t for level, t in got if level == 2][2:]
    assert part3[6:] == ["七、政府性基金预算财政拨款支出决算情况说明", "八、国有资本经营预算财政拨款支出决算情况说明",
                         "九、财政拨款“三公”经费支出决算情况说明", "十、其他重要事项的情况说明"]
    assert [t for level, t in got if level == 3][-5:] == [
        "（一）机关运行经费支出情况", "（二）政府采购支出情况", "（三）国有资产占用情况", "（四）预算绩效管理情况",
        "（五）一般性支出情况"]
    # the unit's own words for 八, the province's 空表 sentence naming the table by its title
    text = paragraphs(document)
    own = shebao[0]["texts"]["capital"]
    after = text[text.index(own) - 1]
    assert after.endswith("《政府性基金预算财政拨款收入支出决算表》为空表。")
    terms = under(document, "第四部分 名词解释")
    assert len(terms) == 15 and terms[0].startswith("1. 财政拨款收入：") and terms[-1].startswith("15. 机关运行经费：")


def test_wanshi_tables_print_titles_only_without_row_and_column_numbers(shebao):
    _, _, results = shebao
    document = results[0][0]
    statements = document.tables("statement")
    assert [t.key for t in statements] == [f"t{n:02d}" for n in range(1, 11)]
    assert {t.label for t in statements} == {""}
    assert statements[-1].title == "部门决算公开相关信息统计表"
    t01 = statements[0].grids[0].matrix()
    assert t01[0] == ["收入", "", "支出", ""] and t01[1] == ["项目", "决算数", "项目", "决算数"]
    assert not any("栏次" in row for row in t01) and not any("行次" in cell for row in t01 for cell in row)
    # zeros as 0.00: 二、政府性基金预算财政拨款收入
    assert t01[3][:2] == ["二、政府性基金预算财政拨款收入", "0.00"]
    t10 = statements[-1].grids[0].matrix()
    assert t10[0] == ["项目", "计量单位", "统计数"]


def test_wanshi_project_forms_have_the_province_s_columns_in_the_evaluation_file(shebao):
    data, checked, results = shebao
    assert len(results) == 2 and not results[0][0].tables("form")     # no 第五部分: the forms have their own file
    evaluation = results[1][0]
    first = evaluation.table("eval:0")
    top, indicators = first.grids
    funds = data["evaluation"]["projects"][0]["funds"]
    assert [c.text for c in top.body[2]][2:6] == ["年初预算数", "全年预算数", "全年执行数", "资金结转结余"]
    assert [c.text for c in top.body[3]][1:5] == [f"{Decimal(str(funds[k])):.2f}" for k in
                                                  ("initial_budget", "full_year_budget", "executed", "balance")]
    assert [c.text for c in indicators.header[0]][4:6] == ["目标申报数", "年初指标值"]
    # 8 of 10 executed → 8; 80 of 100 家 → 50 × 0.8 = 40; the tier and the satisfaction full: 8 + 40 + 20 + 20
    assert checked.evaluation[0].total == Decimal(8) + Decimal(40) + Decimal(20) + Decimal(20)
    assert first.closing == "等级：良"
