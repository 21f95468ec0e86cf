"""Issues: what is wrong with a unit's data, as values with a location.

An :class:`Issue` names the file, the line, the field path, a stable code, a
severity and a message in Chinese that states both sides and the difference.
Checks return lists of issues; nothing is raised for bad data.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass


class Severity(str, enum.Enum):
    ERROR = "error"
    WARNING = "warning"

    @property
    def label(self) -> str:
        return {"error": "错误", "warning": "警告"}[self.value]


@dataclass(frozen=True)
class Issue:
    file: str
    line: int | None
    path: str          # the field path (``functional[3].income.general``): for programs, in ``--json``
    code: str
    severity: Severity
    message: str
    place: str = ""    # the same place as the accountant sees it (``02表 2080109 行政运行 · …``)

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR

    def format(self) -> str:
        """``文件:行: 代码 错误 表、行、栏: 说明`` — the line ``check`` prints."""
        where = f"{self.file}:{self.line}" if self.line else self.file
        place = self.place or self.path
        return f"{where}: {self.code} {self.severity.label} {place + '：' if place else ''}{self.message}"

    def as_json(self) -> dict:
        return {
            "file": self.file,
            "line": self.line,
            "path": self.path,
            "place": self.place,
            "code": self.code,
            "severity": self.severity.value,
            "message": self.message,
        }


class UnusableInput(Exception):
    """The file cannot be read as a unit at all (unreadable, not YAML, not a mapping).

    The CLI turns it into exit code 2 and one line naming the file.
    """

    def __init__(self, issue: Issue):
        super().__init__(issue.format())
        self.issue = issue


def sort_key(issue: Issue):
    return (issue.file, issue.line or 0, issue.severity is not Severity.ERROR, issue.code)
