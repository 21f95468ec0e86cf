"""绩效自评 scoring rules (primer §7), each with its boundary cases."""

from decimal import Decimal as D

import pytest

from string import Template

from generator.compute.evaluation import Tier, grade_of, parse_value, score_evaluation, score_indicator
from generator.model import Evaluation, EvaluationFunds, Indicator

from conftest import check_text


def ind(target, actual, weight="10", score=None, name="指标"):
    return Indicator(level1="产出指标", name=name, target=target, actual=actual, weight=D(weight),
                     score=None if score is None else D(score))


def score(target, actual, weight="10", given=None):
    return score_indicator(ind(target, actual, weight, given))


@pytest.mark.parametrize("text, comparator, value, base", [
    ("≥36.6万人", ">=", D("366000"), "人"), ("51万人", "", D("510000"), "人"),
    ("≤930元/卷", "<=", D("930"), "元/卷"), ("=100%", "=", D("100"), "%"), ("26.16亿元", "", D("2616000000"), "元"),
    ("≥1万次", ">=", D("10000"), "次"), ("３３５４人", "", D("3354"), "人"), (">= 90 %", ">=", D("90"), "%"),
])
def test_values_are_parsed_into_comparator_number_and_base_unit(text, comparator, value, base):
    q = parse_value(text)
    assert (q.comparator, q.value, q.base_unit) == (comparator, value, base)


@pytest.mark.parametrize("text", ["合规", "及时", "2024年", "基本达成目标", "2024年12月底", "有所提升"])
def test_qualitative_values(text):
    assert parse_value(text) is None


def test_positive_rule_full_at_and_above_target():
    assert score("≥300次", "300次").score == D(10)          # exactly at target
    assert score("≥300次", "318次").score == D(10)
    assert score("≥300次", "200次").score == D("6.67")      # 10 × 200/300, half-up


def test_positive_rule_zero_actual_and_zero_target():
    assert score("≥300次", "0次").score == D(0)
    assert score("≥0次", "0次").score == D(10)


def test_negative_rule_cost_type():
    assert score("≤930元/卷", "930元/卷").score == D(10)
    assert score("≤930元/卷", "900元/卷").score == D(10)
    over = score("≤930元/卷", "1000元/卷")
    assert over.kind == "反向" and over.score == D("9.30")   # 10 × 930/1000


def test_equal_rule():
    assert score("=100%", "100%").score == D(10)
    assert score("=100%", "99%").score == D("9.90")


def test_unit_conversion_within_a_dimension():
    assert score("≥36.6万人", "51万人").score == D(10)
    assert score("≥0.3万人", "3354人").score == D(10)
    assert score("≥26亿元", "250000万元").score == D("9.62")  # 25亿 / 26亿 → 9.615… → 9.62


def test_unit_mismatch_is_a_problem_not_a_score():
    s = score("≥90%", "95元")
    assert s.score == D(0) and "单位" in s.problem


def test_missing_unit_on_either_side_is_interpreted_with_a_note():
    s = score("≥36.6万人", "45万")
    assert s.score == D(10) and "按“人”计算" in s.note
    s = score("≥300", "150次")
    assert s.score == D(5) and "年度指标值“≥300”没有写单位" in s.note


def test_score_never_exceeds_weight_and_rounds_half_up():
    assert score("≥8次", "1次", weight="0.1").score == D("0.01")  # 0.0125 → 0.01
    assert score("≥8次", "1次", weight="0.2").score == D("0.03")  # 0.025 → 0.03 (half-up, not half-even)
    assert score("≥1次", "1000次", weight="5").score == D(5)


@pytest.mark.parametrize("actual, given, expected, problem", [
    ("基本达成目标", None, D(10), False),      # top tier without a chosen score: full marks
    ("达成预期指标", "8", D(8), False),         # lower bound of the top tier
    ("部分达成预期指标", "8", D(8), False),     # upper bound of the middle tier
    ("部分达成预期指标", "5", D(5), False),     # lower bound of the middle tier
    ("部分达成预期指标", "4.99", D(5), True),   # below its tier
    ("部分达成预期指标", None, D(0), True),     # a lower tier needs the unit's score
    ("未达成预期指标", "5", D(5), False),
    ("未达成预期指标", "6", D(5), True),
    ("说不清", None, D(0), True),
])
def test_qualitative_tiers_at_their_bounds(actual, given, expected, problem):
    s = score("正常运转", actual, given=given)
    assert s.kind == "定性" and s.score == expected and bool(s.problem) == problem


def test_tier_bounds_are_a_setting():
    tiers = (Tier("达成", D(80), D(100)), Tier("部分", D(60), D(80)), Tier("未达成", D(0), D(60)))
    assert score_indicator(ind("合规", "部分达成", score="5"), tiers).problem


@pytest.mark.parametrize("total, grade", [(D(90), "优"), (D("89.99"), "良"), (D(80), "良"), (D("79.99"), "中"),
                                          (D(60), "中"), (D("59.99"), "差"), (D(0), "差")])
def test_grades(total, grade):
    assert grade_of(total) == grade


def form(executed="100", budget="100", indicators=None):
    return Evaluation(name="p", funds=EvaluationFunds(full_year_budget=D(budget), executed=D(executed)),
                      indicators=tuple(indicators or [ind("≥1次", "1次", "90")]))


def test_funds_execution_score():
    assert score_evaluation(form("100"), "x").funds_score == D(10)
    assert score_evaluation(form("120"), "x").funds_score == D(10)       # capped at 100%
    assert score_evaluation(form("87.654"), "x").funds_score == D("8.77")
    zero = score_evaluation(form("0", "0"), "x")
    assert not zero.execution.defined and zero.funds_score == D(0)


def test_group_weights_and_total_are_derived():
    f = score_evaluation(form(indicators=[ind("≥1次", "1次", "50"), ind("≥2次", "1次", "40")]), "x")
    assert [(g.level1, g.weight) for g in f.groups] == [("产出指标", D(90))]
    assert f.total == D(10) + D(50) + D(20) and f.grade == "良"


EVAL = Template("""\
unit: {name: 测试单位, code: T1, year: 2024}
evaluation:
  whole:
    funds: {initial_budget: 100, full_year_budget: 100, executed: 100, score: 10}
    indicators:
      - {level1: 产出指标, name: 参保人数, target: ≥36.6万人, actual: 51万人, weight: 40, score: 40}
      - {level1: 效益指标, name: 社会效益, target: 健康发展, actual: 基本达成目标, weight: 30}
      - {level1: 满意度指标, name: 群众满意度, target: ≥90%, actual: $actual, weight: 10, score: 10}
      - {level1: 成本指标, name: 成本, target: ≤100万元, actual: 120万元, weight: 10, score: $cost}
    group_weights: {产出指标: $header}
    total_score: $total
    grade: $grade
""")


def eval_issues(actual="95%", cost="10", header="40", total="100", grade="优"):
    text = EVAL.substitute(actual=actual, cost=cost, header=header, total=total, grade=grade)
    return check_text(text)


def test_evaluation_only_file_checks_without_accounts():
    checked = eval_issues(cost="8.33", total="98.33")
    assert checked.loaded.accounts is False and checked.figures is None
    assert [i.code for i in checked.issues] == ["PERF-DEVIATION"]


def test_satisfaction_over_100_percent():
    codes = [i.code for i in eval_issues(actual="950%", cost="8.33", total="98.33").issues]
    assert "PERF-OVER-100" in codes


def test_printed_header_score_total_and_grade_disagreeing():
    checked = eval_issues(header="70", total="95", grade="良")
    found = {i.code: i for i in checked.issues}
    assert "产出指标(70分)" in found["PERF-GROUP"].message and "40" in found["PERF-GROUP"].message
    assert "8.33" in found["PERF-SCORE"].message        # printed 10 for a 反向 overrun
    assert "98.33" in found["PERF-TOTAL"].message
    assert found["PERF-GRADE"].severity.value == "error"


def test_weights_must_add_up_to_100():
    text = EVAL.substitute(actual="95%", cost="8.33", header="40", total="98.33", grade="优").replace("weight: 30", "weight: 20")
    assert "PERF-WEIGHTS" in [i.code for i in check_text(text).issues]


def test_yuanjiang_reference_totals_and_findings():
    """The published forms: every 总分 printed is 100; the checker flags 950% and the wrong headers."""
    from conftest import DATA
    from generator.pipeline import check_file

    checked = check_file(DATA / "yuanjiang-2024-shebao-jixiao.yaml")
    printed = [form.evaluation.total_score for form in checked.evaluation]
    assert [form.total for form in checked.evaluation] == printed == [D(100)] * 8
    assert all(form.grade == "优" for form in checked.evaluation)
    codes = [(i.code, i.path) for i in checked.issues]
    assert ("PERF-OVER-100", "evaluation.projects[1].indicators[6].actual") in codes
    headers = sorted(path for code, path in codes if code == "PERF-GROUP")
    assert headers == [f"evaluation.projects[{i}].group_weights.产出指标" for i in (4, 5, 6)]


def test_accounts_with_evaluation_count_section_13_from_the_forms():
    """十三's projects and money come from the 绩效 forms when the file has them."""
    import yaml

    from conftest import DATA
    from generator.narrative.context import figures_document
    from generator.profiles import load_profile

    accounts = (DATA / "yiyang-2024-shebao.yaml").read_text(encoding="utf-8")
    evaluation = yaml.safe_load((DATA / "yuanjiang-2024-shebao-jixiao.yaml").read_text(encoding="utf-8"))["evaluation"]
    text = accounts + "\n" + yaml.safe_dump({"evaluation": evaluation}, allow_unicode=True)
    checked = check_text(text)
    assert checked.figures is not None and checked.evaluation is not None
    f = figures_document(checked, load_profile("hunan").style)["figures"]
    general = f["evaluated"][0]
    assert (general["projects"], general["amount"]) == ("7", "89.46万元")
    # 89.46 / 841.69 = 10.628…%
    assert general["share"] == "10.63%"


def test_the_profile_chosen_on_the_command_line_scores_the_forms(tmp_path):
    """--profile reaches the 绩效 tiers: a 部分达成 score of 16 of 30 is within Hunan's 50–80%
    band and outside yuan's 60–80% (it used to pass under Hunan's band whatever was chosen)."""
    from generator.pipeline import check_file

    text = EVAL.substitute(actual="95%", cost="10", header="40", total="100", grade="优")
    text = text.replace("actual: 基本达成目标, weight: 30}", "actual: 部分达成预期指标并具有一定效果, weight: 30, score: 16}")
    path = tmp_path / "unit.yaml"
    path.write_text(text, encoding="utf-8")
    assert "部分达成" in text
    hunan = check_file(path, profile="hunan")
    yuan = check_file(path, profile="yuan")
    assert "PERF-UNSCORABLE" not in [i.code for i in hunan.errors]
    assert any(i.code == "PERF-UNSCORABLE" and "18–24" in i.message for i in yuan.errors)
