"""Writing output files: safe names, inside the output folder, atomically.

Each file is written under a temporary name in the same folder, flushed to
disk and renamed into place, so an interrupted run never leaves a
half-written DOCX or PDF behind.
"""

from __future__ import annotations

import os
import re
import tempfile
import unicodedata
from pathlib import Path

_UMASK = os.umask(0)
os.umask(_UMASK)

MAX_NAME_BYTES = 180
"""File names are cut to 180 bytes of UTF-8 (most file systems allow 255)."""

_UNSAFE = re.compile(r'[\x00-\x1f\x7f/\\:*?"<>|]')
_RESERVED = {"CON", "PRN", "AUX", "NUL", *(f"{port}{i}" for port in ("COM", "LPT") for i in "123456789¹²³")}
"""Windows device names, with or without an extension; Windows reads ¹²³ as digits here."""


def safe_filename(name: str) -> str:
    """A file name that is valid on Windows and Linux and stays in its folder.

    Path separators, control characters and the characters Windows forbids
    become ``_``; leading dots and spaces are dropped (no ``..``, no hidden
    files); the name is cut to :data:`MAX_NAME_BYTES` on a character boundary.
    """
    name = unicodedata.normalize("NFC", name)
    name = _UNSAFE.sub("_", name).strip().lstrip(". ").rstrip(". ")
    if not name or name.upper().split(".")[0] in _RESERVED:
        name = f"_{name}"
    encoded = name.encode("utf-8")
    if len(encoded) > MAX_NAME_BYTES:
        # the cut may leave a trailing dot or space, which Windows drops
        name = encoded[:MAX_NAME_BYTES].decode("utf-8", errors="ignore").rstrip(". ")
    return name


def output_path(folder: Path, stem: str, suffix: str) -> Path:
    """``folder/stem.suffix`` with a safe stem; never outside ``folder``."""
    path = folder / (safe_filename(stem) + suffix)
    if path.resolve().parent != folder.resolve():
        raise ValueError(f"unsafe output path {path!r}")  # cannot happen after safe_filename
    return path


def write_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` so that ``path`` is either absent, old, or complete."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name[:40]}.", suffix=".part", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fchmod(handle.fileno(), 0o666 & ~_UMASK)  # mkstemp's 0600 would hide outputs from colleagues
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise


def remove_stale_parts(folder: Path) -> list[Path]:
    """Delete the temporary ``.*.part`` files a killed run left in ``folder``.

    A process killed with SIGKILL cannot clean up after itself; its unfinished
    file never got its final name, and the next run in the same folder removes
    it before writing anything.
    """
    removed = []
    if folder.is_dir():
        for path in folder.glob(".*.part"):
            try:
                path.unlink()
                removed.append(path)
            except OSError:
                pass
    return removed
