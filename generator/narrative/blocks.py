"""The document's content: the profile's text template rendered into lines of blocks.

A profile's ``document.j2`` is a Jinja text template whose every output line
starts with a directive (``COVER``, ``TOC``, ``H1``–``H3``, ``P``, ``TABLE``).
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

from ..profiles import TEMPLATES, Profile

DIRECTIVES = ("COVER", "TOC", "H1", "H2", "H3", "P", "TABLE")


@dataclass(frozen=True)
class Block:
    """One line of the narrative: a heading, a paragraph, a table's place, the cover or the 目录."""

    kind: str          # cover / toc / h1 / h2 / h3 / p / table
    text: str = ""
    table: str = ""    # the table's key, for kind == "table"


class TemplateBug(Exception):
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
    env.filters.update(inline=inline, paras=paras, sentence=sentence, merge=merge)
    return env


def glossary(profile: Profile, overrides: dict[str, str]) -> list[dict[str, str]]:
    """The profile's standard glossary, each term overridable, extra terms appended."""
    path = profile.settings.get("glossary")
    terms = []
    if path:
        terms = yaml.safe_load(open(path, encoding="utf-8").read()) or []
    result = [{"term": t["term"], "text": overrides.get(t["term"], t["text"])} for t in terms]
    known = {t["term"] for t in terms}
    result += [{"term": k, "text": v} for k, v in overrides.items() if k not in known]
    return result


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
    template = env.get_template(template_name or profile.settings.get("document", "document.j2"))
    safe = one_line(context)
    text = template.render(**safe, figures=safe["f"])
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
