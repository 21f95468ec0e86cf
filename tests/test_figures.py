"""Derived figures of the data/ units against the published documents.

Expected values are the published ones where the published arithmetic was
right, and primer §8's corrections where it was wrong.  The whole figures
document of each unit is pinned with pytest-regressions (read by eye).
"""

from pathlib import Path

import pytest

from generator.pipeline import check_file, figures_document

from conftest import DATA

UNITS = sorted(p.name for p in DATA.glob("*.yaml"))


def figures(name):
    checked = check_file(DATA / name, f"data/{name}", profile="hunan")
    return figures_document(checked)["figures"]


@pytest.fixture(scope="module")
def yiyang():
    return figures("yiyang-2024-shebao.yaml")


@pytest.fixture(scope="module")
def lanshan():
    return figures("lanshan-2024-shebao.yaml")


def test_yiyang_matches_the_published_narrative(yiyang):
    f = yiyang
    # 一、四: 减少80万元，减少8.68%
    assert (f["grand_total"], f["grand_change"]["amount"], f["grand_change"]["rate"]) == ("841.69万元", "80万元", "8.68%")
    assert f["grand_change"]["direction"] == "减少" and f["grand_change"]["rate_direction"] == "下降"
    # 二、三: 占100%
    assert f["income_shares"][0] == {"label": "财政拨款收入", "code": "", "amount": "841.69万元", "share": "100%",
                                     "is_zero": False}
    assert f["expenditure_shares"][1]["share"] == "0%"
    # 五（二）: 一般公共服务支出45.61万元，占5.42% …
    assert [(s["amount"], s["share"]) for s in f["general_by_class"]] == [
        ("45.61万元", "5.42%"), ("714.15万元", "84.85%"), ("40.85万元", "4.85%"), ("41.09万元", "4.88%")]
    # 五（三）: 年初预算694.38万元 … 完成年初预算的121.21%
    assert (f["budget"]["budget"], f["budget"]["rate"]) == ("694.38万元", "121.21%")
    lines = {line["code"]: line for line in f["budget_lines"]}
    assert lines["2080101"]["rate"] == "113.61%"
    assert lines["2080199"]["rate"] is None  # 由于年初预算为0万元，无法计算百分比
    assert lines["2010501"]["title"] == "一般公共服务支出（类）统计信息事务（款）行政运行（项）"
    # 六: 人员经费635.97万元，占75.56%；公用经费205.72万元，占24.44%
    assert (f["personnel"]["amount"], f["personnel"]["share"]) == ("635.97万元", "75.56%")
    assert (f["public"]["amount"], f["public"]["share"]) == ("205.72万元", "24.44%")
    assert f["personnel"]["item_names"] == ["基本工资", "津贴补贴", "奖金", "机关事业单位基本养老保险缴费",
                                            "职工基本医疗保险缴费", "公务员医疗补助缴费", "其他社会保障缴费",
                                            "住房公积金", "退休费", "其他对个人和家庭的补助"]
    # 七: 完成预算的100%，减少1.66万元，降低52.37%
    tp = f["three_public"]
    assert (tp["rate"], tp["change"]["amount"], tp["change"]["rate"]) == ("100%", "1.66万元", "52.37%")
    # 九: 机关运行经费205.72万元，比上年度决算减少58.12万元，下降22.03%
    rc = f["running_cost"]
    assert (rc["amount"], rc["change"]["amount"], rc["change"]["rate"]) == ("205.72万元", "58.12万元", "22.03%")
    # 十一: 政府采购为0: 比率无法计算
    assert f["procurement"]["sme_share"] is None


def test_lanshan_states_the_corrected_figures(lanshan):
    f = lanshan
    # 六: 基本支出 is 500.63 (05), not the 504.66 the report printed
    assert f["basic_total"] == "500.63万元"
    # 人员经费 417.28 of 500.63 is 83.35% (the report said 82.68%)
    assert (f["personnel"]["amount"], f["personnel"]["share"]) == ("417.28万元", "83.35%")
    # 公用经费: the items of 302 sum to 83.13, not the printed 83.35
    assert f["public"]["amount"] == "83.13万元"
    # 五（三）: half-up, not truncated: 132.19% and 132.57% (the report: 132.18%, 132.56%)
    assert f["budget"]["rate"] == "132.19%"
    lines = {line["code"]: line for line in f["budget_lines"]}
    assert (lines["208"]["actual"], lines["208"]["rate"]) == ("493万元", "132.57%")
    # names come from codes: 2019999 is 其他一般公共服务支出, not 行政运行
    assert lines["2019999"]["title"] == "一般公共服务支出（类）其他一般公共服务支出（款）其他一般公共服务支出（项）"
    assert lines["2101102"]["rate"] == "109.91%"
    # 七: 2.81 / 3 = 93.67% (the report: 93.66%); 增加1.53万元，增长119.53%
    tp = f["three_public"]
    assert (tp["rate"], tp["change"]["amount"], tp["change"]["rate"]) == ("93.67%", "1.53万元", "119.53%")
    # 一: 增加96.04万元，增长23.5% (trailing zero dropped in the Hunan style)
    assert (f["grand_change"]["amount"], f["grand_change"]["rate"]) == ("96.04万元", "23.5%")
    # 三: 基本支出占99.2%，项目支出占0.8%
    assert [s["share"] for s in f["expenditure_shares"][:2]] == ["99.2%", "0.8%"]


@pytest.mark.parametrize("name", UNITS)
def test_figures_regression(name, data_regression):
    checked = check_file(DATA / name, f"data/{name}", profile="hunan")
    document = figures_document(checked)
    document["issues"] = [issue.format() for issue in checked.issues]
    data_regression.check(document, basename=Path(name).stem)


def test_second_profile_figures_regression(data_regression):
    """The demo unit (data in 元) in the yuan profile: thousands separators, fixed decimals."""
    checked = check_file(DATA / "demo-2024-school.yaml", "data/demo-2024-school.yaml", profile="yuan")
    document = figures_document(checked)
    assert document["figures"]["grand_total"] == "9,850,000.00 元"
    assert document["figures"]["budget"]["rate"] == "102.44%"
    data_regression.check(document, basename="demo-2024-school-yuan")
