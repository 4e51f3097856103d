"""A client generated from the committed OpenAPI document by openapi-python-client calls every
operation of a live ``qcheck serve``, as an integrator's generated client would."""

from __future__ import annotations

import datetime as dt
import importlib
import io
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
import tomllib
from serving import running_server

ROOT = Path(__file__).resolve().parents[1]
TOKEN = "generated-client-token-0123456789"
EXAMPLE = ROOT / "examples" / "small-food-producer.toml"
GENERATOR = Path(sys.executable).with_name("openapi-python-client")

# What docs/serve.md tells integrators to give the generator: TOML and JSON Lines are sent
# as raw bytes.
CONFIG = """\
project_name_override: qcheck-api-client
package_name_override: qcheck_api_client
content_type_overrides:
  application/toml: application/octet-stream
  application/x-ndjson: application/octet-stream
post_hooks: []
"""

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def api(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ModuleType]:
    """The package generated from docs/openapi.json, importable."""
    folder = tmp_path_factory.mktemp("generated")
    (folder / "config.yml").write_text(CONFIG, encoding="utf-8")
    done = subprocess.run(
        [str(GENERATOR), "generate", "--path", str(ROOT / "docs" / "openapi.json"),
         "--config", "config.yml", "--meta", "none"],
        cwd=folder, capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    # Every schema and operation was understood: nothing skipped, nothing removed.
    assert "Warning" not in done.stdout + done.stderr, done.stdout + done.stderr
    sys.path.insert(0, str(folder))
    try:
        yield importlib.import_module("qcheck_api_client")
    finally:
        sys.path.remove(str(folder))
        for name in [m for m in sys.modules if m.startswith("qcheck_api_client")]:
            del sys.modules[name]


@pytest.fixture(scope="module")
def client(api: ModuleType) -> Iterator[Any]:
    """The generated client, authenticated, talking to a live server."""
    with (running_server(env={"QCHECK_TOKEN": TOKEN}) as url,
          api.AuthenticatedClient(base_url=url, token=TOKEN, timeout=None) as http):
        yield http


def _call(api: ModuleType, module: str, client: Any, **kwargs: Any) -> Any:
    """Call one generated operation; it must answer 200 with a parsed body."""
    operation = importlib.import_module(f"qcheck_api_client.api.{module}")
    response = operation.sync_detailed(client=client, **kwargs)
    assert response.status_code == 200, response.content[:500]
    return response.parsed


def test_catalogue_and_probes(api: ModuleType, client: Any) -> None:
    """The catalogue, facts, schemas and probes come back as the generated models."""
    models = importlib.import_module("qcheck_api_client.models")
    assert _call(api, "probes.health", client).status == "ok"
    assert _call(api, "probes.ready", client).checklists > 0
    entries = _call(api, "catalogue.list_checklists", client)
    assert isinstance(entries[0], models.ChecklistEntry)
    checklist = _call(api, "catalogue.get_checklist", client, id=entries[0].id)
    assert isinstance(checklist, models.Checklist)
    assert checklist.id == entries[0].id
    assert checklist.items
    facts = _call(api, "catalogue.list_facts", client, checklist=[entries[0].id])
    assert facts
    assert isinstance(facts[0], models.FactSpec)
    kind = models.GetSchemaKind("assessment-compact")
    assert _call(api, "catalogue.get_schema", client, kind=kind).additional_properties


def test_assessments_in_every_form(api: ModuleType, client: Any) -> None:
    """A TOML body (raw bytes), a JSON profile and an envelope; full, compact and summary
    each parse as their own model."""
    models = importlib.import_module("qcheck_api_client.models")
    types = importlib.import_module("qcheck_api_client.types")
    day = dt.date(2026, 11, 20)
    toml = types.File(payload=io.BytesIO(EXAMPLE.read_bytes()), mime_type="application/toml")
    full = _call(api, "assessments.assess", client, body=toml, as_of=day)
    assert isinstance(full, models.Assessment)
    assert full.as_of == day
    assert full.results
    data = tomllib.loads(EXAMPLE.read_text(encoding="utf-8"))
    plain = _json_ready(data)
    profile = models.Profile.from_dict(plain)
    compact = _call(api, "assessments.assess", client, body=profile, as_of=day,
                    view=models.AssessView.COMPACT)
    assert isinstance(compact, models.AssessmentCompact)
    assert compact.overall.score == full.overall.score
    envelope = models.Envelope(profile=EXAMPLE.read_text(encoding="utf-8"),
                               profile_format=models.EnvelopeProfileFormat.TOML,
                               profile_name="small-food-producer.toml")
    summary = _call(api, "assessments.assess", client, body=envelope, as_of=day,
                    view=models.AssessView.SUMMARY)
    assert isinstance(summary, models.AssessmentSummary)
    assert summary.score == full.overall.score
    assert summary.profile_sha256 == full.profile_sha256


def test_batch_and_selfcheck(api: ModuleType, client: Any) -> None:
    """The batch's JSON form gives one row a profile under the caller's id, with its external
    id and labels; the self-check steps answer."""
    models = importlib.import_module("qcheck_api_client.models")
    data = _json_ready(tomllib.loads(EXAMPLE.read_text(encoding="utf-8")))
    body = models.BatchRequest(profiles=[
        models.BatchRequestProfilesItem.from_dict({**data, "id": "supplier-7",
                                                   "external_id": "SUP-7",
                                                   "metadata": {"buyer": "张三"}}),
        models.BatchRequestProfilesItem.from_dict({"id": "broken", "nonsense": True})])
    rows = _call(api, "assessments.batch", client, body=body, as_of=dt.date(2026, 11, 20))
    assert [r.id for r in rows] == ["supplier-7", "broken"]
    assert rows[0].external_id == "SUP-7"
    assert rows[0].metadata.additional_properties == {"buyer": "张三"}
    assert rows[1].external_id is None
    assert rows[0].error is None
    assert rows[1].error
    step = _call(api, "selfcheck.selfcheck_next", client,
                 body=models.SelfcheckRequest(quick=True, lang=models.SelfcheckRequestLang.EN))
    assert step.done is False
    assert step.question
    check = _call(api, "selfcheck.selfcheck_check", client,
                  body=models.AnswerRequest(key="company.employees", answer="12"))
    assert check.ok is True


def _json_ready(value: Any) -> Any:
    """TOML values as JSON gives them (dates as ISO text)."""
    if isinstance(value, dict):
        return {k: _json_ready(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_json_ready(v) for v in value]
    return value.isoformat() if isinstance(value, dt.date) else value


def test_workspace_operations(api: ModuleType, tmp_path_factory: pytest.TempPathFactory
                              ) -> None:
    """Against a server with a workspace, the generated workspace operations keep a profile,
    assess it and list the plan, each answer parsed as the model of its store record."""
    models = importlib.import_module("qcheck_api_client.models")
    types = importlib.import_module("qcheck_api_client.types")
    store = tmp_path_factory.mktemp("generated-store") / "workspace.sqlite"
    company = "91350100M000100Y43"
    with (running_server("--store", f"sqlite:///{store}", env={"QCHECK_TOKEN": TOKEN}) as url,
          api.AuthenticatedClient(base_url=url, token=TOKEN, timeout=None) as http):
        assert _call(api, "workspace.whoami", http).role == models.WhoamiRole.ADMIN
        # The profile goes with the assessment: openapi-python-client 0.29 writes putProfile
        # (a required body of two media types, no query parameter) without importing Unset
        # (its issue #1451); docs/serve.md says so.
        toml = types.File(payload=io.BytesIO(EXAMPLE.read_bytes()),
                          mime_type="application/toml")
        made = importlib.import_module("qcheck_api_client.api.workspace.post_company_assessment"
                                       ).sync_detailed(uscc=company, client=http, body=toml,
                                                       as_of=dt.date(2026, 11, 20))
        assert made.status_code == 201, made.content[:500]
        assert isinstance(made.parsed, models.AssessmentRecord)
        assert made.parsed.profile_version == 1
        assert made.parsed.gaps > 0
        plan = _call(api, "workspace.get_plan", http, uscc=company)
        assert len(plan) == made.parsed.gaps
        assert isinstance(plan[0], models.PlanRow)
        companies = _call(api, "workspace.list_companies", http)
        assert [c.uscc for c in companies] == [company]
