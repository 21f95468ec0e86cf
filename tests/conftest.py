"""Shared helpers: a small valid unit as YAML, and checking YAML text without files."""

from __future__ import annotations

import copy
import textwrap
from pathlib import Path

import pytest
import yaml

from generator.load import load_bytes
from generator.pipeline import Checked, validate

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"

BASE_UNIT = {
    "unit": {"name": "测试单位", "code": "T001", "year": 2024, "amount_unit": "万元"},
    "overview": {"duties": "测试职责。", "organization": "测试机构。"},
    "functional": [
        {"code": "2080109", "income": {"general": "100.00"}, "expenditure": {"basic": "80.00", "project": "20.00"},
         "general_budget": {"basic": "80.00", "project": "20.00"}},
    ],
    "basic_items": {"items": {"30101": "60.00", "30201": "20.00"}},
    "three_public": {"budget": {"reception": "1.00"}, "actual": {"reception": "1.00"},
                     "last_year": {"reception": "1.00"}, "reception_batches": 1, "reception_people": 5},
    "last_year": {"total": "100.00", "fiscal_total": "100.00", "general_budget": "100.00"},
    "initial_budget": {"lines": {"2080109": "100.00"}},
}


def unit_text(changes: dict | None = None, drop: tuple[str, ...] = ()) -> str:
    """The base unit as YAML, with top-level sections replaced or dropped."""
    data = copy.deepcopy(BASE_UNIT)
    for key, value in (changes or {}).items():
        data[key] = value
    for key in drop:
        data.pop(key)
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)


def check_text(text: str, name: str = "unit.yaml") -> Checked:
    return validate(load_bytes(name, textwrap.dedent(text).encode("utf-8")))


def codes(checked: Checked) -> list[str]:
    return [issue.code for issue in checked.issues]


@pytest.fixture(scope="session")
def data_dir() -> Path:
    return DATA


@pytest.fixture(scope="session")
def profile():
    """The Hunan profile, which reproduces the reference documents."""
    from generator.profiles import load_profile

    return load_profile("hunan")
