"""The unit files as the page's storage: found by number, read with their version, written
atomically under a lock with the version checked, each replaced version kept for the history.

A unit's *version* is the SHA-256 of its file's bytes.  Every form and upload carries the
version it was based on; a save whose version is no longer the file's is refused
(optimistic versioning), so two people editing one unit never silently overwrite each other.
"""

from __future__ import annotations

import fcntl
import hashlib
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from ..batch import unit_files
from ..write import safe_filename, write_atomic
from .db import Database

STATE = ".juesuan-web"
"""The page's own folder inside the county folder (hidden: ``juesuan batch`` skips it)."""


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


class Conflict(Exception):
    """The file changed since the version the save was based on."""

    def __init__(self, current: bytes):
        super().__init__("version conflict")
        self.current = current


@dataclass(frozen=True)
class UnitFile:
    id: int
    relative: str       # the path under the county folder, for display only
    path: Path

    def read(self) -> bytes:
        return self.path.read_bytes()


class County:
    def __init__(self, folder: Path, db: Database):
        self.folder = folder.resolve()
        self.state = self.folder / STATE
        self.db = db
        self._locks: dict[int, threading.Lock] = {}
        self._guard = threading.Lock()
        self.scan()

    def scan(self) -> None:
        """Give every unit file under the county folder a number."""
        for path in unit_files(self.folder):
            self.db.register_unit(path.relative_to(self.folder).as_posix())

    def units(self) -> list[UnitFile]:
        return [UnitFile(row["id"], row["path"], self.folder / row["path"]) for row in self.db.units()
                if (self.folder / row["path"]).is_file()]

    def unit(self, unit_id: int) -> UnitFile | None:
        relative = self.db.unit_path(unit_id)
        if relative is None:
            return None
        path = (self.folder / relative).resolve()
        if self.folder not in path.parents:     # a registered path never leaves the county folder
            return None
        return UnitFile(unit_id, relative, path)

    def new_unit_path(self, name: str) -> Path:
        """A file for a new unit, named after it (never a name the user typed as a path)."""
        stem = safe_filename(name) or "单位"
        candidate = self.folder / f"{stem}.yaml"
        n = 2
        while candidate.exists():
            candidate = self.folder / f"{stem}-{n}.yaml"
            n += 1
        return candidate

    @contextmanager
    def locked(self, unit_id: int):
        """One writer per unit: a thread lock, and a file lock for other processes."""
        with self._guard:
            lock = self._locks.setdefault(unit_id, threading.Lock())
        locks = self.state / "locks"
        locks.mkdir(parents=True, exist_ok=True)
        with lock, open(locks / f"{unit_id}.lock", "w") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

    def save(self, unit: UnitFile, data: bytes, based_on: str | None) -> str:
        """Replace the unit's file with ``data`` if it is still at version ``based_on`` (None: a new
        file, or a save that need not check); keep the version it replaces.  Returns the new version."""
        with self.locked(unit.id):
            current = unit.path.read_bytes() if unit.path.exists() else None
            if based_on is not None and current is not None and digest(current) != based_on:
                raise Conflict(current)
            if current is not None and current != data:
                kept = self.state / "history" / str(unit.id)
                kept.mkdir(parents=True, exist_ok=True)
                write_atomic(kept / f"{time.strftime('%Y%m%d-%H%M%S')}-{digest(current)[:12]}.yaml", current)
            write_atomic(unit.path, data)
        return digest(data)
