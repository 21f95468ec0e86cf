"""juesuan: 部门决算公开 and 绩效自评 documents from a unit's YAML figures.

The public surface, in the order of the pipeline (see :mod:`generator.pipeline`)::

    from generator import check_file, process, figures_document, load_profile

    checked = check_file(Path("单位.yaml"))        # load, resolve the profile, compute, check
    for issue in checked.issues: print(issue.format())
    outcome = process(Path("单位.yaml"), Path("output"), ("docx", "pdf", "xlsx"))

``documents(checked)`` gives the laid-out document trees (:mod:`generator.layout.tree`),
``render_bytes(document, profile, formats)`` their bytes, ``run_batch`` a whole county.
"""

from .issues import Issue, Severity, UnusableInput
from .load import Defaults, DefaultsError, defaults_for, load_file
from .pipeline import Checked, Outcome, check_file, documents, figures_document, process, publish, validate
from .profiles import Profile, ProfileError, load_profile
from .render import FORMATS, render_bytes

__all__ = ["Checked", "Defaults", "DefaultsError", "FORMATS", "Issue", "Outcome", "Profile", "ProfileError",
           "Severity", "UnusableInput", "check_file", "defaults_for", "documents", "figures_document",
           "load_file", "load_profile", "process", "publish", "render_bytes", "validate", "run_batch"]


def __getattr__(name: str):
    if name == "run_batch":  # the batch pulls in the workbook writer and a process pool: only when asked
        from .batch import run_batch
        return run_batch
    raise AttributeError(name)
