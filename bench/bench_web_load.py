#!/usr/bin/env python3
"""juesuan serve under load, on 127.0.0.1 only: N concurrent sessions browsing and previewing for
a fixed time while the county's batch runs.  Not a test: it prints figures and stops by itself.

Usage: .venv/bin/python bench/bench_web_load.py [--sessions 20] [--seconds 60] [--units 12]
                                               [--port 0] [--workdir DIR]

1. writes a county folder: the example units of data/ and --units synthetic ones
   (bench/make_units.py), an administrator (``juesuan serve --init``) and one account per unit;
2. starts ``juesuan serve COUNTY --host 127.0.0.1 --port P`` as a child process;
3. logs in --sessions sessions (a quarter as the bureau, the rest as units), starts the county's
   batch from one bureau session, then every session loops until --seconds have passed over its
   pages: the unit page, the preview, one preview page image, the edit form, the source, the history
   (the bureau's sessions also the county table and the batch's progress);
4. prints: requests, errors (any status but 200 or 202 — "still rendering, look again" —, or a
   connection failure; a request still waiting when the time is up is not counted), the median, 90th
   percentile and slowest page time overall and per page, and whether the batch finished, then
   stops the server.
"""

from __future__ import annotations

import argparse
import http.cookiejar
import json
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "load-test-password"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def make_county(folder: Path, synthetic: int) -> list[str]:
    folder.mkdir(parents=True, exist_ok=True)
    for path in (ROOT / "data").glob("*.yaml"):
        shutil.copyfile(path, folder / path.name)
    if synthetic:
        subprocess.run([sys.executable, str(ROOT / "bench" / "make_units.py"), str(synthetic), str(folder / "synthetic"),
                        "--seed", "1"], check=True, capture_output=True)
    env = dict(os.environ, JUESUAN_LOAD_PASSWORD=PASSWORD)
    subprocess.run([sys.executable, "-m", "generator.cli", "serve", str(folder), "--init", "--password-env",
                    "JUESUAN_LOAD_PASSWORD"], check=True, env=env, capture_output=True, cwd=ROOT)
    sys.path.insert(0, str(ROOT))
    from generator.web import database
    from generator.web.auth import hash_password
    from generator.web.storage import County

    db = database(folder)
    county = County(folder, db)
    names = []
    hashed = hash_password(PASSWORD)
    for n, unit in enumerate(county.units()):
        name = f"unit{n}"
        if db.account_row(name) is None:
            db.add_account(name, hashed, "unit", unit.id)
        names.append(name)
    return names


class Session:
    def __init__(self, base: str, username: str):
        self.base, self.username = base, username
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
        self.times: list[tuple[str, float, int]] = []

    def request(self, label: str, path: str, data: dict | None = None, until: float | None = None) -> str:
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        start = time.perf_counter()
        status, text = 0, ""
        try:
            timeout = max(1.0, until - time.time()) if until else 300
            with self.opener.open(self.base + path, data=body, timeout=timeout) as answer:
                status = answer.status
                raw = answer.read()
                text = raw.decode("utf-8", "replace") if "text" in answer.headers.get("Content-Type", "") or \
                    "json" in answer.headers.get("Content-Type", "") else ""
        except urllib.error.HTTPError as exc:
            status = exc.code
        except (urllib.error.URLError, OSError):
            status = -1 if until is None or time.time() < until else -2   # -2: cut at the end of the run
        if status == 202:
            label += "（生成中，202）"
        if status != -2:
            self.times.append((label, time.perf_counter() - start, status))
        return text

    def login(self) -> str:
        page = self.request("登录页", "/login")
        token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
        return self.request("登录", "/login", {"username": self.username, "password": PASSWORD, "csrf_token": token})


def browse(session: Session, unit_id: int | None, bureau: bool, until: float) -> None:
    pages = []
    if bureau:
        pages += [("全县单位", "/county"), ("批量进度", "/county/batch/progress.json")]
    if unit_id is not None:
        pages += [("单位页", f"/units/{unit_id}"), ("预览", f"/units/{unit_id}/preview"),
                  ("填写文字", f"/units/{unit_id}/edit"), ("单位文件", f"/units/{unit_id}/source"),
                  ("修改记录", f"/units/{unit_id}/history")]
    while time.time() < until:
        for label, path in pages:
            if time.time() >= until:
                return
            text = session.request(label, path, until=until)
            image = re.search(r'<img src="([^"]+)"', text) if label == "预览" else None
            if image:
                session.request("预览页图片", image.group(1), until=until)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--units", type=int, default=12, help="synthetic units besides data/'s four")
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--workdir", type=Path)
    args = parser.parse_args()
    work = args.workdir or Path(tempfile.mkdtemp(prefix="juesuan-web-load-"))
    county = work / "county"
    shutil.rmtree(county, ignore_errors=True)
    names = make_county(county, args.units)
    port = args.port or free_port()
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen([sys.executable, "-m", "generator.cli", "serve", str(county), "--host", "127.0.0.1",
                               "--port", str(port)], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                              start_new_session=True)
    log_lines: list[str] = []
    threading.Thread(target=lambda: log_lines.extend(l.decode("utf-8", "replace") for l in server.stdout),
                     daemon=True).start()
    try:
        for _ in range(200):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.1)
        bureau_count = max(1, args.sessions // 4)
        sessions: list[tuple[Session, int | None, bool]] = []
        from generator.web import database

        db = database(county)
        for n in range(args.sessions):
            if n < bureau_count:
                session = Session(base, "admin")
                sessions.append((session, db.units()[n % len(db.units())]["id"], True))
            else:
                name = names[(n - bureau_count) % len(names)]
                session = Session(base, name)
                sessions.append((session, db.account_row(name)["unit_id"], False))
            session.login()
        starter = sessions[0][0]
        page = starter.request("批量生成页", "/county/batch")
        token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
        starter.request("开始批量生成", "/county/batch", {"csrf_token": token})
        start = time.time()
        until = start + args.seconds
        threads = [threading.Thread(target=browse, args=(s, u, b, until)) for s, u, b in sessions]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        elapsed = time.time() - start
        progress = json.loads(starter.request("批量进度", "/county/batch/progress.json") or "{}")
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(30)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
    timed = [t for s, _, _ in sessions for t in s.times if t[0] not in ("登录页", "登录", "批量生成页", "开始批量生成")]
    errors = [t for t in timed if t[2] not in (200, 202)]
    all_times = sorted(t[1] for t in timed)

    def pct(values, p):
        return values[min(len(values) - 1, int(p * len(values)))] if values else float("nan")

    units = len(list(county.rglob("*.yaml")))
    print(f"juesuan serve 负载测试：{args.sessions} 个会话，{elapsed:.0f} 秒，县中 {units} 个单位文件，同时运行批量生成")
    print(f"请求 {len(timed)} 个（{len(timed) / elapsed:.1f} 个/秒），出错 {len(errors)} 个")
    print(f"页面用时：中位数 {statistics.median(all_times) * 1000:.0f} ms，90% {pct(all_times, 0.9) * 1000:.0f} ms，"
          f"最慢 {all_times[-1] * 1000:.0f} ms")
    for label in sorted({t[0] for t in timed}):
        values = sorted(t[1] for t in timed if t[0] == label)
        bad = sum(1 for t in timed if t[0] == label and t[2] not in (200, 202))
        print(f"  {label}：{len(values)} 个，中位数 {statistics.median(values) * 1000:.0f} ms，"
              f"90% {pct(values, 0.9) * 1000:.0f} ms，最慢 {values[-1] * 1000:.0f} ms，出错 {bad}")
    statuses = sorted({t[2] for t in errors})
    if errors:
        print(f"出错的状态码：{statuses}")
    print(f"批量生成：{'已完成：' + progress.get('summary', '') if progress.get('finished') else '测试结束时仍在运行'}"
          f"（{progress.get('done', 0)}/{progress.get('total', 0)}）")
    return 0 if not errors else 1


if __name__ == "__main__":
    sys.exit(main())
