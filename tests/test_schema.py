"""The JSON Schemas: generated, committed, current, and true to the files qcompliance reads."""

from __future__ import annotations

import datetime as dt
import json
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import typer
from typer.testing import CliRunner

from conftest import AS_OF, ROOT
from qcompliance import evaluate, load_checklists, load_profile
from qcompliance.authoring.schema import KINDS, schema, schema_text, write_schemas
from qcompliance.cli.profile import schema_command
from qcompliance.engine.tailoring import load_tailoring
from qcompliance.loading.load import builtin_paths
from qcompliance.reports.json import assessment_to_json
from qcompliance.selfcheck import Interview, Prompt

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10 only
    import tomli as tomllib  # type: ignore[import-not-found, unused-ignore]

SCHEMAS = ROOT / "schemas"
EXAMPLES = sorted((ROOT / "examples").glob("*.toml"))
BY_SCHEMA = {
    "qcompliance/profile/v1": "profile",
    "qcompliance/checklist/v1": "checklist",
    "qcompliance/tailoring/v1": "tailoring",
    "qcompliance/waivers/v1": "waivers",
}


def as_json(value: object) -> Any:
    """TOML data as JSON sees it: dates and date-times become ISO strings."""
    if isinstance(value, Mapping):
        return {k: as_json(v) for k, v in value.items()}
    if isinstance(value, list):
        return [as_json(v) for v in value]
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    return value


def validator(kind: str) -> Any:
    """A validator of schema ``kind`` (as generated now: the test above keeps the committed
    files equal to it) that also checks formats."""
    generated = schema(kind)
    cls = jsonschema.validators.validator_for(generated)
    return cls(generated, format_checker=cls.FORMAT_CHECKER)


def errors(kind: str, data: object) -> list[str]:
    """Every schema error of ``data`` as 'path: message'."""
    found = validator(kind).iter_errors(as_json(data))
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in found]


@pytest.mark.parametrize("kind", KINDS)
def test_committed_schema_is_current(kind: str) -> None:
    """schemas/<kind>.schema.json is what `python -m qcompliance.authoring.schema` writes now."""
    committed = (SCHEMAS / f"{kind}.schema.json").read_text(encoding="utf-8")
    assert committed == schema_text(schema(kind)), (
        f"schemas/{kind}.schema.json is stale: "
        "run `python -m qcompliance.authoring.schema schemas/`")


@pytest.mark.parametrize("kind", KINDS)
def test_schema_is_a_valid_schema(kind: str) -> None:
    """Each schema is valid under its own JSON Schema dialect."""
    committed = json.loads((SCHEMAS / f"{kind}.schema.json").read_text(encoding="utf-8"))
    jsonschema.validators.validator_for(committed).check_schema(committed)


def test_write_schemas(tmp_path: Path) -> None:
    """write_schemas writes one file per kind, equal to the committed ones."""
    written = write_schemas(tmp_path)
    assert [p.name for p in written] == [f"{k}.schema.json" for k in KINDS]
    for path in written:
        assert path.read_bytes() == (SCHEMAS / path.name).read_bytes()


@pytest.mark.parametrize("path", EXAMPLES, ids=[p.name for p in EXAMPLES])
def test_every_example_validates(path: Path) -> None:
    """Every example validates against the schema its `schema` key names."""
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    kind = BY_SCHEMA[data["schema"]]
    found = errors(kind, data)
    if kind == "tailoring":
        # The loader reads waivers leniently and sets malformed ones aside; the schema flags
        # exactly those (an example may show one on purpose), and nothing else.
        _, _, rejected = load_tailoring(path)
        allowed = {f"waivers/{r.index}" for r in rejected}
        found = [e for e in found if e.split(":")[0] not in allowed]
    assert found == []


@pytest.mark.parametrize("path", builtin_paths(), ids=[p.name for p in builtin_paths()])
def test_every_builtin_checklist_validates(path: Path) -> None:
    """Every built-in checklist validates against the checklist schema."""
    assert errors("checklist", tomllib.loads(path.read_text(encoding="utf-8"))) == []


@pytest.mark.parametrize("path", [p for p in EXAMPLES if "profile/v1" in p.read_text("utf-8")],
                         ids=lambda p: p.name)
def test_assessment_of_every_example_validates(path: Path) -> None:
    """The JSON assessment of each example profile validates against the assessment schema."""
    checklists = load_checklists()
    assessment = evaluate(load_profile(path, checklists.facts), checklists, AS_OF)
    assert errors("assessment", json.loads(assessment_to_json(assessment))) == []


def test_interview_profile_validates(tmp_path: Path) -> None:
    """A profile written by the interview validates against the profile schema."""
    checklists = load_checklists(["cn-recall"])
    answers = {"company.name": "某某", "company.credit_code": "91350100M000100Y43",
               "company.produces": "y", "company.sells_to_consumers": "y",
               "company.product_categories": "electronics", "recall.incident_reports": "1",
               "recall.incident_reports[0].date": "2026-01-05",
               "recall.incident_reports[0].situation": "1",
               "recall.incident_reports[0].report_working_days": "2"}

    def ask(prompt: Prompt) -> object:
        return answers.get(prompt.key, "?")

    interview = Interview(checklists, "zh", AS_OF)
    interview.run(ask)
    assert errors("profile", tomllib.loads(interview.profile_text())) == []


def test_profile_schema_enumerates_every_fact() -> None:
    """Every declared fact is a property of its table, with both questions described."""
    generated = schema("profile")
    for key, spec in load_checklists().facts.items():
        node = generated
        for part in key.split("."):
            node = node["properties"][part]
        assert spec.question.zh in node["description"]
        assert spec.question.en in node["description"]
        assert len(node["anyOf"]) == 2  # bare, or { value = …, evidence = … }


@pytest.mark.parametrize(("kind", "data", "where"), [
    ("profile", {"company": {"employes": 3}}, "company"),
    ("profile", {"company": {"size": "medum"}}, "company/size"),
    ("profile", {"company": {"employees": "many"}}, "company/employees"),
    ("profile", {"company": {"credit_code": "91350100M0001OOY43"}}, "company/credit_code"),
    ("profile", {"cqo": {"appointed": {"value": True, "evidense": ["x.pdf"]}}},
     "cqo/appointed"),
    ("profile", {"cqo": {"appointed": {"value": "yes"}}}, "cqo/appointed"),
    ("profile", {"qms": {"last_management_review_on": "2026-13-01"}},
     "qms/last_management_review_on"),
    ("checklist", {"schema": "qcompliance/checklist/v1", "id": "x", "version": "1",
                   "title": {"zh": "x", "en": "x"}, "items": [], "applies": {"fact": "a"}},
     "applies"),
    ("checklist", {"schema": "qcompliance/checklist/v1", "id": "x", "version": "1",
                   "title": {"zh": "x", "en": "x"}, "items": [],
                   "applies": {"fact": "a", "greater": 1}}, "applies"),
    ("checklist", {"schema": "qcompliance/checklist/v1", "id": "x", "version": "1",
                   "title": {"zh": "x", "en": "x"}, "items": [],
                   "applies": {"count": "a", "ge": 1, "le": 3}}, "applies"),
    ("checklist", {"schema": "qcompliance/checklist/v1", "id": "x", "version": "1",
                   "title": {"zh": "x"}, "items": []}, "title"),
    ("tailoring", {"schema": "qcompliance/tailoring/v1",
                   "items": [{"id": "a", "reason": "r", "severity": "huge"}]},
     "items/0/severity"),
])
def test_schemas_reject_mistakes(kind: str, data: dict[str, object], where: str) -> None:
    """The schemas are not vacuous: typical mistakes are errors at the right place."""
    found = errors(kind, data)
    assert found
    assert any(e.startswith(f"{where}:") for e in found), found


def test_condition_operators_come_from_the_operator_table() -> None:
    """The condition schema lists every operator of the language and only those."""
    from qcompliance.rules.operators import OPERATORS

    defs = schema("checklist")["$defs"]
    assert {"$ref": "#/$defs/condition_fact"} in defs["condition"]["oneOf"]
    leaf = defs["condition_fact"]
    assert set(leaf["properties"]) == {"fact", *OPERATORS}


def test_schema_command_prints_the_schema(tmp_path: Path) -> None:
    """`qcheck schema KIND` prints the committed schema; -o writes it to a file."""
    app = typer.Typer()
    app.command("schema")(schema_command)

    @app.callback()
    def _root() -> None:
        """Test root."""

    result = CliRunner().invoke(app, ["schema", "checklist"])
    assert result.exit_code == 0, result.output
    assert result.stdout == (SCHEMAS / "checklist.schema.json").read_text(encoding="utf-8")
    out = tmp_path / "a.json"
    assert CliRunner().invoke(app, ["schema", "assessment", "-o", str(out)]).exit_code == 0
    assert out.read_bytes() == (SCHEMAS / "assessment.schema.json").read_bytes()
    assert CliRunner().invoke(app, ["schema", "nope"]).exit_code == 2


def test_schema_command_offers_every_kind() -> None:
    """`qcheck schema` offers exactly the kinds the library and the server describe."""
    from qcompliance.cli.profile import SchemaOption

    assert tuple(o.value for o in SchemaOption) == KINDS
