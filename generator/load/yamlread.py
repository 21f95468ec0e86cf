"""Reading a unit file: bytes → text → YAML node tree, with every refusal an Issue.

Only the YAML *composer* runs: no Python object is ever constructed from a
tag, so ``!!python/object/apply`` and friends are inert and refused.  Aliases
are refused before composing (a unit file never needs them, and refusing them
keeps a "billion laughs" file from expanding); an anchor nobody refers to is
harmless and ignored.  Duplicate keys are found here,
where PyYAML would silently keep the last one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from ..issues import Issue, Severity, UnusableInput

MAX_FILE_BYTES = 2 * 1024 * 1024
"""A unit file larger than 2 MiB is refused: the largest real unit is ~50 KiB."""

MAX_DEPTH = 50
"""Mappings and lists nested deeper are refused: a unit file needs about 6 levels."""

_STANDARD_TAGS = {
    "tag:yaml.org,2002:str",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
    "tag:yaml.org,2002:map",
    "tag:yaml.org,2002:seq",
    "tag:yaml.org,2002:timestamp",
}


@dataclass
class Document:
    """A composed YAML document and the issues met while reading it."""

    file: str
    root: MappingNode
    issues: list[Issue] = field(default_factory=list)


def line_of(node: Node) -> int:
    return node.start_mark.line + 1


def _unusable(file: str, line: int | None, code: str, message: str) -> UnusableInput:
    return UnusableInput(Issue(file, line, "", code, Severity.ERROR, message))


def decode(file: str, data: bytes) -> tuple[str, list[Issue]]:
    """Text of a unit file: UTF-8 (with or without BOM), else GB18030 with a warning."""
    issues: list[Issue] = []
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        try:
            text = data.decode("gb18030")
        except UnicodeDecodeError:
            raise _unusable(
                file, data.count(b"\n", 0, exc.start) + 1, "LOAD-ENCODING",
                f"文件既不是UTF-8编码也不是GBK编码（第{exc.start}字节无法解码），请另存为UTF-8编码",
            ) from None
        issues.append(Issue(
            file, None, "", "LOAD-ENCODING", Severity.WARNING,
            "文件不是UTF-8编码，已按GBK（GB18030）读取；建议在记事本中“另存为”UTF-8编码",
        ))
    if "\x00" in text:
        raise _unusable(file, text.count("\n", 0, text.index("\x00")) + 1, "LOAD-ENCODING",
                        "文件中含有NUL字符，不是文本文件")
    return text.replace("\r\n", "\n").replace("\r", "\n"), issues


def read_file(path: Path, display_name: str | None = None) -> Document:
    """Read and compose a unit file; raises :class:`UnusableInput` for exit code 2."""
    file = display_name or str(path)
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise _unusable(
                file, None, "LOAD-SIZE",
                f"文件大小{size}字节，超过上限{MAX_FILE_BYTES}字节（2 MiB）",
            )
        with path.open("rb") as handle:  # at most the limit: /dev/zero and pipes have no size
            data = handle.read(MAX_FILE_BYTES + 1)
        if len(data) > MAX_FILE_BYTES:
            raise _unusable(file, None, "LOAD-SIZE", f"文件超过上限{MAX_FILE_BYTES}字节（2 MiB）")
    except OSError as exc:
        raise _unusable(file, None, "LOAD-READ", f"无法读取文件：{exc.strerror or exc}") from None
    return read_text(file, data)


def read_text(file: str, data: bytes) -> Document:
    text, issues = decode(file, data)
    if not text.strip():
        raise _unusable(file, 1, "LOAD-EMPTY", "文件是空的，没有任何内容")
    unseen = re.search("[\x85\u2028\u2029]", text)
    if unseen:
        # YAML breaks lines there, editors do not: the text would be cut and every line number shifted.
        raise _unusable(file, text.count("\n", 0, unseen.start()) + 1, "LOAD-YAML",
                        f"不是有效的YAML：含有编辑器中看不见的换行符 U+{ord(unseen.group()):04X}，请删去它"
                        "（多半是从网页或其他软件复制过来的）")
    try:
        loader = _Composer(text, file)
        try:
            root = loader.get_single_node()
        finally:
            loader.dispose()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        problem = exc.problem or exc.context or "语法错误"
        pasted = diagnose(text, line, problem) if line else None
        if pasted is not None:
            line, explanation = pasted
            raise _unusable(file, line, "LOAD-YAML", f"不是有效的YAML：{explanation}") from None
        raise _unusable(file, line, "LOAD-YAML", f"不是有效的YAML：{_explain(problem)}") from None
    except yaml.reader.ReaderError as exc:
        # A character YAML forbids, as pasted from Word or Excel (\x0b, \x0c, \x1b …).
        line = text.count("\n", 0, exc.position) + 1
        raise _unusable(file, line, "LOAD-YAML",
                        f"不是有效的YAML：含有不可见的控制字符 #x{exc.character:04x}，请删去它"
                        "（多半是从其他软件复制过来的）") from None
    except yaml.YAMLError as exc:
        raise _unusable(file, None, "LOAD-YAML", f"不是有效的YAML：{exc}") from None
    if root is None:
        raise _unusable(file, 1, "LOAD-EMPTY", "文件中只有注释，没有任何内容")
    if not isinstance(root, MappingNode):
        kind = "列表" if isinstance(root, SequenceNode) else "单个值"
        raise _unusable(
            file, line_of(root), "LOAD-NOT-MAPPING",
            f"文件顶层应当是“字段: 值”的映射，这里是一个{kind}",
        )
    _check_tree(file, root, issues)
    return Document(file, root, issues)


class _Composer(yaml.SafeLoader):
    """PyYAML's safe composer, refusing an alias (``*name``) and nesting deeper than
    :data:`MAX_DEPTH` as it meets them, in one pass over the text.

    An alias bomb is refused at its first alias, before anything is expanded,
    with the alias's line.  The composer recurses once per level: ``[[[[…``
    thousands deep would exhaust Python's stack, so it is refused at its line.
    """

    def __init__(self, text: str, file: str):
        super().__init__(text)
        self.file = file
        self.depth = 0

    def compose_node(self, parent, index):
        event = self.peek_event()
        if isinstance(event, yaml.AliasEvent):
            raise _unusable(self.file, event.start_mark.line + 1, "LOAD-ALIAS",
                            "不支持YAML锚点和别名（& 和 *），请把内容直接写出来")
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise _unusable(self.file, event.start_mark.line + 1, "LOAD-YAML",
                            f"不是有效的单位文件：映射和列表嵌套超过{MAX_DEPTH}层（多半是括号没有配对）")
        try:
            return super().compose_node(parent, index)
        finally:
            self.depth -= 1


_PROBLEMS = {
    "found duplicate anchor": "锚点重复",
    "found undefined alias": "引用了未定义的锚点",
    "found character '\\t' that cannot start any token": "缩进中有制表符（Tab），请改用空格",
    "mapping values are not allowed here": "此处不能出现“:”（缺少缩进，或值里的冒号需要加引号）",
    "could not find expected ':'": "缺少“:”",
    "found unexpected end of stream": "文件意外结束（引号或括号没有闭合）",
    "sequence entries are not allowed here":
        "此处不能出现列表符号“-”（表示0的单独的“-”要加引号写成 \"-\"，或改写为 0；也可能是缩进不对）",
    "but found another document": "文件中有第二个文档（“---”之后）；一个文件只写一个单位一个年度",
    "expected <block end>": "缩进不一致，或前面某个值的引号没有闭合",
    "expected ',' or ']'": "方括号“[”没有闭合，或其中的两项之间缺少逗号",
    "expected ',' or '}'": "花括号“{”没有闭合，或其中的两项之间缺少逗号",
}


# ------------------------------------------------------------------ what a paste from Excel or Word leaves

_FULL_WIDTH_INDENT = re.compile(r"^ *\u3000")
_KEY = r"""^\s*(?:-\s+)?(?:"[^"\n]*"|'[^'\n]*'|[A-Za-z_][\w-]*|\d{3,7})"""
_FULL_WIDTH_COLON = re.compile(_KEY + r"\s*：")
_NO_SPACE = re.compile(_KEY + r":(?=[^\s\[{])")
_BLOCK_START = re.compile(r":\s*[|>][+-]?\d?\s*(#.*)?$")

FULL_WIDTH_INDENT = "缩进用了全角空格（“　”）：YAML只认半角空格，请把行首的全角空格改为半角空格"
FULL_WIDTH_COLON = "字段名后面用了全角冒号“：”：请改为半角冒号“:”，后面再加一个空格"
NO_SPACE = "冒号“:”后面缺少空格：请在冒号后面加一个空格，如“name: 某某单位”"


def _structural_lines(text: str):
    """(line number, line) of each line that is YAML structure, not the inside of a ``|`` or ``>`` text."""
    block_indent: int | None = None
    for number, line in enumerate(text.split("\n"), 1):
        indent = len(line) - len(line.lstrip(" "))
        if block_indent is not None:
            if not line.strip() or indent > block_indent:
                continue
            block_indent = None
        yield number, line
        if _BLOCK_START.search(line):
            block_indent = indent


def paste_problem(line: str) -> str | None:
    """What is wrong with one line as pasted from another program, or None."""
    if _FULL_WIDTH_INDENT.match(line):
        return FULL_WIDTH_INDENT
    if _FULL_WIDTH_COLON.match(line) and not re.match(_KEY + r":(\s|$)", line):
        return FULL_WIDTH_COLON
    if _NO_SPACE.match(line):
        return NO_SPACE
    return None


def _tab_problem(line: str) -> str:
    """Why a tab on this line stops YAML: in the indentation, after a colon, at the end, or inside a value."""
    at = line.index("\t")
    if not line[:at].strip():
        return "缩进中有制表符（Tab）：YAML只认空格，请把行首的Tab改为空格"
    if not line[at:].strip():
        return "行尾有制表符（Tab），多半是从Excel复制时带上的：请删去行尾的Tab"
    if line[:at].rstrip(" ").endswith(":"):
        return "冒号后面是制表符（Tab），多半是从Excel复制时带上的：请把它改为一个空格"
    return "值中有制表符（Tab），多半是从Excel复制时带上的：请删去它，或给整个值加引号"


def diagnose(text: str, line: int, problem: str) -> tuple[int, str] | None:
    """The line and a Chinese explanation for a parse error a paste is known to cause, or None.

    YAML reports some of them a line or two late (a full-width colon is found when
    the next line's colon makes no sense), so the nearest culprit at or before the
    reported line is named."""
    lines = text.split("\n")
    if problem.startswith("found character '\\t'") and 0 < line <= len(lines) and "\t" in lines[line - 1]:
        return line, _tab_problem(lines[line - 1])
    culprit = None
    for number, content in _structural_lines(text):
        if number > line:
            break
        found = paste_problem(content)
        if found is not None:
            culprit = (number, found)
    if culprit is not None and line - culprit[0] <= 3:
        return culprit
    return None


def _explain(problem: str) -> str:
    for english, chinese in _PROBLEMS.items():
        if problem.startswith(english):
            return f"{chinese}（{problem}）"
    return problem


def _check_tree(file: str, root: Node, issues: list[Issue]) -> None:
    """Refuse aliases, foreign tags and duplicate keys, everywhere, in one pass."""
    seen: set[int] = set()
    stack: list[Node] = [root]
    while stack:
        node = stack.pop()
        if id(node) in seen:
            issues.append(Issue(
                file, line_of(node), "", "LOAD-ALIAS", Severity.ERROR,
                "不支持YAML锚点和别名（& 和 *），请把内容直接写出来",
            ))
            # The node would be checked twice and an alias bomb walked
            # exponentially: stop here, the file is refused anyway.
            raise UnusableInput(issues[-1])
        seen.add(id(node))
        if node.tag not in _STANDARD_TAGS:
            issues.append(Issue(
                file, line_of(node), "", "LOAD-TAG", Severity.ERROR,
                f"不支持YAML标签 {node.tag}，请去掉它，直接写值",
            ))
            raise UnusableInput(issues[-1])
        if isinstance(node, MappingNode):
            keys: dict[str, int] = {}
            for key, value in node.value:
                if isinstance(key, ScalarNode):
                    if key.value in keys:
                        issues.append(Issue(
                            file, line_of(key), "", "LOAD-DUPLICATE-KEY", Severity.ERROR,
                            f"字段“{key.value}”重复出现（第一次在第{keys[key.value]}行）；"
                            "这里的值不会被使用，请删去多余的一个或改正字段名",
                        ))
                    else:
                        keys[key.value] = line_of(key)
                stack.append(key)
                stack.append(value)
        elif isinstance(node, SequenceNode):
            stack.extend(node.value)
