"""``juesuan import WORKBOOK``: the workbook read, placed, and written as a new unit file.

read (:mod:`.workbook`) → locate and read the tables (:mod:`.locate`, :mod:`.tables`)
→ place the figures (:mod:`.assemble`) → last year's file or document, if given
(:mod:`.lastyear`, :mod:`.document`) → the unit file's text (:mod:`.emit`), which is
loaded back before anything is written: it must read without a single error other
than the 待填写 the accountant has to answer.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from pathlib import Path

from ..issues import Issue, Severity, UnusableInput
from ..load.loader import load_bytes, load_file
from ..model.skeleton import schema_reference
from ..profiles import DEFAULT_PROFILE
from .assemble import Imported, assemble
from .lastyear import Carried, LastYearError, from_unit_file
from .tables import issue
from .workbook import WorkbookError, read_workbook

DOCUMENT_SUFFIXES = (".docx", ".pdf")


@dataclass
class Outcome:
    """What an import produced: the unit file's text (None when nothing may be written) and why."""

    text: str | None
    imported: Imported | None
    issues: list[Issue] = field(default_factory=list)
    carried: Carried | None = None
    unusable: bool = False               # the workbook (or last year's file) cannot be used at all: exit 2

    @property
    def errors(self) -> list[Issue]:
        return [i for i in self.issues if i.is_error]

    @property
    def asked(self) -> int:
        """How many 待填写 the file holds (each one check reports as 未填写)."""
        if not self.text:
            return 0
        loaded = load_bytes("导入.yaml", self.text.encode("utf-8"))
        return sum(1 for i in loaded.issues if i.code == "UNFILLED")


def read(workbook: Path, amount_unit: str | None = None) -> tuple[Imported | None, list[Issue], bool]:
    """The workbook's placed figures, its issues, and whether it is unusable (exit 2)."""
    try:
        sheets = read_workbook(workbook)
    except WorkbookError as exc:
        return None, [exc.issue], True
    imported = assemble(sheets, str(workbook), amount_unit)
    unusable = any(i.code == "IMPORT-NO-TABLES" for i in imported.issues)
    return imported, list(imported.issues), unusable


def import_workbook(workbook: Path, *, last_year: Path | None = None, target: Path | None = None,
                    year: int | None = None, code: str | None = None, profile: str | None = None,
                    amount_unit: str | None = None, today: datetime.date | None = None) -> Outcome:
    if amount_unit is None and last_year is not None and last_year.suffix.lower() not in DOCUMENT_SUFFIXES:
        amount_unit = _unit_of(last_year)  # the unit keeps the 金额单位 its file has
    imported, issues, unusable = read(workbook, amount_unit)
    if imported is None or unusable or any(i.is_error for i in issues):
        return Outcome(None, imported, issues, unusable=unusable)
    carried = None
    if last_year is not None:
        try:
            if last_year.suffix.lower() in DOCUMENT_SUFFIXES:
                from .document import from_document

                carried = from_document(last_year, imported)
            else:
                carried = from_unit_file(last_year, imported.amount_unit)
        except LastYearError as exc:
            return Outcome(None, imported, issues + [exc.issue], unusable=True)
        issues += carried.issues
    head = _head(imported, carried, year, code, profile, today or datetime.date.today(), issues)
    if carried is not None:
        _only_what_the_profile_uses(carried, head["profile"], last_year)
    from .emit import Writer

    text = Writer(imported, head, carried, workbook.name).write(schema_reference(target))
    _verify(text, target or Path("导入.yaml"))
    return Outcome(text, imported, issues, carried)


def _only_what_the_profile_uses(carried: Carried, profile_name: str, last_year: Path | None) -> None:
    """Comparison figures only some layouts print (last year per 类) are written only where the
    unit's profile says it uses them (``uses:``), as ``juesuan new`` writes those fields."""
    from ..model.skeleton import PROFILE_FIELDS
    from ..profiles import ProfileError, load_profile

    try:
        uses = set(load_profile(profile_name, last_year.parent if last_year else None).settings.get("uses") or ())
    except ProfileError:
        uses = set()
    for key in [k for k in carried.comparisons if k in PROFILE_FIELDS and k not in uses]:
        del carried.comparisons[key]


def _unit_of(path: Path) -> str | None:
    """The 金额单位 of a unit file, when it can be read (else the workbook decides)."""
    try:
        loaded = load_file(path)
    except (UnusableInput, OSError):
        return None
    return loaded.data.unit.amount_unit if loaded.data is not None and "unit.amount_unit" in loaded.lines else None


def _head(imported: Imported, carried: Carried | None, year: int | None, code: str | None,
          profile: str | None, today: datetime.date, issues: list[Issue]) -> dict:
    """The ``unit:`` fields: the workbook's name and 金额单位, the year, what last year's file says."""
    last = carried.data.unit if carried is not None else None
    head: dict = {"name": imported.unit_name or (last.name if last else ""), "amount_unit": imported.amount_unit}
    if year is not None:
        head["year"] = year
    elif imported.year is not None:
        head["year"], head["year_note"] = imported.year, f"工作簿 {imported.year_ref}"
    elif last is not None and last.year:
        head["year"], head["year_note"] = last.year + 1, f"上年文件为{last.year}年度"
    else:
        head["year"] = today.year - 1
        head["year_note"] = "工作簿中没有写年度，取上一年，请核对"
        issues.append(issue(imported.unit_name_ref or "工作簿", "IMPORT-YEAR",
                            f"工作簿中没有写年度，unit.year 写为 {today.year - 1}；不对时请改正，或导入时加 --year",
                            Severity.WARNING))
    if last is not None and last.year and last.year >= head["year"]:
        issues.append(issue(carried.source, "IMPORT-FROM",
                            f"上年的文件是{last.year}年度的，不早于本年（{head['year']}年度）；请核对是否选错了文件",
                            Severity.WARNING))
    if imported.unit_name and last is not None and last.name and last.name != imported.unit_name:
        issues.append(issue(imported.unit_name_ref, "IMPORT-DEPARTMENT",
                            f"工作簿中的单位名称“{imported.unit_name}”与上年文件的“{last.name}”不同；"
                            "文件中用工作簿的名称", Severity.WARNING))
    head["code"] = code or (last.code if last else "")
    if last is not None and carried.knows("unit.department"):
        head["department"] = last.department
    if last is not None and carried.knows("unit.kind") and last.kind != "事业单位":
        head["kind"] = last.kind
    head["profile"] = profile or (last.profile if last and last.profile else DEFAULT_PROFILE)
    return head


def _verify(text: str, target: Path) -> None:
    """The text written must load as a unit file with no issue but the 待填写 left to answer."""
    loaded = load_bytes(str(target), text.encode("utf-8"))
    wrong = [i for i in loaded.issues if i.is_error and i.code != "UNFILLED"]
    if wrong:  # a bug of ours: never hand the accountant a file the loader refuses
        raise AssertionError("imported unit file does not load: " + "; ".join(i.format() for i in wrong[:5]))
