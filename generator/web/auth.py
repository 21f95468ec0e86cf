"""Who is asking: argon2 password hashes, server-side sessions, the login rate limit, and
the one check every URL that names a unit goes through (:func:`unit_allowed`)."""

from __future__ import annotations

import hashlib
import secrets
import time

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import g
from flask.sessions import SessionInterface, SessionMixin
from werkzeug.datastructures import CallbackDict

from .db import Account, Database

_hasher = PasswordHasher()

MIN_PASSWORD = 8


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(stored: str, password: str) -> bool:
    try:
        return _hasher.verify(stored, password)
    except (VerificationError, InvalidHashError):
        return False


def password_problem(password: str) -> str:
    """Why a password cannot be used ("" when it can)."""
    if len(password) < MIN_PASSWORD:
        return f"密码至少{MIN_PASSWORD}个字符"
    return ""


_DUMMY_HASH = _hasher.hash(secrets.token_hex(8))


def login(db: Database, username: str, password: str, address: str, *, window: float, per_name: int,
          per_address: int) -> tuple[Account | None, str]:
    """The account for these credentials, or None and the reason in Chinese.  Failed attempts
    are counted per account name and per address; past the limit even a right password is refused
    until the window has passed (so guessing gains nothing)."""
    by_name, by_address = db.failures_since(username, address, time.time() - window)
    if by_name >= per_name or by_address >= per_address:
        return None, f"登录失败次数过多，请{int(window // 60)}分钟后再试"
    row = db.account_row(username)
    if row is None:
        verify_password(_DUMMY_HASH, password)   # same time whether or not the name exists
        db.record_failure(username, address)
        return None, "用户名或密码不对"
    if not verify_password(row["password_hash"], password):
        db.record_failure(username, address)
        return None, "用户名或密码不对"
    db.clear_failures(username)
    if _hasher.check_needs_rehash(row["password_hash"]):
        db.set_password(username, hash_password(password))
    return Account(row["id"], row["username"], row["role"], row["unit_id"]), ""


# ------------------------------------------------------------------ sessions in SQLite


class ServerSession(CallbackDict, SessionMixin):
    def __init__(self, initial=None, token: str | None = None):
        def on_update(_):
            self.modified = True

        super().__init__(initial or {}, on_update)
        self.token = token
        self.modified = False
        self.rotate = False        # set at login: a new token (no session fixation)


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class SqliteSessionInterface(SessionInterface):
    """The cookie holds a random token only; the session's data, its age and its last use are in
    the database, so a session expires on the server (idle and absolute limits) and logging out
    ends it everywhere."""

    def __init__(self, db: Database, idle: float, absolute: float):
        self.db, self.idle, self.absolute = db, idle, absolute

    def open_session(self, app, request):
        token = request.cookies.get(self.get_cookie_name(app))
        if token:
            data = self.db.load_session(_digest(token), self.idle, self.absolute)
            if data is not None:
                return ServerSession(data, token)
        return ServerSession()

    def save_session(self, app, session: ServerSession, response):
        name = self.get_cookie_name(app)
        domain, path = self.get_cookie_domain(app), self.get_cookie_path(app)
        if not session:
            if session.token:
                self.db.delete_session(_digest(session.token))
                response.delete_cookie(name, domain=domain, path=path)
            return
        if session.rotate and session.token:
            self.db.delete_session(_digest(session.token))
            session.token = None
        if session.token is None:
            session.token = secrets.token_urlsafe(32)
        elif not session.modified:
            return
        self.db.save_session(_digest(session.token), dict(session))
        response.set_cookie(name, session.token, httponly=True, samesite=app.config["SESSION_COOKIE_SAMESITE"],
                            secure=self.get_cookie_secure(app), domain=domain, path=path,
                            max_age=int(self.absolute))
        response.vary.add("Cookie")


# ------------------------------------------------------------------ who may see a unit


def current_account() -> Account | None:
    return getattr(g, "account", None)


def unit_allowed(account: Account | None, unit_id: int) -> bool:
    """The bureau sees every unit; a unit's account its own unit only."""
    if account is None:
        return False
    return account.is_bureau or account.unit_id == unit_id
