"""qcompliance: check a Chinese enterprise against the quality obligations that apply to it.

The public API is what this module exports; everything else may change::

    from qcompliance import evaluate, load_checklists, load_profile

    checklists = load_checklists()                 # what qcheck run uses
    profile = load_profile("examples/small-food-producer.toml", checklists.facts)
    assessment = evaluate(profile, checklists, as_of=datetime.date(2026, 11, 20))
"""

from __future__ import annotations

import typing

from qcompliance.engine.diff import Diff, FactChange, ItemChange, ScoreDelta, diff
from qcompliance.engine.due import DueConfig
from qcompliance.engine.evaluate import evaluate
from qcompliance.engine.many import evaluate_many
from qcompliance.engine.scoring import FailOn, exit_code
from qcompliance.engine.tailoring import (
    ChecklistTailoring,
    ItemTailoring,
    Tailoring,
    load_tailoring,
    load_waivers,
)
from qcompliance.errors import (
    ChecklistError,
    InputError,
    ParseError,
    Problem,
    ProfileError,
    QComplianceError,
    SchemaError,
    UsageError,
)
from qcompliance.loading.catalog import ChecklistSet, CompiledChecklist, CompiledItem, Sources
from qcompliance.loading.load import load_checklist, load_facts, load_profile
from qcompliance.model import (
    Assessment,
    Basis,
    Change,
    Checklist,
    ChecklistRef,
    Citation,
    Due,
    FactRead,
    FactSpec,
    FactType,
    FactValue,
    Item,
    ItemKind,
    Level,
    Mapping19001,
    OfficialRef,
    Profile,
    Provenance,
    Question,
    ReadCopy,
    Region,
    RegionalParams,
    Result,
    Score,
    Severity,
    Source,
    TailoringRecord,
    Text,
    Verdict,
    Waiver,
    WaiverProblem,
)
from qcompliance.registry.catalogue import load_checklists
from qcompliance.registry.lockfile import LockEntry, LockFile
from qcompliance.rules.calendar import Calendar
from qcompliance.rules.compiler import Trace
from qcompliance.rules.conditions import All, AnyOf, Condition, Count, Cover, Leaf, Not
from qcompliance.version import __version__

# The report writers (and Jinja2, rich, openpyxl behind them) load on first use, so that
# importing qcompliance, or `qcheck --help`, does not pay for them.
_LAZY = {
    "assessment_from_data": "qcompliance.reports.json",
    "assessment_from_json": "qcompliance.reports.json",
    "assessment_to_data": "qcompliance.reports.json",
    "assessment_to_json": "qcompliance.reports.json",
    "render": "qcompliance.reports",
    "ReportOptions": "qcompliance.reports",
}


def __getattr__(name: str) -> object:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'qcompliance' has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_LAZY))


if typing.TYPE_CHECKING:
    from qcompliance.reports import ReportOptions, render
    from qcompliance.reports.json import (
        assessment_from_data,
        assessment_from_json,
        assessment_to_data,
        assessment_to_json,
    )

__all__ = [
    "All",
    "AnyOf",
    "Assessment",
    "Basis",
    "Calendar",
    "Change",
    "Checklist",
    "ChecklistError",
    "ChecklistRef",
    "ChecklistSet",
    "ChecklistTailoring",
    "Citation",
    "CompiledChecklist",
    "CompiledItem",
    "Condition",
    "Count",
    "Cover",
    "Diff",
    "Due",
    "DueConfig",
    "FactChange",
    "FactRead",
    "FactSpec",
    "FactType",
    "FactValue",
    "FailOn",
    "InputError",
    "Item",
    "ItemChange",
    "ItemKind",
    "ItemTailoring",
    "Leaf",
    "Level",
    "LockEntry",
    "LockFile",
    "Mapping19001",
    "Not",
    "OfficialRef",
    "ParseError",
    "Problem",
    "Profile",
    "ProfileError",
    "Provenance",
    "QComplianceError",
    "Question",
    "ReadCopy",
    "Region",
    "RegionalParams",
    "ReportOptions",
    "Result",
    "SchemaError",
    "Score",
    "ScoreDelta",
    "Severity",
    "Source",
    "Sources",
    "Tailoring",
    "TailoringRecord",
    "Text",
    "Trace",
    "UsageError",
    "Verdict",
    "Waiver",
    "WaiverProblem",
    "__version__",
    "assessment_from_data",
    "assessment_from_json",
    "assessment_to_data",
    "assessment_to_json",
    "diff",
    "evaluate",
    "evaluate_many",
    "exit_code",
    "load_checklist",
    "load_checklists",
    "load_facts",
    "load_profile",
    "load_tailoring",
    "load_waivers",
    "render",
]
