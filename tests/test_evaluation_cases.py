"""绩效 as units fill it (issue 12, point 4): each case with its score computed by hand here.

Every bullet: forms present or absent; kinds and directions; tier phrases and compatible
units; what cannot be scored; printed 二级 weights; the funds line and its 偏差原因; a form
in its own amount unit; the project form's columns from the profile; the new checks.
"""

from __future__ import annotations

from decimal import Decimal as D
from pathlib import Path

import yaml

from generator.compute.evaluation import score_indicator
from generator.layout.tree import Heading, Table
from generator.load.loader import load_bytes
from generator.model import Indicator
from generator.pipeline import documents, validate
from generator.profiles import load_profile

from conftest import DATA

PROFILES = Path(__file__).parent / "profiles"


def indicator(name="指标", target="≥10人", actual="10人", weight=10, level1="产出指标", level2="数量指标", **extra):
    return {"level1": level1, "level2": level2, "name": name, "target": target, "actual": actual,
            "weight": weight, **extra}


def form(name="", indicators=None, budget=100, executed=100, **extra):
    """A form whose indicators weigh 90 unless given (with the funds line, 100)."""
    entry = {"funds": {"initial_budget": budget, "full_year_budget": budget, "executed": executed},
             "indicators": indicators or [indicator(weight=90)], **extra}
    if name:
        entry["name"] = name
    return entry


def checked_of(evaluation: dict, *, accounts: str | None = None, profile=None, unit: str = "万元", edit=None):
    """``evaluation`` in a 绩效-only file, or added to a data/ unit's accounts (``edit`` changes them first)."""
    if accounts is not None:
        data = yaml.safe_load((DATA / accounts).read_text(encoding="utf-8"))
        if edit is not None:
            edit(data)
        text = yaml.safe_dump(data | {"evaluation": evaluation}, allow_unicode=True)
    else:
        text = yaml.safe_dump({"unit": {"name": "测试单位", "code": "T1", "year": 2024, "amount_unit": unit},
                               "evaluation": evaluation}, allow_unicode=True)
    return validate(load_bytes("unit.yaml", text.encode("utf-8")), profile or load_profile(None))


def found(checked, code):
    return [i for i in checked.issues if i.code == code]


def headings(document) -> list[str]:
    return [b.text for b in document.blocks if isinstance(b, Heading)]


def tables(document) -> list[Table]:
    return [b for b in document.blocks if isinstance(b, Table)]


# ------------------------------------------------------------------ forms present or absent


def test_project_forms_only_generate_no_whole_form_report_or_sentence():
    checked = checked_of({"projects": [form("甲项目"), form("乙项目")]})
    assert not checked.errors and [s.path for s in checked.evaluation] == ["evaluation.projects[0]",
                                                                         "evaluation.projects[1]"]
    (document,) = documents(checked)
    titles = [t.title for t in tables(document)]
    # the attachments are numbered among the forms there are: no 附件 for an absent 整体 form
    assert titles == ["附件1-1 2024年度项目支出绩效自评表（甲项目）", "附件1-2 2024年度项目支出绩效自评表（乙项目）"]
    assert not any("整体" in h for h in headings(document))


def test_a_single_project_form_is_numbered_without_a_sub_number():
    (document,) = documents(checked_of({"projects": [form("甲项目")]}))
    assert [t.title for t in tables(document)] == ["附件1 2024年度项目支出绩效自评表（甲项目）"]


def test_the_whole_form_only_has_no_project_form_or_project_report():
    (document,) = documents(checked_of({"whole": form()}))
    assert [t.title for t in tables(document)] == ["附件1 2024年度部门整体支出绩效自评表"]
    assert "2024年度测试单位整体支出绩效自评报告" in headings(document)
    assert not any("项目支出绩效自评" in h for h in headings(document))


def test_part_three_of_the_accounts_states_the_projects_when_there_is_no_whole_form():
    def without_own_results(data):   # the unit's own 绩效评价结果 text speaks of its 整体支出
        data["performance"].pop("results")

    checked = checked_of({"projects": [form("甲项目", budget=40, executed=30), form("乙项目", budget=10, executed=10)]},
                         accounts="yiyang-2024-shebao.yaml", edit=without_own_results)
    document = documents(checked)[0]
    text = [b.text for b in document.blocks if getattr(b, "text", None)]
    # 40 + 10 budgeted, 30 + 10 executed: 40/50 = 80%; 甲 scores 10 × 30/40 = 7.5 + 90 = 97.5
    assert "2024年度开展绩效自评的项目2个，全年预算数合计50万元，全年执行数合计40万元，执行率80%。" \
           "其中，甲项目97.5分（优）、乙项目100分（优）。" in text
    # 十三（一）: the projects were evaluated, not the unit's 整体支出
    assert "组织对2024年度本单位2个项目开展绩效自评，共涉及资金40万元。其中，一般公共预算项目2个40万元，" \
           "占一般公共预算支出总额的4.75%。" in text
    assert not any("整体支出" in t for t in text)


def test_an_evaluation_with_no_forms_says_so():
    checked = checked_of({"report": {"overview": "概况。"}}, accounts="yiyang-2024-shebao.yaml")
    assert [i.severity.value for i in found(checked, "PERF-NO-FORMS")] == ["warning"]


# ------------------------------------------------------------------ kinds and directions


def score(target, actual, weight="10", equivalents=(), **extra):
    values = {"level1": "产出指标", "name": "指标", "target": target, "actual": actual, "weight": D(weight)}
    values.update(extra)
    return score_indicator(Indicator(**values), equivalents=equivalents)


def test_a_qualitative_kind_scores_by_tier_whatever_the_target_looks_like():
    s = score("100%", "达成预期指标", kind="定性")
    assert (s.kind, s.score, s.problem) == ("定性", D(10), "")


def test_a_quantitative_kind_whose_target_is_not_a_number_cannot_be_scored():
    s = score("合规", "合规", kind="定量")
    assert s.problem and "定量" in s.problem and s.score == D(0)


def test_directions_when_written():
    # 反向 without a sign: 120 spent against 100 allowed → 10 × 100/120 = 8.333… → 8.33
    assert score("100万元", "120万元", direction="反向").score == D("8.33")
    # 等于: 10 of 12 → 10 × 10/12 = 8.33; 12 of 12 → full
    assert score("12次", "10次", direction="等于").score == D("8.33")
    assert score("12次", "12次", direction="等于").score == D(10)
    # 正向 written over a ≤ sign: the direction wins (120 of 100 → full)
    assert score("≤100万元", "120万元", direction="正向").score == D(10)


def test_a_cost_indicator_without_a_sign_is_scored_lower_is_better_with_a_note():
    s = score("100万元", "120万元", level1="成本指标")
    assert s.kind == "反向" and s.score == D("8.33") and "反向" in s.note
    assert score("100万元", "80万元", level1="成本指标").score == D(10)


def test_a_tier_phrase_for_a_numeric_target_is_scored_by_the_tier_with_a_note():
    s = score("≥95%", "达成预期指标")
    assert (s.kind, s.score) == ("定性", D(10)) and "档次" in s.note


def test_compatible_units_are_compared():
    # 元/年 against 元: the same unit per year → ≤1200元/年, 1000元 is within: full, with a note
    s = score("≤1200元/年", "1000元")
    assert s.score == D(10) and s.note
    # 万元 against 元: 15000元 of 2万元 → 10 × 15000/20000 = 7.5
    assert score("≥2万元", "15000元").score == D("7.5")


def test_person_times_count_as_persons_only_where_the_profile_says_so():
    refused = score("≥100人次", "80人")
    assert refused.problem and "不能比较" in refused.problem and refused.score == D(0)
    allowed = score("≥100人次", "80人", equivalents=(frozenset({"人次", "人"}),))
    assert allowed.score == D(8) and allowed.note    # 10 × 80/100


def test_what_cannot_be_scored_is_an_error_naming_why():
    checked = checked_of({"whole": form(indicators=[indicator(target="≥10人", actual="5次", weight=90)])})
    (issue,) = found(checked, "PERF-UNSCORABLE")
    assert issue.is_error and "“次”" in issue.message and "“人”" in issue.message


def test_the_profile_s_equivalent_units_reach_the_scores(tmp_path):
    folder = tmp_path / "person-times"
    folder.mkdir()
    (folder / "profile.yaml").write_text("base: hunan\nevaluation:\n  equivalent_units: [[人次, 人]]\n",
                                         encoding="utf-8")
    evaluation = {"whole": form(indicators=[indicator(target="≥100人次", actual="80人", weight=90)])}
    assert found(checked_of(evaluation), "PERF-UNSCORABLE")
    checked = checked_of(evaluation, profile=load_profile(str(folder)))
    assert not found(checked, "PERF-UNSCORABLE")
    assert checked.evaluation[0].total == D(10) + D(90) * 80 / 100        # 82


# ------------------------------------------------------------------ printed weights, the funds line


def test_printed_level2_weights_are_checked_against_their_indicators():
    indicators = [indicator("甲", weight=30), indicator("乙", weight=20), indicator("丙", weight=40, level2="质量指标")]
    right = checked_of({"whole": form(indicators=indicators,
                                      level2_weights={"产出指标/数量指标": 50, "产出指标/质量指标": 40})})
    assert not found(right, "PERF-GROUP")
    wrong = checked_of({"whole": form(indicators=indicators, level2_weights={"产出指标/数量指标": 45,
                                                                            "产出指标/时效指标": 5})})
    messages = sorted(i.message for i in found(wrong, "PERF-GROUP"))
    assert len(messages) == 2
    assert any("数量指标(45分)" in m and "50" in m for m in messages)
    assert any("时效指标" in m and "没有任何指标" in m for m in messages)


def test_the_funds_line_is_execution_times_its_weight_capped_with_its_own_deviation():
    # 87.654 of 100 → 10 × 0.87654 = 8.7654 → 8.77; no reason given: a warning on the funds line
    short = checked_of({"whole": form(budget=100, executed="87.654")})
    assert short.evaluation[0].funds_score == D("8.77")
    assert [i.path for i in found(short, "PERF-DEVIATION")] == ["evaluation.whole.funds.deviation"]
    explained = checked_of({"whole": form(budget=100, executed="87.654")
                            | {"funds": {"initial_budget": 100, "full_year_budget": 100, "executed": "87.654",
                                         "deviation": "年底部分采购合同尚未结算"}}})
    assert not found(explained, "PERF-DEVIATION")
    over = checked_of({"whole": form(budget=100, executed=120)})
    assert over.evaluation[0].funds_score == D(10)
    grids = documents(explained)[0].table("eval:0").grids
    assert ["偏差原因分析", "年底部分采购合同尚未结算"] == [c.text for c in grids[0].body[-3]]


# ------------------------------------------------------------------ a form in its own unit


def test_a_form_in_wan_yuan_inside_a_yuan_document():
    checked = checked_of({"whole": form(budget="12.5", executed="12.5", amount_unit="万元"),
                          "projects": [form("甲项目", budget=50000, executed=40000)]},
                         unit="元", profile=load_profile("yuan"))
    assert not checked.errors
    document = documents(checked)[0]
    whole, project = document.table("eval:0"), document.table("eval:1")
    assert (whole.unit, project.unit) == ("金额单位：万元", "金额单位：元")
    total_row = [c.text for c in whole.grids[0].body[2]]
    assert total_row[1:4] == ["12.50", "12.50", "12.50"]           # printed as written, in 万元
    assert [c.text for c in project.grids[0].body[3]][1:4] == ["50,000.00", "50,000.00", "40,000.00"]
    text = " ".join(b.text for b in document.blocks if getattr(b, "text", None))
    # the report says the whole form's money in the document's unit: 12.5万元 = 125,000.00 元
    assert "全年执行数125,000.00 元" in text


# ------------------------------------------------------------------ the form's columns from the profile


def test_the_project_form_prints_the_columns_the_profile_chooses():
    profile = load_profile(str(PROFILES / "wan-shi"))
    extra = {"declared": "≥12次", "qualitative_note": "按季度开展", "note": "无"}
    checked = checked_of({"projects": [form("甲项目", indicators=[indicator(target="≥10次", actual="12次", weight=90,
                                                                          **extra)])
                                       | {"funds": {"initial_budget": 100, "full_year_budget": 100, "executed": 90,
                                                    "balance": 10, "deviation": "结余10万元"}}]},
                         profile=profile)
    top, indicators = documents(checked)[0].table("eval:0").grids
    assert [c.text for c in top.body[2]] == ["项目资金\n（万元）", "", "年初预算数", "全年预算数", "全年执行数",
                                             "资金结转结余", "分值", "执行率", "得分"]
    # 10 of 100 carried over; 90/100 executed → 9 of the funds line's 10
    assert [c.text for c in top.body[3]] == ["年度资金总额", "100.00", "100.00", "90.00", "10.00", "10", "90%", "9"]
    assert [c.text for c in indicators.header[0]] == ["", "一级指标", "二级指标", "三级指标", "目标申报数", "年初指标值",
                                                      "实际完成值", "分值", "自评得分", "定性值情况说明",
                                                      "偏差原因分析及改进措施", "备注"]
    first = [c.text for c in indicators.body[0]]
    assert first[4:] == ["≥12次", "≥10次", "12次", "90", "90", "按季度开展", "", "无"]
    assert sum(c.width for c in indicators.columns) == 100


# ------------------------------------------------------------------ the new checks


def test_the_project_forms_against_table_03():
    checked = checked_of({"projects": [form("甲项目", budget=40, executed=30)]}, accounts="yiyang-2024-shebao.yaml")
    (issue,) = found(checked, "PERF-PROJECTS-03")
    spent = checked.figures.tables.t03.total.values["project"]
    assert issue.severity.value == "warning" and f"差 {D(30) - spent:f}" in issue.message


def test_a_grade_that_does_not_follow_from_the_total_is_an_error():
    # 10 (funds) + 50 + 40 × 84/100 = 93.6: 优, printed 良
    indicators = [indicator("甲", weight=50), indicator("乙", target="≥100人", actual="84人", weight=40)]
    checked = checked_of({"whole": form(indicators=indicators, total_score="93.6", grade="良")})
    assert checked.evaluation[0].total == D("93.6") and checked.evaluation[0].grade == "优"
    (issue,) = found(checked, "PERF-GRADE")
    assert issue.is_error and "良" in issue.message
    assert not found(checked, "PERF-TOTAL")
