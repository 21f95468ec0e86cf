"""A whole county in one command: every unit file under a folder, in parallel workers.

Each unit is checked and rendered in a worker process; whatever happens to
one unit (bad data, a failed check, a crash of a renderer) is recorded in its
:class:`UnitResult` and never stops the others.  A manifest in the output
folder remembers, per unit, a digest of everything its outputs depend on
(the unit file, the county defaults, the templates, the tool's own code and
the options), so a second run renders only what changed.
"""

from __future__ import annotations

import concurrent.futures as futures
import dataclasses
import hashlib
import json
import multiprocessing
import os
import shutil
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from ..load.county import DEFAULTS_FILE, Defaults, defaults_for
from ..issues import UnusableInput
from ..profiles import TEMPLATES, ProfileError
from ..write import remove_stale_parts, write_atomic

MANIFEST = ".juesuan-batch.json"
WORKBOOK = "审核清单.xlsx"
PACKAGE = Path(__file__).resolve().parent.parent


@dataclass
class UnitResult:
    """What happened to one unit: the row of the review workbook."""

    file: str
    status: str                       # 已生成 / 草稿 / 未生成（数据有错误） / 无法读取 / 程序出错 / 未变化
    ok: bool                          # rendered (or unchanged since it was)
    name: str = ""
    code: str = ""
    errors: int = 0
    warnings: int = 0
    issues: list[dict] = field(default_factory=list)
    figures: dict[str, str] = field(default_factory=dict)
    outputs: list[str] = field(default_factory=list)
    seconds: float = 0.0
    detail: str = ""                  # a crash's exception text
    amount_unit: str = ""             # the unit the figures are in (万元 / 元), as the documents show them
    staged: dict[str, str] = field(default_factory=dict)   # output name → where the worker left it
    planned: list[str] = field(default_factory=list)       # the names it would write, rendered or not


#: A file the tool cannot use at all, by its issue code: what the review workbook calls it.
UNUSABLE_STATUS = {
    "LOAD-YAML": "YAML格式错误", "LOAD-ALIAS": "YAML格式错误", "LOAD-TAG": "YAML格式错误",
    "LOAD-NOT-MAPPING": "YAML格式错误", "LOAD-EMPTY": "空文件", "LOAD-ENCODING": "文件编码错误",
    "LOAD-SIZE": "文件过大", "LOAD-READ": "无法读取",
}


def unusable_status(issue) -> str:
    """``YAML格式错误（第12行）``, ``无法读取`` …: what kept a file from being used, and where."""
    label = UNUSABLE_STATUS.get(issue.code, "无法使用")
    return f"{label}（第{issue.line}行）" if issue.line else label


# ------------------------------------------------------------------ one unit, in a worker


def _summary(checked, style) -> dict[str, str]:
    """The review workbook's figures of a unit, as exact decimal texts (written there as numbers)."""
    from ..compute.evaluation import whole_of
    from ..money import quantize_half_up

    data = checked.loaded.data
    figures: dict[str, str] = {}
    f = checked.figures

    def amount(value) -> str:  # in the unit's display unit, rounded half-up: a number for the workbook
        return str(quantize_half_up(style.convert(value, data.unit.amount_unit), style.amount_places))

    if f is not None:
        t03 = f.tables.t03.total.values
        figures.update({
            "本年收入合计": amount(f.income_total), "本年支出合计": amount(f.expenditure_total),
            "基本支出": amount(t03["basic"]), "项目支出": amount(t03["project"]),
            "三公预算": amount(f.three_public.budget), "三公决算": amount(f.three_public.actual),
        })
    whole = whole_of(checked.evaluation or ())
    if whole is not None:
        figures["绩效总分"] = str(quantize_half_up(whole.total, 2))
        figures["绩效等级"] = whole.grade
    return figures


def process_unit(path: str, display: str, defaults: Defaults, out_dir: str, formats: tuple[str, ...],
                 draft: bool) -> UnitResult:
    """Check and render one unit into ``out_dir`` (the batch's staging folder for this unit) through
    :func:`generator.pipeline.process`; never raises (a crash becomes a result)."""
    from ..pipeline import process

    start = time.perf_counter()
    result = UnitResult(display, "程序出错", False)
    try:
        outcome = process(Path(path), Path(out_dir), formats, draft=draft, defaults=defaults, display_name=display)
        checked = outcome.checked
        data = checked.loaded.data
        result.name, result.code = data.unit.name, data.unit.code
        result.issues = [i.as_json() for i in checked.issues]
        result.errors = len(checked.errors)
        result.warnings = len(checked.warnings)
        if checked.profile is not None:
            result.amount_unit = checked.profile.style.unit
        if outcome.refused == "unusable":
            result.status = "未生成（数据有结构错误）"
        else:
            result.figures = _summary(checked, checked.profile.style)
            if outcome.refused == "errors":
                result.status = "未生成（数据有错误）"
                result.planned = planned_names(checked, formats)
            else:
                result.outputs = [p.name for p in outcome.paths]
                result.staged = {p.name: str(p) for p in outcome.paths}
                result.planned = list(result.outputs)
                result.issues += [{"file": display, "line": None, "path": "", "place": "", "code": "RENDER-WARNING",
                                   "severity": "warning", "message": w} for w in outcome.warnings]
                result.warnings += len(outcome.warnings)
                result.status = "草稿" if outcome.draft else "已生成"
                result.ok = True
    except UnusableInput as exc:
        result.status = unusable_status(exc.issue)
        result.errors = 1
        result.issues = [exc.issue.as_json()]
    except ProfileError as exc:  # the unit's profile folder cannot be used: the unit's own problem to fix
        result.status = "未生成（模板方案有错误）"
        result.errors += 1
        result.issues.append({"file": display, "line": None, "path": "", "place": "", "code": "PROFILE",
                              "severity": "error", "message": str(exc)})
    except Exception as exc:  # a bug, or an injected failure: recorded, the batch goes on
        result.status = "程序出错"
        result.errors += 1
        result.detail = f"{type(exc).__name__}: {exc}"
        result.issues.append({"file": display, "line": None, "path": "", "place": "", "code": "INTERNAL",
                              "severity": "error",
                              "message": "生成时程序出错（程序缺陷，不是数据问题，请连同数据文件一起报告）；"
                                         f"技术信息：{result.detail}"})
    result.seconds = time.perf_counter() - start
    return result


def planned_names(checked, formats: tuple[str, ...]) -> list[str]:
    """The file names a unit would write once its errors are fixed."""
    from ..pipeline import documents
    from ..write import safe_filename

    return [safe_filename(document.title) + f".{fmt}" for document in documents(checked) for fmt in formats]


# ------------------------------------------------------------------ the batch


STAGING = ".juesuan-staging"
"""Where workers leave a unit's files until the batch knows no other unit claims the same names."""

CLASH = "未生成（与其他单位的输出文件同名）"


class _Claims:
    """Which unit claimed which output name in this batch (compared as Windows does: case-insensitively).

    Two units that would write the same file (a copy in a subfolder, two files for one
    unit) are both an error, named in the review workbook, and neither's files stay:
    which one is right is the reviewer's call, never a silent overwrite."""

    def __init__(self, out_dir: Path):
        self.out_dir = out_dir
        self.owner: dict[str, UnitResult] = {}

    def settle(self, result: UnitResult) -> list[UnitResult]:
        """Claim the result's names and move its staged files into place; the units this
        result collides with (itself included) are returned, turned into errors."""
        rivals = []
        for name in result.planned:
            other = self.owner.get(name.casefold())
            if other is not None and other is not result and other not in rivals:
                rivals.append(other)
        if not rivals:
            for name in result.planned:
                self.owner[name.casefold()] = result
            for name, staged in result.staged.items():
                os.replace(staged, self.out_dir / name)
            result.staged = {}
            return []
        for name in result.planned:
            self.owner.setdefault(name.casefold(), result)
        for unit in (result, *rivals):
            others = [u.file for u in (result, *rivals) if u is not unit]
            _clash(unit, others, self.out_dir)
        return [result, *rivals]


def _clash(unit: UnitResult, others: list[str], out_dir: Path) -> None:
    """Mark a unit as colliding with ``others``: its files (staged or written) are removed."""
    for name, staged in unit.staged.items():
        Path(staged).unlink(missing_ok=True)
    if unit.status != CLASH:
        for name in unit.outputs:
            (out_dir / name).unlink(missing_ok=True)
        unit.errors += 1
    unit.issues = [i for i in unit.issues if i["code"] != "BATCH-NAME-CLASH"]
    unit.issues.insert(0, {
        "file": unit.file, "line": None, "path": "", "place": "", "code": "BATCH-NAME-CLASH", "severity": "error",
        "message": f"与 {'、'.join(others)} 的输出文件同名（{'、'.join(unit.planned)}）：两个文件是同一个单位，"
                   "或单位名称、年度写错了；请删去多余的文件或改正后重新运行，两个单位都未生成"})
    unit.staged, unit.outputs = {}, []
    unit.status, unit.ok = CLASH, False


WORKER_MEMORY = 512 * 1024 * 1024
"""What one worker may need at its peak (bench/README.md: a realistic unit's worker peaks
well below it; the largest unit of bench_bounds.py needs more)."""


def default_jobs() -> int:
    """Every core this process may run on, as long as the memory available holds a worker for each."""
    try:
        cores = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):          # not on Linux
        cores = os.cpu_count() or 1
    try:
        meminfo = Path("/proc/meminfo").read_text(encoding="ascii")
        available = int(next(line.split()[1] for line in meminfo.splitlines()
                             if line.startswith("MemAvailable:"))) * 1024
    except (OSError, StopIteration, ValueError):
        return max(1, cores)
    return max(1, min(cores, available // WORKER_MEMORY))


def unit_files(folder: Path) -> list[Path]:
    """Every unit file under ``folder`` (``*.yaml``/``*.yml``), the defaults file excepted."""
    files = [p for p in folder.rglob("*") if p.suffix.lower() in (".yaml", ".yml") and p.is_file()
             and p.name != DEFAULTS_FILE and not any(part.startswith(".") for part in p.relative_to(folder).parts)]
    return sorted(files)


def _tree_digest(root: Path, suffixes: tuple[str, ...]) -> str:
    digest = hashlib.sha256()
    for path in sorted(root.rglob("*")):
        if path.is_file() and path.suffix in suffixes and "__pycache__" not in path.parts:
            digest.update(str(path.relative_to(root)).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


def input_key(path: Path, defaults: Defaults, code_digest: str, formats: tuple[str, ...], draft: bool) -> str:
    """A digest of everything a unit's outputs depend on."""
    digest = hashlib.sha256()
    for part in (path.read_bytes(), defaults.text, code_digest.encode(), ",".join(formats).encode(),
                 b"draft" if draft else b""):
        digest.update(hashlib.sha256(part).digest())
    data = path.read_bytes()
    if b"consolidate" in data:  # a department's outputs also depend on its units' files
        for line in data.decode("utf-8", "replace").splitlines():
            name = line.strip().lstrip("-").strip().strip("'\"")
            candidate = (path.parent / name)
            if name.endswith((".yaml", ".yml")) and candidate.is_file():
                digest.update(hashlib.sha256(candidate.read_bytes()).digest())
    return digest.hexdigest()


@dataclass
class BatchReport:
    results: list[UnitResult]
    skipped: int
    workbook: Path | None
    seconds: float

    @property
    def failed(self) -> list[UnitResult]:
        return [r for r in self.results if not r.ok]


def run_batch(folder: Path, out_dir: Path, *, jobs: int | None = None, formats: tuple[str, ...] = ("docx", "pdf"),
              force: bool = False, draft: bool = False,
              progress: Callable[[UnitResult, int, int], None] | None = None) -> BatchReport:
    """Check and render every unit under ``folder`` into ``out_dir``; write the review workbook."""
    from .workbook import write_workbook

    start = time.perf_counter()
    county = defaults_for(folder / DEFAULTS_FILE)  # the county's own (its finance bureau), or the nearest above
    out_dir.mkdir(parents=True, exist_ok=True)
    remove_stale_parts(out_dir)
    manifest_path = out_dir / MANIFEST
    try:
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    except (FileNotFoundError, json.JSONDecodeError):
        manifest = {}
    code_digest = _tree_digest(TEMPLATES, (".j2", ".yaml", ".css", ".docx", ".txt", ".html")) + \
        _tree_digest(PACKAGE, (".py", ".txt"))
    staging = out_dir / STAGING
    shutil.rmtree(staging, ignore_errors=True)  # a killed run's leftovers
    claims = _Claims(out_dir)
    files = unit_files(folder)
    results: list[UnitResult] = []
    todo: list[tuple[Path, str, str]] = []
    skipped = 0
    unit_defaults = {path: defaults_for(path) for path in files}
    for path in files:
        display = str(path.relative_to(folder))
        key = input_key(path, unit_defaults[path], code_digest, formats, draft)
        previous = manifest.get(display)
        if not force and previous and previous.get("key") == key and previous["result"]["ok"] and \
                all((out_dir / name).exists() for name in previous["result"]["outputs"]):
            cached = UnitResult(**previous["result"])
            cached.status, cached.seconds = "未变化（跳过）", 0.0
            cached.planned = cached.planned or list(cached.outputs)
            claims.settle(cached)
            results.append(cached)
            skipped += 1
            if progress:
                progress(cached, len(results), len(files))
            continue
        todo.append((path, display, key))
    jobs = max(1, jobs or default_jobs())
    keys = {display: key for _, display, key in todo}
    context = multiprocessing.get_context("fork") if hasattr(os, "fork") else None
    with futures.ProcessPoolExecutor(max_workers=jobs, mp_context=context) as pool:
        pending = {pool.submit(process_unit, str(path), display, unit_defaults[path], str(staging / str(n)),
                               formats, draft): display
                   for n, (path, display, _) in enumerate(todo)}
        for done in futures.as_completed(pending):
            display = pending[done]
            try:
                result = done.result()
            except Exception as exc:  # the worker process itself died (killed, out of memory…)
                result = UnitResult(display, "程序出错", False, errors=1, detail=f"{type(exc).__name__}: {exc}",
                                    issues=[{"file": display, "line": None, "path": "", "code": "INTERNAL",
                                             "severity": "error", "message": f"处理进程异常退出：{exc}"}])
            results.append(result)
            for unit in claims.settle(result) or [result]:
                if unit.ok and unit.file in keys:
                    manifest[unit.file] = {"key": keys[unit.file],
                                           "result": dataclasses.asdict(dataclasses.replace(unit, staged={}))}
                elif not unit.ok:
                    manifest.pop(unit.file, None)
            if progress:
                progress(result, len(results), len(files))
    shutil.rmtree(staging, ignore_errors=True)
    results.sort(key=lambda r: r.file)
    write_atomic(manifest_path, json.dumps(manifest, ensure_ascii=False, indent=1).encode("utf-8"))
    workbook = write_workbook(out_dir / WORKBOOK, results, county.finance_bureau)
    return BatchReport(results, skipped, workbook, time.perf_counter() - start)
