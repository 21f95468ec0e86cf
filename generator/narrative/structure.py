"""The document's outline as a profile writes it: parts and sections, numbered, each with its body.

A profile's ``structure:`` (in profile.yaml or a file of its own) lists the parts of
the document and, in each, its sections and their sub-sections::

    cover: {title: "{year}年度{unit}部门决算", date: true}
    numbering: {parts: "第{一}部分 ", levels: ["{一}、", "（{一}）"]}
    parts:
      - title: "{unit}概况"
        sections:
          - {title: 部门职责, body: duties}
      - title: 名词解释
        body: glossary_text

Each section has a ``title`` (``{year}``, ``{last_year}``, ``{unit}`` and ``{owner}`` are
filled in) and its content: ``body`` (the name of one of the shared sentence macros of
templates/narrative/sections.j2, or a list of them), ``text`` (the profile's own
sentences, a Jinja template of ``P`` lines with the same context) and ``sections``.
``when`` (a Jinja expression on the context) leaves a section out when false;
``optional: true`` leaves it out when it would say nothing.  Numbers are given to the
sections that are printed, in order, so leaving one out never leaves a gap.  A unit's
``texts:`` replaces the body of the section with that ``id`` (by default its body's
name) by its own words.

The outline becomes the same directive lines a ``document.j2`` writes, so the layout
has one input either way.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import jinja2

from ..profiles import Profile, ProfileError
from .numerals import numbered

#: What a section of the outline may say.
SECTION_KEYS = {"title", "body", "text", "sections", "when", "optional", "number", "id", "toc"}
#: Heading directives by depth: parts are H1, their sections H2, sub-sections H3.
HEADINGS = ("H1", "H2", "H3")
DEFAULT_NUMBERING = {"parts": "第{一}部分 ", "levels": ["{一}、", "（{一}）"]}


class StructureError(ProfileError):
    """A profile's ``structure:`` that cannot be followed (an unknown key, a body that does not exist)."""


@dataclass(frozen=True)
class Section:
    title: str
    body: tuple[str, ...] = ()
    text: str = ""
    sections: tuple["Section", ...] = ()
    when: str = ""
    optional: bool = False
    number: bool = True
    id: str = ""


def _section(entry: Any, where: str, depth: int) -> Section:
    if not isinstance(entry, dict):
        raise StructureError(f"{where} 应当是“title: 标题”等设置的映射，而不是 {entry!r}")
    unknown = set(entry) - SECTION_KEYS
    if unknown:
        raise StructureError(f"{where} 中有不认识的设置：{'、'.join(sorted(unknown))}"
                             f"（可用：{'、'.join(sorted(SECTION_KEYS))}）")
    if depth >= len(HEADINGS) and "title" in entry:
        raise StructureError(f"{where}：标题最多三层（部分、节、小节），这一层不能再有标题")
    body = entry.get("body") or ()
    body = (body,) if isinstance(body, str) else tuple(str(b) for b in body)
    title = entry.get("title", "")
    children = tuple(_section(child, f"{where} 的第{i}小节", depth + 1)
                     for i, child in enumerate(entry.get("sections") or (), 1))
    return Section(str(title or ""), body, str(entry.get("text") or ""), children, str(entry.get("when") or ""),
                   bool(entry.get("optional", False)), bool(entry.get("number", True)),
                   str(entry.get("id") or (body[0] if len(body) == 1 else "")))


def outline(profile: Profile) -> tuple[tuple[Section, ...], dict[str, Any]]:
    """The profile's parts, read and checked, and its cover and numbering settings."""
    structure = profile.settings.get("structure")
    if not isinstance(structure, dict):
        raise StructureError(f"模板方案 {profile.name} 的 structure 应当是映射（parts、numbering、cover）")
    parts = structure.get("parts")
    if not isinstance(parts, list) or not parts:
        raise StructureError(f"模板方案 {profile.name} 的 structure 没有 parts（文件的各部分）")
    sections = tuple(_section(p, f"structure.parts 的第{i}部分", 0) for i, p in enumerate(parts, 1))
    return sections, structure


def text_names(profile: Profile) -> dict[str, str] | None:
    """What a unit's ``texts:`` may replace in this profile: each section's id (→ its title) and
    each table's ``.empty`` and ``.note``; None for a profile with a ``document:`` template of its
    own (its template decides what it reads)."""
    if "document" in profile.settings or "structure" not in profile.settings:
        return None
    names: dict[str, str] = {}

    def walk(sections: tuple[Section, ...]) -> None:
        for section in sections:
            if section.id:
                names.setdefault(section.id, section.title or section.id)
            walk(section.sections)

    walk(outline(profile)[0])
    for spec in profile.tables:
        title = spec.get("title", spec.get("key", ""))
        names[f"{spec['key']}.empty"] = f"{title}的空表说明"
        names[f"{spec['key']}.note"] = f"{title}的注"
    return names


def fill(title: str, values: dict[str, str]) -> str:
    """A title with its ``{year}``, ``{unit}``… filled in (other braces stay as written)."""
    for key, value in values.items():
        title = title.replace("{" + key + "}", value)
    return title


class Writer:
    """Renders an outline into directive lines with the profile's Jinja environment."""

    def __init__(self, profile: Profile, env: jinja2.Environment, context: dict[str, Any], texts: dict[str, Any],
                 paras):
        self.profile = profile
        self.env = env
        self.context = context
        self.texts = texts
        self.paras = paras
        structure = profile.settings.get("structure") or {}
        numbering = {**DEFAULT_NUMBERING, **(structure.get("numbering") or {})}
        self.patterns = [str(numbering["parts"]), *(str(p) for p in numbering["levels"])]
        self.modules = [env.get_template(name).make_module(context)
                        for name in [*(structure.get("macros") or ()), "sections.j2"]]
        unit = context["unit"]
        self.values = {"year": str(unit["year"]), "last_year": str(unit["year"] - 1), "unit": str(unit["name"]),
                       "owner": str(profile.settings.get("owner_label", "部门"))}

    def macro(self, name: str):
        for module in self.modules:
            found = getattr(module, name, None)
            if callable(found):
                return found
        raise StructureError(f"模板方案 {self.profile.name} 的 structure 中的 body “{name}”不是可用的内容"
                             "（见 docs/profiles.md 的内容列表）")

    def shown(self, section: Section) -> bool:
        if not section.when:
            return True
        try:
            return bool(self.env.compile_expression(section.when, undefined_to_none=False)(**self.context))
        except jinja2.TemplateError as exc:
            raise StructureError(f"模板方案 {self.profile.name} 的 structure 中的 when “{section.when}”无法计算：{exc}") \
                from None

    def body(self, section: Section) -> str:
        own = self.texts.get(section.id) if section.id else None
        if own is not None and str(own).strip():
            return self.paras(own)
        out = [str(self.macro(name)()) for name in section.body]
        if section.text:
            try:
                out.append(self.env.from_string(section.text).render(**self.context))
            except jinja2.TemplateError as exc:
                raise StructureError(f"模板方案 {self.profile.name} 的 structure 中“{section.title}”的 text "
                                     f"无法使用：{exc}") from None
        return "\n".join(line for part in out for line in part.split("\n") if line.strip())

    def lines(self, sections: tuple[Section, ...], depth: int = 0) -> list[str]:
        out: list[str] = []
        n = 0
        for section in sections:
            if not self.shown(section):
                continue
            content = self.body(section)
            children = self.lines(section.sections, depth + 1)
            if section.optional and not content.strip() and not children:
                continue
            if section.title:
                prefix = ""
                if section.number and depth < len(self.patterns):
                    n += 1
                    prefix = numbered(self.patterns[depth], n)
                out.append(f"{HEADINGS[depth]} {prefix}{fill(section.title, self.values)}")
            if content.strip():
                out.append(content)
            out += children
        return out


def render_outline(profile: Profile, env: jinja2.Environment, context: dict[str, Any], texts: dict[str, Any],
                   paras) -> str:
    """The document's directive lines from the profile's outline: the cover, the 目录, the parts."""
    sections, structure = outline(profile)
    writer = Writer(profile, env, context, texts, paras)
    cover = structure.get("cover", {"title": "{year}年度{unit}部门决算"})
    lines = []
    if cover:
        title = cover if isinstance(cover, str) else cover.get("title", "{year}年度{unit}部门决算")
        lines.append(f"COVER {fill(str(title), writer.values)}")
    toc = profile.settings.get("toc")
    if toc is not False:
        lines.append(f"TOC {(toc or {}).get('title', '目录') if isinstance(toc, dict) else '目录'}")
    lines += writer.lines(sections)
    return "\n".join(lines)
