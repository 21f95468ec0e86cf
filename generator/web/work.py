"""What the page hands to worker processes: checking, rendering, previewing and importing a
unit, and the county's batch.  Each function here takes and returns plain values (paths as
text, bytes, dicts), never raises for bad data, and runs in a process of its own, so a long
render or a county's batch never holds up the page's threads.
"""

from __future__ import annotations

import contextlib
import os
import hashlib
import io
import json
import shutil
import subprocess
import tempfile
import time
import traceback
from pathlib import Path

from ..issues import UnusableInput


def _issue_dicts(issues) -> list[dict]:
    return [i.as_json() for i in issues]


def check_unit(path: str, display: str | None = None) -> dict:
    """The unit's checks as the page shows them: status, counts, issues, the review workbook's figures."""
    from ..batch import _summary, unusable_status
    from ..load.county import DefaultsError
    from ..pipeline import check_file
    from ..profiles import ProfileError

    result = {"name": "", "code": "", "year": None, "usable": False, "errors": 0, "warnings": 0, "issues": [],
              "figures": {}, "status": "", "amount_unit": "", "has_accounts": False, "has_evaluation": False}
    try:
        checked = check_file(Path(path), display)
    except UnusableInput as exc:
        result.update(status=unusable_status(exc.issue), errors=1, issues=[exc.issue.as_json()])
        return result
    except (DefaultsError, ProfileError) as exc:
        result.update(status="无法使用", errors=1, issues=[{"file": path, "line": None, "path": "", "place": "",
                                                          "code": "DEFAULTS", "severity": "error",
                                                          "message": str(exc)}])
        return result
    data = checked.loaded.data
    if data is not None:
        result.update(name=data.unit.name, code=data.unit.code, year=data.unit.year,
                      has_accounts=bool(checked.loaded.accounts), has_evaluation=data.evaluation is not None)
    result.update(usable=checked.usable, errors=len(checked.errors), warnings=len(checked.warnings),
                  issues=_issue_dicts(checked.issues))
    if checked.profile is not None:
        result["amount_unit"] = checked.profile.style.unit
        if checked.usable:
            try:
                result["figures"] = _summary(checked, checked.profile.style)
            except Exception:  # a summary figure missing never hides the issues
                result["figures"] = {}
    if not checked.usable:
        result["status"] = "有结构错误"
    elif checked.errors:
        result["status"] = "有错误（只能生成草稿）"
    elif checked.warnings:
        result["status"] = "通过（有警告）"
    else:
        result["status"] = "通过"
    return result


def render_unit(path: str, formats: tuple[str, ...]) -> dict:
    """Every document of the unit in ``formats``: ``{"documents": [{"title", "files": {fmt: bytes}}],
    "draft", "warnings", "refused", "error"}``; a unit with errors is rendered as a draft (草稿)."""
    from ..pipeline import check_file, documents
    from ..render import render_bytes
    from ..write import safe_filename

    result: dict = {"documents": [], "draft": False, "warnings": [], "refused": "", "error": ""}
    try:
        checked = check_file(Path(path))
        if not checked.usable:
            result["refused"] = "单位文件有结构错误，无法生成；请先按问题列表改正"
            return result
        draft = bool(checked.errors)
        result["draft"] = draft
        for document in documents(checked, draft=draft):
            files, warnings = render_bytes(document, checked.profile, formats)
            result["documents"].append({"title": safe_filename(document.title), "files": files})
            result["warnings"] += warnings
    except UnusableInput:
        result["refused"] = "单位文件无法读取，无法生成；请先按问题列表改正"
    except Exception:
        result["error"] = traceback.format_exc()
    return result


PREVIEW_DPI = 72   # an A4 page 595 px wide: two side by side on a 1366-pixel screen


def prepare_unit(path: str, folder: str) -> dict:
    """(In a worker.) Render every format and the preview pages into ``folder``; meta.json last."""
    out = Path(folder)
    rendered = render_unit(path, ("docx", "pdf", "xlsx"))
    meta = {"draft": rendered["draft"], "warnings": rendered["warnings"], "refused": rendered["refused"],
            "error": rendered["error"], "documents": []}
    if rendered["refused"] or rendered["error"]:
        return meta   # not cached: the next request tries again
    tmp = out.with_name(out.name + f".{os.getpid()}.tmp")
    tmp.mkdir(parents=True, exist_ok=True)
    try:
        for n, document in enumerate(rendered["documents"]):
            for fmt, data in document["files"].items():
                (tmp / f"{n}.{fmt}").write_bytes(data)
            subprocess.run(["pdftoppm", "-png", "-r", str(PREVIEW_DPI), str(tmp / f"{n}.pdf"), str(tmp / f"{n}-page")],
                           check=True, capture_output=True, timeout=300)
            pages = sorted((p.name for p in tmp.glob(f"{n}-page-*.png")),
                           key=lambda name: int(name.rsplit("-", 1)[1][:-4]))
            meta["documents"].append({"title": document["title"], "pages": pages,
                                      "digests": {fmt: file_digest(data) for fmt, data in document["files"].items()}})
        (tmp / "meta.json").write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")
        try:
            tmp.rename(out)
        except OSError:            # another worker finished the same version first
            shutil.rmtree(tmp, ignore_errors=True)
    except Exception:
        shutil.rmtree(tmp, ignore_errors=True)
        meta["error"] = traceback.format_exc()
    return meta


def import_workbook(workbook: str, unit_path: str | None, into: bool) -> dict:
    """A workbook uploaded for a unit: ``{"text", "issues", "messages", "unusable"}``.  A new import
    takes the unit's current file as last year's (its texts carried over, its 决算 the comparison);
    ``into`` re-imports only the figures into the current file (a corrected workbook, same year)."""
    from ..importer.build import import_workbook as build

    result: dict = {"text": None, "issues": [], "messages": [], "unusable": False, "error": ""}
    try:
        if into:
            from ..importer.into import reimport

            with tempfile.TemporaryDirectory() as tmp:
                target = Path(tmp) / "单位.yaml"
                shutil.copyfile(unit_path, target)
                said = io.StringIO()
                with contextlib.redirect_stderr(said):
                    code = reimport(Path(workbook), target)
                result["messages"] = [line.replace(str(target), "单位文件").replace(workbook, "工作簿")
                                      for line in said.getvalue().splitlines()]
                if code == 0:
                    result["text"] = target.read_text(encoding="utf-8")
                else:
                    result["unusable"] = code == 2
            return result
        last = Path(unit_path) if unit_path and Path(unit_path).is_file() else None
        outcome = build(Path(workbook), last_year=last, target=Path(unit_path) if unit_path else None)
        result.update(text=outcome.text, issues=_issue_dicts(outcome.issues), unusable=outcome.unusable)
    except Exception:
        result["error"] = traceback.format_exc()
    return result


# ------------------------------------------------------------------ the county's batch


def batch_process(folder: str, out_dir: str, progress_file: str, formats: tuple[str, ...], jobs: int) -> None:
    """Run ``juesuan batch`` on the county (in a process of its own), writing its progress as JSON."""
    from ..batch import run_batch
    from ..write import write_atomic

    state = {"running": True, "done": 0, "total": 0, "failed": 0, "started": time.time(), "finished": None,
             "last": "", "error": "", "summary": ""}

    def save():
        write_atomic(Path(progress_file), json.dumps(state, ensure_ascii=False).encode("utf-8"))

    def progress(result, done, total):
        state.update(done=done, total=total, last=f"{result.name or result.file}：{result.status}")
        if not result.ok:
            state["failed"] += 1
        save()

    save()
    try:
        report = run_batch(Path(folder), Path(out_dir), jobs=jobs, formats=formats, progress=progress)
        state["summary"] = (f"共 {len(report.results)} 个单位：生成 {len(report.results) - len(report.failed) - report.skipped} 个，"
                            f"未变化跳过 {report.skipped} 个，未生成 {len(report.failed)} 个；用时 {report.seconds:.1f} 秒")
    except Exception:
        state["error"] = traceback.format_exc()
    state.update(running=False, finished=time.time())
    save()


def file_digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
