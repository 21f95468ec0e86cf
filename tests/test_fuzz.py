"""Fuzzing the loader and the checks: bad input is an issue or UnusableInput, never a crash.

Whatever bytes a unit file holds, ``load_bytes`` followed by ``validate``
either returns (every problem an issue, as a value) or raises
:class:`~generator.issues.UnusableInput` (exit code 2).  Any other exception
would be exit code 3, "内部错误".

The documents are random YAML trees, trees shaped like the model (known field
names, codes, amounts written as people paste them), and mutations of the valid
base unit and of the real units in ``data/``: a key deleted or duplicated, a value
replaced, random text inserted, the text cut short, random bytes.

The default suite runs a short round; ``-m slow`` runs ≥ 10,000 documents::

    .venv/bin/python -m pytest -m slow tests/test_fuzz.py
"""

from __future__ import annotations

import copy
import dataclasses
import functools
import typing

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator import model
from generator.model import catalogue
from generator.issues import Issue, UnusableInput
from generator.load import load_bytes
from generator.pipeline import validate

from conftest import BASE_UNIT, DATA, unit_text

# ------------------------------------------------------------------ the property


def survives(data: bytes) -> None:
    """Load and validate ``data``: issues as values, or UnusableInput; nothing else escapes."""
    try:
        loaded = load_bytes("fuzz.yaml", data)
    except UnusableInput as exc:
        _assert_well_formed(exc.issue, data)
        return
    checked = validate(loaded)
    for issue in checked.issues:
        _assert_well_formed(issue, data)


def _assert_well_formed(issue: Issue, data: bytes) -> None:
    assert issue.file == "fuzz.yaml"
    assert issue.code and issue.message
    assert issue.line is None or 1 <= issue.line <= data.count(b"\n") + data.count(b"\r") + 1
    issue.format()


# ------------------------------------------------------------------ seeds

SEED_TEXTS = [unit_text()] + [p.read_text(encoding="utf-8") for p in sorted(DATA.glob("*.yaml"))]
SEED_TREES = [copy.deepcopy(BASE_UNIT)] + [yaml.safe_load(text) for text in SEED_TEXTS[1:]]

FUNCTIONAL_CODES = sorted(catalogue.FUNCTIONAL)
ECONOMIC_CODES = sorted(catalogue.ECONOMIC_NAMES)

PASTED_NUMBERS = [
    "1234.56", "1,234.56", "12,34.5", "１２３．４５", "1，234.56", "12.3万", "12.3万元", "1.2亿", "50%", "1.2e3",
    "1e12", "0x10", "1_000", "—", "——", "-", "－", "/", ".nan", "NaN", ".inf", "-.inf", "-5", "+5", ".5", "12.",
    "012", "1000000000000", "99999999999999999999999999999999", "0.0000001", "60.000000000000000000000000000001",
    "", " ", "　", "0", "00", "true", "yes", "~", "(12.3)", "￥12", "12 345.6", "٣", "①", "1.", "..", "-0", "+",
]
PERFORMANCE_VALUES = [
    "≥36.6万人", "≤930元/卷", "=100%", "100%", "95%", "950%", "51万人", "45万", "合规", "基本达成目标", "达成",
    "≥95%", "≤0", "=0", "0%", "10亿元以上", "1-2天", "≥", "%", "万人", "100.5%", "≥-5", "≥1e3",
]


def _records(typ) -> list[type]:
    """The record classes a field's type holds: ``X``, ``X | None``, ``tuple[X, ...]``, ``dict[str, X]``."""
    found = [typ] if dataclasses.is_dataclass(typ) else []
    for arg in typing.get_args(typ):
        found += _records(arg)
    return found


def _field_names(cls: type) -> set[str]:
    names = set()
    for f in dataclasses.fields(cls):
        names.add(f.name)
        for record in _records(typing.get_type_hints(cls, vars(model))[f.name]):
            names |= _field_names(record)
    return names


FIELD_NAMES = sorted(_field_names(model.UnitData))

# ------------------------------------------------------------------ strategies

texts = st.text(max_size=30)
keys = st.one_of(st.sampled_from(FIELD_NAMES), st.sampled_from(FUNCTIONAL_CODES + ECONOMIC_CODES), texts)
scalars = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True, allow_infinity=True), texts,
    st.sampled_from(PASTED_NUMBERS), st.sampled_from(PERFORMANCE_VALUES), st.decimals(allow_nan=False).map(str),
)
trees = st.recursive(
    scalars,
    lambda children: st.lists(children, max_size=4) | st.dictionaries(keys, children, max_size=5),
    max_leaves=25,
)


def dump(tree) -> bytes:
    return yaml.safe_dump(tree, allow_unicode=True, sort_keys=False).encode("utf-8")


def _paths(tree, prefix=()):
    """Every place in a tree: (path to the container, key or index)."""
    if isinstance(tree, dict):
        items = tree.items()
    elif isinstance(tree, list):
        items = enumerate(tree)
    else:
        return
    for key, value in items:
        yield prefix, key
        yield from _paths(value, prefix + (key,))


SEED_PATHS = [list(_paths(tree)) for tree in SEED_TREES]


def _container(tree, path):
    for key in path:
        tree = tree[key]
    return tree


@st.composite
def tree_mutations(draw) -> bytes:
    """A seed unit with one to three of its values deleted, replaced or duplicated."""
    index = draw(st.integers(0, len(SEED_TREES) - 1))
    tree = copy.deepcopy(SEED_TREES[index])
    for _ in range(draw(st.integers(1, 3))):
        path, key = draw(st.sampled_from(SEED_PATHS[index]))
        try:
            container = _container(tree, path)
            container[key]
        except (KeyError, IndexError, TypeError):
            continue  # an earlier mutation removed it
        action = draw(st.sampled_from(["delete", "replace", "replace", "rename", "duplicate"]))
        if action == "delete":
            del container[key]
        elif action == "replace":
            container[key] = draw(trees)
        elif action == "rename" and isinstance(container, dict):
            container[draw(keys)] = container.pop(key)
        elif action == "duplicate":
            # YAML text with the key written twice: the dict cannot hold it, so do it on the text
            text = dump(tree).decode()
            lines = text.splitlines(keepends=True)
            at = draw(st.integers(0, len(lines) - 1))
            return "".join(lines[: at + 1] + [lines[at]] + lines[at + 1:]).encode()
    return dump(tree)


SYNTAX = [":", ": ", "- ", "\t", "'", '"', "[", "{", "&a ", "*a", "!x ", "#", "\n", "  ", "---\n", "|", ">", "? ",
          "%", "@", "`", "\x0b", "\ufeff", "\u2028", "\x85", "<<: ", "="]


@st.composite
def text_mutations(draw) -> bytes:
    """A seed unit's text with random text inserted or deleted, a line doubled or rewritten, or cut short."""
    text = draw(st.sampled_from(SEED_TEXTS))
    for _ in range(draw(st.integers(1, 3))):
        at = draw(st.integers(0, len(text)))
        action = draw(st.sampled_from(["insert", "insert", "delete", "truncate", "double", "rewrite", "rewrite"]))
        if action == "insert":
            inserted = draw(st.text(min_size=1, max_size=20) | st.sampled_from(SYNTAX + PASTED_NUMBERS))
            text = text[:at] + inserted + text[at:]
        elif action == "delete":
            text = text[:at] + text[at + draw(st.integers(1, 40)):]
        elif action == "truncate":
            text = text[:at]
        else:
            lines = text.splitlines(keepends=True) or [""]
            i = draw(st.integers(0, len(lines) - 1))
            if action == "double":  # the same key twice
                lines.insert(i, lines[i])
            else:  # the same key, another value
                value = draw(st.sampled_from(PASTED_NUMBERS + PERFORMANCE_VALUES) | texts)
                lines[i] = f"{lines[i].split(':')[0]}: {value}\n"
            text = "".join(lines)
    encoding = draw(st.sampled_from(["utf-8", "utf-8", "utf-8", "utf-8-sig", "gb18030"]))
    return text.encode(encoding, errors="replace")


@st.composite
def byte_mutations(draw) -> bytes:
    """A seed unit's bytes with random bytes written over or into them; or bytes alone."""
    data = draw(st.sampled_from(SEED_TEXTS)).encode("utf-8")
    if draw(st.booleans()):
        return draw(st.binary(max_size=200))
    for _ in range(draw(st.integers(1, 4))):
        at = draw(st.integers(0, len(data)))
        chunk = draw(st.binary(min_size=1, max_size=8))
        data = data[:at] + chunk + (data[at + len(chunk):] if draw(st.booleans()) else data[at:])
    return data


@functools.cache
def model_shaped(cls: type = model.UnitData, depth: int = 0) -> st.SearchStrategy:
    """Trees shaped like ``cls``: some of its fields, each written right or in some wrong way."""
    hints = typing.get_type_hints(cls, vars(model))
    values = {f.name: _value_of(f, hints[f.name], depth) for f in dataclasses.fields(cls)}
    required = [name for name in values if cls is model.UnitData and _required(cls, name)]

    @st.composite
    def shaped(draw):
        chosen = required + draw(st.lists(st.sampled_from(sorted(values)), unique=True, max_size=len(values)))
        return {name: draw(values[name]) for name in chosen}

    return shaped()


def _required(cls: type, name: str) -> bool:
    return next(f for f in dataclasses.fields(cls) if f.name == name).metadata.get("required", False)


def _value_of(f, typ, depth: int) -> st.SearchStrategy:
    kind = f.metadata.get("kind")
    wrong = trees if depth < 2 else scalars
    if kind == "record":
        inner = [a for a in typing.get_args(typ) if a is not type(None)] or [typ]
        right = st.deferred(lambda: model_shaped(inner[0], depth + 1)) if depth < 4 else st.just({})
    elif kind == "list":
        right = st.lists(st.deferred(lambda: model_shaped(typing.get_args(typ)[0], depth + 1)), max_size=2)
    elif kind == "map":
        code = st.sampled_from(ECONOMIC_CODES if f.metadata["key"] == "economic" else FUNCTIONAL_CODES)
        value_type = typing.get_args(typ)[1]
        right = st.dictionaries(code, st.sampled_from(PASTED_NUMBERS) | st.deferred(
            lambda: model_shaped(value_type, depth + 1)), max_size=3)
    elif kind in ("textmap", "amountmap"):
        right = st.dictionaries(texts, st.sampled_from(PASTED_NUMBERS) | texts, max_size=3)
    elif kind == "strings":
        right = st.lists(texts, max_size=3)
    elif kind == "amount":
        right = st.sampled_from(PASTED_NUMBERS) | st.decimals(0, 10**6, places=2).map(str)
    elif kind == "count":
        right = st.integers(-2, 10**10) | st.sampled_from(["４３", "1.5", "两个", ""])
    elif kind == "year":
        right = st.integers(1990, 2100) | st.sampled_from(["２０２４", "二〇二四", "24"])
    elif kind == "choice":
        right = st.sampled_from(f.metadata["options"]) | texts
    elif kind == "code":
        right = st.sampled_from(FUNCTIONAL_CODES) | texts
    elif f.name in ("target", "actual"):
        right = st.sampled_from(PERFORMANCE_VALUES) | texts
    else:
        right = texts
    return st.one_of(right, right, right, wrong)


documents = st.one_of(
    trees.map(dump),
    model_shaped().map(dump),
    tree_mutations(),
    text_mutations(),
    byte_mutations(),
)

# ------------------------------------------------------------------ the runs

def quick(examples: int):
    return settings(max_examples=examples, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@quick(200)
@given(trees.map(dump))
def test_random_yaml_trees(data):
    survives(data)


@quick(30)
@given(model_shaped().map(dump))
def test_random_model_shaped_units(data):
    survives(data)


@quick(40)
@given(tree_mutations())
def test_mutated_units(data):
    survives(data)


@quick(80)
@given(text_mutations())
def test_mutated_unit_texts(data):
    survives(data)


@quick(200)
@given(byte_mutations())
def test_random_bytes(data):
    survives(data)


@pytest.mark.slow
@settings(max_examples=10_000, deadline=None, suppress_health_check=list(HealthCheck))
@given(documents)
def test_long_fuzz_run(data):
    survives(data)


# ------------------------------------------------------------------ what the fuzzing found


@pytest.mark.parametrize("data", [
    b"a: " + b"[" * 5000 + b"]" * 5000 + b"\n",         # the composer recursed once per level: RecursionError
    b"".join(b" " * i + b"k:\n" for i in range(1200)) + b" " * 1200 + b"x\n",
    b"- " * 3000 + b"x\n",
], ids=["flow", "block", "dashes"])
def test_deep_nesting_is_refused_not_a_crash(data):
    with pytest.raises(UnusableInput) as exc:
        load_bytes("deep.yaml", data)
    assert exc.value.issue.code == "LOAD-YAML" and "嵌套超过50层" in exc.value.issue.message


def test_nesting_a_unit_needs_is_fine():
    survives(b"a: " + b"[" * 49 + b"]" * 49 + b"\n")
    with pytest.raises(UnusableInput):
        load_bytes("x.yaml", b"a: " + b"[" * 50 + b"]" * 50 + b"\n")


def test_control_character_is_refused_at_its_line():
    with pytest.raises(UnusableInput) as exc:
        load_bytes("c.yaml", unit_text().replace("测试机构。", "测试\x0c机构。").encode())
    assert exc.value.issue.line == 8 and "#x000c" in exc.value.issue.message
