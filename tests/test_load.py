"""Loading: every problem of a file becomes an issue with file:line and field path."""

from decimal import Decimal

import pytest

from generator.issues import UnusableInput
from generator.load import load_bytes, read_amount

from conftest import BASE_UNIT, check_text, codes, unit_text


def test_base_unit_loads_clean():
    checked = check_text(unit_text())
    assert checked.issues == ()


def test_amounts_are_decimal_from_the_text():
    loaded = load_bytes("u.yaml", unit_text({"basic_items": {"items": {"30101": 0.1, "30201": "0.20"}}}).encode())
    items = loaded.data.basic_items.items
    assert items["30101"].amount == Decimal("0.1")
    assert str(items["30201"].amount) == "0.20"  # the written precision is kept


def test_all_problems_reported_in_one_run_with_lines():
    text = """\
    unit:
      name: 测试单位
      code: T001
      year: 2024
      colour: red
    overview: {duties: x, organization: y}
    functional:
      - code: "2080109"
        income: {general: -5}
        expenditure: {basic: abc}
      - code: "20801099"
    basic_items: {items: {"30101": 1, "30101": 2}}
    three_public: {budget: {reception: 1}}
    initial_budget: {}
    """
    checked = check_text(text)
    found = {(i.code, i.line, i.path) for i in checked.issues}
    assert ("LOAD-UNKNOWN-FIELD", 5, "unit.colour") in found
    assert ("LOAD-NEGATIVE", 9, "functional[0].income.general") in found
    assert ("LOAD-NUMBER", 10, "functional[0].expenditure.basic") in found
    assert ("LOAD-CODE", 11, "functional[1].code") in found
    assert ("LOAD-DUPLICATE-KEY", 12, "") in found
    assert ("LOAD-MISSING", 1, "last_year") in found
    assert all(i.file == "unit.yaml" for i in checked.issues)


def test_wrong_type_names_the_field():
    checked = check_text(unit_text({"overview": {"duties": "x", "organization": "y", "staffing": {"actual": "很多"}}}))
    (issue,) = checked.issues
    assert issue.code == "LOAD-TYPE" and issue.path == "overview.staffing.actual"
    assert "很多" in issue.message


def test_missing_required_field_inside_a_section():
    checked = check_text(unit_text({"unit": {"name": "x", "year": 2024}}))
    assert [(i.code, i.path) for i in checked.issues] == [("LOAD-MISSING", "unit.code")]


def test_unknown_field_suggests_the_near_one():
    checked = check_text(unit_text({"last_year": {"totl": 1, "fiscal_total": 1, "general_budget": 1}}))
    assert "是不是“total”" in checked.issues[0].message


@pytest.mark.parametrize("text, value", [
    ("1234.56", Decimal("1234.56")), ("1,234.56", Decimal("1234.56")), ("１２３．４５", Decimal("123.45")),
    ("—", Decimal(0)), (" 7 ", Decimal(7)),
])
def test_accepted_amount_forms(text, value):
    assert read_amount(text) == (value, None)


@pytest.mark.parametrize("text, words", [
    ("12.3万", "不要写单位"), ("50%", "百分比"), ("NaN", "NaN"), ("abc", "数字"),
])
def test_refused_amount_forms(text, words):
    value, problem = read_amount(text)
    assert value is None and words in problem


def test_precision_and_size_limits():
    checked = check_text(unit_text({"basic_items": {"items": {"30101": "1.1234567", "30201": "1e3"}}}))
    assert {i.code for i in checked.issues} == {"LOAD-PRECISION", "LOAD-NUMBER"}
    checked = check_text(unit_text({"basic_items": {"items": {"30101": "1000000000000"}}}))
    assert codes(checked) == ["LOAD-TOO-LARGE"]


@pytest.mark.parametrize("text, code", [
    ("", "LOAD-EMPTY"), ("# only a comment\n", "LOAD-EMPTY"), ("- a\n- b\n", "LOAD-NOT-MAPPING"),
    ("just text\n", "LOAD-NOT-MAPPING"), ("a: [1, 2\n", "LOAD-YAML"),
    ("a: !!python/object/apply:os.system ['true']\n", "LOAD-TAG"),
    ("a: &x [1]\nb: *x\n", "LOAD-ALIAS"),
])
def test_unusable_files(text, code):
    with pytest.raises(UnusableInput) as exc:
        load_bytes("bad.yaml", text.encode())
    assert exc.value.issue.code == code


def test_gbk_file_is_read_with_a_warning():
    loaded = load_bytes("gbk.yaml", unit_text().encode("gbk"))
    assert [i.code for i in loaded.issues] == ["LOAD-ENCODING"]
    assert loaded.data.unit.name == "测试单位"


def test_bom_and_crlf_are_fine():
    loaded = load_bytes("bom.yaml", b"\xef\xbb\xbf" + unit_text().replace("\n", "\r\n").encode())
    assert loaded.issues == [] and loaded.data.unit.name == "测试单位"


def test_alias_is_refused_at_its_own_line():
    with pytest.raises(UnusableInput) as exc:
        load_bytes("a.yaml", b"a: &x [1]\nb: 2\nc: *x\n")
    assert exc.value.issue.line == 3


def test_shorthand_amount_only_in_code_maps():
    checked = check_text(unit_text({"general_expenses": {"meeting": "0.22"}}))
    assert [i.code for i in checked.issues] == ["LOAD-TYPE"]


def test_trailing_zeros_do_not_count_as_precision_and_full_width_year():
    checked = check_text(unit_text({"basic_items": {"items": {"30101": "60.0000000", "30201": "20.00"}}}))
    assert checked.issues == ()
    unit = dict(BASE_UNIT["unit"], year="２０２４")
    assert check_text(unit_text({"unit": unit})).loaded.data.unit.year == 2024
