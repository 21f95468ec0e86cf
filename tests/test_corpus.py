"""The corpus of broken unit files: each is refused by ``juesuan check`` with one clear line.

``tests/corpus/expected.yaml`` lists every file of ``tests/corpus/``: the refused
ones with the exit code, the issue code, the line and a fragment of the message;
the accepted ones (numbers written as people paste them, BOM, CRLF, GBK) with
the value they must load as.  Everything runs through the real CLI entry.
"""

from __future__ import annotations

import time
import tracemalloc
from decimal import Decimal
from pathlib import Path

import pytest
import yaml

from generator.load import yamlread
from generator.cli import main
from generator.load import load_file
from generator.load.yamlread import MAX_FILE_BYTES

from conftest import unit_text

CORPUS = Path(__file__).resolve().parent / "corpus"
MANIFEST = yaml.safe_load((CORPUS / "expected.yaml").read_text(encoding="utf-8"))
REFUSED = MANIFEST["refused"]
ACCEPTED = MANIFEST["accepted"]


def _check(capsys, path: Path) -> tuple[int, list[str], str]:
    code = main(["check", str(path)])
    out, err = capsys.readouterr()
    return code, out.splitlines(), out + err


def _line_for(lines: list[str], path: Path, line: int | None, code: str) -> str | None:
    prefix = f"{path}:{line}: {code} " if line is not None else f"{path}: {code} "
    return next((text for text in lines if text.startswith(prefix)), None)


def _assert_issue(lines: list[str], path: Path, line: int | None, code: str, fragment: str) -> None:
    found = _line_for(lines, path, line, code)
    assert found is not None, f"no line starting with {path}:{line}: {code} in:\n" + "\n".join(lines)
    assert fragment in found, f"{fragment!r} not in {found!r}"


# ------------------------------------------------------------------ the manifest


def test_every_corpus_file_is_in_the_manifest():
    on_disk = {p.name for p in CORPUS.iterdir()} - {"expected.yaml"}
    listed = [case["file"] for case in REFUSED + ACCEPTED]
    assert len(listed) == len(set(listed)), "a file is listed twice"
    assert on_disk == set(listed)


def test_the_corpus_is_big_enough():
    assert len(REFUSED) >= 60


# ------------------------------------------------------------------ refused files


@pytest.mark.parametrize("case", REFUSED, ids=[c["file"] for c in REFUSED])
def test_refused_file(case, capsys):
    path = CORPUS / case["file"]
    start = time.perf_counter()
    code, lines, everything = _check(capsys, path)
    elapsed = time.perf_counter() - start
    assert code == case["exit"], everything
    _assert_issue(lines, path, case["line"], case["code"], case["fragment"])
    if "warning" in case:
        _assert_issue(lines, path, None, case["warning"]["code"], case["warning"]["fragment"])
    assert "Traceback" not in everything
    if "max_seconds" in case:
        assert elapsed < case["max_seconds"]


@pytest.mark.parametrize("case", REFUSED, ids=[c["file"] for c in REFUSED])
def test_refused_file_renders_nothing(case, capsys, tmp_path):
    out = tmp_path / "out"
    code = main(["render", str(CORPUS / case["file"]), "-o", str(out)])
    _, err = capsys.readouterr()
    assert code == case["exit"]
    assert "Traceback" not in err
    assert not out.exists() or list(out.iterdir()) == []


def test_billion_laughs_is_refused_fast_and_small(capsys):
    """9 levels × 9 aliases would expand to 9⁹ strings: refused at the first alias."""
    path = CORPUS / "alias-billion-laughs.yaml"
    tracemalloc.start()
    try:
        start = time.perf_counter()
        code, lines, _ = _check(capsys, path)
        elapsed = time.perf_counter() - start
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert code == 2 and elapsed < 2
    assert peak < 20 * 1024 * 1024
    _assert_issue(lines, path, 2, "LOAD-ALIAS", "锚点和别名")


def test_file_over_the_size_limit_is_refused(capsys, tmp_path):
    """Not kept in the corpus (it would be 2 MiB): a valid unit padded with a comment."""
    path = tmp_path / "too-big.yaml"
    text = unit_text().encode()
    path.write_bytes(text + b"#" + b"x" * (MAX_FILE_BYTES - len(text)) + b"\n")
    code, lines, everything = _check(capsys, path)
    assert code == 2 and "Traceback" not in everything
    _assert_issue(lines, path, None, "LOAD-SIZE", "超过上限2097152字节（2 MiB）")
    out = tmp_path / "out"
    assert main(["render", str(path), "-o", str(out)]) == 2
    assert not out.exists() or list(out.iterdir()) == []


def test_file_at_the_size_limit_is_read(capsys, tmp_path, monkeypatch):
    """The limit itself is allowed, one byte more is not (a lower limit keeps this quick)."""
    text = unit_text().encode()
    monkeypatch.setattr(yamlread, "MAX_FILE_BYTES", len(text) + 10)
    path = tmp_path / "just-fits.yaml"
    path.write_bytes(text + b"#" + b"x" * 8 + b"\n")
    code, _, everything = _check(capsys, path)
    assert code == 0, everything
    path.write_bytes(text + b"#" + b"x" * 9 + b"\n")
    code, lines, _ = _check(capsys, path)
    assert code == 2
    _assert_issue(lines, path, None, "LOAD-SIZE", f"超过上限{len(text) + 10}字节")


# ------------------------------------------------------------------ accepted files


def _at(data, path: str):
    """``basic_items.items.30101.amount`` → the value in the loaded model."""
    value = data
    for part in path.split("."):
        if isinstance(value, dict):
            value = value[part]
        elif isinstance(value, tuple):
            value = value[int(part)]
        else:
            value = getattr(value, part)
    return value


@pytest.mark.parametrize("case", ACCEPTED, ids=[c["file"] for c in ACCEPTED])
def test_accepted_file(case, capsys):
    path = CORPUS / case["file"]
    code, lines, everything = _check(capsys, path)
    assert code == 0, everything
    assert "Traceback" not in everything
    if "warning" in case:
        _assert_issue(lines, path, None, case["warning"]["code"], case["warning"]["fragment"])
    else:
        assert lines == []  # not even a warning
    value = _at(load_file(path).data, case["path"])
    expected = case["value"]
    if isinstance(value, Decimal):
        assert value == Decimal(expected) and str(value) == expected  # exactly the text, never via float
    else:
        assert value == expected


# ------------------------------------------------------------------ the number table of docs/data-format.md

DOCS = (Path(__file__).resolve().parent.parent / "docs" / "data-format.md").read_text(encoding="utf-8")
NUMBERS_SECTION = DOCS[DOCS.index("## 四、数字怎么写"):DOCS.index("## 五、")]

# (as written in the table, as written in the file, amount unit, Decimal read | (code, message fragment))
DOCUMENTED_AMOUNTS = [
    ("1234.56", "1234.56", "万元", "1234.56"),
    ('"1234.56"', '"1234.56"', "万元", "1234.56"),
    ("12.", "12.", "万元", "12"),
    (".5", ".5", "万元", "0.5"),
    ("+5", "+5", "万元", "5"),
    ("012", "012", "万元", "12"),
    ("1,234.56", "1,234.56", "万元", "1234.56"),
    ("12,345,678.90", "12,345,678.90", "万元", "12345678.90"),
    ("12,34.5", "12,34.5", "万元", ("LOAD-NUMBER", "应当是数字")),
    ("１２３．４５", "１２３．４５", "万元", "123.45"),
    ("1，234.56", "1，234.56", "万元", "1234.56"),
    ("①", "①", "万元", ("LOAD-NUMBER", "应当是数字（如 1234.56），不能含有文字")),
    ("²", "2²", "万元", ("LOAD-NUMBER", "应当是数字（如 1234.56），不能含有文字")),
    ("opening:", "", "万元", "0"),
    ("~", "~", "万元", "0"),
    ("null", "null", "万元", "0"),
    ("—", "—", "万元", "0"),
    ("——", "——", "万元", "0"),
    ("－", "－", "万元", "0"),
    ("/", "/", "万元", "0"),
    ('"-"', '"-"', "万元", "0"),
    ("12.3万", "12.3万", "万元", ("LOAD-NUMBER", "金额中不要写单位，按文件的金额单位（unit.amount_unit）只写数字，如 12.3")),
    ("12.3万元", "12.3万元", "万元", ("LOAD-NUMBER", "金额中不要写单位")),
    ("1.2亿", "1.2亿", "万元", ("LOAD-NUMBER", "金额中不要写单位")),
    ("12 万", "12 万", "万元", ("LOAD-NUMBER", "金额中不要写单位")),
    ("50%", "50%", "万元", ("LOAD-NUMBER", "这里应写金额，不是百分比")),
    ("NaN", "NaN", "万元", ("LOAD-NUMBER", "不是有限的数（NaN或无穷大），请写普通数字")),
    (".nan", ".nan", "万元", ("LOAD-NUMBER", "不是有限的数（NaN或无穷大），请写普通数字")),
    (".inf", ".inf", "万元", ("LOAD-NUMBER", "不是有限的数（NaN或无穷大），请写普通数字")),
    ("-.inf", "-.inf", "万元", ("LOAD-NUMBER", "不是有限的数（NaN或无穷大），请写普通数字")),
    ("1e3", "1e3", "万元", ("LOAD-NUMBER", "应当是数字（如 1234.56），不能含有文字")),
    ("1_000", "1_000", "万元", ("LOAD-NUMBER", "应当是数字（如 1234.56），不能含有文字")),
    ("0x10", "0x10", "万元", ("LOAD-NUMBER", "应当是数字（如 1234.56），不能含有文字")),
    ("￥12", "￥12", "万元", ("LOAD-NUMBER", "应当是数字（如 1234.56），不能含有文字")),
    ("(12.3)", "(12.3)", "万元", ("LOAD-NUMBER", "应当是数字（如 1234.56），不能含有文字")),
    ("12 345.6", "12 345.6", "万元", ("LOAD-NUMBER", "应当是数字（如 1234.56），不能含有文字")),
    ("-5", "-5", "万元", ("LOAD-NEGATIVE", "金额 -5 是负数；这里只能填0或正数")),
    ('"-5"', '"-5"', "万元", ("LOAD-NEGATIVE", "金额 -5 是负数；这里只能填0或正数")),
    ("1000000000000", "1000000000000", "万元", ("LOAD-TOO-LARGE", "大得不合理（上限 10^12），请检查是否多打了位数")),
    ("1000000000000", "1000000000000", "元", ("LOAD-TOO-LARGE", "上限 10^12")),
    ("1.2345678", "1.2345678", "万元", ("LOAD-PRECISION", "金额 1.2345678 有7位小数；金额单位为万元时最多6位")),
    ("1.2300000", "1.2300000", "元", "1.2300000"),
    ("1.234", "1.234", "元", ("LOAD-PRECISION", "金额 1.234 有3位小数；金额单位为元时最多2位")),
    ("true", "true", "万元", ("LOAD-TYPE", "应当是金额（数字），写成了“true”")),
    ("yes", "yes", "万元", ("LOAD-TYPE", "应当是金额（数字），写成了“yes”")),
    ("no", "no", "万元", ("LOAD-TYPE", "应当是金额（数字），写成了“no”")),
]


FIELD_LINE = len(unit_text().splitlines()) + 3
"""The line of ``performance.general.<field>`` in :func:`_unit_with`."""


def _unit_with(field: str, written: str, amount_unit: str = "万元") -> bytes:
    text = unit_text().replace("amount_unit: 万元", f"amount_unit: {amount_unit}")
    return (text + f"performance:\n  general:\n    {field}: {written}\n").encode("utf-8")


@pytest.mark.parametrize("documented, written, amount_unit, expected", DOCUMENTED_AMOUNTS,
                         ids=[f"{c[0]}-{c[2]}" for c in DOCUMENTED_AMOUNTS])
def test_number_table_is_what_the_loader_does(documented, written, amount_unit, expected):
    from generator.load import load_bytes
    from generator.pipeline import validate

    assert f"`{documented}`" in NUMBERS_SECTION
    checked = validate(load_bytes("u.yaml", _unit_with("amount", written, amount_unit)))
    if isinstance(expected, str):
        assert checked.issues == ()
        value = checked.loaded.data.performance.general.amount
        assert value == Decimal(expected) and str(value) == expected
    else:
        code, fragment = expected
        assert [(i.code, i.line) for i in checked.issues] == [(code, FIELD_LINE)]
        assert fragment in checked.issues[0].message


def test_unquoted_dash_is_not_yaml_as_documented():
    from generator.issues import UnusableInput
    from generator.load import load_bytes

    assert "不加引号在 YAML 中是列表符号，整个文件无法使用（`LOAD-YAML`）" in NUMBERS_SECTION
    with pytest.raises(UnusableInput) as exc:
        load_bytes("u.yaml", _unit_with("amount", "-"))
    assert exc.value.issue.code == "LOAD-YAML" and "加引号" in exc.value.issue.message


def test_grouped_number_in_braces_needs_quotes_as_documented():
    from generator.load import load_bytes

    assert "{opening: \"1,234.56\"}" in NUMBERS_SECTION
    text = unit_text() + "balances: {opening: 1,234.56}\n"
    assert [i.code for i in load_bytes("u.yaml", text.encode()).issues] == ["LOAD-UNKNOWN-FIELD"]
    text = unit_text() + 'balances: {opening: "1,234.56"}\n'
    assert load_bytes("u.yaml", text.encode()).data.balances.opening == Decimal("1234.56")


@pytest.mark.parametrize("documented, written, expected", [
    ("43", "43", 43), ('"43"', '"43"', 43), ("４３", "４３", 43), ("1.5", "1.5", None), ("1.0", "1.0", None),
    ("-1", "-1", None), ("两个", "两个", None),
])
def test_counts_as_documented(documented, written, expected):
    from generator.load import load_bytes

    assert f"`{documented}`" in NUMBERS_SECTION
    loaded = load_bytes("u.yaml", _unit_with("projects", written))
    if expected is None:
        assert [(i.code, i.line) for i in loaded.issues] == [("LOAD-TYPE", FIELD_LINE)]
        assert "应当是0或正整数（人数、个数等）" in loaded.issues[0].message
    else:
        assert loaded.issues == [] and loaded.data.performance.general.projects == expected


@pytest.mark.parametrize("documented, written, expected", [
    ("2024", "2024", 2024), ('"2024"', '"2024"', 2024), ("２０２４", "２０２４", 2024),
    ("24", "24", None), ("二〇二四", "二〇二四", None), ("2024年", "2024年", None),
])
def test_years_as_documented(documented, written, expected):
    from generator.load import load_bytes

    assert f"`{documented}`" in NUMBERS_SECTION
    loaded = load_bytes("u.yaml", unit_text().replace("year: 2024", f"year: {written}").encode())
    if expected is None:
        assert [(i.code, i.line) for i in loaded.issues] == [("LOAD-TYPE", 4)]
    else:
        assert loaded.issues == [] and loaded.data.unit.year == expected


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="no /dev/zero here")
def test_endless_file_is_refused_at_the_limit(capsys):
    """/dev/zero reports a size of 0: reading it whole would never end (and fill the memory)."""
    path = Path("/dev/zero")
    code, lines, _ = _check(capsys, path)
    assert code == 2
    _assert_issue(lines, path, None, "LOAD-SIZE", "超过上限2097152字节（2 MiB）")
