"""``juesuan serve``: the county's unit files on a web page.

Flask (server-rendered Jinja2 pages, no JavaScript build) behind waitress (a pure-Python,
multi-threaded WSGI server that also runs on Windows).  The unit files stay the storage;
accounts, sessions and the audit log are in ``<县文件夹>/.juesuan-web/juesuan.sqlite3``.
Checks, renders, previews, imports and the county's batch run in worker processes
(:mod:`.work`), so the page's threads only read files, talk to SQLite and wait.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from flask import Flask

from .db import Database
from .storage import STATE, County

log = logging.getLogger("juesuan.web")

DATABASE = "juesuan.sqlite3"


def database(county_dir: Path) -> Database:
    return Database(county_dir.resolve() / STATE / DATABASE)


def create_app(county_dir: Path, *, workers: int | None = None, config: dict | None = None) -> Flask:
    """The page for the county folder ``county_dir``."""
    from flask_wtf.csrf import CSRFProtect

    from .auth import SqliteSessionInterface
    from .routes import Web, register

    county_dir = Path(county_dir).resolve()
    db = database(county_dir)
    app = Flask(__name__)
    app.config.update(
        SECRET_KEY=db.secret_key(),
        MAX_CONTENT_LENGTH=21 * 1024 * 1024,         # the form around a 20 MiB upload
        SESSION_COOKIE_NAME="juesuan_session",
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=False,                 # plain HTTP on the bureau's own network; set True behind HTTPS
        SESSION_IDLE_SECONDS=2 * 3600,
        SESSION_ABSOLUTE_SECONDS=12 * 3600,
        LOGIN_WINDOW_SECONDS=15 * 60,
        LOGIN_FAILURES_PER_NAME=5,
        LOGIN_FAILURES_PER_ADDRESS=30,
        WTF_CSRF_TIME_LIMIT=None,                    # the token lives as long as the session
        BATCH_JOBS=max(1, (os.cpu_count() or 2) // 2),
        PAGE_WAIT_SECONDS=20,                        # then a page that refreshes itself until the render is done
        PROPAGATE_EXCEPTIONS=False,
        TEMPLATES_AUTO_RELOAD=False,
    )
    app.config.update(config or {})
    app.session_interface = SqliteSessionInterface(db, app.config["SESSION_IDLE_SECONDS"],
                                                   app.config["SESSION_ABSOLUTE_SECONDS"])
    CSRFProtect(app)
    spawn = multiprocessing.get_context("spawn")   # never fork the page's threads
    pool = ProcessPoolExecutor(max_workers=workers or max(2, min(4, os.cpu_count() or 2)), mp_context=spawn)
    check_pool = ProcessPoolExecutor(max_workers=1, mp_context=spawn)
    web = Web(app, db, County(county_dir, db), pool, check_pool)
    register(app, web)
    return app


def serve(county_dir: Path, host: str = "127.0.0.1", port: int = 8000, threads: int = 16) -> None:
    from waitress import serve as waitress_serve

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(levelname)s %(message)s")
    app = create_app(county_dir)
    print(f"juesuan serve：{county_dir} 的网页在 http://{host}:{port}/ （按 Ctrl+C 停止）", flush=True)
    waitress_serve(app, host=host, port=port, threads=threads, ident="juesuan")


def init_admin(county_dir: Path, username: str, password: str) -> str:
    """Create (or reset the password of) the bureau's administrator account; returns what was done."""
    from .auth import hash_password, password_problem

    problem = password_problem(password)
    if problem:
        raise ValueError(problem)
    db = database(county_dir)
    row = db.account_row(username)
    if row is not None:
        if row["role"] != "bureau":
            raise ValueError(f"账户 {username} 是单位账户，不能作为财政局管理员")
        db.set_password(username, hash_password(password))
        db.audit(username, None, "重设管理员密码", "命令行 juesuan serve --init")
        return "已重设密码"
    db.add_account(username, hash_password(password), "bureau")
    db.audit(username, None, "创建管理员账户", "命令行 juesuan serve --init")
    return "已创建"
