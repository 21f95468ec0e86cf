"""The pipeline in one place: load → compute → validate (→ narrative → render → write).

Each stage returns values and issues; the issues are gathered into one list.
Only :func:`check_file` touches the file system (reading); everything it calls
after loading is a pure function of the model.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from pathlib import Path

from .check.checks import (COMPLIANCE_CHECKS, EVALUATION_CHECKS, IDENTITY_CHECKS, STRUCTURE_CHECKS, Context,
                     EvaluationContext, run_checks)
from .compute.evaluation import DEFAULT_TIERS, EvaluationScore, score_all
from .issues import Severity
from .profiles import ProfileError, load_profile
from .compute.figures import Figures, compute
from .issues import Issue, sort_key
from .load.consolidate import consolidate
from .load.county import Defaults, defaults_for
from .load.loader import Loaded, load_file
from .model.places import describe


@dataclass(frozen=True)
class Checked:
    """A unit after loading, computing and validating."""

    loaded: Loaded
    figures: Figures | None              # None when the file has no 决算 (or is malformed)
    issues: tuple[Issue, ...]
    evaluation: tuple[EvaluationScore, ...] | None = None   # the 绩效 forms, scored

    @property
    def usable(self) -> bool:
        """Everything the file carries was computed (no structural error stopped it)."""
        return (self.figures is not None or not self.loaded.accounts) and \
            (self.evaluation is not None or self.loaded.data.evaluation is None)

    @property
    def errors(self) -> tuple[Issue, ...]:
        return tuple(i for i in self.issues if i.is_error)

    @property
    def warnings(self) -> tuple[Issue, ...]:
        return tuple(i for i in self.issues if not i.is_error)


def _tiers(loaded: Loaded, issues: list[Issue]):
    """The unit's profile's 绩效 tiers; an unknown profile is an issue at unit.profile."""
    try:
        return load_profile(loaded.data.unit.profile or None).tiers
    except ProfileError as exc:
        issues.append(Issue(loaded.file, loaded.line("unit.profile"), "unit.profile", "LOAD-PROFILE",
                            Severity.ERROR, str(exc)))
        return DEFAULT_TIERS


def validate(loaded: Loaded) -> Checked:
    """Compute and check a loaded unit; identities run only on a well-formed model."""
    issues = list(loaded.issues)
    ctx = Context(loaded)
    if loaded.accounts:
        issues += run_checks(ctx, STRUCTURE_CHECKS)
    tiers = _tiers(loaded, issues)
    figures, scores = None, None
    if not any(i.is_error for i in issues):
        if loaded.data.evaluation is not None:
            scores = score_all(loaded.data.evaluation, tiers)
            eval_ctx = EvaluationContext(loaded, scores)
            for check in EVALUATION_CHECKS:
                issues += check(eval_ctx)
        if loaded.accounts:
            figures = compute(loaded.data, frozenset(loaded.lines), scores, loaded.names)
            ctx = Context(loaded, figures)
            issues += run_checks(ctx, IDENTITY_CHECKS)
            issues += run_checks(ctx, COMPLIANCE_CHECKS)
    return Checked(loaded, figures, tuple(sorted(placed(issues, loaded), key=sort_key)), scores)


def placed(issues: list[Issue], loaded: Loaded) -> list[Issue]:
    """Each issue with its place in the document's words (``06表 30201 办公费``), from its path."""
    names = loaded.names if loaded.data is not None else None
    return [dataclasses.replace(i, place=describe(i.path, loaded.data, names)) if i.path and not i.place else i
            for i in issues]


def check_file(path: Path, display_name: str | None = None, defaults: Defaults | None = None) -> Checked:
    """Load and validate one unit file (raises UnusableInput for exit code 2).

    ``defaults`` fills fields the file leaves out (see :func:`generator.load.load_file`);
    without it, the nearest ``_defaults.yaml`` in the file's folder or above is used
    (raises :class:`~generator.county.DefaultsError` when that file is unusable).
    A department file that lists its units under ``consolidate`` is summed
    from them first (汇总), then checked like any unit.
    """
    if defaults is None:
        defaults = defaults_for(path)
    loaded = load_file(path, display_name, defaults)
    if loaded.data is not None and loaded.data.consolidate and not any(i.is_error for i in loaded.issues):
        loaded, unit_errors = consolidate(loaded, validate, defaults)
        checked = validate(loaded)
        return dataclasses.replace(checked, issues=tuple(sorted((*checked.issues, *unit_errors), key=sort_key)))
    return validate(loaded)
