"""``juesuan new``: a skeleton that asks for what the document states and passes only once filled."""

from __future__ import annotations

import re
from dataclasses import fields
from pathlib import Path

import yaml

from generator.cli import main
from generator.model import UnitData

PLACEHOLDER = "待填写"


def new(tmp_path, capsys, *extra) -> Path:
    target = tmp_path / "新单位.yaml"
    assert main(["new", "--name", "新单位", "--code", "N001", "--year", "2024", "-o", str(target), *extra]) == 0
    capsys.readouterr()
    return target


def check(capsys, path) -> tuple[int, list[str]]:
    code = main(["check", str(path)])
    return code, capsys.readouterr().out.splitlines()


def asked_lines(text: str) -> set[int]:
    """The lines where the skeleton writes 待填写 as a value (not in a comment)."""
    return {n for n, line in enumerate(text.splitlines(), 1)
            if PLACEHOLDER in line.split("#", 1)[0]}


def test_untouched_skeleton_fails_check_with_every_placeholder_named_at_its_line(tmp_path, capsys):
    target = new(tmp_path, capsys)
    text = target.read_text(encoding="utf-8")
    code, lines = check(capsys, target)
    assert code == 1
    unfilled = {int(line.split(":")[1]) for line in lines if " UNFILLED 错误 " in line}
    assert unfilled == asked_lines(text) and len(unfilled) >= 30
    assert all("未填写" in line for line in lines if " UNFILLED " in line)
    # the place is said in the document's words
    assert any("三公 · 公务接待费 · 预算数：未填写" in line for line in lines)


def test_render_refuses_the_untouched_skeleton(tmp_path, capsys):
    target = new(tmp_path, capsys)
    out = tmp_path / "out"
    assert main(["render", str(target), "-o", str(out), "--format", "docx"]) == 1
    assert "未生成" in capsys.readouterr().err
    assert not out.exists() or list(out.iterdir()) == []


def test_every_field_is_written_or_shown_commented_with_one_example_per_mapping(tmp_path, capsys):
    text = new(tmp_path, capsys).read_text(encoding="utf-8")
    for f in fields(UnitData):
        if f.name not in ("economic_groups", "carried_over"):  # not used by hunan; written by import
            assert f"\n{f.name}:" in text or f"\n# {f.name}:" in text, f.name
    for mapping, entry in (("  items:", '# "30101": 待填写'), ("  lines:", '# "2080101": {amount: 待填写')):
        after = text[text.index(mapping):]
        assert after.splitlines()[1].strip().startswith(entry), mapping
    assert yaml.safe_load(text)["basic_items"] == {"items": None}


def test_only_what_the_profile_uses(tmp_path, capsys):
    hunan = new(tmp_path, capsys).read_text(encoding="utf-8")
    assert "economic_groups" not in hunan and "\n  kind:" not in hunan and "# kind:" not in hunan
    (tmp_path / "新单位.yaml").unlink()
    yuan = new(tmp_path, capsys, "--profile", "yuan").read_text(encoding="utf-8")
    assert "\n# economic_groups:" in yuan           # yuan explains 基本支出 by economic group
    assert "\n  kind: 待填写" in yuan                 # and prints 公开10表, where 行政/事业 splits 机关运行经费


def test_the_schema_path_is_right_where_the_file_is_written(tmp_path, capsys):
    deep = tmp_path / "县" / "乡镇"
    deep.mkdir(parents=True)
    target = deep / "单位.yaml"
    assert main(["new", "--name", "x", "--code", "1", "--year", "2024", "-o", str(target)]) == 0
    first = target.read_text(encoding="utf-8").splitlines()[0]
    reference = first.split("$schema=", 1)[1]
    assert (deep / reference).resolve().name == "unit.schema.json" and (deep / reference).resolve().is_file()


def test_a_filled_skeleton_passes(tmp_path, capsys):
    """Fill every 待填写 as an accountant would (and uncomment the two example entries): no error left."""
    text = new(tmp_path, capsys).read_text(encoding="utf-8")
    values = {"code": '"2080109"', "general": "100", "basic": "80", "project": "20", "total": "100",
              "fiscal_total": "100", "general_budget": "100"}
    filled = []
    for line in text.splitlines():
        key = line.split(":")[0].strip()
        if PLACEHOLDER in line.split("#", 1)[0]:
            indent = line[:len(line) - len(line.lstrip())]
            if key in ("duties", "organization", "department"):
                value = "某某职责。"
            elif key in values and len(indent) <= 6 and not (key == "total" and len(indent) > 2):
                value = values[key]
            else:
                value = "0"
            line = f"{indent}{key}: {value}"
        filled.append(line)
    filled = "\n".join(filled)
    filled = filled.replace('    # "30101": 待填写', '    "30101": 60\n    "30201": 20  #')
    filled = re.sub(r'    # "2080101": \{amount: 待填写, reason: [^}]*\}', '    "2080109": 100', filled)
    # the three 三公 columns are all 0 here; the vehicle count 0
    path = tmp_path / "filled.yaml"
    path.write_text(filled, encoding="utf-8")
    code, lines = check(capsys, path)
    assert code == 0, "\n".join(lines)
    assert not any("UNFILLED" in line for line in lines)
