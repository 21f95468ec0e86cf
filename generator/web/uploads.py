"""What an upload must be before anything reads it: small enough, of a kind the page takes (told
by its first bytes, not its name), and — for a workbook, which is a zip — not expanding past a
limit (a zip bomb is refused before a parser sees it).  The uploaded name is never used as a path."""

from __future__ import annotations

import zipfile
from dataclasses import dataclass
from io import BytesIO

MAX_UPLOAD = 20 * 1024 * 1024          # bytes of one upload
MAX_EXPANDED = 200 * 1024 * 1024       # bytes a workbook's zip may expand to
MAX_RATIO = 200                        # expanded / compressed, per member
MAX_MEMBERS = 2000
MAX_UNIT_FILE = 2 * 1024 * 1024        # a unit file (YAML) is text of a few hundred KiB at most

XLSX, XLS, YAML = "xlsx", "xls", "yaml"


class Refused(ValueError):
    """Why an upload is refused, in Chinese."""


@dataclass(frozen=True)
class Upload:
    kind: str
    data: bytes


def workbook(data: bytes, name: str) -> Upload:
    """An exported workbook: .xlsx (a zip) or .xls (an OLE2 compound file)."""
    if len(data) > MAX_UPLOAD:
        raise Refused(f"文件太大（{len(data) // 1024} KiB），上限 {MAX_UPLOAD // 1024 // 1024} MiB")
    if not data:
        raise Refused("上传的文件是空的")
    if data.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return Upload(XLS, data)
    if not data.startswith(b"PK\x03\x04"):
        raise Refused("不是 Excel 工作簿（.xlsx 或 .xls）：请上传决算软件导出的工作簿")
    try:
        archive = zipfile.ZipFile(BytesIO(data))
        members = archive.infolist()
    except zipfile.BadZipFile:
        raise Refused("工作簿已损坏，无法打开（不是有效的 .xlsx 文件）") from None
    if len(members) > MAX_MEMBERS:
        raise Refused("工作簿中的部件过多，不像决算软件导出的工作簿")
    expanded = sum(m.file_size for m in members)
    if expanded > MAX_EXPANDED:
        raise Refused(f"工作簿解压后有 {expanded // 1024 // 1024} MiB，超过上限 {MAX_EXPANDED // 1024 // 1024} MiB，"
                      "不像决算软件导出的工作簿（可能是压缩炸弹），已拒绝")
    for m in members:
        if m.compress_size and m.file_size / m.compress_size > MAX_RATIO and m.file_size > 1024 * 1024:
            raise Refused("工作簿中的部件压缩比异常（可能是压缩炸弹），已拒绝")
    if not any(m.filename == "[Content_Types].xml" for m in members):
        raise Refused("不是 Excel 工作簿（.xlsx）：缺少工作簿的结构文件")
    return Upload(XLSX, data)


def unit_file(data: bytes, name: str) -> Upload:
    """A unit file: UTF-8 text (YAML), small."""
    if len(data) > MAX_UNIT_FILE:
        raise Refused(f"单位文件太大（{len(data) // 1024} KiB），上限 {MAX_UNIT_FILE // 1024 // 1024} MiB")
    if not data.strip():
        raise Refused("上传的文件是空的")
    if data.startswith((b"PK\x03\x04", b"\xd0\xcf\x11\xe0")):
        raise Refused("这是工作簿，不是单位文件：请用“上传工作簿”")
    try:
        data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise Refused("单位文件不是 UTF-8 编码的文字（YAML）") from None
    if b"\x00" in data:
        raise Refused("单位文件中有二进制内容，不是 YAML 文字")
    return Upload(YAML, data)
