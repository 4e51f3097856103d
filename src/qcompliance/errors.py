"""Errors raised by qcompliance.

Every error the library raises on bad input is a :class:`QComplianceError`. It carries one or
more :class:`Problem` records (file, line, key, message) and its ``str()`` is the one line the
CLI prints. The tree::

    QComplianceError
    ├── InputError            bad input of any kind (exit code 2 in the CLI)
    │   ├── ParseError        not valid TOML or JSON (line and column known)
    │   ├── SchemaError       valid syntax, wrong shape: missing, extra or mistyped keys
    │   ├── ChecklistError    a checklist that loads but is wrong: undeclared fact, duplicate id …
    │   └── ProfileError      a profile that does not fit the facts dictionary
    ├── UsageError            a request that cannot be served (unknown checklist id, …)
    └── OutputError           a file cannot be written (missing folder, read-only, a folder)
"""

from __future__ import annotations

from collections.abc import Sequence

import attrs

__all__ = [
    "ChecklistError",
    "InputError",
    "NotFound",
    "OutputError",
    "ParseError",
    "Problem",
    "ProfileError",
    "QComplianceError",
    "SchemaError",
    "UsageError",
]


@attrs.frozen
class Problem:
    """One thing wrong with an input: where it is and what is wrong."""

    message: str
    file: str | None = None
    line: int | None = None
    column: int | None = None
    key: str | None = None

    def __str__(self) -> str:
        if self.file is None and self.line is None:  # a usage problem: an option, not a file
            return f"{self.key}: {self.message}" if self.key else self.message
        where = self.file or "<input>"
        if self.line is not None:
            where += f":{self.line}"
            if self.column is not None:
                where += f":{self.column}"
        key = f" {self.key}:" if self.key else ""
        return f"{where}:{key} {self.message}"


class QComplianceError(Exception):
    """Root of every error qcompliance raises on purpose."""

    def __init__(self, problems: Sequence[Problem] | Problem) -> None:
        self.problems: tuple[Problem, ...] = (
            (problems,) if isinstance(problems, Problem) else tuple(problems)
        )
        if not self.problems:
            raise ValueError("an error needs at least one problem")
        super().__init__(str(self))

    @property
    def first(self) -> Problem:
        """The first problem, the one the one-line message is about."""
        return self.problems[0]

    def __str__(self) -> str:
        more = len(self.problems) - 1
        tail = f" (and {more} more problem{'s' if more > 1 else ''})" if more else ""
        return f"{self.first}{tail}"


class InputError(QComplianceError):
    """An input file or mapping is wrong."""


class ParseError(InputError):
    """The text is not valid TOML or JSON."""


class SchemaError(InputError):
    """The data parses but does not have the required shape."""


class ChecklistError(InputError):
    """A checklist is well-formed but inconsistent (undeclared fact, duplicate id, …)."""


class ProfileError(InputError):
    """A profile names unknown facts or gives values of the wrong type."""


class UsageError(QComplianceError):
    """A request names something that does not exist or combines options that do not fit."""


class NotFound(UsageError):
    """What a request asks for is not kept: a workspace's company, assessment, plan item,
    evidence file or stored profile (the service answers 404)."""


class OutputError(QComplianceError):
    """An output file cannot be written: its folder is missing or read-only, it is a folder,
    or it is a read-only file that would otherwise be silently replaced."""
