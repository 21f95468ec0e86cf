"""The document's content: the profile's text template rendered into blocks.

A profile's ``document.j2`` is a Jinja text template whose every output line
starts with a directive (``COVER``, ``TOC``, ``H1``–``H3``, ``P``, ``TABLE``).
Every sentence with a number is built here, once, from the formatted context
of :mod:`generator.present`; the DOCX and PDF renderers lay the same blocks out.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass
from typing import Any

import jinja2
import yaml

from ..profiles import TEMPLATES, Profile

DIRECTIVES = ("COVER", "TOC", "H1", "H2", "H3", "P", "TABLE")


@dataclass(frozen=True)
class Block:
    """One piece of the document: a heading, a paragraph, a table, the cover or the 目录."""

    kind: str          # cover / toc / h1 / h2 / h3 / p / table
    text: str = ""
    table: str = ""    # the table's key, for kind == "table"


class TemplateBug(Exception):
    """A profile's template produced a line without a directive."""


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _clean(text: str) -> str:
    """User text as one line: no control characters, no line breaks."""
    return _CONTROL.sub("", str(text)).replace("\r", "").replace("\n", "").strip()


def inline(text: Any) -> str:
    return _clean(text)


def paras(text: Any) -> str:
    """Several paragraphs of user text, one ``P`` line each (blank lines dropped)."""
    lines = [_CONTROL.sub("", line).strip() for line in str(text).replace("\r", "").split("\n")]
    return "\n".join(f"P {line}" for line in lines if line)


def sentence(text: Any) -> str:
    """A reason inside a sentence: one line, without its own closing punctuation."""
    return _clean(text).rstrip("。．.；;，,、 ")


def merge(mapping: dict, **extra: Any) -> dict:
    return {**mapping, **extra}


def environment(profile: Profile) -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader([str(profile.folder), str(TEMPLATES / "narrative")]),
        undefined=jinja2.StrictUndefined,
        autoescape=False,   # plain text: each renderer escapes for its own format
        trim_blocks=False,  # a block tag ending a line must not swallow the line break
        lstrip_blocks=True,
        keep_trailing_newline=False,
    )
    env.filters.update(inline=inline, paras=paras, sentence=sentence, merge=merge)
    return env


def _as_plain(value: Any) -> Any:
    if dataclasses.is_dataclass(value):
        return {f.name: _as_plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, (tuple, list)):
        return [_as_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _as_plain(v) for k, v in value.items()}
    return value


def glossary(profile: Profile, overrides: dict[str, str]) -> list[dict[str, str]]:
    """The profile's standard glossary, each term overridable, extra terms appended."""
    name = profile.settings.get("glossary")
    terms = []
    if name:
        terms = yaml.safe_load((profile.folder / name).read_text(encoding="utf-8")) or []
    result = [{"term": t["term"], "text": overrides.get(t["term"], t["text"])} for t in terms]
    known = {t["term"] for t in terms}
    result += [{"term": k, "text": v} for k, v in overrides.items() if k not in known]
    return result


def text_context(data, profile: Profile) -> dict[str, Any]:
    """The unit's text inputs (and raw counts), passed through unparsed."""
    return {
        "overview": _as_plain(data.overview),
        "reasons": _as_plain(data.reasons),
        "three_public": _as_plain(data.three_public),
        "running_cost": _as_plain(data.running_cost),
        "general_expenses": _as_plain(data.general_expenses),
        "performance": _as_plain(data.performance),
        "attachments": list(data.attachments),
        "glossary": glossary(profile, dict(data.glossary.terms)),
        "table_list": profile.settings.get("tables", []),
        "evaluation_texts": (_as_plain(data.evaluation.report) | {"projects_report": data.evaluation.projects_report}
                             if data.evaluation else {}),
        "evaluation_settings": profile.evaluation,
    }


def build_blocks(context: dict[str, Any], profile: Profile, template_name: str | None = None) -> tuple[Block, ...]:
    """Render a document template of the profile and parse its directive lines.

    ``template_name`` defaults to the profile's main document; the 绩效 file
    uses ``evaluation_document.j2`` (the profile's own, else the shared one).
    """
    env = environment(profile)
    template = env.get_template(template_name or profile.settings.get("document", "document.j2"))
    text = template.render(**context, figures=context["f"])
    blocks = []
    for number, line in enumerate(text.split("\n"), 1):
        if not line.strip():
            continue
        directive, _, rest = line.partition(" ")
        if directive not in DIRECTIVES:
            raise TemplateBug(f"模板 {template.name} 第{number}行输出没有指令：{line[:40]!r}")
        if directive == "TABLE":
            blocks.append(Block("table", table=rest.strip()))  # t01…t10, eval_basic, eval:N
        else:
            blocks.append(Block(directive.lower(), rest.strip()))
    return tuple(blocks)
