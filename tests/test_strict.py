"""Strict structuring: no input kind coerces a value of the wrong type.

For every scalar type the model holds (string, whole number, number, true/false, date, enum)
and every document kind that holds it (profile, checklist, facts dictionary, tailoring,
waivers, assessment), every wrongly-typed value is refused with a message naming what was
expected; the right type loads. (Packs: see tests/bad_inputs/README.md.)
"""

from __future__ import annotations

import copy
import datetime as dt
import json
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from qcompliance.engine.tailoring import load_tailoring, load_waivers
from qcompliance.errors import InputError
from qcompliance.loading.load import load_checklists, load_facts, load_profile
from qcompliance.reports.json import assessment_from_json

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

ROOT = Path(__file__).parents[1]
MINI = ROOT / "tests" / "assets" / "mini.toml"
ASSESSMENT = json.loads((ROOT / "tests" / "bad_inputs" / "valid-assessment.json")
                        .read_text(encoding="utf-8"))

# Wrong values for each scalar type, as plain data (what TOML or JSON gives).
WRONG: dict[str, list[object]] = {
    "string": [5, 1.5, True, ["a"], {"zh": "a"}, dt.date(2026, 1, 1), None],
    "int": ["5", 5.5, True, [5], {"a": 5}, None, float("nan"), 2**60],
    "float": ["0.5", True, [0.5], {"a": 1}, None, float("inf"), float("nan")],
    "bool": ["false", "true", 0, 1, 1.0, [True], None],
    "date": ["2026-02-30", "2026/01/01", 20260101, True, [dt.date(2026, 1, 1)],
             dt.datetime(2026, 1, 1, 10, 0), dt.date(9999, 12, 31), None],
    "enum": ["nonsense", 1, True, ["mandatory"], None],
}
OPTIONAL = {"items.0.effective", "severity", "overall.score"}
"""Places where null (JSON) means "not given" and is allowed."""
RIGHT = {"string": "x", "int": 3, "float": 0.5, "bool": False, "date": dt.date(2026, 1, 1),
         "enum": None}


def _checklist(path: str, value: object) -> None:
    data = tomllib.loads(MINI.read_text(encoding="utf-8"))
    target: dict[str, object] = data
    *parents, last = path.split(".")
    for step in parents:
        target = target[int(step)] if step.isdigit() else target[step]  # type: ignore[index]
    target[last] = value
    load_checklists([data])


def _facts(field: str, value: object) -> None:
    spec: dict[str, object] = {"key": "x.a", "type": "int", "label": {"zh": "甲", "en": "A"},
                               "question": {"zh": "甲？", "en": "A?"}}
    spec[field] = value
    load_facts({"schema": "qcompliance/facts/v1", "facts": [spec]})


def _profile(key: str, value: object) -> None:
    group, name = key.split(".")
    load_profile({"schema": "qcompliance/profile/v1", group: {name: value}},
                 load_checklists([MINI]).facts)


def _tailoring(field: str, value: object) -> None:
    item: dict[str, object] = {"id": "t-mini.flag", "reason": "r"}
    item[field] = value
    load_tailoring({"schema": "qcompliance/tailoring/v1", "items": [item]})


def _assessment(path: str, value: object) -> None:
    data = copy.deepcopy(ASSESSMENT)
    target = data
    *parents, last = path.split(".")
    for step in parents:
        target = target[int(step)] if step.isdigit() else target[step]
    target[last] = value
    assessment_from_json(data)


def _waivers(field: str, value: object) -> None:
    waiver: dict[str, object] = {"item": "t-mini.flag", "justification": "j",
                                 "approved_by": "a", "expires": dt.date(2027, 1, 1)}
    waiver[field] = value
    accepted, rejected = load_waivers({"schema": "qcompliance/waivers/v1",
                                       "waivers": [waiver]})
    if rejected:  # a malformed waiver is reported, not applied: that is its refusal
        raise InputError(rejected[0].message.en)  # type: ignore[arg-type]
    assert not accepted


# (document kind, scalar type, loader, where the value goes)
CASES: list[tuple[str, str, Callable[[str, object], None], str]] = [
    ("profile", "string", _profile, "company.name"),
    ("profile", "int", _profile, "company.employees"),
    ("profile", "float", _profile, "company.revenue_10k_yuan"),
    ("profile", "bool", _profile, "t.flag"),
    ("profile", "date", _profile, "t.when"),
    ("profile", "enum", _profile, "company.size"),
    ("checklist", "string", _checklist, "version"),
    ("checklist", "string", _checklist, "title.zh"),
    ("checklist", "string", _checklist, "items.0.id"),
    ("checklist", "date", _checklist, "items.0.effective"),
    ("checklist", "enum", _checklist, "items.0.level"),
    ("checklist", "enum", _checklist, "items.0.severity"),
    ("checklist", "enum", _checklist, "sources.0.verified"),
    ("facts", "string", _facts, "key"),
    ("facts", "bool", _facts, "past_only"),
    ("facts", "enum", _facts, "type"),
    ("tailoring", "string", _tailoring, "reason"),
    ("tailoring", "bool", _tailoring, "select"),
    ("tailoring", "enum", _tailoring, "severity"),
    ("waivers", "string", _waivers, "justification"),
    ("waivers", "date", _waivers, "expires"),
    ("assessment", "string", _assessment, "tool_version"),
    ("assessment", "date", _assessment, "as_of"),
    ("assessment", "int", _assessment, "overall.passed"),
    ("assessment", "float", _assessment, "overall.score"),
    ("assessment", "enum", _assessment, "results.0.verdict"),
]


@pytest.mark.parametrize(
    ("kind", "scalar", "load", "where", "value"),
    [(k, s, f, w, v) for k, s, f, w in CASES for v in WRONG[s]
     if not (v is None and w in OPTIONAL)],
    ids=lambda x: x if isinstance(x, str) else None,
)
def test_wrong_type_is_refused(kind: str, scalar: str, load: Callable[[str, object], None],
                               where: str, value: object) -> None:
    """A value of the wrong type never loads, whatever the document."""
    with pytest.raises(InputError):
        load(where, value)


@pytest.mark.parametrize(("kind", "scalar", "load", "where"),
                         [c for c in CASES if RIGHT[c[1]] is not None and c[0] != "waivers"],
                         ids=lambda x: x if isinstance(x, str) else None)
def test_right_type_loads(kind: str, scalar: str, load: Callable[[str, object], None],
                          where: str) -> None:
    """The same place given a value of the right type loads (so the refusals above are about
    the type, not the place)."""
    value = RIGHT[scalar]
    if kind == "assessment" and scalar == "date":
        value = "2026-01-01"  # JSON has no date type
    if where.endswith(".id"):
        value = "t-mini.flag"
    if where == "key":
        value = "x.b"
    if where == "version":
        value = "2"
    load(where, value)
