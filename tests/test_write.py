"""Writing output: a unit's name never leads a file out of the output folder, and a
failed write leaves nothing behind."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generator import write
from generator.write import MAX_NAME_BYTES, output_path, safe_filename, write_atomic

HOSTILE_NAMES = [
    "2024年度测试单位部门决算",
    "a/b", "a\\b", "/etc/passwd", "\\\\server\\share", "C:\\Windows\\win.ini", "C:", "..", ".", "...",
    "../../etc/passwd", "..\\..\\Windows", "a/../../b", "./.", "a\x00b", "\x00", "a\x01\x1f\x7fb", "a\nb\rc\td",
    "CON", "con", "nul.txt", "NUL", "Con.docx", "COM1", "lpt9.pdf", "AUX.tar.gz", "PRN", "COM¹", "LPT³.txt",
    ".hidden", "..hidden", " .x", ". .", "   ", "", "a.", "a. . ", 'a:b*c?d"e<f>g|h',
    "中" * 300, "测试单位" * 100 + ".", "😀" * 100, "👨‍👩‍👧‍👦" * 30, "x" * 179 + "é",
    "a" * 179 + " b", "a" * 179 + ".b", "\u202e", "e\u0301" * 200,
]


def _assert_safe(name: str, result: str) -> None:
    assert result, name
    encoded = result.encode("utf-8")  # valid UTF-8, no lone surrogates
    assert len(encoded) <= MAX_NAME_BYTES
    assert encoded.decode("utf-8") == result
    assert not any(c in result for c in '/\\:*?"<>|\x00')
    assert not any(ord(c) < 0x20 or c == "\x7f" for c in result)
    assert result not in {".", ".."} and not result.startswith((".", " "))
    assert not result.endswith((".", " ")), "Windows drops a trailing dot or space"
    assert result.upper().split(".")[0] not in write._RESERVED


@pytest.mark.parametrize("name", HOSTILE_NAMES)
def test_safe_filename(name):
    _assert_safe(name, safe_filename(name))


@pytest.mark.parametrize("name", HOSTILE_NAMES)
@pytest.mark.parametrize("suffix", [".docx", ".pdf"])
def test_output_path_stays_directly_in_the_folder(name, suffix, tmp_path):
    folder = tmp_path / "out"
    path = output_path(folder, name, suffix)
    assert path.parent == folder
    assert path.resolve().parent == folder.resolve()
    assert path.name.endswith(suffix)
    write_atomic(path, b"data")
    assert [p.name for p in folder.iterdir()] == [path.name]
    assert path.read_bytes() == b"data"


def test_examples():
    assert safe_filename("2024年度测试单位部门决算") == "2024年度测试单位部门决算"
    assert safe_filename("../../etc/passwd") == "_.._etc_passwd"
    assert safe_filename("CON") == "_CON"
    assert safe_filename("nul.txt") == "_nul.txt"
    assert safe_filename(".hidden") == "hidden"
    assert safe_filename("a\x00b") == "a_b"


def test_long_cjk_name_is_cut_on_a_character_boundary():
    result = safe_filename("中" * 300)
    assert result == "中" * 60 and len(result.encode()) == 180


def test_emoji_name_is_cut_on_a_character_boundary():
    result = safe_filename("😀" * 100)
    assert result == "😀" * 45


def test_windows_superscript_device_names_are_reserved():
    """Windows reads COM¹ … LPT³ as devices, like COM1."""
    assert safe_filename("COM¹") == "_COM¹"
    assert safe_filename("lpt².pdf") == "_lpt².pdf"


def test_cut_name_does_not_end_with_a_dot_or_space():
    assert safe_filename("a" * 179 + ".b") == "a" * 179
    assert safe_filename("a" * 179 + " b") == "a" * 179


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=400))
def test_any_name_is_safe(name):
    _assert_safe(name, safe_filename(name))


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=300))
def test_any_name_stays_in_the_folder(tmp_path_factory, name):
    folder = tmp_path_factory.getbasetemp() / "any"
    assert output_path(folder, name, ".pdf").resolve().parent == folder.resolve()


# ------------------------------------------------------------------ write_atomic


def _leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


def test_write_atomic_leaves_only_the_target(tmp_path):
    target = tmp_path / "out" / "2024年度测试单位部门决算.pdf"
    write_atomic(target, b"%PDF-1.7 ...")
    assert target.read_bytes() == b"%PDF-1.7 ..."
    assert _leftovers(target.parent) == [target.name]


def test_write_atomic_replaces_an_old_file(tmp_path):
    target = tmp_path / "a.docx"
    target.write_bytes(b"old")
    write_atomic(target, b"new")
    assert target.read_bytes() == b"new" and _leftovers(tmp_path) == ["a.docx"]


class _Unwritable:
    """Data whose writing fails half-way (as a full disk would)."""

    def __buffer__(self, flags):  # pragma: no cover - Python ≥ 3.12 only
        raise OSError(28, "No space left on device")


@pytest.mark.parametrize("failure", ["data", "fsync", "replace", "interrupt"])
def test_failed_write_leaves_neither_target_nor_part_file(failure, tmp_path, monkeypatch):
    target = tmp_path / "a.pdf"
    data: object = b"complete"
    if failure == "data":
        data = _Unwritable()
    elif failure == "fsync":
        def full_disk(fd):
            raise OSError(28, "No space left on device")
        monkeypatch.setattr(os, "fsync", full_disk)
    elif failure == "replace":
        def refuse(src, dst):
            raise PermissionError(13, "Permission denied")
        monkeypatch.setattr(os, "replace", refuse)
    else:
        def interrupted(fd):
            raise KeyboardInterrupt
        monkeypatch.setattr(os, "fsync", interrupted)
    with pytest.raises((OSError, TypeError, KeyboardInterrupt)):
        write_atomic(target, data)  # type: ignore[arg-type]
    assert _leftovers(tmp_path) == []


def test_failed_write_keeps_the_old_file(tmp_path, monkeypatch):
    target = tmp_path / "a.pdf"
    target.write_bytes(b"old")

    def refuse(src, dst):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(os, "replace", refuse)
    with pytest.raises(PermissionError):
        write_atomic(target, b"new")
    assert target.read_bytes() == b"old" and _leftovers(tmp_path) == ["a.pdf"]


def test_written_files_are_readable_by_others_as_the_umask_allows(tmp_path):
    import os
    import stat

    target = tmp_path / "a.pdf"
    write_atomic(target, b"x")
    mask = os.umask(0)
    os.umask(mask)
    assert stat.S_IMODE(target.stat().st_mode) == 0o666 & ~mask
