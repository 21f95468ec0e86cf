"""The web page's own records, in one SQLite file beside the unit files.

Accounts, server-side sessions, failed logins (for the rate limit), the units the
page knows (a number for each unit file, so a URL never carries a path) and the
audit log.  The unit files themselves stay the storage of the data; nothing here
duplicates them.  One connection per thread, WAL mode, so the page's threads and
the batch's progress writer do not block each other for long.
"""

from __future__ import annotations

import json
import secrets
import sqlite3
import threading
import time
from dataclasses import dataclass
from pathlib import Path

SCHEMA = """
CREATE TABLE IF NOT EXISTS settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS units (
    id INTEGER PRIMARY KEY,
    path TEXT NOT NULL UNIQUE,            -- relative to the county folder, '/'-separated
    name TEXT NOT NULL DEFAULT ''
);
CREATE TABLE IF NOT EXISTS accounts (
    id INTEGER PRIMARY KEY,
    username TEXT NOT NULL UNIQUE,
    password_hash TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('bureau', 'unit')),
    unit_id INTEGER UNIQUE REFERENCES units(id),   -- one account per unit
    created REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS sessions (
    token_hash TEXT PRIMARY KEY,
    data TEXT NOT NULL,
    created REAL NOT NULL,
    last_seen REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS login_failures (
    username TEXT NOT NULL,
    address TEXT NOT NULL,
    at REAL NOT NULL
);
CREATE INDEX IF NOT EXISTS login_failures_at ON login_failures(at);
CREATE TABLE IF NOT EXISTS audit (
    id INTEGER PRIMARY KEY,
    at REAL NOT NULL,
    account TEXT NOT NULL,
    unit_id INTEGER,
    action TEXT NOT NULL,
    detail TEXT NOT NULL DEFAULT '',
    digest TEXT NOT NULL DEFAULT ''
);
CREATE INDEX IF NOT EXISTS audit_unit ON audit(unit_id, at);
"""


@dataclass(frozen=True)
class Account:
    id: int
    username: str
    role: str
    unit_id: int | None

    @property
    def is_bureau(self) -> bool:
        return self.role == "bureau"


class Database:
    """The SQLite file; safe to share between the server's threads."""

    def __init__(self, path: Path):
        self.path = path
        path.parent.mkdir(parents=True, exist_ok=True)
        self._local = threading.local()
        with self.connect() as db:
            db.executescript(SCHEMA)

    def connect(self) -> sqlite3.Connection:
        db = getattr(self._local, "db", None)
        if db is None:
            db = sqlite3.connect(self.path, timeout=30, isolation_level=None)
            db.row_factory = sqlite3.Row
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA foreign_keys=ON")
            self._local.db = db
        return db

    def execute(self, sql: str, args: tuple = ()) -> sqlite3.Cursor:
        return self.connect().execute(sql, args)

    # ------------------------------------------------------------ settings

    def secret_key(self) -> str:
        """The key that signs nothing but Flask's internals (sessions are server-side); made once."""
        row = self.execute("SELECT value FROM settings WHERE key='secret_key'").fetchone()
        if row is not None:
            return row["value"]
        key = secrets.token_hex(32)
        self.execute("INSERT OR IGNORE INTO settings(key, value) VALUES ('secret_key', ?)", (key,))
        return self.execute("SELECT value FROM settings WHERE key='secret_key'").fetchone()["value"]

    # ------------------------------------------------------------ units

    def register_unit(self, path: str, name: str = "") -> int:
        self.execute("INSERT OR IGNORE INTO units(path, name) VALUES (?, ?)", (path, name))
        if name:
            self.execute("UPDATE units SET name=? WHERE path=?", (name, path))
        return self.execute("SELECT id FROM units WHERE path=?", (path,)).fetchone()["id"]

    def unit_path(self, unit_id: int) -> str | None:
        row = self.execute("SELECT path FROM units WHERE id=?", (unit_id,)).fetchone()
        return row["path"] if row else None

    def units(self) -> list[sqlite3.Row]:
        return self.execute("SELECT id, path, name FROM units ORDER BY path").fetchall()

    # ------------------------------------------------------------ accounts

    def add_account(self, username: str, password_hash: str, role: str, unit_id: int | None = None) -> int:
        cursor = self.execute("INSERT INTO accounts(username, password_hash, role, unit_id, created) "
                              "VALUES (?, ?, ?, ?, ?)", (username, password_hash, role, unit_id, time.time()))
        return cursor.lastrowid

    def set_password(self, username: str, password_hash: str) -> None:
        self.execute("UPDATE accounts SET password_hash=? WHERE username=?", (password_hash, username))

    def account_row(self, username: str) -> sqlite3.Row | None:
        return self.execute("SELECT * FROM accounts WHERE username=?", (username,)).fetchone()

    def account(self, account_id: int) -> Account | None:
        row = self.execute("SELECT id, username, role, unit_id FROM accounts WHERE id=?", (account_id,)).fetchone()
        return Account(row["id"], row["username"], row["role"], row["unit_id"]) if row else None

    def accounts(self) -> list[sqlite3.Row]:
        return self.execute("SELECT a.id, a.username, a.role, a.unit_id, u.path, u.name FROM accounts a "
                            "LEFT JOIN units u ON u.id = a.unit_id ORDER BY a.role, a.username").fetchall()

    def has_bureau(self) -> bool:
        return self.execute("SELECT 1 FROM accounts WHERE role='bureau'").fetchone() is not None

    # ------------------------------------------------------------ sessions

    def load_session(self, token_hash: str, idle: float, absolute: float) -> dict | None:
        now = time.time()
        row = self.execute("SELECT data, created, last_seen FROM sessions WHERE token_hash=?", (token_hash,)).fetchone()
        if row is None:
            return None
        if now - row["last_seen"] > idle or now - row["created"] > absolute:
            self.execute("DELETE FROM sessions WHERE token_hash=?", (token_hash,))
            return None
        self.execute("UPDATE sessions SET last_seen=? WHERE token_hash=?", (now, token_hash))
        return json.loads(row["data"])

    def save_session(self, token_hash: str, data: dict) -> None:
        now = time.time()
        self.execute("INSERT INTO sessions(token_hash, data, created, last_seen) VALUES (?, ?, ?, ?) "
                     "ON CONFLICT(token_hash) DO UPDATE SET data=excluded.data, last_seen=excluded.last_seen",
                     (token_hash, json.dumps(data), now, now))

    def delete_session(self, token_hash: str) -> None:
        self.execute("DELETE FROM sessions WHERE token_hash=?", (token_hash,))

    def purge_sessions(self, absolute: float) -> None:
        self.execute("DELETE FROM sessions WHERE created < ?", (time.time() - absolute,))

    # ------------------------------------------------------------ login rate limit

    def failures_since(self, username: str, address: str, since: float) -> tuple[int, int]:
        by_name = self.execute("SELECT COUNT(*) FROM login_failures WHERE username=? AND at>?",
                               (username, since)).fetchone()[0]
        by_address = self.execute("SELECT COUNT(*) FROM login_failures WHERE address=? AND at>?",
                                  (address, since)).fetchone()[0]
        return by_name, by_address

    def record_failure(self, username: str, address: str) -> None:
        self.execute("INSERT INTO login_failures(username, address, at) VALUES (?, ?, ?)",
                     (username, address, time.time()))

    def clear_failures(self, username: str) -> None:
        self.execute("DELETE FROM login_failures WHERE username=?", (username,))

    # ------------------------------------------------------------ audit log

    def audit(self, account: str, unit_id: int | None, action: str, detail: str = "", digest: str = "") -> None:
        self.execute("INSERT INTO audit(at, account, unit_id, action, detail, digest) VALUES (?, ?, ?, ?, ?, ?)",
                     (time.time(), account, unit_id, action, detail, digest))

    def history(self, unit_id: int | None = None, limit: int = 500) -> list[sqlite3.Row]:
        if unit_id is None:
            return self.execute("SELECT * FROM audit ORDER BY id DESC LIMIT ?", (limit,)).fetchall()
        return self.execute("SELECT * FROM audit WHERE unit_id=? ORDER BY id DESC LIMIT ?",
                            (unit_id, limit)).fetchall()

    def last_change(self) -> dict[int, sqlite3.Row]:
        """Per unit, its latest upload or edit."""
        rows = self.execute("SELECT a.* FROM audit a JOIN (SELECT unit_id, MAX(id) AS id FROM audit "
                            "WHERE action IN ('上传工作簿', '上传单位文件', '编辑') GROUP BY unit_id) m "
                            "ON a.id = m.id").fetchall()
        return {row["unit_id"]: row for row in rows}
