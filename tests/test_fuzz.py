"""Property-based fuzzing (hypothesis) of the loaders, the evaluator and every report writer.

Properties: any generated input loads, or fails with the package's own QComplianceError (never
another exception); any profile that loads evaluates; every assessment renders in every format
and its JSON reads back to an equal assessment. In CI each property runs a modest number of
examples; ``make fuzz`` runs the "fuzz" profile (many more) — see docs/fuzzing.md.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import string
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pytest

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib
import contextlib

from hypothesis import HealthCheck, assume, event, given, settings
from hypothesis import strategies as st

from qcompliance.engine.evaluate import evaluate
from qcompliance.errors import QComplianceError
from qcompliance.loading.catalog import ChecklistSet
from qcompliance.loading.load import load_checklists, load_profile, read_document
from qcompliance.model import FactSpec, FactType
from qcompliance.reports import WRITERS, render
from qcompliance.reports.json import assessment_from_json, assessment_to_json

settings.register_profile("ci", max_examples=12, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("fuzz", max_examples=int(os.environ.get("QCOMPLIANCE_FUZZ_EXAMPLES",
                                                                  "2000")),
                          deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile(os.environ.get("QCOMPLIANCE_FUZZ_PROFILE", "ci"))
# A PDF takes about 3 CPU-seconds to lay out (WeasyPrint), 50 times any other writer: the
# suite lays out a few generated ones, `make fuzz` as many as every other writer gets.
PDF_EXAMPLES = 3 if settings.default.max_examples <= 12 else settings.default.max_examples

ROOT = Path(__file__).parents[1]
MINI = ROOT / "tests" / "assets" / "mini.toml"
_CATALOG: list[ChecklistSet] = []


def catalog() -> ChecklistSet:
    """The whole built-in catalogue and the mini checklist, loaded once."""
    if not _CATALOG:
        _CATALOG.append(load_checklists([*(p.stem for p in _builtin()), str(MINI)]))
    return _CATALOG[0]


def _builtin() -> list[Path]:
    from qcompliance.loading.load import builtin_paths

    return builtin_paths()


# Any JSON/TOML-like data: what a parser can hand the loaders.
scalars = (st.none() | st.booleans() | st.integers() | st.floats()
           | st.text(max_size=20) | st.dates())
data = st.recursive(scalars, lambda inner: st.lists(inner, max_size=4)
                    | st.dictionaries(st.text(max_size=10), inner, max_size=4), max_leaves=20)


@given(st.dictionaries(st.sampled_from(["schema", "company", "t", "food", "x", ""]), data,
                       max_size=4))
def test_any_mapping_loads_or_fails_cleanly(raw: dict[str, Any]) -> None:
    """load_profile on any data: a Profile or a QComplianceError."""
    with contextlib.suppress(QComplianceError):
        load_profile(raw, catalog().facts)


@given(st.binary(max_size=300), st.sampled_from([".toml", ".json"]))
@settings(suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
def test_any_bytes_parse_or_fail_cleanly(tmp_path_factory: pytest.TempPathFactory,
                                         raw: bytes, suffix: str) -> None:
    """read_document on any bytes: a Document or a QComplianceError."""
    path = tmp_path_factory.mktemp("fuzz") / f"input{suffix}"
    path.write_bytes(raw)
    with contextlib.suppress(QComplianceError):
        read_document(path)


@given(st.text(alphabet=string.printable + "中文\u2028", max_size=300),
       st.sampled_from([".toml", ".json"]))
@settings(suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
def test_any_text_parses_or_fails_cleanly(tmp_path_factory: pytest.TempPathFactory,
                                          text: str, suffix: str) -> None:
    """Printable text (closer to real syntax than random bytes) through every loader."""
    path = tmp_path_factory.mktemp("fuzz") / f"input{suffix}"
    path.write_text(text, encoding="utf-8", errors="surrogatepass")
    for load in (read_document, lambda p: load_profile(p, catalog().facts)):
        with contextlib.suppress(QComplianceError):
            load(path)


@given(st.dictionaries(st.sampled_from(["version", "title", "items", "sources", "id",
                                        "facts", "params"]), data, max_size=3))
def test_any_checklist_change_loads_or_fails_cleanly(change: dict[str, Any]) -> None:
    """The mini checklist with keys replaced by any data: compiles or a QComplianceError."""
    base = tomllib.loads(MINI.read_text(encoding="utf-8"))
    base.update(change)
    with contextlib.suppress(QComplianceError):
        load_checklists([base])


def _value(spec: FactSpec) -> st.SearchStrategy[Any]:
    """Values of ``spec``'s type, as a profile gives them."""
    days = st.dates(dt.date(1990, 1, 1), dt.date(2100, 12, 31))
    match spec.type:
        case FactType.BOOL:
            return st.booleans()
        case FactType.INT:
            return st.integers(-10, 10**9)
        case FactType.NUMBER:
            return st.floats(-1e9, 1e12, allow_nan=False) | st.integers(0, 10**9)
        case FactType.STRING:
            return st.text(max_size=30)
        case FactType.DATE:
            return days
        case FactType.ENUM:
            return st.sampled_from(list(spec.values or ()))
        case FactType.LIST:
            return st.lists(st.sampled_from(list(spec.values or ("a",))), max_size=3,
                            unique=True) if spec.values else st.lists(st.text(max_size=8))
        case FactType.RECORDS:
            return st.lists(st.fixed_dictionaries(
                {}, optional={f.key: _value(f) for f in spec.fields or ()}), max_size=3)
    raise AssertionError(spec.type)


@st.composite
def profiles(draw: st.DrawFn) -> dict[str, Any]:
    """A type-correct profile: a random subset of the catalogue's facts with random values."""
    facts = catalog().facts
    keys = draw(st.lists(st.sampled_from(sorted(facts)), max_size=40, unique=True))
    out: dict[str, Any] = {"schema": "qcompliance/profile/v1"}
    for key in keys:
        if key == "company.credit_code":
            continue  # checksum-bearing: random text is rightly refused
        group, name = key.rsplit(".", 1) if "." in key else ("", key)
        node = out
        for part in group.split(".") if group else []:
            node = node.setdefault(part, {})
        if isinstance(node, Mapping):
            node[name] = draw(_value(facts[key]))
    return out


@given(profiles(), st.dates(dt.date(1990, 1, 1), dt.date(2150, 12, 31)),
       st.sampled_from(["zh", "en"]))
def test_any_profile_evaluates_and_renders_everywhere(raw: dict[str, Any], day: dt.date,
                                                      lang: Any) -> None:
    """A type-correct profile loads, evaluates, renders in every format, and its JSON reads
    back to an equal assessment."""
    try:
        profile = load_profile(raw, catalog().facts)
    except QComplianceError as exc:
        event(f"profile refused: {exc.first.message[:40]}")
        return  # a generated combination can be refused (e.g. records field rules)
    event("profile loaded")
    assessment = evaluate(profile, catalog(), day)
    for fmt in WRITERS:
        if fmt in ("table", "pdf"):
            continue  # the terminal table is rich's in the CLI; the PDF is the test below
        out = render(assessment, fmt, lang)
        assert out
    again = assessment_from_json(json.loads(assessment_to_json(assessment)))
    assert assessment_to_json(again) == assessment_to_json(assessment)


@settings(max_examples=PDF_EXAMPLES)
@given(profiles(), st.dates(dt.date(1990, 1, 1), dt.date(2150, 12, 31)),
       st.sampled_from(["zh", "en"]))
def test_any_profile_renders_a_pdf(raw: dict[str, Any], day: dt.date, lang: Any) -> None:
    """A type-correct profile's assessment lays out as a PDF."""
    try:
        profile = load_profile(raw, catalog().facts)
    except QComplianceError:
        assume(False)  # refused: hypothesis draws another, so the PDFs laid out are as many
        return
    out = render(evaluate(profile, catalog(), day), "pdf", lang)
    assert isinstance(out, bytes)
    assert out.startswith(b"%PDF-")
