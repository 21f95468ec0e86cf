"""Built-in catalogues: 支出功能分类 (类/款/项) and the 经济分类 items of table 06.

The lists live in plain text files beside this module (``code name`` per line),
so a finance bureau can read and extend them without reading Python.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from importlib import resources


def _read(name: str) -> tuple[tuple[str, str], ...]:
    text = resources.files(__package__).joinpath(name).read_text(encoding="utf-8")
    entries = []
    for line in text.splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            code, _, title = line.partition(" ")
            entries.append((code, title.strip()))
    return tuple(entries)


CLASSES: tuple[tuple[str, str], ...] = _read("classes.txt")
"""The 26 类 of 支出功能分类 in official order (the rows of tables 01 and 04)."""

FUNCTIONAL: dict[str, str] = dict(CLASSES) | dict(_read("functional.txt"))
"""Every known 类, 款 and 项 code with its official name."""

ECONOMIC: tuple[tuple[str, str], ...] = _read("economic.txt")
"""Every 经济分类 row of table 06 in printed order: groups (3 digits) and items (5)."""

ECONOMIC_NAMES: dict[str, str] = dict(ECONOMIC)

PERSONNEL_GROUPS = ("301", "303")
"""人员经费 = 工资福利支出 + 对个人和家庭的补助."""

PUBLIC_GROUPS = ("302", "307", "309", "310", "311", "312", "313", "399")
"""公用经费 = 商品和服务支出 + 债务利息及费用支出 + 资本性支出（基本建设） + 资本性支出 + 对企业补助（基本建设）
+ 对企业补助 + 对社会保障基金补助 + 其他支出: every class of 基本支出 other than the 人员经费 ones."""

ECONOMIC_GROUP_ORDER = ("301", "302", "303", "307", "309", "310", "311", "312", "313", "399")
"""The groups in the order of the economic classification (the 分组 paragraphs)."""


@dataclass(frozen=True)
class Names:
    """Names of codes: the unit's own (its rows' names, its ``names``), then the county's
    (``catalogue:`` in ``_defaults.yaml``), then the built-in catalogue."""

    overrides: dict[str, str]
    county: dict[str, str] = field(default_factory=dict)

    def functional(self, code: str) -> str | None:
        return self.overrides.get(code) or self.county.get(code) or FUNCTIONAL.get(code)

    def economic(self, code: str) -> str | None:
        return self.overrides.get(code) or self.county.get(code) or ECONOMIC_NAMES.get(code)

    def catalogued(self, code: str) -> str | None:
        """The name a code has without the unit's own: the county's, else the built-in catalogue's."""
        return self.county.get(code) or FUNCTIONAL.get(code) or ECONOMIC_NAMES.get(code)


def unit_names(data, county: dict[str, str] | None = None) -> Names:
    """The names a unit's file gives (its rows' own names, then its ``names`` mapping), over the county's."""
    overrides = {row.code: row.name.strip() for row in data.functional if row.code and row.name.strip()}
    return Names(overrides | {k: v.strip() for k, v in data.names.items() if v.strip()}, dict(county or {}))


@functools.cache
def economic_items_of(group: str) -> tuple[str, ...]:
    """The catalogue's 5-digit items of an economic group, in printed order."""
    return tuple(code for code, _ in ECONOMIC if len(code) == 5 and code.startswith(group))
