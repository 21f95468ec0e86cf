"""The pages.  Every URL that names a unit goes through :meth:`Web.unit` (403 for a unit that is
not the account's own); every form and upload carries a CSRF token (Flask-WTF's CSRFProtect);
every upload, edit, render and download is written to the audit log with the file's digest."""

from __future__ import annotations

import io
import json
import logging
import multiprocessing
import re
import secrets
import threading
import time
import zipfile
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass
from pathlib import Path

from flask import (Flask, Response, abort, flash, g, redirect, render_template, request, send_file, session,
                   url_for)
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, RequestEntityTooLarge

from ..issues import UnusableInput
from ..model.places import describe
from ..write import safe_filename, write_atomic
from . import auth, fields, uploads, work
from .db import Database
from .storage import Conflict, County, UnitFile, digest

log = logging.getLogger("juesuan.web")

CHECK_TIMEOUT = 300
RENDER_TIMEOUT = 900
FORMAT_NAMES = {"pdf": "PDF", "docx": "DOCX（可编辑）", "xlsx": "XLSX（公开表工作簿）"}
MIME = {"pdf": "application/pdf", "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "zip": "application/zip", "yaml": "application/x-yaml; charset=utf-8"}


class Pending(Exception):
    """The unit's documents are still being made: the page says so and looks again shortly."""


class Web:
    """The page's state: the database, the county's files, the worker pool, what has been computed."""

    def __init__(self, app: Flask, db: Database, county: County, pool: ProcessPoolExecutor,
                 check_pool: ProcessPoolExecutor):
        self.app, self.db, self.county = app, db, county
        self.pool = pool                  # renders, previews, imports
        self.check_pool = check_pool      # checks alone: a unit's page never waits behind a render
        self._checks: dict[tuple[int, str], dict] = {}
        self._inflight: dict[tuple, Future] = {}
        self._guard = threading.RLock()      # a future already done runs its callback (which locks) at once
        self.batch_dir = county.state / "batch"
        self.batch_out = self.batch_dir / "output"
        self.progress_file = self.batch_dir / "progress.json"
        self._batch: multiprocessing.Process | None = None

    def close(self) -> None:
        """Stop the worker processes (the page's own; a running batch finishes on its own)."""
        self.pool.shutdown(cancel_futures=True)
        self.check_pool.shutdown(cancel_futures=True)

    # ------------------------------------------------------------ units and versions

    def unit(self, unit_id: int) -> UnitFile:
        """The unit a URL names, if this account may see it: 403 before anything else is told."""
        if not auth.unit_allowed(g.account, unit_id):
            abort(403)
        unit = self.county.unit(unit_id)
        if unit is None or not unit.path.is_file():
            abort(404)
        return unit

    def key(self, unit: UnitFile) -> str:
        """What a unit's results depend on: its file and its county's defaults."""
        from ..load.county import find_defaults

        parts = unit.read()
        found = find_defaults(unit.path)
        if found is not None:
            parts += b"\0" + found.read_bytes()
        return digest(parts)

    def _once(self, key: tuple, call, *args, pool: ProcessPoolExecutor | None = None) -> Future:
        """One worker call per key at a time: twenty people previewing one unit render it once."""
        with self._guard:
            future = self._inflight.get(key)
            if future is None:
                future = (pool or self.pool).submit(call, *args)
                self._inflight[key] = future
                future.add_done_callback(lambda _f, k=key: self._forget(k))
        return future

    def _forget(self, key):
        with self._guard:
            self._inflight.pop(key, None)

    def check(self, unit: UnitFile) -> dict:
        key = (unit.id, self.key(unit))
        cached = self._checks.get(key)
        if cached is None:
            cached = self._once(("check", *key), work.check_unit, str(unit.path), unit.relative,
                                pool=self.check_pool).result(CHECK_TIMEOUT)
            self._checks[key] = cached
            if cached.get("name"):
                self.db.register_unit(unit.relative, cached["name"])
        return cached

    def rendered(self, unit: UnitFile) -> tuple[Path, dict]:
        """The unit's documents in every format and as preview pages, made once per version."""
        key = self.key(unit)
        folder = self.county.state / "cache" / str(unit.id) / key
        meta_file = folder / "meta.json"
        if meta_file.is_file():
            return folder, json.loads(meta_file.read_text(encoding="utf-8"))
        future = self._once(("render", unit.id, key), work.prepare_unit, str(unit.path), str(folder))
        try:
            meta = future.result(self.app.config["PAGE_WAIT_SECONDS"])
        except FutureTimeout:
            raise Pending() from None
        if meta.get("error"):
            log.error("render of %s failed:\n%s", unit.relative, meta["error"])
        else:
            self.db.audit(g.account.username, unit.id, "生成", "DOCX、PDF、XLSX 和预览" + ("（草稿）" if meta["draft"] else ""),
                          digest(unit.read()))
        return folder, meta


# ------------------------------------------------------------------ issue lists as the page shows them


@dataclass
class ShownIssue:
    level: str
    code: str
    line: int | None
    place: str
    message: str
    link: str


def group_name(place: str) -> str:
    """The table or section an issue belongs to (``02表``, ``第一部分 部门概况``, ``三公``)."""
    head = place.split(" · ")[0].strip()
    if not head:
        return "其他"
    words = head.split()
    if re.fullmatch(r"\d+表", words[0]) or len(words) == 1:
        return words[0]
    if words[0].startswith("第") and words[0].endswith("部分"):
        return " ".join(words[:2])
    return words[0]


def grouped_issues(unit_id: int, checked: dict, editable: set[str]) -> list[tuple[str, list[ShownIssue]]]:
    groups: dict[str, list[ShownIssue]] = {}
    for issue in checked["issues"]:
        path = issue.get("path") or ""
        if path in editable:
            link = url_for("edit", unit_id=unit_id) + f"#f-{path}"
        elif issue.get("line"):
            link = url_for("source", unit_id=unit_id) + f"#L{issue['line']}"
        else:
            link = url_for("source", unit_id=unit_id)
        place = issue.get("place") or path
        groups.setdefault(group_name(place), []).append(
            ShownIssue("错误" if issue["severity"] == "error" else "警告", issue["code"], issue.get("line"), place,
                       issue["message"], link))
    return list(groups.items())


# ------------------------------------------------------------------ registration


def register(app: Flask, web: Web) -> None:
    db, county = web.db, web.county
    app.extensions["juesuan"] = web

    @app.before_request
    def load_account():
        g.account = None
        account_id = session.get("account_id")
        if account_id is not None:
            g.account = db.account(account_id)
            if g.account is None:
                session.clear()
        if g.account is None and request.endpoint not in ("login", "static"):
            return redirect(url_for("login"))

    @app.after_request
    def headers(response: Response):
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("X-Frame-Options", "DENY")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        response.headers.setdefault("Content-Security-Policy",
                                    "default-src 'self'; img-src 'self' data:; style-src 'self'; "
                                    "script-src 'self'; form-action 'self'; frame-ancestors 'none'")
        if request.endpoint != "static":
            response.headers.setdefault("Cache-Control", "no-store")
        return response

    @app.context_processor
    def context():
        return {"account": g.get("account"), "format_names": FORMAT_NAMES}

    @app.template_filter("when")
    def when(value) -> str:
        return time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(value)) if value else ""

    # ------------------------------------------------------------ errors: a message, never a traceback

    def error_page(status: int, title: str, message: str):
        return render_template("error.html", title=title, message=message, status=status), status

    @app.errorhandler(CSRFError)
    def csrf_error(exc):
        return error_page(400, "请求已失效", "表单已过期或不是从本网页提交的（缺少或不符的安全令牌）；请返回上一页刷新后重新提交。")

    @app.errorhandler(RequestEntityTooLarge)
    def too_large(exc):
        return error_page(413, "文件太大", f"上传的文件超过上限 {uploads.MAX_UPLOAD // 1024 // 1024} MiB。")

    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException):
        texts = {403: ("没有权限", "这个单位不是你的账户所属的单位，不能查看或修改。"),
                 404: ("找不到页面", "没有这个页面或单位。"),
                 405: ("不能这样访问", "这个网址不接受这种请求。"),
                 400: ("请求有误", "请求的内容不完整或有误。")}
        title, message = texts.get(exc.code, ("请求未完成", "请求未能完成。"))
        return error_page(exc.code or 500, title, message)

    @app.errorhandler(Exception)
    def internal_error(exc):
        log.exception("internal error on %s", request.path)
        return error_page(500, "程序出错", "处理这个请求时程序出错（程序缺陷，不是数据问题），已记录在服务器日志中；"
                                       "请稍后再试，或告诉管理员发生的时间。")

    # ------------------------------------------------------------ login

    @app.route("/login", methods=["GET", "POST"])
    def login():
        message = ""
        if request.method == "POST":
            username = request.form.get("username", "").strip()
            password = request.form.get("password", "")
            account, message = auth.login(db, username, password, request.remote_addr or "",
                                          window=app.config["LOGIN_WINDOW_SECONDS"],
                                          per_name=app.config["LOGIN_FAILURES_PER_NAME"],
                                          per_address=app.config["LOGIN_FAILURES_PER_ADDRESS"])
            if account is not None:
                session.clear()
                session.rotate = True
                session["account_id"] = account.id
                db.audit(account.username, account.unit_id, "登录")
                return redirect(url_for("home"))
            db.audit(username[:60] or "（空）", None, "登录失败", message)
        return render_template("login.html", message=message), (200 if not message else 401)

    @app.post("/logout")
    def logout():
        db.audit(g.account.username, g.account.unit_id, "退出")
        session.clear()
        return redirect(url_for("login"))

    @app.route("/")
    def home():
        if g.account.is_bureau:
            return redirect(url_for("county_view"))
        if g.account.unit_id is None:
            abort(403)
        return redirect(url_for("unit_view", unit_id=g.account.unit_id))

    def bureau_only():
        if not g.account.is_bureau:
            abort(403)

    # ------------------------------------------------------------ a unit

    forms_cache: dict[str, list] = {}

    def cached_form(data: bytes) -> list[tuple[str, list[dict]]]:
        """The form's fields for a version of a file (parsing and labelling is the slow part)."""
        key = digest(data)
        found = forms_cache.get(key)
        if found is None:
            document = fields.load(data.decode("utf-8-sig"))
            if not isinstance(document, dict):
                raise ValueError("not a mapping")
            found = form_fields(document, data)
            if len(forms_cache) > 256:
                forms_cache.clear()
            forms_cache[key] = found
        return found

    def editable_paths(unit: UnitFile) -> set[str]:
        try:
            return {item["path"] for _, items in cached_form(unit.read()) for item in items}
        except Exception:
            return set()

    @app.route("/units/<int:unit_id>")
    def unit_view(unit_id: int):
        unit = web.unit(unit_id)
        checked = web.check(unit)
        data = unit.read()
        return render_template("unit.html", unit=unit, checked=checked, version=digest(data),
                               groups=grouped_issues(unit.id, checked, editable_paths(unit)),
                               recent=db.history(unit.id, 5))

    @app.route("/units/<int:unit_id>/source")
    def source(unit_id: int):
        unit = web.unit(unit_id)
        text = unit.read().decode("utf-8-sig", errors="replace")
        checked = web.check(unit)
        marks: dict[int, list[str]] = {}
        for issue in checked["issues"]:
            if issue.get("line"):
                marks.setdefault(issue["line"], []).append(f"{issue['code']}：{issue['message']}")
        return render_template("source.html", unit=unit, lines=text.splitlines(), marks=marks)

    @app.route("/units/<int:unit_id>/unit.yaml")
    def download_yaml(unit_id: int):
        unit = web.unit(unit_id)
        data = unit.read()
        db.audit(g.account.username, unit.id, "下载", f"单位文件 {unit.relative}", digest(data))
        return send_file(io.BytesIO(data), mimetype=MIME["yaml"], as_attachment=True,
                         download_name=safe_filename(Path(unit.relative).name))

    @app.route("/units/<int:unit_id>/history")
    def history(unit_id: int):
        unit = web.unit(unit_id)
        return render_template("history.html", unit=unit, rows=db.history(unit.id))

    # ------------------------------------------------------------ editing the texts

    def form_fields(document, data: bytes | None = None) -> list[tuple[str, list[dict]]]:
        from ..load.loader import load_bytes

        try:
            loaded = load_bytes("单位.yaml", data if data is not None else fields.dump(document).encode("utf-8"))
            data, names = loaded.data, loaded.names if loaded.data is not None else None
        except Exception:
            data, names = None, None
        groups: dict[str, list[dict]] = {}
        for f in fields.fields_of(document):
            try:
                label = describe(f.path, data, names) or f.path
            except Exception:
                label = f.path
            groups.setdefault(f.group, []).append({"path": f.path, "kind": f.kind, "label": label,
                                                   "value": fields.shown(fields.get(document, f.path))})
        return list(groups.items())

    @app.route("/units/<int:unit_id>/edit", methods=["GET", "POST"])
    def edit(unit_id: int):
        unit = web.unit(unit_id)
        data = unit.read()
        unreadable = "单位文件不是有效的 YAML（或顶层不是映射），不能用表单编辑；请按问题列表改正，或下载、改好后上传。"
        if request.method == "GET":
            try:
                groups = cached_form(data)
            except Exception:
                return error_page(422, "无法编辑", unreadable)
            return render_template("edit.html", unit=unit, groups=groups, version=digest(data),
                                   problems={}, conflict=None, theirs={})
        try:
            document = fields.load(data.decode("utf-8-sig"))
        except Exception:
            document = None
        if not isinstance(document, dict):
            return error_page(422, "无法编辑", unreadable)
        based_on = request.form.get("version", "")
        sent = {f.path: request.form.get(f"f-{f.path}") for f in fields.fields_of(document)}
        if based_on != digest(data):
            return conflict_page(unit, data, sent)
        problems, changed = {}, []
        for f in fields.fields_of(document):
            text = sent.get(f.path)
            if text is None:
                continue
            try:
                value = fields.parse(f, text)
            except fields.FieldError as exc:
                problems[f.path] = str(exc)
                continue
            if fields.put(document, f.path, value):
                changed.append(f.path)
        if problems:
            return render_template("edit.html", unit=unit, groups=form_fields(document), version=based_on,
                                   problems=problems, conflict=None, theirs={}), 422
        if not changed:
            flash("没有改动。")
            return redirect(url_for("unit_view", unit_id=unit.id))
        new = fields.dump(document).encode("utf-8")
        try:
            version = county.save(unit, new, based_on)
        except Conflict as exc:
            return conflict_page(unit, exc.current, sent)
        db.audit(g.account.username, unit.id, "编辑", "改动：" + "、".join(changed), version)
        flash(f"已保存 {len(changed)} 处改动。")
        return redirect(url_for("unit_view", unit_id=unit.id))

    def conflict_page(unit: UnitFile, current: bytes, sent: dict):
        last = db.last_change().get(unit.id)
        who = f"{last['account']} 于 {when(last['at'])}" if last is not None else "他人"
        groups = cached_form(current)
        theirs = {}
        for _, items in groups:
            for item in items:
                mine = (sent.get(item["path"]) or "").replace("\r\n", "\n").strip()
                if sent.get(item["path"]) is not None and mine != item["value"].strip():
                    theirs[item["path"]] = mine
        return render_template("edit.html", unit=unit, groups=groups, version=digest(current), problems={},
                               conflict=who, theirs=theirs), 409

    # ------------------------------------------------------------ uploads

    def upload_data(name: str) -> tuple[bytes, str]:
        item = request.files.get(name)
        if item is None or not item.filename:
            raise uploads.Refused("请选择要上传的文件")
        data = item.stream.read(uploads.MAX_UPLOAD + 1)
        return data, item.filename

    def upload_refused(unit: UnitFile, message: str, status: int):
        """The upload page saying why nothing was taken (no issues to list)."""
        return render_template("upload.html", unit=unit, refused=message, issues=[], messages=[]), status

    @app.post("/units/<int:unit_id>/upload/workbook")
    def upload_workbook(unit_id: int):
        unit = web.unit(unit_id)
        based_on = request.form.get("version", "")
        try:
            data, name = upload_data("workbook")
            upload = uploads.workbook(data, name)
        except uploads.Refused as exc:
            return upload_refused(unit, str(exc), 400)
        into = request.form.get("into") == "1"
        tmp_dir = county.state / "tmp"
        tmp_dir.mkdir(parents=True, exist_ok=True)
        tmp = tmp_dir / f"{secrets.token_hex(8)}.{upload.kind}"      # never the uploaded name
        tmp.write_bytes(upload.data)
        try:
            outcome = web.pool.submit(work.import_workbook, str(tmp), str(unit.path), into).result(RENDER_TIMEOUT)
        finally:
            tmp.unlink(missing_ok=True)
        db.audit(g.account.username, unit.id, "上传工作簿（未导入）" if outcome["text"] is None else "上传工作簿",
                 f"{name[:100]}" + ("（只更新数字）" if into else "（上年文件：本单位当前文件）"), digest(upload.data))
        if outcome["error"]:
            log.error("import for %s failed:\n%s", unit.relative, outcome["error"])
        if outcome["text"] is None:
            return render_template("upload.html", unit=unit, refused="工作簿未导入：" + (
                "程序出错，已记录在服务器日志中" if outcome["error"] else "工作簿有错误或无法使用（见下）"),
                issues=outcome["issues"], messages=outcome["messages"]), 422
        try:
            version = county.save(unit, outcome["text"].encode("utf-8"), based_on)
        except Conflict:
            return upload_refused(unit, "单位文件在你打开页面后已被他人修改，工作簿没有导入；请刷新单位页面，核对后重新上传。", 409)
        db.audit(g.account.username, unit.id, "导入", "由工作簿写出单位文件", version)
        return render_template("upload.html", unit=unit, refused="", issues=outcome["issues"],
                               messages=outcome["messages"], imported=True)

    @app.post("/units/<int:unit_id>/upload/yaml")
    def upload_yaml(unit_id: int):
        unit = web.unit(unit_id)
        based_on = request.form.get("version", "")
        try:
            data, name = upload_data("unitfile")
            upload = uploads.unit_file(data, name)
            from ..load.loader import load_bytes

            loaded = load_bytes("上传的文件", upload.data)
            unusable = [i for i in loaded.issues if i.code in ("LOAD-YAML", "LOAD-NOT-MAPPING", "LOAD-EMPTY",
                                                               "LOAD-ENCODING", "LOAD-ALIAS", "LOAD-TAG")]
            if unusable:
                raise uploads.Refused("单位文件无法使用：" + unusable[0].format())
        except uploads.Refused as exc:
            return upload_refused(unit, str(exc), 400)
        except UnusableInput as exc:   # the loader refusing the bytes outright
            return upload_refused(unit, "单位文件无法使用：" + exc.issue.format(), 400)
        try:
            version = county.save(unit, upload.data, based_on)
        except Conflict:
            return upload_refused(unit, "单位文件在你打开页面后已被他人修改，上传的文件没有保存；请刷新单位页面，核对后重新上传。", 409)
        db.audit(g.account.username, unit.id, "上传单位文件", name[:100], version)
        flash("单位文件已上传。")
        return redirect(url_for("unit_view", unit_id=unit.id))

    # ------------------------------------------------------------ preview and downloads

    @app.errorhandler(Pending)
    def pending(exc):
        return render_template("pending.html"), 202

    def rendered_or_message(unit: UnitFile):
        folder, meta = web.rendered(unit)
        if meta.get("error"):
            return None, None, error_page(500, "生成失败", "生成文件时程序出错（程序缺陷，不是数据问题），已记录在服务器日志中；"
                                                       "可以先按问题列表核对数据，或告诉管理员。")
        if meta.get("refused"):
            return None, None, error_page(422, "无法生成", meta["refused"])
        return folder, meta, None

    @app.route("/units/<int:unit_id>/preview")
    def preview(unit_id: int):
        unit = web.unit(unit_id)
        folder, meta, failed = rendered_or_message(unit)
        if failed:
            return failed
        return render_template("preview.html", unit=unit, meta=meta, key=folder.name)

    @app.route("/units/<int:unit_id>/pages/<key>/<name>")
    def page_image(unit_id: int, key: str, name: str):
        unit = web.unit(unit_id)
        if not re.fullmatch(r"[0-9a-f]{64}", key) or not re.fullmatch(r"\d+-page-\d+\.png", name):
            abort(404)
        path = county.state / "cache" / str(unit.id) / key / name
        if not path.is_file():
            abort(404)
        response = send_file(path, mimetype="image/png")
        response.headers["Cache-Control"] = "private, max-age=3600"
        return response

    def document_name(meta: dict, n: int, fmt: str) -> str:
        title = meta["documents"][n]["title"]
        return ("草稿-" if meta["draft"] else "") + f"{title}.{fmt}"

    @app.route("/units/<int:unit_id>/download/<int:n>.<fmt>")
    def download(unit_id: int, n: int, fmt: str):
        unit = web.unit(unit_id)
        if fmt not in FORMAT_NAMES:
            abort(404)
        folder, meta, failed = rendered_or_message(unit)
        if failed:
            return failed
        if n >= len(meta["documents"]):
            abort(404)
        data = (folder / f"{n}.{fmt}").read_bytes()
        name = document_name(meta, n, fmt)
        db.audit(g.account.username, unit.id, "下载", name, digest(data))
        return send_file(io.BytesIO(data), mimetype=MIME[fmt], as_attachment=True, download_name=name)

    @app.route("/units/<int:unit_id>/package.zip")
    def package(unit_id: int):
        unit = web.unit(unit_id)
        checked = web.check(unit)
        folder, meta, failed = rendered_or_message(unit)
        if failed:
            return failed
        if meta["draft"]:
            return error_page(422, "不能生成公开包", f"数据有 {checked['errors']} 条错误，只能下载标注“草稿”的文件；"
                                                  "改正全部错误后才能生成公开包。")
        buffer = io.BytesIO()
        manifest = {"unit": checked["name"], "unit_file": Path(unit.relative).name, "unit_file_sha256": digest(unit.read()),
                    "generated": time.strftime("%Y-%m-%dT%H:%M:%S%z"), "files": []}
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for n, document in enumerate(meta["documents"]):
                for fmt in ("pdf", "docx", "xlsx"):
                    data = (folder / f"{n}.{fmt}").read_bytes()
                    name = document_name(meta, n, fmt)
                    archive.writestr(name, data)
                    manifest["files"].append({"name": name, "sha256": digest(data), "bytes": len(data)})
            issue_text = "\n".join(_issue_line(i) for i in checked["issues"]) + "\n"
            archive.writestr("问题清单.txt", issue_text.encode("utf-8"))
            manifest["files"].append({"name": "问题清单.txt", "sha256": digest(issue_text.encode("utf-8"))})
            manifest["errors"], manifest["warnings"] = checked["errors"], checked["warnings"]
            archive.writestr("manifest.json", json.dumps(manifest, ensure_ascii=False, indent=1))
        data = buffer.getvalue()
        name = safe_filename(f"{checked['name'] or '单位'}-公开包") + ".zip"
        db.audit(g.account.username, unit.id, "下载", name, digest(data))
        return send_file(io.BytesIO(data), mimetype=MIME["zip"], as_attachment=True, download_name=name)

    # ------------------------------------------------------------ the bureau: the county

    SORTS = {"file": lambda r: r["unit"].relative, "name": lambda r: r["checked"]["name"],
             "status": lambda r: r["checked"]["status"], "errors": lambda r: r["checked"]["errors"],
             "warnings": lambda r: r["checked"]["warnings"],
             "income": lambda r: _decimal(r["checked"]["figures"].get("本年收入合计")),
             "expenditure": lambda r: _decimal(r["checked"]["figures"].get("本年支出合计")),
             "three": lambda r: _decimal(r["checked"]["figures"].get("三公决算")),
             "grade": lambda r: r["checked"]["figures"].get("绩效等级", ""),
             "changed": lambda r: r["changed"]["at"] if r["changed"] is not None else 0}

    @app.route("/county")
    def county_view():
        bureau_only()
        county.scan()
        units = county.units()
        futures = {u.id: web._once(("check", u.id, web.key(u)), work.check_unit, str(u.path), u.relative,
                                    pool=web.check_pool)
                   for u in units if (u.id, web.key(u)) not in web._checks}
        changed = db.last_change()
        rows = []
        for u in units:
            if u.id in futures:
                web._checks[(u.id, web.key(u))] = futures[u.id].result(CHECK_TIMEOUT)
            rows.append({"unit": u, "checked": web.check(u), "changed": changed.get(u.id)})
        status = request.args.get("status", "")
        query = request.args.get("q", "").strip()
        if status == "errors":
            rows = [r for r in rows if r["checked"]["errors"]]
        elif status == "warnings":
            rows = [r for r in rows if r["checked"]["warnings"] and not r["checked"]["errors"]]
        elif status == "ok":
            rows = [r for r in rows if not r["checked"]["errors"]]
        if query:
            rows = [r for r in rows if query in r["checked"]["name"] or query in r["unit"].relative]
        sort = request.args.get("sort", "file")
        descending = request.args.get("desc") == "1"
        rows.sort(key=SORTS.get(sort, SORTS["file"]), reverse=descending)
        return render_template("county.html", rows=rows, sort=sort, desc=descending, status=status, q=query,
                               progress=batch_progress())

    def batch_progress() -> dict | None:
        try:
            return json.loads(web.progress_file.read_text(encoding="utf-8"))
        except (FileNotFoundError, json.JSONDecodeError):
            return None

    def batch_running() -> bool:
        # the batch process writes "finished" as its last act, after every file: from then on the
        # county's files are complete, though the process may take a moment more to exit
        if web._batch is None or not web._batch.is_alive():
            return False
        progress = batch_progress()
        return not (progress and progress.get("finished"))

    @app.route("/county/batch", methods=["GET", "POST"])
    def batch():
        bureau_only()
        if request.method == "POST":
            if batch_running():
                flash("批量生成正在进行，请等它完成。")
            else:
                web.batch_dir.mkdir(parents=True, exist_ok=True)
                write_atomic(web.progress_file, json.dumps(
                    {"running": True, "done": 0, "total": len(county.units()), "failed": 0, "started": time.time(),
                     "finished": None, "last": "", "error": "", "summary": ""}, ensure_ascii=False).encode("utf-8"))
                process = multiprocessing.get_context("spawn").Process(
                    target=work.batch_process, daemon=False,   # its own pool needs children
                    args=(str(county.folder), str(web.batch_out), str(web.progress_file), ("docx", "pdf", "xlsx"),
                          app.config["BATCH_JOBS"]))
                process.start()
                web._batch = process
                account = g.account.username

                def watch():
                    process.join()
                    progress = batch_progress() or {}
                    if progress.get("error"):
                        log.error("county batch failed:\n%s", progress["error"])
                    db.audit(account, None, "批量生成", progress.get("summary") or "失败（见服务器日志）",
                             _file_digest(web.batch_out / "审核清单.xlsx"))

                threading.Thread(target=watch, daemon=True).start()
                db.audit(account, None, "开始批量生成", f"{len(county.units())} 个单位")
            return redirect(url_for("batch"))
        return render_template("batch.html", progress=batch_progress(), running=batch_running(),
                               has_output=(web.batch_out / "审核清单.xlsx").is_file())

    @app.route("/county/batch/progress.json")
    def batch_status():
        bureau_only()
        progress = batch_progress() or {"running": False}
        progress.pop("error", None)
        progress["running"] = progress.get("running", False) and batch_running()
        return progress

    @app.route("/county/review.xlsx")
    def review_workbook():
        bureau_only()
        path = web.batch_out / "审核清单.xlsx"
        if not path.is_file():
            return error_page(404, "还没有审核清单", "请先运行一次批量生成。")
        data = path.read_bytes()
        db.audit(g.account.username, None, "下载", "审核清单.xlsx", digest(data))
        return send_file(io.BytesIO(data), mimetype=MIME["xlsx"], as_attachment=True, download_name="审核清单.xlsx")

    @app.route("/county/documents.zip")
    def county_documents():
        bureau_only()
        if not (web.batch_out / "审核清单.xlsx").is_file():
            return error_page(404, "还没有生成的文件", "请先运行一次批量生成。")
        if batch_running():
            return error_page(409, "批量生成正在进行", "请等批量生成完成后再下载。")
        buffer = io.BytesIO()
        manifest = []
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for path in sorted(web.batch_out.iterdir()):
                if path.is_file() and path.suffix in (".pdf", ".docx", ".xlsx") and not path.name.startswith("."):
                    data = path.read_bytes()
                    archive.writestr(path.name, data)
                    manifest.append({"name": path.name, "sha256": digest(data)})
            archive.writestr("manifest.json", json.dumps({"files": manifest}, ensure_ascii=False, indent=1))
        data = buffer.getvalue()
        db.audit(g.account.username, None, "下载", "全县公开文件.zip", digest(data))
        return send_file(io.BytesIO(data), mimetype=MIME["zip"], as_attachment=True, download_name="全县公开文件.zip")

    @app.route("/county/log")
    def county_log():
        bureau_only()
        names = {row["id"]: row["name"] or row["path"] for row in db.units()}
        return render_template("log.html", rows=db.history(None, 1000), names=names)

    # ------------------------------------------------------------ accounts

    @app.route("/accounts", methods=["GET", "POST"])
    def accounts():
        bureau_only()
        message = ""
        if request.method == "POST":
            username = request.form.get("username", "").strip()
            password = request.form.get("password", "")
            unit_choice = request.form.get("unit", "")
            message = create_unit_account(username, password, unit_choice, request.form.get("new_name", "").strip(),
                                          request.form.get("new_code", "").strip())
            if not message:
                flash(f"已创建单位账户 {username}。")
                return redirect(url_for("accounts"))
        county.scan()
        rows = db.accounts()
        taken = {row["unit_id"] for row in rows if row["unit_id"] is not None}
        free = [u for u in county.units() if u.id not in taken]
        return render_template("accounts.html", rows=rows, free=free, message=message), (400 if message else 200)

    def create_unit_account(username: str, password: str, unit_choice: str, new_name: str, new_code: str) -> str:
        if not re.fullmatch(r"[A-Za-z0-9_.\-\u4e00-\u9fff]{2,40}", username):
            return "用户名为2–40个字母、数字、汉字或 _ . -"
        if db.account_row(username) is not None:
            return f"用户名 {username} 已被使用"
        problem = auth.password_problem(password)
        if problem:
            return problem
        if unit_choice == "new":
            if not new_name or not new_code:
                return "新单位需要填写单位名称和单位编码"
            from ..model.skeleton import skeleton
            from ..profiles import load_profile

            path = county.new_unit_path(new_name)
            text = skeleton(new_name, new_code, time.localtime().tm_year - 1, load_profile(None), path)
            write_atomic(path, text.encode("utf-8"))
            unit_id = db.register_unit(path.relative_to(county.folder).as_posix(), new_name)
            db.audit(g.account.username, unit_id, "新建单位文件", path.name, digest(text.encode("utf-8")))
        else:
            try:
                unit_id = int(unit_choice)
            except ValueError:
                return "请选择单位"
            if county.unit(unit_id) is None:
                return "没有这个单位"
            if any(row["unit_id"] == unit_id for row in db.accounts()):
                return "这个单位已有账户（每个单位一个账户）"
        db.add_account(username, auth.hash_password(password), "unit", unit_id)
        db.audit(g.account.username, unit_id, "创建单位账户", username)
        return ""


def _issue_line(issue: dict) -> str:
    where = f"{issue['file']}:{issue['line']}" if issue.get("line") else issue["file"]
    level = "错误" if issue["severity"] == "error" else "警告"
    place = issue.get("place") or issue.get("path") or ""
    return f"{where}: {issue['code']} {level} {place + '：' if place else ''}{issue['message']}"


def _decimal(text):
    from decimal import Decimal

    return Decimal(text) if text else Decimal(-1)


def _file_digest(path: Path) -> str:
    try:
        return digest(path.read_bytes())
    except OSError:
        return ""
