"""The pipeline in one place: load → compute → check → narrative → layout → render → write.

:func:`process` takes a unit from its file to its written outputs, and is what
``juesuan render`` and ``juesuan batch`` call; :func:`check_file` stops after the
checks (``juesuan check``, ``figures``).  Each stage returns values and issues, the
issues gathered into one list:

1. load (:mod:`generator.load`): the file's bytes → the typed model, every issue
   with file:line (a county's ``_defaults.yaml`` fills what the file leaves out; a
   department is summed from its units' files);
2. the profile is resolved once, here: ``--profile``, else the unit's (or its
   county's) ``unit.profile``, with the county's display settings;
3. compute (:mod:`generator.compute`) and check (:mod:`generator.check`): pure
   functions of the model, run only as far as the model is well-formed;
4. narrative and layout (:mod:`generator.narrative`, :mod:`generator.layout`): the
   document tree, every sentence and table cell decided there;
5. render (:mod:`generator.render`): DOCX, PDF, XLSX bytes, all before anything is
   written; write (:mod:`generator.write`): each file atomically, under a safe name.

Only the first and the last stage touch files.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from pathlib import Path

from .check import (COMPLIANCE_CHECKS, EVALUATION_CHECKS, IDENTITY_CHECKS, STRUCTURE_CHECKS, Context,
                    EvaluationContext, run_checks)
from .compute.evaluation import BasicDataFigures, EvaluationScore, basic_data_figures, score_all
from .compute.figures import Figures, compute
from .issues import Issue, Severity, sort_key
from .load.consolidate import consolidate
from .load.county import Defaults, defaults_for
from .load.loader import Loaded, load_file
from .model.places import describe
from .profiles import DEFAULT_PROFILE, Profile, ProfileError, display_values, load_profile


@dataclass(frozen=True)
class Checked:
    """A unit after loading, resolving its profile, computing and checking."""

    loaded: Loaded
    profile: Profile | None               # None when the profile the unit names cannot be used
    figures: Figures | None               # None when the file has no 决算 (or is malformed)
    issues: tuple[Issue, ...]
    evaluation: tuple[EvaluationScore, ...] | None = None   # the 绩效 forms, scored
    basic_data: BasicDataFigures | None = None              # the 基础数据表's sums and rates

    @property
    def usable(self) -> bool:
        """Everything the file carries was computed (no structural error stopped it)."""
        return self.profile is not None and (self.figures is not None or not self.loaded.accounts) and \
            (self.evaluation is not None or self.loaded.data.evaluation is None)

    @property
    def errors(self) -> tuple[Issue, ...]:
        return tuple(i for i in self.issues if i.is_error)

    @property
    def warnings(self) -> tuple[Issue, ...]:
        return tuple(i for i in self.issues if not i.is_error)


# ------------------------------------------------------------------ the profile, once


def resolve_profile(loaded: Loaded, chosen: str | None = None,
                    defaults: Defaults | None = None) -> tuple[Profile | None, list[Issue]]:
    """The unit's profile: ``chosen`` (``--profile``; a bad one raises ProfileError, exit 2), else
    the one its file (or its county's ``_defaults.yaml``) names, as a built-in name or a folder
    relative to the file naming it — an unusable one is an issue at ``unit.profile`` — with the
    county's ``display:`` settings over its own, and the unit's ``display:`` over both."""
    display = dict(defaults.display) if defaults is not None else {}
    try:
        own = display_values(dict(loaded.data.display), "unit.display") if loaded.data is not None else {}
    except ProfileError as exc:
        return None, [Issue(loaded.file, loaded.line("display"), "display",
                            "LOAD-DISPLAY", Severity.ERROR, str(exc))]
    if chosen:
        return (load_profile(chosen, Path.cwd()).with_display(display, "_defaults.yaml")
                .with_display(own, "display"), [])
    name = loaded.data.unit.profile if loaded.data is not None else ""
    if "unit.profile" in loaded.lines:                       # written in the unit's own file
        relative_to = Path(loaded.file).parent
    elif defaults is not None and defaults.file:            # given by the county's defaults
        relative_to = Path(defaults.file).parent
    else:
        relative_to = None
    try:
        return (load_profile(name or DEFAULT_PROFILE, relative_to).with_display(display, "_defaults.yaml")
                .with_display(own, "display"), [])
    except ProfileError as exc:
        return None, [Issue(loaded.file, loaded.line("unit.profile"), "unit.profile", "LOAD-PROFILE",
                            Severity.ERROR, str(exc))]


# ------------------------------------------------------------------ compute and check


_DEFAULT = object()


def validate(loaded: Loaded, profile: Profile | None | object = _DEFAULT,
             profile_issues: list[Issue] | None = None) -> Checked:
    """Compute and check a loaded unit; identities run only on a well-formed model.

    ``profile`` gives the 绩效 tiers and the documents' layout (left out: the default profile;
    None: none could be resolved — the default's tiers, and the unit cannot be rendered)."""
    if profile is _DEFAULT:
        profile = load_profile(None)
    issues = list(loaded.issues) + list(profile_issues or [])
    ctx = Context(loaded)
    if loaded.accounts:
        issues += run_checks(ctx, STRUCTURE_CHECKS)
    tiers = (profile or load_profile(None)).tiers
    figures, scores = None, None
    if not any(i.is_error for i in issues):
        if loaded.data.evaluation is not None:
            scores = score_all(loaded.data.evaluation, tiers, (profile or load_profile(None)).equivalent_units)
            eval_ctx = EvaluationContext(loaded, scores)
            for check in EVALUATION_CHECKS:
                issues += check(eval_ctx)
        if loaded.accounts:
            figures = compute(loaded.data, frozenset(loaded.lines), scores, loaded.names,
                              (profile or load_profile(None)).completion_base)
            ctx = Context(loaded, figures)
            issues += run_checks(ctx, IDENTITY_CHECKS)
            issues += run_checks(ctx, COMPLIANCE_CHECKS)
    if profile is not None and loaded.data is not None and loaded.data.texts:
        issues += unknown_texts(loaded, profile)
    basic = (basic_data_figures(loaded.data.evaluation, scores, loaded.data.unit.amount_unit)
             if scores else None)
    return Checked(loaded, profile, figures, tuple(sorted(placed(issues, loaded), key=sort_key)), scores, basic)


def unknown_texts(loaded: Loaded, profile: Profile) -> list[Issue]:
    """A ``texts:`` name the profile has no place for would be silently unused: an error naming the
    names it has."""
    from .narrative.structure import text_names

    names = text_names(profile)
    if names is None:
        return []
    sections = [n for n in names if "." not in n]
    return [Issue(loaded.file, loaded.line(f"texts.{key}") or loaded.line("texts"), f"texts.{key}", "TEXT-UNKNOWN-NAME",
                  Severity.ERROR,
                  f"texts 中的“{key}”不是模板方案 {profile.name} 中的一节或一张表的说明，这段文字不会用到；"
                  f"可用的节：{'、'.join(sections)}；表的说明写成“t07.empty”“t07.note”")
            for key in loaded.data.texts if key not in names]


def placed(issues: list[Issue], loaded: Loaded) -> list[Issue]:
    """Each issue with its place in the document's words (``06表 30201 办公费``), from its path."""
    names = loaded.names if loaded.data is not None else None
    return [dataclasses.replace(i, place=describe(i.path, loaded.data, names)) if i.path and not i.place else i
            for i in issues]


def check_file(path: Path, display_name: str | None = None, defaults: Defaults | None = None,
               profile: str | None = None) -> Checked:
    """Load and check one unit file (raises UnusableInput for exit code 2).

    ``defaults`` fills fields the file leaves out (see :func:`generator.load.load_file`);
    without it, the nearest ``_defaults.yaml`` in the file's folder or above is used
    (raises :class:`~generator.load.DefaultsError` when that file is unusable).  ``profile``
    is ``--profile``.  A department file that lists its units under ``consolidate`` is
    summed from them first (汇总), then checked like any unit.
    """
    if defaults is None:
        defaults = defaults_for(path)
    loaded = load_file(path, display_name, defaults)
    chosen, profile_issues = resolve_profile(loaded, profile, defaults)
    if loaded.data is not None and loaded.data.consolidate and not any(i.is_error for i in loaded.issues):
        loaded, unit_errors = consolidate(loaded, lambda unit: validate(unit, chosen), defaults, Path(path).parent)
        checked = validate(loaded, chosen, profile_issues)
        return dataclasses.replace(checked, issues=tuple(sorted((*checked.issues, *unit_errors), key=sort_key)))
    return validate(loaded, chosen, profile_issues)


# ------------------------------------------------------------------ narrative, layout, render, write


def documents(checked: Checked, *, draft: bool = False):
    """What a unit's file produces: the 部门决算 when it has the accounts, the 绩效自评 when it has 绩效 data."""
    from .layout.document import build_document, build_evaluation_document

    result = []
    if checked.loaded.accounts:
        result.append(build_document(checked, checked.profile, draft=draft))
    if checked.evaluation:
        result.append(build_evaluation_document(checked, checked.profile, draft=draft))
    return result


def figures_document(checked: Checked) -> dict:
    """What ``figures --json`` prints: every derived figure and 绩效 score as the documents state
    them, and every 决算表 as rows of cells as printed."""
    from .layout.document import form_grids, statement_tables
    from .narrative.context import figures_document as narrative_figures

    tables = {key: {"title": t.title, "label": t.label, "rows": [row for grid in t.grids for row in grid.matrix()]}
              for key, t in statement_tables(checked, checked.profile).items()}
    tables |= {key: {"rows": [row for grid in grids for row in grid.matrix()]}
               for key, grids in form_grids(checked, checked.profile).items()}
    return narrative_figures(checked, checked.profile.style, tables)


def publish(checked: Checked, folder: Path, formats: tuple[str, ...], *, draft: bool = False):
    """Lay out, render and write every document of a checked unit (see :func:`generator.render.write_documents`)."""
    from .render import write_documents

    return write_documents(checked, documents(checked, draft=draft), folder, formats)


@dataclass(frozen=True)
class Outcome:
    """What :func:`process` did with one unit file."""

    checked: Checked
    refused: str = ""                     # why nothing was written ("" when the documents were)
    paths: tuple[Path, ...] = ()
    warnings: tuple[str, ...] = field(default_factory=tuple)   # rendering's own (fonts, file names)
    draft: bool = False

    @property
    def written(self) -> bool:
        return not self.refused


def process(path: Path, folder: Path, formats: tuple[str, ...] = ("docx", "pdf"), *, draft: bool = False,
            profile: str | None = None, defaults: Defaults | None = None,
            display_name: str | None = None) -> Outcome:
    """A unit from its file to its written outputs: check it, then lay out, render and write its
    documents — unless it has errors (and ``draft`` is not asked for: then 草稿 on every page)."""
    checked = check_file(path, display_name, defaults, profile)
    if not checked.usable:
        return Outcome(checked, "unusable")
    if checked.errors and not draft:
        return Outcome(checked, "errors")
    rendered = publish(checked, folder, formats, draft=bool(checked.errors))
    return Outcome(checked, "", rendered.paths, rendered.warnings, bool(checked.errors))
