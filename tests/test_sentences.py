"""Every sentence of 第三部分 with a zero, missing or equal case says only what the data says.

No invented zeros (接待来访团组0个 when no count was written), no 开支0万元 where
published documents say 未举办 / 无…支出, and a reason given for an item equal to its
budget is printed for that item as it is for the total.
"""

from __future__ import annotations

import copy


from generator.layout.document import build_document
from generator.layout.tree import Paragraph
from generator.profiles import load_profile

from conftest import BASE_UNIT, check_text, unit_text


def paragraphs(changes: dict | None = None, drop: tuple[str, ...] = (), profile: str = "hunan") -> str:
    checked = check_text(unit_text(changes, drop))
    assert not checked.errors, [i.format() for i in checked.errors]
    document = build_document(checked, load_profile(profile))
    return "\n".join(b.text for b in document.blocks if isinstance(b, Paragraph))


def three_public(**extra) -> dict:
    tp = copy.deepcopy(BASE_UNIT["three_public"])
    tp.update(extra)
    return {"three_public": tp}


# ------------------------------------------------------------------ 三公 counts


def test_reception_counts_written_are_stated():
    text = paragraphs(three_public(reception_batches=3, reception_people=12))
    assert "2024年度共接待来访团组3个、来宾12人次" in text


def test_reception_counts_not_written_are_not_invented():
    tp = copy.deepcopy(BASE_UNIT["three_public"])
    del tp["reception_batches"], tp["reception_people"]
    checked = check_text(unit_text({"three_public": tp}))
    assert [i.code for i in checked.warnings] == ["COUNT-MISSING"]
    text = "\n".join(b.text for b in build_document(checked, load_profile("hunan")).blocks
                     if isinstance(b, Paragraph))
    assert "接待来访团组" not in text and "来宾" not in text


def test_no_reception_spent_and_none_counted_is_said_as_none():
    zero = {"budget": {"reception": 0}, "actual": {"reception": 0}, "last_year": {"reception": 0}}
    text = paragraphs({"three_public": zero, "basic_items": {"items": {"30101": "60.00", "30201": "20.00"}}})
    assert "2024年度未发生公务接待。" in text and "接待来访团组0个" not in text
    assert "2024年度未安排因公出国（境）。" in text and "2024年度未购置公务用车。" in text


def test_abroad_counts_stated_when_written():
    tp = three_public(abroad_groups=1, abroad_people=3)
    tp["three_public"]["budget"]["abroad"] = "2.00"
    tp["three_public"]["actual"]["abroad"] = "2.00"
    tp["three_public"]["reasons"] = {"abroad": "按计划执行"}
    assert "2024年度安排因公出国（境）团组1个，累计3人次。" in paragraphs(tp)


def test_vehicles_held_only_when_written():
    assert "公务用车保有量" not in paragraphs()
    assert "公务用车保有量为2辆" in paragraphs(three_public(vehicles_held=2))


def test_reason_for_an_item_equal_to_its_budget_is_kept_as_for_the_total():
    # BASE_UNIT: 公务接待费 预算 1.00 = 决算 1.00; the unit explains the total's equality
    text = paragraphs(three_public(reasons={"budget": "严格执行预算"}))
    total, reception = [line for line in text.splitlines() if "决算数等于预算数" in line][:2]
    assert "主要原因是：严格执行预算" in total and "主要原因是：严格执行预算" in reception
    assert reception.startswith("3. 公务接待费")


def test_three_public_last_year_missing_is_no_comparison_and_a_warning():
    tp = copy.deepcopy(BASE_UNIT["three_public"])
    del tp["last_year"]
    checked = check_text(unit_text({"three_public": tp}))
    assert "LAST-YEAR-MISSING" in [i.code for i in checked.warnings]
    text = "\n".join(b.text for b in build_document(checked, load_profile("hunan")).blocks
                     if isinstance(b, Paragraph))
    line = next(t for t in text.splitlines() if t.startswith("2024年度“三公”经费"))
    assert "与上年相比" not in line and "上年数为0" not in line


# ------------------------------------------------------------------ last year


def test_last_year_not_written_gives_no_comparison():
    checked = check_text(unit_text({"last_year": {"total": "100.00"}}))
    assert any(i.code == "LAST-YEAR-MISSING" and "财政拨款收支总计" in i.message for i in checked.warnings)
    text = "\n".join(b.text for b in build_document(checked, load_profile("hunan")).blocks
                     if isinstance(b, Paragraph))
    assert "2024年度财政拨款收、支总计100万元。" in text.splitlines()
    assert "由于上年数为0万元" not in text


def test_last_year_equal_is_said_as_unchanged():
    assert "2024年度收、支总计100万元。与上年相比，持平。" in paragraphs()


# ------------------------------------------------------------------ 一般性支出


def test_events_none_is_not_held():
    text = paragraphs({"general_expenses": {"meeting": {"amount": "0.50", "count": 2, "people": 30}}})
    assert "开支会议费0.5万元，召开会议2次，人数30人" in text
    assert "未举办节庆、晚会、论坛、赛事活动" in text and "开支0万元" not in text
    assert "无培训费开支" in text


def test_events_held_are_stated_with_their_money():
    text = paragraphs({"general_expenses": {"events": {"amount": "1.20", "content": "举办运动会"}}})
    assert "举办节庆、晚会、论坛、赛事活动，开支1.2万元，举办运动会" in text


def test_a_unit_s_own_words_for_none_are_kept():
    text = paragraphs({"general_expenses": {"training": {"amount": 0, "content": "我单位本年度无培训费开支"}}})
    assert "我单位本年度无培训费开支" in text and "无培训费开支；" in text


# ------------------------------------------------------------------ 机关运行经费, 政府采购, 资产, 绩效, 人员


def test_no_running_cost_is_said_as_none():
    text = paragraphs({"running_cost": {"amount": 0}})
    assert "本部门2024年度无机关运行经费支出。" in text and "机关运行经费支出0万元" not in text


def test_running_cost_stated_with_its_comparison():
    text = paragraphs({"running_cost": {"amount": "20.00", "last_year": "25.00", "reason": "压减"}})
    assert "机关运行经费支出20万元，比上年度决算减少5万元，下降20%。主要原因是：压减。" in text


def test_no_procurement_is_said_as_none():
    text = paragraphs()
    assert "本部门2024年度无政府采购支出。" in text and "无法计算" not in text.split("政府采购")[-1][:80]


def test_procurement_without_sme_is_said_so():
    text = paragraphs({"procurement": {"goods": {"amount": "5.00"}}})
    assert "政府采购支出总额5万元" in text and "未授予中小企业合同。" in text


def test_procurement_shares_only_for_kinds_bought():
    text = paragraphs({"procurement": {"goods": {"amount": "5.00", "sme": "5.00"}, "small_micro": "2.00"}})
    assert "货物采购授予中小企业合同金额占货物支出金额的100%" in text
    assert "工程采购授予" not in text and "由于工程支出金额为0" not in text


def test_no_vehicles_and_no_equipment_are_said_as_none():
    text = paragraphs()
    assert "截至2024年12月31日，本单位无车辆；无单价100万元以上设备（不含车辆）。" in text


def test_vehicles_listed_only_for_categories_held():
    text = paragraphs({"assets": {"vehicles": {"emergency": 1, "other": 2}, "equipment_over_1m": 1}})
    assert "本单位共有车辆3辆，其中：应急保障用车1辆、其他用车2辆；单价100万元以上设备（不含车辆）1台（套）。" in text


def test_no_projects_evaluated_is_said_so():
    text = paragraphs()
    assert "开展绩效自评，未涉及具体项目。" in text and "项目0个" not in text


def test_projects_evaluated_listed_only_for_budget_kinds_that_have_them():
    text = paragraphs({"performance": {"general": {"projects": 2, "amount": "20.00"}}})
    assert "涉及项目2个，共涉及资金20万元。其中，一般公共预算项目2个20万元，占一般公共预算支出总额的20%。" in text
    assert "政府性基金预算项目" not in text


def test_staffing_states_only_the_counts_written():
    overview = {"duties": "测试职责。", "organization": "测试机构。", "staffing": {"authorized": 10, "actual": 9}}
    text = paragraphs({"overview": overview})
    assert "本部门共有在职编制人数10名，实有在职人数9人。" in text and "退休人数" not in text
    assert "本部门共有" not in paragraphs()


def test_no_basic_expenditure_is_said_so():
    row = copy.deepcopy(BASE_UNIT["functional"][0])
    row["expenditure"] = {"project": "100.00"}
    row["general_budget"] = {"project": "100.00"}
    text = paragraphs({"functional": [row], "basic_items": {"items": {}}})
    assert "2024年度无一般公共预算财政拨款基本支出。" in text and "人员经费0万元" not in text


# ------------------------------------------------------------------ the economic groups of the yuan profile


def test_economic_group_compared_only_with_what_was_written():
    groups = {"economic_groups": {"301": {"last_year": "50.00", "reason": "增人"}}}
    text = paragraphs(groups, profile="yuan")
    line = next(t for t in text.splitlines() if "工资福利支出" in t and t.startswith("1."))
    assert "与上年决算相比增加" in line and "年初预算" not in line
