"""The API's contract tested against a real ``qcheck serve``: schemathesis generates requests
from the committed OpenAPI document and checks every response against it (status, media type,
schema, no 500); content negotiation, compression and query checking on their own."""

from __future__ import annotations

import gzip
import json
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode, checks
from serving import running_server

ROOT = Path(__file__).resolve().parents[1]
TOKEN = "contract-test-token-0123456789"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
PROFILE = (ROOT / "examples" / "small-food-producer.toml").read_bytes()


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A server that requires the token, with a workspace store (a SQLite file), so that every
    path of the document answers."""
    store = tmp_path_factory.mktemp("contract-store") / "workspace.sqlite"
    with running_server("--store", f"sqlite:///{store}", env={"QCHECK_TOKEN": TOKEN}) as url:
        yield url


@pytest.fixture(scope="module")
def api_schema(live: str) -> schemathesis.schemas.BaseSchema:
    """The committed document, pointed at the live server, sending the token."""
    schema = schemathesis.openapi.from_path(ROOT / "docs" / "openapi.json")
    schema.config.update(base_url=live, headers=AUTH)
    return schema


# Every check of the response against the document. Not positive_data_acceptance: a request
# can fit the schema and still name a checklist this server lacks or a day out of range (a 4xx
# the document declares).
CHECKS = [checks.not_a_server_error, checks.status_code_conformance,
          checks.content_type_conformance, checks.response_schema_conformance,
          checks.response_headers_conformance]


def _cases() -> list[tuple[str, GenerationMode]]:
    """Each operation with valid requests, and with invalid ones where it takes anything
    (an operation without parameters or body has nothing to break)."""
    document = json.loads((ROOT / "docs" / "openapi.json").read_text(encoding="utf-8"))
    out = []
    for path, ops in document["paths"].items():
        for method, op in ops.items():
            out.append((f"{method.upper()} {path}", GenerationMode.POSITIVE))
            if op.get("requestBody") or any(p["in"] == "query" for p in op.get("parameters", ())):
                out.append((f"{method.upper()} {path}", GenerationMode.NEGATIVE))
    return out


@pytest.mark.parametrize(("label", "mode"), _cases(), ids=lambda v: getattr(v, "value", v))
def test_responses_fit_the_document(api_schema: schemathesis.schemas.BaseSchema,
                                    label: str, mode: GenerationMode) -> None:
    """Generated requests to each operation, valid ones and ones that break the document, get
    answers the document describes (status, media type, body schema), and never a 500."""
    operation = api_schema.find_operation_by_label(label)
    assert operation is not None
    more = [] if mode is GenerationMode.POSITIVE else [checks.negative_data_rejection]

    @given(case=operation.as_strategy(mode))
    @settings(max_examples=8, deadline=None, derandomize=True, database=None,
              suppress_health_check=list(HealthCheck))
    def check(case: schemathesis.Case) -> None:
        case.call_and_validate(headers=AUTH, checks=CHECKS + more)

    check()


def _post(url: str, path: str, body: bytes, content_type: str, **kwargs: object
          ) -> httpx.Response:
    headers = {**AUTH, "Content-Type": content_type, **kwargs.pop("headers", {})}  # type: ignore[dict-item]
    return httpx.post(url + path, content=body, headers=headers, timeout=60,
                      **kwargs)  # type: ignore[arg-type]


def test_content_type_mismatch_is_415(live: str) -> None:
    """A body of a media type the operation does not take is refused with 415, naming the
    ones it takes; TOML under its common aliases is taken."""
    response = _post(live, "/v1/assessments", PROFILE, "text/plain")
    assert response.status_code == 415
    assert response.headers["content-type"] == "application/problem+json"
    assert "application/toml" in response.headers["accept-post"]
    assert response.json()["problems"][0]["key"] == "Content-Type"
    assert _post(live, "/v1/selfcheck/check", b"{}", "application/toml").status_code == 415
    assert _post(live, "/v1/assessments?view=summary", PROFILE,
                 "text/toml; charset=utf-8").status_code == 200


def test_unknown_query_parameter_is_400(live: str) -> None:
    """A typo such as ``asof`` is a 400 with a did-you-mean, never an assessment as of
    today; GET routes refuse parameters they do not take too."""
    response = _post(live, "/v1/assessments?asof=2026-11-20", PROFILE, "application/toml")
    assert response.status_code == 400
    problem = response.json()["problems"][0]
    assert problem["key"] == "asof"
    assert "did you mean 'as_of'" in problem["message"]
    assert httpx.get(f"{live}/v1/checklists?lang=en", headers=AUTH).status_code == 400


def test_accept_q_values_are_honoured(live: str) -> None:
    """Accept is read with its q-values and wildcards: the most preferred format is sent."""
    def accept(value: str) -> httpx.Response:
        return _post(live, "/v1/assessments?as_of=2026-11-20", PROFILE, "application/toml",
                     headers={"Accept": value})

    assert accept("text/html;q=0.2, text/markdown;q=0.9").headers["content-type"] \
        .startswith("text/markdown")
    assert accept("text/markdown;q=0.1, text/html").headers["content-type"] \
        .startswith("text/html")
    assert accept("text/*;q=0.5, application/json;q=0.4").headers["content-type"] \
        .startswith("text/")
    assert accept("*/*").headers["content-type"] == "application/json"
    assert accept("image/png").status_code == 406
    rows = httpx.post(f"{live}/v1/batch", content=b"{}\n",
                      headers={**AUTH, "Content-Type": "application/x-ndjson",
                               "Accept": "application/x-ndjson;q=0.5, application/json"})
    assert rows.headers["content-type"] == "application/json"


def test_large_responses_are_gzipped_when_asked(live: str) -> None:
    """With Accept-Encoding: gzip a large response is compressed (Starlette's GZipMiddleware);
    without it, it is not."""
    with httpx.Client(headers=AUTH, timeout=60) as http:
        raw = http.get(f"{live}/openapi.json", headers={"Accept-Encoding": "gzip"}).read()
        zipped = http.stream("GET", f"{live}/openapi.json",
                             headers={"Accept-Encoding": "gzip"})
        with zipped as response:
            assert response.headers["content-encoding"] == "gzip"
            body = b"".join(response.iter_raw())
        assert json.loads(gzip.decompress(body)) == json.loads(raw)
        assert len(body) < len(raw) / 4
        plain = http.get(f"{live}/openapi.json", headers={"Accept-Encoding": "identity"})
        assert "content-encoding" not in plain.headers


def test_batch_takes_and_gives_json(live: str) -> None:
    """The JSON alternative of the batch stream: {"profiles": [...]} in, an array of rows
    out, each row under the caller's id and of the same shape, errors included."""
    import tomllib

    profile = tomllib.loads(PROFILE.decode("utf-8"))
    body = json.dumps({"profiles": [{**profile, "id": "A-1"}, {"id": "B-2", "nonsense": 1}, {}]},
                      default=str).encode("utf-8")
    response = _post(live, "/v1/batch?as_of=2026-11-20", body, "application/json",
                     headers={"Accept": "application/json"})
    assert response.status_code == 200
    rows = response.json()
    assert [r["id"] for r in rows] == ["A-1", "B-2", "line 3"]
    assert rows[0]["error"] is None
    assert rows[0]["score"] is not None
    assert rows[1]["error"]
    assert rows[1]["score"] is None
    assert len({frozenset(r) for r in rows}) == 1


def test_batch_rows_keep_the_callers_id_when_out_of_time(monkeypatch: pytest.MonkeyPatch
                                                         ) -> None:
    """Rows that run out of time (or find the server busy) keep the caller's id, external id
    and labels and the shape of every other row. The time limit is forced: a real one depends
    on the machine."""
    import asyncio

    from qcompliance.server.app import create_app
    from qcompliance.server.limits import Slots
    from qcompliance.server.problems import HTTPProblem

    real = Slots.run

    async def out_of_time(self: Slots, fn: object, *args: object, **kwargs: object) -> object:
        entry = args[0]
        if getattr(entry, "ident", "") == "slow":
            raise HTTPProblem(503, "time-limit", "The request ran out of time",
                              "the per-request time limit is 30 s")
        return await real(self, fn, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(Slots, "run", out_of_time)
    lines = b"".join(json.dumps({"schema": "qcompliance/profile/v1", "id": i,
                                 "external_id": f"X-{i}", "metadata": {"speed": i}}).encode()
                     + b"\n" for i in ("fast", "slow", "last"))

    async def send() -> httpx.Response:
        transport = httpx.ASGITransport(app=create_app())
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            return await client.post("/v1/batch", content=lines,
                                     headers={"Content-Type": "application/x-ndjson"})

    response = asyncio.run(send())
    rows = [json.loads(line) for line in response.text.splitlines()]
    assert [r["id"] for r in rows] == ["fast", "slow", "last"]
    assert rows[1]["error"] == "the per-request time limit is 30 s"
    assert (rows[1]["external_id"], rows[1]["metadata"]) == ("X-slow", {"speed": "slow"})
    assert rows[1]["line"] == 2
    assert rows[0]["error"] is None
    assert len({frozenset(r) for r in rows}) == 1


def test_external_id_and_metadata_come_back_in_every_form(live: str) -> None:
    """An envelope's external_id and metadata are in the full, compact and summary forms;
    metadata that is not an object of text is a 422 naming the key."""
    body = {"profile": PROFILE.decode("utf-8"), "external_id": "SUP-0042",
            "metadata": {"buyer": "张三"}}
    for view in ("full", "compact", "summary"):
        response = httpx.post(f"{live}/v1/assessments", params={"view": view},
                              json=body, headers=AUTH, timeout=60)
        assert response.status_code == 200, response.text
        data = response.json()
        assert (data["external_id"], data["metadata"]) == ("SUP-0042", {"buyer": "张三"})
    bad = httpx.post(f"{live}/v1/assessments", json={**body, "metadata": {"n": 1}},
                     headers=AUTH, timeout=60)
    assert bad.status_code == 422
    assert bad.json()["problems"][0]["key"] == "metadata"


def test_every_route_is_in_the_operation_table() -> None:
    """The app's routes, the workspace's included, and the table the document and the checks
    come from name the same operations (the pages and the document itself aside), so no route
    escapes the contract."""
    from qcompliance.server.app import ROUTES
    from qcompliance.server.operations import OPERATIONS
    from qcompliance.server.workspace_routes import API_ROUTES

    routes = {(method, route.path.replace(":int}", "}"))
              for route in [*ROUTES, *API_ROUTES] for method in route.methods or ()
              if method != "HEAD" and route.path not in ("/", "/openapi.json")}
    assert routes == {(op.method, op.path) for op in OPERATIONS}


def test_a_new_route_group_extends_the_document_and_the_checks() -> None:
    """One more Operation (with the schema of its own message) is all a new group of routes
    needs: the document lists it and its component, and the Contract enforces it."""
    from qcompliance.server.contract import Contract
    from qcompliance.server.openapi import openapi_document
    from qcompliance.server.operations import OPERATIONS, Operation, Param, component

    extra = Operation("GET", "/v1/companies/{uscc}", "getCompany", "One company.",
                      {"application/json": component("Company")}, "The company.",
                      params=(Param("uscc", {"type": "string"}, "Credit code.", "path"),),
                      errors=(404,), components={"Company": {"type": "object"}})
    document = openapi_document(operations=(*OPERATIONS, extra))
    assert "/v1/companies/{uscc}" in document["paths"]
    assert document["components"]["schemas"]["Company"] == {"type": "object"}
    contract = Contract(None, (*OPERATIONS, extra))  # type: ignore[arg-type]
    op = contract.operation("GET", "/v1/companies/91350100M000100Y43")
    assert op is extra
    scope = {"query_string": b"asof=2026-11-20", "headers": []}
    problem = Contract.check(op, scope)
    assert problem is not None
    assert problem.status == 400


COMPANY = "91350100M000100Y43"  # the example food producer


def _fits(document: dict[str, object], name: str, data: object) -> None:
    """``data`` fits the component ``name`` of the document (its $refs resolved in it)."""
    import jsonschema

    jsonschema.validate(data, {"$ref": f"#/components/schemas/{name}", **document},
                        cls=jsonschema.Draft202012Validator,
                        format_checker=jsonschema.FormatChecker())


def test_workspace_paths_are_checked_like_the_others(live: str) -> None:
    """The workspace operations are in the one table: an unknown query parameter is a 400
    with a did-you-mean, a body of another media type a 415 naming the ones taken, while an
    evidence file of any media type is taken; what they answer fits the document."""
    document = json.loads((ROOT / "docs" / "openapi.json").read_text(encoding="utf-8"))
    base = f"{live}/v1/companies/{COMPANY}"
    with httpx.Client(headers=AUTH, timeout=60) as http:
        typo = http.get(f"{base}/plan", params={"include_closd": "false"})
        assert typo.status_code == 400
        assert typo.headers["content-type"] == "application/problem+json"
        assert typo.json()["problems"][0]["key"] == "include_closd"
        assert "did you mean 'include_closed'" in typo.json()["problems"][0]["message"]
        assert http.get(f"{live}/v1/companies", params={"lang": "en"}).status_code == 400
        wrong = http.put(f"{base}/profile", content=PROFILE,
                         headers={"Content-Type": "text/plain"})
        assert wrong.status_code == 415
        assert wrong.headers["accept-post"] == "application/json, application/toml"
        assert wrong.json()["problems"][0]["key"] == "Content-Type"
        kept = http.put(f"{base}/profile", content=PROFILE,
                        headers={"Content-Type": "text/toml"})
        assert kept.status_code == 200, kept.text
        _fits(document, "ProfileVersion", kept.json())
        late = http.post(f"{base}/assessments", params={"asof": "2026-11-20"})
        assert late.status_code == 400
        assert late.json()["problems"][0]["key"] == "asof"
        made = http.post(f"{base}/assessments", params={"as_of": "2026-11-20"})
        assert made.status_code == 201, made.text
        _fits(document, "AssessmentRecord", made.json())
        plan = http.get(f"{base}/plan", params={"include_closed": "false"})
        assert plan.status_code == 200
        for row in plan.json():
            _fits(document, "PlanRow", row)
        item = plan.json()[0]["item"]
        assert http.patch(f"{base}/plan", content=json.dumps({"item": item}),
                          headers={"Content-Type": "application/toml"}).status_code == 415
        changed = http.patch(f"{base}/plan", json={"items": [{"item": item, "owner": "张三"}]})
        assert changed.status_code == 200, changed.text
        _fits(document, "PlanItem", changed.json()[0])
        pdf = http.post(f"{base}/evidence", params={"item": item, "filename": "a.pdf"},
                        content=b"%PDF-1.4\n", headers={"Content-Type": "application/pdf"})
        assert pdf.status_code == 201, pdf.text
        _fits(document, "EvidenceRecord", pdf.json())
        back = http.get(live + pdf.headers["location"])
        assert back.headers["content-type"] == "application/pdf"
        _fits(document, "Whoami", http.get(f"{live}/v1/whoami").json())
        for row in http.get(f"{live}/v1/companies").json():
            _fits(document, "CompanyRecord", row)
