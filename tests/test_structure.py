"""A profile's structure.yaml: numbering, conditions, its own sentences and macros, and the
unit's own words (texts:, display:) — each through a small profile folder written here."""

from __future__ import annotations

import textwrap

import pytest
import yaml

from generator.layout.tree import Heading, Paragraph
from generator.load.loader import load_bytes
from generator.pipeline import check_file, documents, resolve_profile, validate
from generator.profiles import ProfileError, load_profile

from conftest import DATA


def profile_folder(tmp_path, structure: str, extra: str = "", files: dict[str, str] | None = None):
    folder = tmp_path / "p"
    folder.mkdir(exist_ok=True)
    (folder / "profile.yaml").write_text(f"base: hunan\nstructure: structure.yaml\n{extra}", encoding="utf-8")
    (folder / "structure.yaml").write_text(textwrap.dedent(structure), encoding="utf-8")
    for name, text in (files or {}).items():
        (folder / name).write_text(textwrap.dedent(text), encoding="utf-8")
    return str(folder)


def rendered(profile: str, unit=DATA / "yiyang-2024-shebao.yaml"):
    checked = check_file(unit, profile=profile)
    return checked, documents(checked)[0]


def outline(document) -> list[str]:
    return [b.text for b in document.blocks if isinstance(b, (Heading, Paragraph))]


SMALL = """\
parts:
  - title: 情况说明
    sections:
      - {title: 收入, body: income}
      - {title: 国有资本经营, body: capital, when: "not f.capital.none"}
      - {title: 政府性基金, body: fund}
      - {title: 无编号, body: overall, number: false}
      - {title: 空节, body: economic_groups, optional: true}
      - title: 自写
        text: "P {{ y }}年度本单位基本支出{{ f.basic_total }}。"
"""


def test_numbers_go_to_the_sections_printed(tmp_path):
    _, document = rendered(profile_folder(tmp_path, SMALL))
    headings = [b.text for b in document.blocks if isinstance(b, Heading)]
    # 国有资本经营 (none) and 空节 (nothing to say) left out: no gap in the numbers
    assert headings == ["第一部分 情况说明", "一、收入", "二、政府性基金", "无编号", "三、自写"]
    text = outline(document)
    assert "2024年度本单位基本支出841.69万元。" in text


def test_a_profile_s_own_macro_replaces_a_shared_one(tmp_path):
    folder = profile_folder(tmp_path, """\
        macros: [mine.j2]
        parts:
          - title: 说明
            sections:
              - {title: 政府性基金, body: fund}
        """, files={"mine.j2": """\
        {% macro fund() %}
        P 本省的写法：{{ y }}年度政府性基金预算财政拨款支出{{ f.fund.expenditure }}。
        {% endmacro %}
        """})
    _, document = rendered(folder)
    assert "本省的写法：2024年度政府性基金预算财政拨款支出0万元。" in outline(document)


@pytest.mark.parametrize("structure, message", [
    ("parts:\n  - {title: 甲, body: no_such_body}\n", "no_such_body"),
    ("parts:\n  - {title: 甲, bdy: income}\n", "bdy"),
    ("parts:\n  - title: 甲\n    sections:\n      - title: 乙\n        sections:\n          - title: 丙\n"
     "            sections:\n              - {title: 丁, body: income}\n", "最多三层"),
    ("parts: []\n", "parts"),
])
def test_a_structure_that_cannot_be_followed_names_the_profile_and_the_mistake(tmp_path, structure, message):
    folder = profile_folder(tmp_path, structure)
    checked = check_file(DATA / "yiyang-2024-shebao.yaml", profile=folder)
    with pytest.raises(ProfileError, match=message):
        documents(checked)


def test_the_unit_s_texts_replace_a_section_and_an_empty_table_s_words(tmp_path):
    text = (DATA / "yiyang-2024-shebao.yaml").read_text(encoding="utf-8") + textwrap.dedent("""\
        texts:
          fund: 本单位没有政府性基金收支。
          t07.empty: 说明：本表无数据（单位自己的说明）。
        """)
    path = tmp_path / "unit.yaml"
    path.write_text(text, encoding="utf-8")
    checked, document = rendered("hunan", path)
    assert "本单位没有政府性基金收支。" in outline(document)
    assert not any(t.startswith("2024年度本单位没有政府性基金预算收入") for t in outline(document))
    assert document.table("t07").empty == "说明：本表无数据（单位自己的说明）。"


def test_a_texts_name_the_profile_has_no_place_for_is_an_error(tmp_path):
    text = (DATA / "yiyang-2024-shebao.yaml").read_text(encoding="utf-8") + "texts:\n  fnd: 写错了名称\n"
    checked = validate(load_bytes("unit.yaml", text.encode("utf-8")), load_profile("hunan"))
    (issue,) = [i for i in checked.issues if i.code == "TEXT-UNKNOWN-NAME"]
    assert issue.is_error and "fnd" in issue.message and "fund" in issue.message


def test_the_unit_s_display_overrides_the_profile_s(tmp_path):
    data = yaml.safe_load((DATA / "yiyang-2024-shebao.yaml").read_text(encoding="utf-8"))
    data["display"] = {"table_zero": "0.00", "trim_zeros": "false"}
    loaded = load_bytes("unit.yaml", yaml.safe_dump(data, allow_unicode=True).encode("utf-8"))
    profile, issues = resolve_profile(loaded)
    assert issues == [] and profile.style.table_zero == "0.00" and profile.style.trim_zeros is False
    document = documents(validate(loaded, profile))[0]
    t01 = document.table("t01").grids[0].matrix()
    assert t01[4][2] == "0.00"                       # 二、政府性基金预算财政拨款收入
    assert any("收、支总计841.69万元" in t for t in outline(document))
    data["display"] = {"trim_zeros": "也许"}
    bad = load_bytes("unit.yaml", yaml.safe_dump(data, allow_unicode=True).encode("utf-8"))
    profile, issues = resolve_profile(bad)
    assert profile is None and [i.code for i in issues] == ["LOAD-DISPLAY"] and "trim_zeros" in issues[0].message
