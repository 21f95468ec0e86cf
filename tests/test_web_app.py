"""juesuan serve through Flask's test client: who sees what, forms and uploads, versions, the
audit log, the county's overview and batch.  (The same paths in a real browser: test_web_browser.py.)"""

from __future__ import annotations

import io
import json
import re
import time
import zipfile
from concurrent.futures import ThreadPoolExecutor

import pytest

from generator.cli import main
from generator.web import create_app, database, fields
from web_helpers import (ADMIN, ADMIN_PASSWORD, UNIT_PASSWORD, WORKBOOK, add_unit_accounts, app_for, login,
                         make_county, token)


@pytest.fixture(scope="module")
def county(tmp_path_factory):
    return make_county(tmp_path_factory.mktemp("county"))


@pytest.fixture(scope="module")
def app(county):
    app = app_for(county)
    app.ids = add_unit_accounts(app)
    yield app
    app.extensions["juesuan"].close()


def client_as(app, username, password=UNIT_PASSWORD):
    client = app.test_client()
    assert login(client, username, password).status_code == 302
    return client


def unit_urls(unit_id: int) -> list[str]:
    return [f"/units/{unit_id}", f"/units/{unit_id}/edit", f"/units/{unit_id}/preview", f"/units/{unit_id}/source",
            f"/units/{unit_id}/history", f"/units/{unit_id}/unit.yaml", f"/units/{unit_id}/download/0.pdf",
            f"/units/{unit_id}/download/0.docx", f"/units/{unit_id}/package.zip",
            f"/units/{unit_id}/pages/{'0' * 64}/0-page-1.png"]


def test_a_unit_account_gets_403_for_every_url_of_another_unit(app):
    client = client_as(app, "yiyang")
    other = app.ids["lanshan"]
    for url in unit_urls(other):
        answer = client.get(url)
        assert answer.status_code == 403, url
        assert "没有权限" in answer.text and "Traceback" not in answer.text
    page = client.get(f"/units/{app.ids['yiyang']}")
    for url in (f"/units/{other}/edit", f"/units/{other}/upload/yaml", f"/units/{other}/upload/workbook"):
        assert client.post(url, data={"csrf_token": token(page.text)}).status_code == 403, url
    for url in ("/county", "/county/batch", "/county/review.xlsx", "/county/documents.zip", "/accounts", "/county/log"):
        assert client.get(url).status_code == 403, url
    assert client.get("/units/99999").status_code == 403          # not even whether a unit exists
    for url in unit_urls(app.ids["yiyang"])[:4]:
        assert client.get(url).status_code == 200, url


def test_the_bureau_sees_every_unit(app):
    client = client_as(app, ADMIN, ADMIN_PASSWORD)
    for unit_id in app.ids.values():
        assert client.get(f"/units/{unit_id}").status_code == 200


def test_not_logged_in_is_sent_to_the_login_page(app):
    answer = app.test_client().get(f"/units/{app.ids['yiyang']}")
    assert answer.status_code == 302 and answer.location.endswith("/login")


def test_every_form_needs_its_csrf_token(app):
    client = client_as(app, "yiyang")
    unit = app.ids["yiyang"]
    for url, data in ((f"/units/{unit}/edit", {"version": "x"}), ("/logout", {}),
                      (f"/units/{unit}/upload/yaml", {"unitfile": (io.BytesIO(b"unit: {}\n"), "a.yaml")})):
        answer = client.post(url, data=data, content_type="multipart/form-data")
        assert answer.status_code == 400, url
        assert "安全令牌" in answer.text
    answer = app.test_client().post("/login", data={"username": ADMIN, "password": ADMIN_PASSWORD})
    assert answer.status_code == 400


def test_session_cookie_is_httponly_samesite_and_only_a_token(app):
    client = app.test_client()
    answer = login(client, "yiyang", UNIT_PASSWORD)
    cookie = answer.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert "account" not in cookie
    row = database(app.extensions["juesuan"].county.folder).account_row("yiyang")
    assert row["password_hash"].startswith("$argon2id$")


def test_logins_are_rate_limited(county):
    app = app_for(county, LOGIN_FAILURES_PER_NAME=3)
    try:
        client = app.test_client()
        for _ in range(3):
            assert login(client, ADMIN, "wrong-password").status_code == 401
        refused = login(client, ADMIN, ADMIN_PASSWORD)                 # the right password, too late
        assert refused.status_code == 401 and "登录失败次数过多" in refused.text
    finally:
        database(county).execute("DELETE FROM login_failures")
        app.extensions["juesuan"].close()


def test_sessions_expire(county):
    app = app_for(county, SESSION_IDLE_SECONDS=1)
    try:
        client = app.test_client()
        assert login(client, ADMIN, ADMIN_PASSWORD).status_code == 302
        assert client.get("/accounts").status_code == 200
        time.sleep(1.5)
        answer = client.get("/accounts")
        assert answer.status_code == 302 and answer.location.endswith("/login")
    finally:
        app.extensions["juesuan"].close()


def test_logging_out_ends_the_session_on_the_server(app):
    client = client_as(app, "demo")
    page = client.get(f"/units/{app.ids['demo']}")
    cookie = client.get_cookie("juesuan_session").value
    client.post("/logout", data={"csrf_token": token(page.text)})
    stolen = app.test_client()
    stolen.set_cookie("juesuan_session", cookie)
    assert stolen.get(f"/units/{app.ids['demo']}").status_code == 302


def _upload(client, unit_id, field, data, name, **extra):
    page = client.get(f"/units/{unit_id}")
    version = re.search(r'name="version" value="([0-9a-f]+)"', page.text).group(1)
    form = {"csrf_token": token(page.text), "version": version, field: (io.BytesIO(data), name), **extra}
    url = f"/units/{unit_id}/upload/{'workbook' if field == 'workbook' else 'yaml'}"
    return client.post(url, data=form, content_type="multipart/form-data")


def test_uploads_are_limited_in_size_and_type(app):
    client = client_as(app, "demo")
    unit = app.ids["demo"]
    too_big = _upload(client, unit, "workbook", b"PK\x03\x04" + b"\0" * (22 * 1024 * 1024), "big.xlsx")
    assert too_big.status_code == 413 and "文件太大" in too_big.text
    not_a_workbook = _upload(client, unit, "workbook", b"<html>not a workbook</html>", "x.xlsx")
    assert not_a_workbook.status_code == 400 and "不是 Excel 工作簿" in not_a_workbook.text
    not_text = _upload(client, unit, "unitfile", b"\xff\xfe\x00binary", "x.yaml")
    assert not_text.status_code == 400 and "UTF-8" in not_text.text


def test_a_workbook_that_expands_past_the_limit_is_refused(app):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"\0" * (300 * 1024 * 1024))
    bomb = buffer.getvalue()
    assert len(bomb) < 2 * 1024 * 1024
    answer = _upload(client_as(app, "demo"), app.ids["demo"], "workbook", bomb, "决算报表.xlsx")
    assert answer.status_code == 400 and "压缩炸弹" in answer.text


def test_uploaded_names_are_never_paths(app, county):
    client = client_as(app, "demo")
    before = sorted(p.name for p in county.rglob("*") if p.is_file() and ".juesuan-web" not in p.parts)
    _upload(client, app.ids["demo"], "workbook", b"PK\x03\x04junk", "../../etc/passwd.xlsx")
    after = sorted(p.name for p in county.rglob("*") if p.is_file() and ".juesuan-web" not in p.parts)
    assert before == after


def _edit_form(client, unit_id):
    page = client.get(f"/units/{unit_id}/edit")
    assert page.status_code == 200
    version = re.search(r'name="version" value="([0-9a-f]+)"', page.text).group(1)
    values = dict(re.findall(r'<input id="i-[^"]+" name="(f-[^"]+)" value="([^"]*)"', page.text))
    values |= {name: text for name, text in re.findall(r'<textarea id="i-[^"]+" name="(f-[^"]+)"[^>]*>([^<]*)</textarea>',
                                                        page.text)}
    import html
    return {k: html.unescape(v) for k, v in values.items()} | {"csrf_token": token(page.text), "version": version}


def test_an_edit_writes_back_into_the_file_keeping_its_comments(app, county):
    client = client_as(app, "yiyang")
    path = county / "yiyang-2024-shebao.yaml"
    before = path.read_text(encoding="utf-8")
    form = _edit_form(client, app.ids["yiyang"])
    form["f-three_public.reasons.budget"] = "严格执行预算，未超支"
    form["f-three_public.reception_batches"] = "12"
    answer = client.post(f"/units/{app.ids['yiyang']}/edit", data=form)
    assert answer.status_code == 302, answer.text
    after = path.read_text(encoding="utf-8")
    assert after.count("\n") == before.count("\n") + 1
    assert "    budget: 严格执行预算，未超支\n" in after and "  reception_batches: 12\n" in after
    assert [line for line in after.splitlines() if line.lstrip().startswith("#")] == \
           [line for line in before.splitlines() if line.lstrip().startswith("#")]
    changed = [line for line in after.splitlines() if line not in before.splitlines()]
    assert changed == ["  reception_batches: 12", "    budget: 严格执行预算，未超支"] or \
           sorted(changed) == sorted(["  reception_batches: 12", "    budget: 严格执行预算，未超支"])
    page = client.get(f"/units/{app.ids['yiyang']}")
    assert "公务接待批次" not in page.text.split('id="issues"')[1] or "COUNT-MISSING" in page.text
    history = client.get(f"/units/{app.ids['yiyang']}/history").text
    assert "编辑" in history and "three_public.reasons.budget" in history


def test_a_bad_number_is_shown_and_nothing_is_saved(app, county):
    client = client_as(app, "demo")
    path = county / "demo-2024-school.yaml"
    before = path.read_bytes()
    form = _edit_form(client, app.ids["demo"])
    form["f-overview.staffing.actual"] = "四十"
    answer = client.post(f"/units/{app.ids['demo']}/edit", data=form)
    assert answer.status_code == 422 and "请填写非负整数" in answer.text
    assert path.read_bytes() == before


def test_the_second_of_two_saves_on_one_version_is_refused(app, county):
    first, second = client_as(app, "lanshan"), client_as(app, ADMIN, ADMIN_PASSWORD)
    unit = app.ids["lanshan"]
    form_a, form_b = _edit_form(first, unit), _edit_form(second, unit)
    form_a["f-running_cost.reason"] = "第一个人写的原因"
    form_b["f-running_cost.reason"] = "第二个人写的原因"
    assert first.post(f"/units/{unit}/edit", data=form_a).status_code == 302
    refused = second.post(f"/units/{unit}/edit", data=form_b)
    assert refused.status_code == 409
    assert "你的修改没有保存" in refused.text and "lanshan" in refused.text
    assert "第一个人写的原因" in refused.text          # the current version, shown
    assert "你填写的：<span>第二个人写的原因" in refused.text   # and what the second person wrote
    text = (county / "lanshan-2024-shebao.yaml").read_text(encoding="utf-8")
    assert "第一个人写的原因" in text and "第二个人写的原因" not in text


def test_saves_racing_on_one_version_keep_exactly_one(app, county):
    unit = app.ids["demo"]
    clients = [client_as(app, ADMIN, ADMIN_PASSWORD) for _ in range(4)]
    forms = [_edit_form(c, unit) for c in clients]
    for n, form in enumerate(forms):
        form["f-overview.organization"] = f"并发保存 {n}"
    with ThreadPoolExecutor(4) as pool:
        codes = list(pool.map(lambda pair: pair[0].post(f"/units/{unit}/edit", data=pair[1]).status_code,
                              zip(clients, forms)))
    assert sorted(codes) == [302, 409, 409, 409]
    winner = codes.index(302)
    assert f"并发保存 {winner}" in (county / "demo-2024-school.yaml").read_text(encoding="utf-8")


def test_importing_the_workbook_uses_last_years_file_and_shows_the_tails(tmp_path):
    county = make_county(tmp_path / "county")
    app = app_for(county)
    try:
        ids = add_unit_accounts(app)
        client = client_as(app, "yiyang")
        answer = _upload(client, ids["yiyang"], "workbook", WORKBOOK.read_bytes(), "益阳决算报表.xlsx")
        assert answer.status_code == 200 and "工作簿已导入" in answer.text, answer.text
        text = (county / "yiyang-2024-shebao.yaml").read_text(encoding="utf-8")
        assert "沿用上年" in text and "year: 2025" in text
        page = client.get(f"/units/{ids['yiyang']}").text
        tails = re.findall(r"尾数误差", page)
        assert len(tails) == 3
        for group in ("02表", "06表", "年初预算"):
            assert f"<h3>{group} " in page
        kept = list((county / ".juesuan-web" / "history" / str(ids["yiyang"])).iterdir())
        assert len(kept) == 1                      # last year's file, kept
        log = client.get(f"/units/{ids['yiyang']}/history").text
        assert "上传工作簿" in log and "导入" in log
    finally:
        app.extensions["juesuan"].close()


def test_downloads_are_drafts_for_a_unit_with_errors_and_the_package_is_refused(app):
    client = client_as(app, "lanshan")
    unit = app.ids["lanshan"]
    pdf = client.get(f"/units/{unit}/download/0.pdf")
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")
    assert "%E8%8D%89%E7%A8%BF-" in pdf.headers["Content-Disposition"]       # 草稿-…
    package = client.get(f"/units/{unit}/package.zip")
    assert package.status_code == 422 and "草稿" in package.text


def test_the_publish_package_holds_the_files_the_issue_list_and_their_digests(app):
    import hashlib

    client = client_as(app, "demo")
    answer = client.get(f"/units/{app.ids['demo']}/package.zip")
    assert answer.status_code == 200
    archive = zipfile.ZipFile(io.BytesIO(answer.data))
    manifest = json.loads(archive.read("manifest.json"))
    names = archive.namelist()
    assert any(n.endswith(".pdf") for n in names) and any(n.endswith(".docx") for n in names) \
        and any(n.endswith(".xlsx") for n in names) and "问题清单.txt" in names
    for entry in manifest["files"]:
        assert hashlib.sha256(archive.read(entry["name"])).hexdigest() == entry["sha256"]
    log = client.get(f"/units/{app.ids['demo']}/history").text
    assert "公开包" in log and "生成" in log


def test_unit_names_are_escaped(tmp_path):
    county = make_county(tmp_path / "county")
    path = county / "demo-2024-school.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("name: 示例县第一中学", 'name: "<script>alert(1)</script>学校"'),
                    encoding="utf-8")
    app = app_for(county)
    try:
        client = client_as(app, ADMIN, ADMIN_PASSWORD)
        for url in ("/county", "/units/1", "/units/1/edit", "/units/1/source"):
            page = client.get(url).text
            assert "<script>alert(1)</script>" not in page, url
        assert "&lt;script&gt;alert(1)&lt;/script&gt;学校" in client.get("/county").text
    finally:
        app.extensions["juesuan"].close()


def test_a_failing_render_is_a_message_not_a_traceback(app, monkeypatch):
    from generator.web import work

    web = app.extensions["juesuan"]
    pool, web.pool = web.pool, ThreadPoolExecutor(1)                      # in-process, so the fault takes
    monkeypatch.setattr(work, "render_unit", lambda *a: {"documents": [], "draft": False, "warnings": [],
                                                           "refused": "", "error": "Traceback (most recent call last): boom"})
    try:
        client = client_as(app, "yuanjiang")
        answer = client.get(f"/units/{app.ids['yuanjiang']}/preview")
        assert answer.status_code == 500 and "生成失败" in answer.text and "Traceback" not in answer.text
        monkeypatch.setattr(web, "check", lambda unit: 1 / 0)
        answer = client.get(f"/units/{app.ids['yuanjiang']}")
        assert answer.status_code == 500 and "程序出错" in answer.text and "ZeroDivisionError" not in answer.text
    finally:
        web.pool = pool


def test_the_county_at_a_glance_sorts_and_filters(app):
    client = client_as(app, ADMIN, ADMIN_PASSWORD)
    page = client.get("/county?sort=errors&desc=1").text
    rows = re.findall(r'<td><a href="/units/\d+">([^<]+)</a>', page)
    assert rows[0] == "lanshan-2024-shebao.yaml" and len(rows) == 4
    only_errors = re.findall(r'<td><a href="/units/\d+">([^<]+)</a>', client.get("/county?status=errors").text)
    assert "demo-2024-school.yaml" not in only_errors and "lanshan-2024-shebao.yaml" in only_errors
    named = re.findall(r'<td><a href="/units/\d+">([^<]+)</a>', client.get("/county?q=益阳").text)
    assert named == ["yiyang-2024-shebao.yaml"]
    assert "841.69" in page and "优" in page                      # totals and the 绩效 grade


def test_the_batch_runs_in_the_background_and_gives_the_review_workbook(app):
    from openpyxl import load_workbook

    client = client_as(app, ADMIN, ADMIN_PASSWORD)
    page = client.get("/county/batch")
    assert client.post("/county/batch", data={"csrf_token": token(page.text)}).status_code == 302
    start = time.time()
    while True:
        progress = client.get("/county/batch/progress.json").get_json()
        assert client.get("/county").status_code == 200                # pages answer meanwhile
        if not progress["running"] and progress.get("finished"):
            break
        assert time.time() - start < 600
        time.sleep(0.5)
    assert progress["total"] == 4 and progress["done"] == 4
    review = client.get("/county/review.xlsx")
    assert review.status_code == 200
    sheet = load_workbook(io.BytesIO(review.data))["单位"]
    assert sheet.max_row == 5
    everything = zipfile.ZipFile(io.BytesIO(client.get("/county/documents.zip").data))
    assert any(n.endswith(".pdf") for n in everything.namelist()) and "审核清单.xlsx" in everything.namelist()
    log = client.get("/county/log").text
    assert "批量生成" in log and "审核清单.xlsx" in log


def test_the_files_are_there_as_soon_as_the_batch_says_finished(app):
    """The batch process writes "finished" last and may take a moment more to exit: from that
    moment the county's files download (seen on a slow machine as a 409 page instead of the zip)."""
    import multiprocessing

    client = client_as(app, ADMIN, ADMIN_PASSWORD)
    web = app.extensions["juesuan"]
    if not (web.batch_out / "审核清单.xlsx").is_file():       # this module's batch test ran first, or run one
        test_the_batch_runs_in_the_background_and_gives_the_review_workbook(app)
    progress = json.loads(web.progress_file.read_text(encoding="utf-8"))
    assert progress["finished"] and not progress["running"]
    lingering = multiprocessing.get_context("spawn").Process(target=time.sleep, args=(30,))
    lingering.start()
    web._batch = lingering                      # the batch's process, not yet exited
    try:
        answer = client.get("/county/documents.zip")
        assert answer.status_code == 200 and "审核清单.xlsx" in zipfile.ZipFile(io.BytesIO(answer.data)).namelist()
        web.progress_file.write_text(json.dumps({**progress, "running": True, "finished": None}), encoding="utf-8")
        assert client.get("/county/documents.zip").status_code == 409    # still running: refused
    finally:
        web.progress_file.write_text(json.dumps(progress), encoding="utf-8")
        lingering.terminate()
        lingering.join()


def test_serve_init_creates_the_administrator(tmp_path, monkeypatch, capsys):
    county = tmp_path / "county"
    county.mkdir()
    monkeypatch.setenv("JS_ADMIN_PASSWORD", "short")
    assert main(["serve", str(county), "--init", "--password-env", "JS_ADMIN_PASSWORD"]) == 2
    assert "至少8个字符" in capsys.readouterr().err
    monkeypatch.setenv("JS_ADMIN_PASSWORD", "long-enough-1")
    assert main(["serve", str(county), "--init", "--admin", "caizheng", "--password-env", "JS_ADMIN_PASSWORD"]) == 0
    assert "已创建财政局管理员账户 caizheng" in capsys.readouterr().out
    row = database(county).account_row("caizheng")
    assert row["role"] == "bureau" and row["password_hash"].startswith("$argon2")


def test_serve_without_an_administrator_says_what_to_do(tmp_path, capsys):
    assert main(["serve", str(tmp_path)]) == 2
    assert "--init" in capsys.readouterr().err


def test_fields_round_trip_leaves_the_example_files_unchanged():
    from conftest import DATA

    for path in DATA.glob("*.yaml"):
        text = path.read_text(encoding="utf-8")
        assert fields.dump(fields.load(text)) == text, path.name
