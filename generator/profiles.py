"""Template profiles: a folder per province (or per county) saying how its documents look.

A profile is a folder with a ``profile.yaml``: the display style of numbers, the
document's structure (its ``structure.yaml``: parts, sections, their order, numbering, titles and
sentence macros), the tables of 第二部分
with their columns, headers and notes (``tables.yaml`` or a ``tables:`` list), the
glossary, the 绩效 settings and the page set-up.  The built-in ones live under
``templates/profiles/``; a user names one by name (``hunan``) or by a folder path
(relative to the file that names it).  ``base: hunan`` takes everything from another
profile and gives only what differs: mappings are merged key by key, the ``tables``
list entry by entry (by ``key``; the derived profile's list gives the order), and the
derived profile's folder is searched first for every template file.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field, fields
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml

from .compute.evaluation import DEFAULT_TIERS, Tier
from .narrative.style import Style

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
PROFILES = TEMPLATES / "profiles"
DEFAULT_PROFILE = "hunan"
MAX_DEPTH = 8
"""``base:`` chains longer than this are refused (a profile naming itself through others)."""


class ProfileError(Exception):
    """A profile that does not exist or cannot be read (a set-up problem, exit 2)."""


@dataclass(frozen=True)
class Profile:
    name: str
    folder: Path                      # the profile's own folder
    style: Style
    settings: dict[str, Any] = field(default_factory=dict)
    folders: tuple[Path, ...] = ()    # where its template files are looked for: its own, then its bases'

    @property
    def search_path(self) -> tuple[Path, ...]:
        return self.folders or (self.folder,)

    def find(self, name: str) -> Path | None:
        """A file of the profile (a template, the glossary…): the nearest in the base chain."""
        for folder in self.search_path:
            if (folder / name).is_file():
                return folder / name
        return None

    @property
    def tables(self) -> list[dict[str, Any]]:
        """The tables of 第二部分, in order, each a merged definition (see templates/profiles/hunan/tables.yaml):
        ``all_tables`` over every table's own settings (a province that prints no 栏次 or 行次
        anywhere: ``all_tables: {column_numbers: false, row_numbers: false}``), and the label each
        prints (``table_labels``: true keeps each table's ``label``, false prints none, a pattern
        such as ``公开{nn}表`` numbers the tables by their place)."""
        every = self.settings.get("all_tables") or {}
        labels = self.settings.get("table_labels", True)
        out = []
        for n, spec in enumerate(self.settings.get("tables") or [], 1):
            spec = {**spec, **every}
            if labels is False:
                spec["label"] = ""
            elif isinstance(labels, str):
                spec["label"] = table_label(labels, n)
            out.append(spec)
        return out

    def table(self, key: str) -> dict[str, Any] | None:
        return next((t for t in self.tables if t.get("key") == key), None)

    @property
    def evaluation(self) -> dict[str, Any]:
        """绩效 settings: basic_data and project_reports (bool), tiers."""
        settings = self.settings.get("evaluation") or {}
        return {"basic_data": bool(settings.get("basic_data", True)),
                "project_reports": bool(settings.get("project_reports", True))}

    @property
    def tiers(self) -> tuple[Tier, ...]:
        """The qualitative tiers of 绩效 scoring (share of 分值, percent): a provincial setting."""
        written = (self.settings.get("evaluation") or {}).get("tiers")
        if not written:
            return DEFAULT_TIERS
        return tuple(Tier(t["name"], Decimal(str(t["low"])), Decimal(str(t["high"]))) for t in written)

    @property
    def typography(self):
        """The document's typography (:mod:`generator.layout.typography`): the default with the
        profile's ``typography:`` over it; both writers apply it."""
        from .layout.typography import TypographyError, from_settings

        try:
            return from_settings(self.settings.get("typography"), f"模板方案 {self.name} 的 typography")
        except TypographyError as exc:
            raise ProfileError(str(exc)) from None

    @property
    def completion_base(self) -> str:
        """What 五（三） measures 决算 against: ``initial`` (年初预算, the default) or ``full_year``
        (全年预算, the adjusted budget; ``completion_base: 全年预算`` alike)."""
        written = str(self.settings.get("completion_base", "initial")).strip()
        base = {"initial": "initial", "年初预算": "initial", "full_year": "full_year", "全年预算": "full_year"}.get(written)
        if base is None:
            raise ProfileError(f"模板方案 {self.name} 的 completion_base 应当是 年初预算（initial）或 全年预算（full_year），"
                               f"而不是“{written}”")
        return base

    @property
    def equivalent_units(self) -> tuple[frozenset[str], ...]:
        """Units a province counts alike when scoring indicators (``evaluation.equivalent_units``:
        [[人次, 人]]); none by default."""
        pairs = (self.settings.get("evaluation") or {}).get("equivalent_units") or []
        return tuple(frozenset(str(u) for u in pair) for pair in pairs)

    def with_display(self, overrides: dict[str, Any], where: str = "") -> "Profile":
        """The profile with some display settings replaced (a county's or a unit's ``display:``)."""
        if not overrides:
            return self
        _check_display(overrides, where or f"模板方案 {self.name}")
        settings = copy.deepcopy(self.settings)
        settings["display"] = {**(settings.get("display") or {}), **overrides}
        return Profile(self.name, self.folder, Style(**settings["display"]), settings, self.folders)


_TRUE, _FALSE = ("true", "yes", "是", "1"), ("false", "no", "否", "0")


def display_values(written: dict[str, Any], where: str) -> dict[str, Any]:
    """Display settings written as text (a unit's ``display:``) as the values :class:`Style` takes:
    true/false (是/否) for switches, whole numbers for places, text for the rest."""
    types = {f.name: f.type for f in fields(Style)}
    _check_display(written, where)
    out: dict[str, Any] = {}
    for name, value in written.items():
        text = str(value).strip()
        kind = types[name]
        if kind in (bool, "bool"):
            if text.lower() not in _TRUE + _FALSE:
                raise ProfileError(f"{where} 的 {name} 应当是 true 或 false，而不是“{text}”")
            out[name] = text.lower() in _TRUE
        elif kind in (int, "int"):
            if not text.isdigit() or int(text) > 6:
                raise ProfileError(f"{where} 的 {name} 应当是0到6的整数，而不是“{text}”")
            out[name] = int(text)
        else:
            out[name] = value if isinstance(value, str) else text
    return out


def table_label(pattern: str, n: int) -> str:
    """``公开{nn}表`` → 公开07表 for the seventh table; ``{n}`` without the leading zero, ``{一}`` in Chinese."""
    from .narrative.numerals import chinese

    return pattern.replace("{nn}", f"{n:02d}").replace("{n}", str(n)).replace("{一}", chinese(n))


def available() -> list[str]:
    return sorted(p.name for p in PROFILES.iterdir() if (p / "profile.yaml").is_file())


def locate(name: str, relative_to: Path | None = None) -> Path:
    """The folder a profile name means: a built-in name, or a folder path (relative to ``relative_to``)."""
    candidate = Path(name).expanduser()
    if not candidate.is_absolute() and relative_to is not None:
        candidate = relative_to / candidate
    if ("/" in name or "\\" in name or name.startswith(".")) or (candidate.is_dir() and name not in available()):
        if (candidate / "profile.yaml").is_file():
            return candidate.resolve()
        raise ProfileError(f"模板方案文件夹 {candidate} 中没有 profile.yaml")
    if (PROFILES / name / "profile.yaml").is_file():
        return PROFILES / name
    raise ProfileError(f"没有名为“{name}”的模板方案；可用的方案：{'、'.join(available())}；"
                       "也可以写一个方案文件夹的路径")


def load_profile(name: str | None, relative_to: Path | None = None) -> Profile:
    """A profile by name or folder path (``None``: the default), with its ``base:`` chain resolved."""
    folder = locate(name or DEFAULT_PROFILE, relative_to)
    settings, folders = _resolve(folder, 0)
    display = settings.get("display") or {}
    _check_display(display, f"模板方案 {folder / 'profile.yaml'}")
    label = name or DEFAULT_PROFILE
    return Profile(label if "/" not in label else folder.name, folder, Style(**display), settings, tuple(folders))


def _read(folder: Path) -> dict[str, Any]:
    path = folder / "profile.yaml"
    try:
        settings = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as exc:
        raise ProfileError(f"模板方案 {path} 不是有效的YAML：{exc}") from None
    except OSError as exc:
        raise ProfileError(f"无法读取模板方案 {path}：{exc.strerror or exc}") from None
    if not isinstance(settings, dict):
        raise ProfileError(f"模板方案 {path} 的顶层应当是“设置: 值”的映射")
    tables = settings.get("tables")
    if isinstance(tables, str):  # the table definitions in a file of their own
        table_file = folder / tables
        try:
            settings["tables"] = yaml.safe_load(table_file.read_text(encoding="utf-8")) or []
        except (OSError, yaml.YAMLError) as exc:
            raise ProfileError(f"模板方案 {path} 的 tables 文件 {table_file} 无法读取：{exc}") from None
    structure = settings.get("structure")
    if isinstance(structure, str):  # the document's outline in a file of its own
        structure_file = folder / structure
        try:
            settings["structure"] = yaml.safe_load(structure_file.read_text(encoding="utf-8")) or {}
        except (OSError, yaml.YAMLError) as exc:
            raise ProfileError(f"模板方案 {path} 的 structure 文件 {structure_file} 无法读取：{exc}") from None
    glossary = settings.get("glossary")   # file names are relative to the profile that names them
    if isinstance(glossary, str):
        settings["glossary"] = {"file": str((folder / glossary).resolve())}
    elif isinstance(glossary, dict) and isinstance(glossary.get("file"), str):
        settings["glossary"] = {**glossary, "file": str((folder / glossary["file"]).resolve())}
    return settings


def _resolve(folder: Path, depth: int) -> tuple[dict[str, Any], list[Path]]:
    if depth > MAX_DEPTH:
        raise ProfileError(f"模板方案 {folder} 的 base 层数超过{MAX_DEPTH}层（多半是方案互相引用）")
    own = _read(folder)
    base_name = own.pop("base", None)
    if not base_name:
        return own, [folder]
    base_settings, base_folders = _resolve(locate(str(base_name), folder), depth + 1)
    return merge(base_settings, own), [folder, *base_folders]


def merge(base: Any, own: Any, key: str = "") -> Any:
    """``own`` over ``base``: mappings key by key, the ``tables`` list entry by entry, else ``own``."""
    if isinstance(base, dict) and isinstance(own, dict):
        merged = dict(base)
        for k, v in own.items():
            merged[k] = merge(base[k], v, k) if k in base else v
        return merged
    if key == "tables" and isinstance(base, list) and isinstance(own, list):
        by_key = {t.get("key"): t for t in base if isinstance(t, dict)}
        return [merge(by_key[t["key"]], t) if isinstance(t, dict) and t.get("key") in by_key else t for t in own]
    if key == "tables" and isinstance(base, list) and isinstance(own, dict):
        # {t05: {...}}: those tables change, in the base's order; {t08: null} drops one;
        # a key the base does not have (t10) is a new table, added at the end
        known = {t.get("key") for t in base}
        changed = [merge(t, own[t.get("key")]) if t.get("key") in own and own[t.get("key")] else t
                   for t in base if not (t.get("key") in own and own[t.get("key")] is None)]
        return changed + [{"key": k, **v} for k, v in own.items() if k not in known and v]
    return own


def _check_display(display: dict[str, Any], where: str) -> None:
    known = {f.name for f in fields(Style)}
    unknown = set(display) - known
    if unknown:
        raise ProfileError(f"{where} 的 display 中有不认识的设置：{'、'.join(sorted(unknown))}"
                           f"（可用：{'、'.join(sorted(known))}）")
