"""Each check, with a snippet that passes and one that fails (primer §4)."""

import copy


from generator.issues import Severity

from conftest import BASE_UNIT, check_text, unit_text

ROW = BASE_UNIT["functional"][0]


def issues_of(code, changes=None, **kw):
    return [i for i in check_text(unit_text(changes, **kw)).issues if i.code == code]


def with_row(**parts):
    row = copy.deepcopy(ROW)
    row.update(parts)
    return {"functional": [row]}


# ---------------------------------------------------------------- structure

def test_unknown_code_without_name_is_an_error():
    assert issues_of("CODE-UNKNOWN") == []
    bad = with_row(code="2089998")
    (issue,) = issues_of("CODE-UNKNOWN", bad)
    assert issue.severity is Severity.ERROR and "2089998" in issue.message
    named = with_row(code="2089998", name="自定科目")
    assert issues_of("CODE-UNKNOWN", named | {"initial_budget": {"lines": {"2089998": 100}}}) == []


def test_unknown_economic_code():
    (issue,) = issues_of("CODE-UNKNOWN", {"basic_items": {"items": {"30101": 60, "30201": 20, "30298": 0}}})
    assert issue.path == "basic_items.items.30298"
    named = {"basic_items": {"items": {"30101": 60, "30201": 20, "30298": {"amount": 0, "name": "地方科目"}}}}
    assert issues_of("CODE-UNKNOWN", named) == []


def test_duplicate_functional_code():
    rows = {"functional": [ROW, copy.deepcopy(ROW)]}
    (issue,) = issues_of("CODE-DUPLICATE", rows)
    assert issue.path == "functional[1].code"


def test_name_that_does_not_match_its_code():
    assert issues_of("NAME-DIFFERS", with_row(name="社会保险经办机构")) == []
    (issue,) = issues_of("NAME-DIFFERS", with_row(name="行政运行"))
    assert "社会保险经办机构" in issue.message and issue.severity is Severity.WARNING


def test_budget_line_and_its_parent():
    (issue,) = issues_of("BUDGET-OVERLAP", {"initial_budget": {"lines": {"208": 50, "2080109": 50}}})
    assert issue.severity is Severity.ERROR


# ---------------------------------------------------------------- printed totals

def test_printed_class_row_tail_is_a_warning_error_beyond():
    ok = {"functional": [ROW, {"code": "208", "income": {"general": "100.00"}}]}
    assert issues_of("T02-SUM", ok) == []
    tail = {"functional": [ROW, {"code": "208", "income": {"general": "100.01"}}]}
    (issue,) = issues_of("T02-SUM", tail)
    assert issue.severity is Severity.WARNING and "100.01" in issue.message and "0.01" in issue.message
    error = {"functional": [ROW, {"code": "208", "income": {"general": "100.05"}}]}
    (issue,) = issues_of("T02-SUM", error)
    assert issue.severity is Severity.ERROR


def test_printed_economic_group():
    items = {"30101": 60, "30201": 20}
    assert issues_of("T06-SUM", {"basic_items": {"items": items | {"301": 60}}}) == []
    (issue,) = issues_of("T06-SUM", {"basic_items": {"items": items | {"302": "20.22"}}})
    assert issue.severity is Severity.ERROR and "20.22" in issue.message and "20" in issue.message


def test_printed_three_public_total():
    ok = {"budget": {"reception": 1, "total": 1}, "actual": {"reception": 1}, "last_year": {"reception": 1}}
    assert issues_of("T09-SUM", {"three_public": ok}) == []
    bad = {"budget": {"reception": 1, "total": 2}, "actual": {"reception": 1}, "last_year": {"reception": 1}}
    (issue,) = issues_of("T09-SUM", {"three_public": bad})
    assert issue.severity is Severity.ERROR


def test_printed_totals_in_yuan_have_no_tail():
    unit = dict(BASE_UNIT["unit"], amount_unit="元")
    (issue,) = issues_of("T02-SUM", {"unit": unit, "totals": {"income": {"total": "100.01"}}})
    assert issue.severity is Severity.ERROR


# ---------------------------------------------------------------- identities

def test_01_balance():
    assert issues_of("T01-BALANCE", {"balances": {"opening": 5, "closing": 5}}) == []
    (issue,) = issues_of("T01-BALANCE", {"balances": {"closing": 5}})
    assert "100" in issue.message and "105" in issue.message


def test_04_balance():
    ok = {"balances": {"fiscal_opening": {"general": 3}, "fiscal_closing": {"general": 3}}}
    assert issues_of("T04-BALANCE", ok) == []
    (issue,) = issues_of("T04-BALANCE", {"balances": {"fiscal_closing": {"general": 3}}})
    assert issue.severity is Severity.ERROR


def test_05_basic_equals_06_groups():
    (issue,) = issues_of("X05-06", {"basic_items": {"items": {"30101": 60, "30201": "20.30"}}})
    assert issue.severity is Severity.ERROR and "80" in issue.message and "80.30" in issue.message


def test_fiscal_expenditure_within_total():
    bad = with_row(general_budget={"basic": 90, "project": 20})
    found = issues_of("X03-05", bad | {"basic_items": {"items": {"30101": 70, "30201": 20}}})
    assert len(found) == 1 and "90" in found[0].message


def test_06_three_public_items_within_09():
    items = {"30101": 60, "30201": "18.00", "30217": "2.00"}
    (issue,) = issues_of("X06-09", {"basic_items": {"items": items}})
    assert issue.severity is Severity.WARNING and "30217" in issue.message


def test_06_meeting_within_general_expenses():
    items = {"30101": 60, "30201": "19.00", "30215": "1.00"}
    assert issues_of("X06-GENERAL", {"basic_items": {"items": items},
                                     "general_expenses": {"meeting": {"amount": 1}}}) == []
    assert len(issues_of("X06-GENERAL", {"basic_items": {"items": items}})) == 1


def test_procurement_small_micro_within_sme():
    ok = {"goods": {"amount": 10, "sme": 8}, "small_micro": 5}
    assert issues_of("PROC-SME", {"procurement": ok}) == []
    bad = {"goods": {"amount": 10, "sme": 12}, "small_micro": 13}
    assert len(issues_of("PROC-SME", {"procurement": bad})) == 2


def test_vehicle_categories_sum_to_total():
    assert issues_of("ASSET-VEHICLES", {"assets": {"vehicles": {"other": 2, "total": 2}}}) == []
    (issue,) = issues_of("ASSET-VEHICLES", {"assets": {"vehicles": {"other": 2, "total": 3}}})
    assert "3" in issue.message and "2" in issue.message


# ---------------------------------------------------------------- compliance

def test_reason_needed_when_this_year_differs_from_last():
    changed = {"last_year": {"total": 90, "fiscal_total": 100, "general_budget": 100}}
    (issue,) = issues_of("REASON-MISSING", changed)
    assert issue.path == "reasons.total_change"
    assert issues_of("REASON-MISSING", changed | {"reasons": {"total_change": "业务量增加"}}) == []


def test_reason_needed_when_budget_line_differs():
    (issue,) = issues_of("REASON-MISSING", {"initial_budget": {"lines": {"2080109": 90}}})
    assert issue.path == "initial_budget.lines.2080109"
    ok = {"initial_budget": {"lines": {"2080109": {"amount": 90, "reason": "追加经费"}}}}
    assert issues_of("REASON-MISSING", ok) == []


def test_reason_needed_for_three_public():
    tp = {"budget": {"reception": 2}, "actual": {"reception": 1}, "last_year": {"reception": 1}}
    assert {i.path for i in issues_of("REASON-MISSING", {"three_public": tp})} == {
        "three_public.reasons.budget", "three_public.reasons.reception_budget"}
    ok = dict(tp, reasons={"budget": "节约"})
    assert issues_of("REASON-MISSING", {"three_public": ok}) == []


def test_stale_year_in_text():
    """Last year written as if it were this year (copied from last year's report) is a warning."""
    overview = {"duties": "测试职责。", "organization": "y"}
    for copied in ("2023年度财政拨款基本支出390.62万元，其中：人员经费356.64万元。",
                   "现将我单位2023年度部门决算公开如下。", "一、部门职责。2023年度收入合计100万元。"):
        (issue,) = issues_of("TEXT-STALE-YEAR", {"overview": overview | {"organization": copied}})
        assert issue.path == "overview.organization" and "2023年度" in issue.message
    assert issues_of("TEXT-STALE-YEAR") == []


def test_stale_year_does_not_cry_wolf_on_comparisons():
    """The four comparisons of another province's document that used to raise false alarms."""
    for fine in ("决算数较2023年度决算数减少5.2万元，主要原因是人员减少。", "与2023年度相比，支出下降。",
                 "比2023年度增加2人。", "2023年度结转的项目资金在本年执行完毕。本年较2023年度同比下降。",
                 "截至2023年12月31日启动的项目。"):
        reasons = {"total_change": fine}
        assert issues_of("TEXT-STALE-YEAR", {"reasons": reasons}) == [], fine


def test_figures_typed_in_texts_match_the_document():
    # BASE_UNIT: 收入 100.00, 基本支出 80.00, 项目支出 20.00 (万元); 80% of expenditure is basic
    fine = "本年基本支出80万元，占本年支出合计的80%，项目支出20.00万元；全市征缴37.74亿元。"
    assert issues_of("TEXT-FIGURE", {"reasons": {"total_change": fine}}) == []
    (wrong_unit,) = issues_of("TEXT-FIGURE", {"reasons": {"total_change": "本年项目支出20元。"}})
    assert "单位可能写错" in wrong_unit.message and "20万元" in wrong_unit.message
    (stray,) = issues_of("TEXT-FIGURE", {"reasons": {"total_change": "上年基本支出390.62万元。"}})
    assert "390.62万元" in stray.message and "最接近的是 100.00万元" in stray.message
    (rate,) = issues_of("TEXT-FIGURE", {"reasons": {"total_change": "下降了37.5%。"}})
    assert "37.5%" in rate.message and rate.path == "reasons.total_change"
    # figures in the texts a unit copies verbatim (部门职责) are not its figures to check
    assert issues_of("TEXT-FIGURE", {"overview": {"duties": "管理390.62万元基金。", "organization": "y"}}) == []


def test_subtotal_row_without_items():
    rows = {"functional": [ROW, {"code": "210", "income": {"general": "40.85"}}]}
    (issue,) = issues_of("CODE-NO-ITEMS", rows)
    assert issue.path == "functional[1].code" and issue.severity is Severity.ERROR
    assert issues_of("CODE-NO-ITEMS", {"functional": [ROW, {"code": "208", "income": {"general": 100}}]}) == []


def test_a_section_outside_the_catalogue_needs_a_name():
    """2130104 named in its row: its 款 21301 has no name anywhere, which would print 21301（款）."""
    row = with_row(code="2130104", name="事业运行")
    budget = {"initial_budget": {"lines": {"2130104": "100.00"}}}
    (issue,) = issues_of("CODE-UNKNOWN", row | budget)
    assert issue.severity is Severity.ERROR and "21301" in issue.message and "款" in issue.message
    named = row | budget | {"names": {"21301": "农业农村"}}
    assert issues_of("CODE-UNKNOWN", named) == []


def test_a_county_catalogue_names_codes_for_all_its_units(tmp_path):
    from generator.pipeline import check_file

    (tmp_path / "_defaults.yaml").write_text('catalogue:\n  "21301": 农业农村\n  "2080109": 社保经办\n', encoding="utf-8")
    row = with_row(code="2130104", name="事业运行")
    unit = tmp_path / "unit.yaml"
    unit.write_text(unit_text(row | {"initial_budget": {"lines": {"2130104": "100.00"}}}), encoding="utf-8")
    checked = check_file(unit)
    assert [i.code for i in checked.errors] == []
    row_name = checked.figures.tables.t02.row("21301").name
    assert row_name == "农业农村"
    # a name in the file that differs from the county's is a warning showing both
    unit.write_text(unit_text(with_row(name="经办机构")), encoding="utf-8")
    (issue,) = [i for i in check_file(unit).issues if i.code == "NAME-DIFFERS"]
    assert "县里的 catalogue" in issue.message and "社保经办" in issue.message and "经办机构" in issue.message


def test_a_bad_date_in_the_county_defaults_is_one_message_with_its_line(tmp_path):
    from generator.load.county import DefaultsError, read_defaults

    path = tmp_path / "_defaults.yaml"
    path.write_text("finance_bureau: 示例县财政局\nunit:\n  year: 2024\n  date: 2025-02-30\n", encoding="utf-8")
    try:
        read_defaults(path)
    except DefaultsError as exc:
        assert f"{path}:4: LOAD-DATE 错误" in str(exc) and "2月30日" in str(exc)
    else:
        raise AssertionError("a bad date in _defaults.yaml is refused")
    path.write_text("unit:\n  date: 2025年6月30日\n", encoding="utf-8")
    assert read_defaults(path).unit == {"date": "2025-06-30"}
