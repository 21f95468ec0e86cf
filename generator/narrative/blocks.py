"""The document's content: the profile's outline (or its own template) rendered into lines of blocks.

A profile's ``structure:`` (:mod:`generator.narrative.structure`) names the parts and
sections and the sentence macros that fill them; a profile may instead give a whole
``document:`` template of its own.  Either way the result is text whose every line
starts with a directive (``COVER``, ``TOC``, ``H1``–``H3``, ``P``, ``ITEM`` (a numbered item's
title, kept with its text), ``TABLE``).
Every sentence with a number is built here, once, from the formatted context of
:mod:`generator.narrative.context`; the layout turns the lines into the document
tree.

Text from the user can never become a directive line: every string of the
context is a :class:`OneLine`, printed on one line whatever line breaks it holds;
only the ``paras`` filter, which the templates use where a text may have several
paragraphs, turns its lines into ``P`` lines of their own.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass
from typing import Any

import jinja2
import yaml

from ..profiles import TEMPLATES, Profile, ProfileError
from .numerals import numbered
from .structure import render_outline

DIRECTIVES = ("COVER", "TOC", "H1", "H2", "H3", "P", "ITEM", "TABLE")


@dataclass(frozen=True)
class Block:
    """One line of the narrative: a heading, a paragraph, a table's place, the cover or the 目录."""

    kind: str          # cover / toc / h1 / h2 / h3 / p / table
    text: str = ""
    table: str = ""    # the table's key, for kind == "table"


class TemplateBug(ProfileError):
    """A profile's template produced a line without a directive."""


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\x85\u2028\u2029]")


def _clean(text: Any) -> str:
    """Text as one line: no control characters, no line breaks."""
    return _CONTROL.sub("", str(text)).replace("\r", "").replace("\n", "").strip()


class OneLine(str):
    """A string of the context: printed on one line; ``source`` keeps the text as written."""

    source: str

    def __new__(cls, text: Any) -> "OneLine":
        self = super().__new__(cls, _clean(text))
        self.source = str(text)
        return self


def one_line(value: Any) -> Any:
    """The context with every string a :class:`OneLine` (dataclasses as dicts)."""
    if isinstance(value, OneLine):
        return value
    if isinstance(value, str):
        return OneLine(value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: one_line(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, (tuple, list)):
        return [one_line(v) for v in value]
    if isinstance(value, dict):
        return {k: one_line(v) for k, v in value.items()}
    return value


def inline(text: Any) -> str:
    return _clean(text)


def paras(text: Any) -> str:
    """Several paragraphs of user text, one ``P`` line each (blank lines dropped)."""
    source = getattr(text, "source", str(text))
    lines = [_CONTROL.sub("", line).strip() for line in source.replace("\r", "").split("\n")]
    return "\n".join(f"P {line}" for line in lines if line)


def sentence(text: Any) -> str:
    """A reason inside a sentence: one line, without its own closing punctuation."""
    return _clean(text).rstrip("。．.；;，,、 ")


def clauses(text: Any) -> str:
    """A reason inside a sentence; a reason written on several lines keeps them apart as
    numbered clauses — （1）…；（2）… — instead of running them together."""
    source = getattr(text, "source", str(text))
    lines = [sentence(line) for line in source.replace("\r", "").split("\n")]
    lines = [re.sub(r"^(\d+[.、．）)]|[（(]\d+[）)])\s*", "", line) for line in lines if line]
    if len(lines) <= 1:
        return sentence(text)
    return "；".join(f"（{i}）{line}" for i, line in enumerate(lines, 1))


def merge(mapping: dict, **extra: Any) -> dict:
    return {**mapping, **extra}


def environment(profile: Profile) -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader([str(f) for f in profile.search_path] + [str(TEMPLATES / "narrative")]),
        undefined=jinja2.StrictUndefined,
        autoescape=False,   # plain text: each writer escapes for its own format
        trim_blocks=False,  # a block tag ending a line must not swallow the line break
        lstrip_blocks=True,
        keep_trailing_newline=False,
    )
    env.filters.update(inline=inline, paras=paras, sentence=sentence, clauses=clauses, merge=merge)
    return env


def glossary(profile: Profile, overrides: dict[str, str]) -> list[dict[str, str]]:
    """The glossary as printed: the profile's standard terms (``glossary.file``), only those its
    ``glossary.terms`` chooses and in that order when it lists them; each term's text overridable by
    the unit, the unit's extra terms appended; each with its number (``glossary.numbering``:
    ``{1}. `` → 1. , ``{一}、`` → 一、)."""
    settings = profile.settings.get("glossary") or {}
    terms: list[dict[str, str]] = []
    if settings.get("file"):
        try:
            terms = yaml.safe_load(open(settings["file"], encoding="utf-8").read()) or []
        except (OSError, yaml.YAMLError) as exc:
            raise ProfileError(f"模板方案 {profile.name} 的名词解释文件 {settings['file']} 无法读取：{exc}") from None
    standard = {str(t["term"]): str(t["text"]) for t in terms}
    chosen = settings.get("terms")
    if chosen:
        missing = [t for t in chosen if t not in standard and t not in overrides]
        if missing:
            raise ProfileError(f"模板方案 {profile.name} 的 glossary.terms 中的名词在名词解释文件中没有："
                               f"{'、'.join(map(str, missing))}")
        order = [str(t) for t in chosen]
    else:
        order = list(standard)
    result = [{"term": t, "text": overrides.get(t, standard.get(t, ""))} for t in order]
    result += [{"term": k, "text": v} for k, v in overrides.items() if k not in order]
    pattern = str(settings.get("numbering", "{1}. "))
    spaced = pattern != pattern.rstrip()   # 1. 财政拨款收入 (a space after the number), 一、财政拨款收入 (none)
    return [item | {"number": numbered(pattern, n).rstrip(), "spaced": spaced} for n, item in enumerate(result, 1)]


def text_context(data, profile: Profile) -> dict[str, Any]:
    """The unit's text inputs (and raw counts), passed through unparsed."""
    return {
        "overview": data.overview,
        "reasons": data.reasons,
        "three_public": data.three_public,
        "running_cost": data.running_cost,
        "general_expenses": data.general_expenses,
        "performance": data.performance,
        "attachments": list(data.attachments),
        "glossary": glossary(profile, dict(data.glossary.terms)),
        "table_list": profile.tables,
        # how a sentence names a table: its label (公开07表), else its title
        "table_name": {t["key"]: t.get("label") or f"《{t.get('title', '')}》" for t in profile.tables},
        "texts": dict(data.texts),
        "owner": profile.settings.get("owner_label", "部门"),   # 部门 or 单位: the document's word for the unit
        "evaluation_texts": ({**dataclasses.asdict(data.evaluation.report),
                              "projects_report": data.evaluation.projects_report} if data.evaluation else {}),
        "evaluation_settings": profile.evaluation,
    }


def build_blocks(context: dict[str, Any], profile: Profile, template_name: str | None = None) -> tuple[Block, ...]:
    """Render a document template of the profile and parse its directive lines.

    ``template_name`` defaults to the profile's main document; the 绩效 file
    uses ``evaluation_document.j2`` (the profile's own, else the shared one).
    """
    env = environment(profile)
    safe = one_line(context) | {"figures": one_line(context.get("f", {}))}
    safe["y"] = safe["unit"]["year"]
    if template_name is None and "document" not in profile.settings and "structure" in profile.settings:
        name = "structure"
        text = render_outline(profile, env, safe, context.get("texts") or {}, paras)
    else:
        name = template_name or profile.settings.get("document", "document.j2")
        try:
            text = env.get_template(name).render(**safe)
        except jinja2.TemplateNotFound as exc:
            raise ProfileError(f"模板方案 {profile.name} 没有模板文件 {exc.name}") from None
        except jinja2.TemplateSyntaxError as exc:
            raise ProfileError(f"模板方案 {profile.name} 的 {exc.filename or exc.name}:{exc.lineno}：模板写法有误：{exc.message}") \
                from None
    blocks = []
    for number, line in enumerate(text.split("\n"), 1):
        if not line.strip():
            continue
        directive, _, rest = line.partition(" ")
        if directive not in DIRECTIVES:
            raise TemplateBug(f"模板方案 {profile.name} 的 {name} 第{number}行输出没有指令：{line[:40]!r}")
        if directive == "TABLE":
            blocks.append(Block("table", table=rest.strip()))  # t01…t10, eval_basic, eval:N
        else:
            blocks.append(Block(directive.lower(), rest.strip()))
    return tuple(blocks)
