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
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

import yaml

from .issues import UnusableInput
from .profiles import TEMPLATES
from .write import remove_stale_parts, write_atomic

DEFAULTS_FILE = "_defaults.yaml"
"""A county folder's defaults: unit header fields (year, profile, amount_unit, date…),
the 财政局 name and display-style overrides, inherited by every unit file under it."""

MANIFEST = ".juesuan-batch.json"
WORKBOOK = "审核清单.xlsx"
PACKAGE = Path(__file__).resolve().parent


@dataclass(frozen=True)
class Defaults:
    unit: dict[str, Any] = field(default_factory=dict)
    finance_bureau: str = ""
    display: dict[str, Any] = field(default_factory=dict)
    text: bytes = b""


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


# ------------------------------------------------------------------ defaults


class DefaultsError(Exception):
    """The county defaults file is unusable (the whole batch stops, exit 2)."""


_DEFAULT_UNIT_FIELDS = {"year", "profile", "amount_unit", "date", "department", "kind"}


def read_defaults(folder: Path) -> Defaults:
    path = folder / DEFAULTS_FILE
    if not path.exists():
        return Defaults()
    text = path.read_bytes()
    try:
        data = yaml.safe_load(text.decode("utf-8-sig")) or {}
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise DefaultsError(f"{path}: 不是有效的YAML：{exc}") from None
    if not isinstance(data, dict):
        raise DefaultsError(f"{path}: 顶层应当是“字段: 值”的映射")
    unknown = set(data) - {"unit", "finance_bureau", "display"}
    if unknown:
        raise DefaultsError(f"{path}: 不认识的字段 {'、'.join(sorted(unknown))}（可用：unit、finance_bureau、display）")
    unit = data.get("unit") or {}
    bad = set(unit) - _DEFAULT_UNIT_FIELDS
    if bad:
        raise DefaultsError(f"{path}: unit 中只能写各单位共用的字段（{'、'.join(sorted(_DEFAULT_UNIT_FIELDS))}），"
                            f"不能写 {'、'.join(sorted(bad))}")
    from .display import Style
    display = data.get("display") or {}
    unknown_style = set(display) - {f.name for f in dataclasses.fields(Style)}
    if unknown_style:
        raise DefaultsError(f"{path}: display 中有不认识的设置：{'、'.join(sorted(unknown_style))}")
    return Defaults({k: str(v) for k, v in unit.items()}, str(data.get("finance_bureau") or ""), display, text)


# ------------------------------------------------------------------ one unit, in a worker


def _summary(checked, style) -> dict[str, str]:
    from .present import Formatter

    data = checked.loaded.data
    fmt = Formatter(style, data.unit.amount_unit)
    figures: dict[str, str] = {}
    f = checked.figures
    if f is not None:
        t03 = f.tables.t03.total.values
        figures.update({
            "本年收入合计": fmt.cell(f.income_total) or "0", "本年支出合计": fmt.cell(f.expenditure_total) or "0",
            "基本支出": fmt.cell(t03["basic"]) or "0", "项目支出": fmt.cell(t03["project"]) or "0",
            "三公预算": fmt.cell(f.three_public.budget) or "0", "三公决算": fmt.cell(f.three_public.actual) or "0",
        })
    if checked.evaluation:
        figures["绩效总分"] = fmt.style.score(checked.evaluation[0].total)
        figures["绩效等级"] = checked.evaluation[0].grade
    return figures


def process_unit(path: str, display: str, defaults: Defaults, out_dir: str, formats: tuple[str, ...],
                 draft: bool) -> UnitResult:
    """Check and render one unit; never raises (a crash becomes a result)."""
    from .pipeline import check_file
    from .profiles import load_profile
    from .render import render_unit

    start = time.perf_counter()
    result = UnitResult(display, "程序出错", False)
    try:
        checked = check_file(Path(path), display, {f"unit.{k}": v for k, v in defaults.unit.items()})
        data = checked.loaded.data
        result.name, result.code = data.unit.name, data.unit.code
        result.issues = [i.as_json() for i in checked.issues]
        result.errors = len(checked.errors)
        result.warnings = len(checked.warnings)
        profile = load_profile(data.unit.profile or None)
        if defaults.display:
            profile = dataclasses.replace(profile, style=dataclasses.replace(profile.style, **defaults.display))
        if not checked.usable:
            result.status = "未生成（数据有结构错误）"
        elif checked.errors and not draft:
            result.figures = _summary(checked, profile.style)
            result.status = "未生成（数据有错误）"
        else:
            result.figures = _summary(checked, profile.style)
            rendered = render_unit(checked, profile, Path(out_dir), formats, draft=bool(checked.errors))
            result.outputs = [p.name for p in rendered.paths]
            result.issues += [{"file": display, "line": None, "path": "", "code": "RENDER-WARNING",
                               "severity": "warning", "message": w} for w in rendered.warnings]
            result.warnings += len(rendered.warnings)
            result.status = "草稿" if checked.errors else "已生成"
            result.ok = True
    except UnusableInput as exc:
        result.status = "无法读取"
        result.errors = 1
        result.issues = [exc.issue.as_json()]
    except Exception as exc:  # a bug, or an injected failure: recorded, the batch goes on
        result.status = "程序出错"
        result.errors += 1
        result.detail = f"{type(exc).__name__}: {exc}"
        result.issues.append({"file": display, "line": None, "path": "", "code": "INTERNAL", "severity": "error",
                              "message": f"生成时程序出错：{result.detail}"})
    result.seconds = time.perf_counter() - start
    return result


# ------------------------------------------------------------------ the batch


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
    defaults = read_defaults(folder)
    out_dir.mkdir(parents=True, exist_ok=True)
    remove_stale_parts(out_dir)
    manifest_path = out_dir / MANIFEST
    try:
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    except (FileNotFoundError, json.JSONDecodeError):
        manifest = {}
    code_digest = _tree_digest(TEMPLATES, (".j2", ".yaml", ".css", ".docx", ".txt", ".html")) + \
        _tree_digest(PACKAGE, (".py", ".txt"))
    files = unit_files(folder)
    results: list[UnitResult] = []
    todo: list[tuple[Path, str, str]] = []
    skipped = 0
    for path in files:
        display = str(path.relative_to(folder))
        key = input_key(path, defaults, code_digest, formats, draft)
        previous = manifest.get(display)
        if not force and previous and previous.get("key") == key and previous["result"]["ok"] and \
                all((out_dir / name).exists() for name in previous["result"]["outputs"]):
            cached = UnitResult(**previous["result"])
            cached.status, cached.seconds = "未变化（跳过）", 0.0
            results.append(cached)
            skipped += 1
            if progress:
                progress(cached, len(results), len(files))
            continue
        todo.append((path, display, key))
    jobs = max(1, jobs or os.cpu_count() or 1)
    keys = {display: key for _, display, key in todo}
    context = multiprocessing.get_context("fork") if hasattr(os, "fork") else None
    with futures.ProcessPoolExecutor(max_workers=jobs, mp_context=context) as pool:
        pending = {pool.submit(process_unit, str(path), display, defaults, str(out_dir), formats, draft): display
                   for path, display, _ in todo}
        for done in futures.as_completed(pending):
            display = pending[done]
            try:
                result = done.result()
            except Exception as exc:  # the worker process itself died (killed, out of memory…)
                result = UnitResult(display, "程序出错", False, errors=1, detail=f"{type(exc).__name__}: {exc}",
                                    issues=[{"file": display, "line": None, "path": "", "code": "INTERNAL",
                                             "severity": "error", "message": f"处理进程异常退出：{exc}"}])
            results.append(result)
            if result.ok:
                manifest[display] = {"key": keys[display], "result": dataclasses.asdict(result)}
            else:
                manifest.pop(display, None)
            if progress:
                progress(result, len(results), len(files))
    results.sort(key=lambda r: r.file)
    write_atomic(manifest_path, json.dumps(manifest, ensure_ascii=False, indent=1).encode("utf-8"))
    workbook = write_workbook(out_dir / WORKBOOK, results, defaults.finance_bureau)
    return BatchReport(results, skipped, workbook, time.perf_counter() - start)
