"""The texts and counts an accountant fills in on the page, read from and written back into the
unit file through ruamel.yaml's round trip, so its comments, quoting and layout stay.

A field is named by its path in the file, written as the checks write it
(``three_public.reasons.budget``, ``initial_budget.lines.2080101.reason``,
``evaluation.projects[0].indicators[2].deviation``), so an issue's path links straight to the
field that fixes it.  Labels are the document's own words (:func:`generator.model.places.describe`).
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap
from ruamel.yaml.scalarstring import LiteralScalarString

TEXT, LONG, COUNT, AMOUNT = "text", "long", "count", "amount"


@dataclass(frozen=True)
class Field:
    path: str
    kind: str          # text / long (a paragraph) / count (an integer) / amount (a Decimal)
    group: str


# (group, path, kind): every unit file has these places, whether or not it has filled them yet
FIXED = (
    ("部门概况", "overview.duties", LONG), ("部门概况", "overview.organization", LONG),
    ("部门概况", "overview.staffing.authorized", COUNT), ("部门概况", "overview.staffing.actual", COUNT),
    ("部门概况", "overview.staffing.retired", COUNT),
    ("变化原因", "reasons.total_change", LONG), ("变化原因", "reasons.fiscal_change", LONG),
    ("变化原因", "reasons.general_budget_change", LONG),
    ("“三公”经费", "three_public.abroad_groups", COUNT), ("“三公”经费", "three_public.abroad_people", COUNT),
    ("“三公”经费", "three_public.vehicles_purchased", COUNT), ("“三公”经费", "three_public.vehicles_held", COUNT),
    ("“三公”经费", "three_public.reception_batches", COUNT), ("“三公”经费", "three_public.reception_people", COUNT),
    ("“三公”经费", "three_public.reception_note", TEXT), ("“三公”经费", "three_public.vehicle_note", TEXT),
    ("“三公”经费", "three_public.reasons.budget", LONG), ("“三公”经费", "three_public.reasons.last_year", LONG),
    ("“三公”经费", "three_public.reasons.abroad", LONG), ("“三公”经费", "three_public.reasons.vehicle", LONG),
    ("“三公”经费", "three_public.reasons.reception_budget", LONG),
    ("“三公”经费", "three_public.reasons.reception_last_year", LONG),
    ("机关运行经费", "running_cost.reason", LONG),
    ("一般性支出", "general_expenses.meeting.content", LONG), ("一般性支出", "general_expenses.training.content", LONG),
    ("政府采购", "procurement.goods.amount", AMOUNT), ("政府采购", "procurement.goods.sme", AMOUNT),
    ("政府采购", "procurement.works.amount", AMOUNT), ("政府采购", "procurement.works.sme", AMOUNT),
    ("政府采购", "procurement.services.amount", AMOUNT), ("政府采购", "procurement.services.sme", AMOUNT),
    ("政府采购", "procurement.small_micro", AMOUNT),
    ("国有资产", "assets.vehicles.ministerial", COUNT), ("国有资产", "assets.vehicles.principal", COUNT),
    ("国有资产", "assets.vehicles.confidential", COUNT), ("国有资产", "assets.vehicles.emergency", COUNT),
    ("国有资产", "assets.vehicles.law_enforcement", COUNT), ("国有资产", "assets.vehicles.special", COUNT),
    ("国有资产", "assets.vehicles.retired_service", COUNT), ("国有资产", "assets.vehicles.other", COUNT),
    ("国有资产", "assets.vehicles.total", COUNT), ("国有资产", "assets.equipment_over_1m", COUNT),
    ("预算绩效", "performance.results", LONG), ("预算绩效", "performance.use_of_results", LONG),
)

# the 绩效 forms' texts, for each form (部门整体表 and every 项目表) and each of its indicators
FORM_TEXTS = (("goal", LONG), ("achieved", LONG), ("report", LONG))
INDICATOR_TEXTS = (("actual", TEXT), ("deviation", LONG))
REPORT_TEXTS = ("evaluation.projects_report",)

_TOKEN = re.compile(r"([^.\[\]]+)|\[(\d+)\]")


def tokens(path: str) -> list[str | int]:
    return [int(index) if index else name for name, index in _TOKEN.findall(path)]


def yaml_round_trip() -> YAML:
    yaml = YAML()
    yaml.preserve_quotes = True
    yaml.width = 4096
    yaml.indent(mapping=2, sequence=4, offset=2)
    yaml.representer.add_representer(Decimal, _represent_decimal)
    return yaml


def _represent_decimal(representer, value: Decimal):
    return representer.represent_scalar("tag:yaml.org,2002:float", format(value, "f"))


def load(text: str):
    return yaml_round_trip().load(text)


def dump(document) -> str:
    buffer = io.StringIO()
    yaml_round_trip().dump(document, buffer)
    return buffer.getvalue()


def get(document, path: str):
    node = document
    for token in tokens(path):
        if isinstance(token, int):
            if not isinstance(node, list) or token >= len(node):
                return None
            node = node[token]
        else:
            if not isinstance(node, dict) or token not in node:
                return None
            node = node[token]
    return node


def fields_of(document) -> list[Field]:
    """Every editable field of this unit file, in the document's order."""
    found = [Field(path, kind, group) for group, path, kind in FIXED
             if not path.startswith(("procurement", "assets", "three_public", "running_cost", "general_expenses",
                                     "reasons", "performance")) or _has(document, path.split(".")[0])]
    lines = get(document, "initial_budget.lines")
    if isinstance(lines, dict):
        at = next((i for i, f in enumerate(found) if f.group == "机关运行经费"), len(found))
        found[at:at] = [Field(f"initial_budget.lines.{code}.reason", LONG, "年初预算与决算的差异原因")
                        for code, line in lines.items() if isinstance(line, dict)]
    evaluation = get(document, "evaluation")
    if isinstance(evaluation, dict):
        forms = []
        if isinstance(evaluation.get("whole"), dict):
            forms.append("evaluation.whole")
        if isinstance(evaluation.get("projects"), list):
            forms += [f"evaluation.projects[{i}]" for i, p in enumerate(evaluation["projects"]) if isinstance(p, dict)]
        for form in forms:
            group = "绩效自评 · " + ("部门整体支出" if form.endswith("whole") else str(get(document, f"{form}.name") or form))
            found += [Field(f"{form}.{key}", kind, group) for key, kind in FORM_TEXTS
                      if key != "report" or get(document, f"{form}.report") is not None]
            for n, _ in enumerate(get(document, f"{form}.indicators") or ()):
                found += [Field(f"{form}.indicators[{n}].{key}", kind, group) for key, kind in INDICATOR_TEXTS]
        found += [Field(path, LONG, "绩效自评报告") for path in REPORT_TEXTS if get(document, path) is not None]
    return found


def _has(document, key: str) -> bool:
    return isinstance(document, dict) and key in document


def shown(value) -> str:
    """A field's value as the form shows it."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value).lower()
    return str(value).rstrip("\n") if isinstance(value, str) else str(value)


class FieldError(ValueError):
    pass


def parse(field: Field, text: str):
    """The value to write for what the form sent (None: remove the value)."""
    text = text.replace("\r\n", "\n").strip()
    if field.kind in (TEXT, LONG):
        if not text:
            return None
        return LiteralScalarString(text + "\n") if "\n" in text else text
    if not text:
        return None
    if field.kind == COUNT:
        if not re.fullmatch(r"\d{1,9}", text):
            raise FieldError("请填写非负整数")
        return int(text)
    try:
        value = Decimal(text.replace(",", "").replace("，", ""))
    except InvalidOperation:
        raise FieldError("请填写金额（数字，最多两位小数）") from None
    if not value.is_finite() or value < 0 or value.as_tuple().exponent < -2:
        raise FieldError("请填写金额（数字，最多两位小数）")
    return value


def put(document, path: str, value) -> bool:
    """Set (or with None remove) the value at ``path``, creating the mappings on the way; returns
    whether anything changed."""
    parts = tokens(path)
    node = document
    for token in parts[:-1]:
        if isinstance(token, int):
            node = node[token]
            continue
        if token not in node or not isinstance(node[token], (dict, list)):
            if value is None:
                return False
            node[token] = CommentedMap()
        node = node[token]
    last = parts[-1]
    old = node.get(last) if isinstance(node, dict) else None
    if value is None:
        if isinstance(node, dict) and last in node:
            del node[last]
            return True
        return False
    if old is not None and shown(old) == shown(value):
        return False
    if isinstance(old, str) and isinstance(value, str) and not isinstance(value, LiteralScalarString) \
            and isinstance(old, LiteralScalarString):
        value = LiteralScalarString(value + "\n")   # a paragraph the file wrote as a block stays one
    node[last] = value
    return True

