"""The JSON Schema of a unit file: valid, generated from the model, committed fresh."""

from __future__ import annotations

import json
import re
import typing
from dataclasses import fields, is_dataclass
from pathlib import Path

import pytest
import yaml
from jsonschema import Draft202012Validator

from generator import model
from generator.load import load_bytes
from generator.pipeline import validate
from generator.model.schema import json_schema, render

ROOT = Path(__file__).resolve().parent.parent
COMMITTED = ROOT / "docs" / "unit.schema.json"
DATA_FILES = sorted((ROOT / "data").glob("*.yaml"))
REGENERATE = ".venv/bin/python -m generator.model.schema > docs/unit.schema.json"

MINIMAL = """\
unit: {name: 测试单位, code: "t", year: 2024}
overview: {duties: 职责, organization: 机构}
functional:
  - code: "2080109"
    income: {general: 10}
    expenditure: {basic: 10}
    general_budget: {basic: 10}
basic_items: {items: {"30101": 10}}
three_public: {}
last_year: {total: 10, fiscal_total: 10, general_budget: 10}
initial_budget: {lines: {"2080109": 10}}
"""


@pytest.fixture(scope="module")
def schema() -> dict:
    return json_schema()


@pytest.fixture(scope="module")
def validator(schema) -> Draft202012Validator:
    return Draft202012Validator(schema)


def errors_by_path(validator, document) -> dict[tuple, list[str]]:
    found: dict[tuple, list[str]] = {}
    for error in validator.iter_errors(document):
        found.setdefault(tuple(error.absolute_path), []).append(error.validator)
    return found


def test_schema_is_valid_draft_2020_12(schema):
    Draft202012Validator.check_schema(schema)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"


@pytest.mark.parametrize("path", DATA_FILES, ids=lambda p: p.name)
def test_example_files_validate(validator, path):
    document = yaml.safe_load(path.read_text(encoding="utf-8"))
    problems = [f"{'.'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(document)]
    assert problems == []


def test_data_files_exist():
    assert len(DATA_FILES) >= 2


def test_minimal_file_validates(validator):
    assert errors_by_path(validator, yaml.safe_load(MINIMAL)) == {}


def test_bad_file_is_rejected_where_the_loader_rejects_it(validator):
    text = (MINIMAL
            .replace("year: 2024}", "year: 2024, nmae: 多余}")
            .replace("three_public: {}", "three_public: {abroad_groups: 两个}")
            + "balances: {opening: -5}\n")
    found = errors_by_path(validator, yaml.safe_load(text))
    assert found == {
        ("unit",): ["additionalProperties"],
        ("balances", "opening"): ["anyOf"],
        ("three_public", "abroad_groups"): ["anyOf"],
    }
    # the loader refuses the same three fields
    issues = {(i.path, i.code) for i in load_bytes("bad.yaml", text.encode()).issues}
    assert issues == {
        ("unit.nmae", "LOAD-UNKNOWN-FIELD"),
        ("balances.opening", "LOAD-NEGATIVE"),
        ("three_public.abroad_groups", "LOAD-TYPE"),
    }


@pytest.mark.parametrize("snippet, path", [
    ("functional:\n  - code: \"1080109\"\n", ("functional", 0, "code")),
    ("basic_items: {items: {\"4010\": 1}}\n", ("basic_items", "items")),
    ("initial_budget: {lines: {\"208011\": 1}}\n", ("initial_budget", "lines")),
    ("three_public: {abroad_groups: 1.5}\n", ("three_public", "abroad_groups")),
    ("last_year: {total: true}\n", ("last_year", "total")),
    ("unit: {name: a, code: b, year: 1999}\n", ("unit", "year")),
    ("unit: {name: a, code: b, year: 2024, amount_unit: 千元}\n", ("unit", "amount_unit")),
    ("unit: {name: a, code: b}\n", ("unit",)),
])
def test_other_refusals(validator, snippet, path):
    document = yaml.safe_load(MINIMAL)
    document.update(yaml.safe_load(snippet))
    assert path in errors_by_path(validator, document)


def test_code_maps_take_an_amount_or_the_record(validator):
    document = yaml.safe_load(MINIMAL)
    document["basic_items"] = {"items": {"301": "1,234.56", "30101": {"amount": 1234.56, "name": "基本工资"}}}
    document["initial_budget"] = {"lines": {"208": 1, "20801": None, "2080109": {"amount": 1, "reason": "原因"}}}
    assert errors_by_path(validator, document) == {}
    document["basic_items"]["items"]["30101"] = {"amount": 1, "reason": "不是这里的字段"}
    assert ("basic_items", "items", "30101") in errors_by_path(validator, document)


def test_top_level_properties_are_the_model_fields(schema):
    assert set(schema["properties"]) == {f.name for f in fields(model.UnitData)}
    whole, evaluation_only = schema["anyOf"]
    assert whole["required"] == [f.name for f in fields(model.UnitData) if f.metadata.get("required")]
    assert evaluation_only["required"] == ["unit", "evaluation"]


def _records(cls: type, schema: dict, path: str = ""):
    """Each record class of the model beside the object schema generated for it."""
    yield path or "UnitData", cls, schema
    hints = typing.get_type_hints(cls, vars(model))
    for f in fields(cls):
        typ, sub = hints[f.name], schema["properties"][f.name]
        kind = f.metadata["kind"]
        if kind == "record":
            optional = [a for a in typing.get_args(typ) if a is not type(None)]
            yield from _records(optional[0] if optional else typ, sub, f"{path}.{f.name}".lstrip("."))
        elif kind == "list":
            yield from _records(typing.get_args(typ)[0], sub["items"], f"{path}.{f.name}[]".lstrip("."))
        elif kind == "map":
            value = sub["additionalProperties"]
            record = value["anyOf"][1] if "anyOf" in value else value
            yield from _records(typing.get_args(typ)[1], record, f"{path}.{f.name}.*".lstrip("."))


def test_every_record_matches_its_dataclass(schema):
    seen = 0
    for path, cls, sub in _records(model.UnitData, schema):
        assert is_dataclass(cls), path
        assert list(sub["properties"]) == [f.name for f in fields(cls)], path
        assert sub["additionalProperties"] is False, path
        for f in fields(cls):
            assert sub["properties"][f.name]["description"].startswith(f.metadata["doc"]), f"{path}.{f.name}"
        seen += 1
    assert seen > 20


def test_committed_schema_is_current():
    assert COMMITTED.exists(), f"docs/unit.schema.json is missing; generate it with: {REGENERATE}"
    on_disk = COMMITTED.read_text(encoding="utf-8")
    assert json.loads(on_disk) == json_schema(), (
        f"docs/unit.schema.json is stale (generator/model/__init__.py changed); regenerate it with: {REGENERATE}")
    assert on_disk == render(), f"docs/unit.schema.json is not formatted as generated; regenerate it with: {REGENERATE}"


DRAFT_07_KEYWORDS = {
    "$schema", "title", "description", "default", "type", "enum", "anyOf", "properties",
    "additionalProperties", "required", "propertyNames", "items", "pattern",
    "minimum", "maximum", "exclusiveMaximum",
}


def _keywords(schema: dict):
    for key, value in schema.items():
        yield key
        if key == "properties":
            for sub in value.values():
                yield from _keywords(sub)
        elif key == "anyOf":
            for sub in value:
                yield from _keywords(sub)
        elif isinstance(value, dict):
            yield from _keywords(value)


def test_schema_uses_only_keywords_draft_07_editors_know(schema):
    # The VS Code YAML extension validates with draft-07 semantics: keep to the common subset.
    assert set(_keywords(schema)) <= DRAFT_07_KEYWORDS


def _documented_example() -> str:
    text = (ROOT / "docs" / "data-format.md").read_text(encoding="utf-8")
    match = re.search(r"```yaml\n(# yaml-language-server.*?)```", text, re.S)
    assert match, "docs/data-format.md has no complete example"
    return match.group(1)


def test_documented_example_passes_schema_and_check(validator):
    example = _documented_example()
    assert errors_by_path(validator, yaml.safe_load(example)) == {}
    checked = validate(load_bytes("data-format.md", example.encode("utf-8")))
    assert [issue.format() for issue in checked.issues] == []


def test_code_map_values_take_an_amount_only_when_the_loader_does(schema):
    """The loader reads ``"30101": 130.03`` as ``{amount: 130.03}`` only for records with an amount."""
    maps = 0
    for path, cls, sub in _records(model.UnitData, schema):
        hints = typing.get_type_hints(cls, vars(model))
        for f in fields(cls):
            if f.metadata["kind"] != "map":
                continue
            value_type = typing.get_args(hints[f.name])[1]
            has_amount = "amount" in {g.name for g in fields(value_type)}
            value = sub["properties"][f.name]["additionalProperties"]
            assert ("anyOf" in value) == has_amount, f"{path}.{f.name}"
            maps += 1
    assert maps >= 2


def _documented_sections() -> dict[str, list[str]]:
    """The field tables of docs/data-format.md: section path → field names, in order."""
    sections: dict[str, list[str]] = {}
    current = None
    for line in (ROOT / "docs" / "data-format.md").read_text(encoding="utf-8").splitlines():
        heading = re.match(r"^### (?:`([^`]+)`：|顶层)", line)
        if heading:
            current = heading.group(1) or "UnitData"
            sections[current] = []
        elif line.startswith("## "):
            current = None
        elif current is not None:
            row = re.match(r"^\| `([a-z_0-9]+)` \|", line)
            if row:
                sections[current].append(row.group(1))
    return sections


def test_documented_field_tables_match_the_model(schema):
    """docs/data-format.md lists each section's fields as the model has them (update it by hand)."""
    documented = _documented_sections()
    model_sections = {path: [f.name for f in fields(cls)] for path, cls, _ in _records(model.UnitData, schema)}
    assert "UnitData" in documented
    for path, names in documented.items():
        assert path in model_sections, f"docs/data-format.md documents `{path}`, which the model does not have"
        assert names == model_sections[path], f"docs/data-format.md: the table of `{path}` differs from the model"
