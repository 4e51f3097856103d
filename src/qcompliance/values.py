"""The plain values every stage shares: bilingual text, the language, levels, severities, item
kinds, verdicts and fact types. :mod:`qcompliance.model` re-exports them with the classes built
on them."""

from __future__ import annotations

import enum
from typing import Literal

import attrs

__all__ = ["FactType", "ItemKind", "Lang", "Level", "Severity", "Text", "Verdict"]

Lang = Literal["zh", "en"]
"""A language of output: Chinese (the default) or English."""


@attrs.frozen
class Text:
    """A user-facing text in Chinese and English."""

    zh: str
    en: str

    def get(self, lang: Lang) -> str:
        """The text in ``lang``."""
        return self.zh if lang == "zh" else self.en


class Level(str, enum.Enum):
    """How binding an item is."""

    MANDATORY = "mandatory"  # 法定义务
    ENCOURAGED = "encouraged"  # 政策鼓励
    RECOMMENDED = "recommended"  # 良好实践


class Severity(str, enum.Enum):
    """How much a failing item matters; also its weight in scores."""

    CRITICAL = "critical"
    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"

    @property
    def weight(self) -> int:
        """Weight of one item of this severity in a score (see docs/scoring.md)."""
        return _SEVERITY_WEIGHTS[self]


_SEVERITY_WEIGHTS = {Severity.CRITICAL: 8, Severity.HIGH: 4, Severity.MEDIUM: 2, Severity.LOW: 1}


class ItemKind(str, enum.Enum):
    """An obligation can be failed; an opportunity can only be qualified for or not."""

    OBLIGATION = "obligation"
    OPPORTUNITY = "opportunity"


class Verdict(str, enum.Enum):
    """The outcome of one item for one profile."""

    PASS = "pass"
    FAIL = "fail"
    UNKNOWN = "unknown"
    NOT_APPLICABLE = "not_applicable"
    WAIVED = "waived"


class FactType(str, enum.Enum):
    """The type of a fact's value."""

    BOOL = "bool"
    INT = "int"
    NUMBER = "number"
    STRING = "string"
    DATE = "date"
    ENUM = "enum"
    LIST = "list"
    RECORDS = "records"
