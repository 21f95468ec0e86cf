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
    path: str
    code: str
    severity: Severity
    message: str

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR

    def format(self) -> str:
        """``file:line: CODE severity message`` — the line ``check`` prints."""
        where = f"{self.file}:{self.line}" if self.line else self.file
        field = f"{self.path}: " if self.path else ""
        return f"{where}: {self.code} {self.severity.value} {field}{self.message}"

    def as_json(self) -> dict:
        return {
            "file": self.file,
            "line": self.line,
            "path": self.path,
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
