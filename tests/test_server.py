"""``qcheck serve`` over real HTTP: a uvicorn server on 127.0.0.1, driven by the typed client
and by plain httpx where the raw response matters (status, headers, problem documents)."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from serving import running_server

from conftest import AS_OF, ROOT
from qcompliance import (
    Assessment,
    InputError,
    ParseError,
    UsageError,
    assessment_from_json,
    assessment_to_json,
    evaluate,
    load_checklists,
    load_profile,
    load_tailoring,
)
from qcompliance.client import AsyncClient, Client, ServerError, from_text
from qcompliance.server.openapi import openapi_text

pytestmark = pytest.mark.slow

EXAMPLE = ROOT / "examples" / "small-food-producer.toml"
TAILORING = ROOT / "examples" / "tailoring.toml"
TOKEN = "s3cret-token-for-tests-0123456789"


@pytest.fixture(scope="module")
def logged(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path, Path]]:
    """The default server, run in an empty folder, with its log captured."""
    folder = tmp_path_factory.mktemp("serve")
    cwd = folder / "cwd"
    cwd.mkdir()
    log = folder / "serve.log"
    with running_server(log=log, cwd=cwd) as url:
        yield url, log, cwd


@pytest.fixture(scope="module")
def server(logged: tuple[str, Path, Path]) -> str:
    """The default server's URL."""
    return logged[0]


def test_health_and_readiness(server: str) -> None:
    """/healthz answers; /readyz counts the compiled checklists."""
    with Client(server) as client:
        assert client.health()["status"] == "ok"
        ready = client.ready()
    assert ready["status"] == "ready"
    assert ready["checklists"] == len(load_checklists())


def test_assessment_equals_a_local_one(server: str) -> None:
    """The assessment over HTTP equals the one evaluated in this process, sha256 included."""
    checklists = load_checklists()
    local = evaluate(load_profile(EXAMPLE, checklists.facts), checklists, AS_OF,
                     skip_inapplicable=True)
    with Client(server) as client:
        remote = client.assess(EXAMPLE, as_of=AS_OF)
    assert remote == _as_sent(local)
    assert remote.profile_sha256 == local.profile_sha256


def test_tailoring_and_checklist_selection(server: str) -> None:
    """Tailoring text and a checklist selection give what the library gives locally."""
    checklists = load_checklists(["cn-recall", "cn-labelling"])
    tailoring, waivers, rejected = load_tailoring(TAILORING)
    local = evaluate(load_profile(EXAMPLE, checklists.facts), checklists, AS_OF,
                     tailoring=tailoring, waivers=waivers, waiver_problems=rejected)
    with Client(server) as client:
        remote = client.assess(EXAMPLE, as_of=AS_OF, checklists=["cn-recall", "cn-labelling"],
                               tailoring=TAILORING)
    assert remote == _as_sent(local)
    assert remote.tailoring is not None


def _as_sent(assessment: Assessment) -> Assessment:
    """An assessment as it comes back from JSON (fact values stay plain JSON values)."""
    return assessment_from_json(assessment_to_json(assessment))


def test_async_client(server: str) -> None:
    """The async client gets the same assessment and the same lists."""
    async def main() -> tuple[object, object, list[dict[str, object]]]:
        async with AsyncClient(server) as client:
            assessed = await client.assess(EXAMPLE, as_of=AS_OF)
            summary = await client.summary(EXAMPLE, as_of=AS_OF)
            listed = await client.checklists()
            return assessed, summary, listed

    assessed, summary, listed = asyncio.run(main())
    with Client(server) as client:
        assert assessed == client.assess(EXAMPLE, as_of=AS_OF)
    assert isinstance(summary, dict)
    assert summary["failed"] == len(summary["failed_items"])
    assert [c["id"] for c in listed] == [c.id for c in load_checklists()]


@pytest.mark.parametrize(("fmt", "media", "start"), [
    ("html", "text/html", "<!DOCTYPE html>"),
    ("markdown", "text/markdown", "#"),
    ("csv", "text/csv", ""),
    ("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "PK"),
    ("junit", "application/xml", "<?xml"),
    ("ics", "text/calendar", "BEGIN:VCALENDAR"),
    ("oscal", "application/oscal+json", "{"),
])
def test_report_formats_by_query_and_by_accept(server: str, fmt: str, media: str,
                                               start: str) -> None:
    """?format= and Accept both choose the writer; the body is the library's rendering."""
    from qcompliance import render

    checklists = load_checklists()
    local = evaluate(load_profile(EXAMPLE, checklists.facts), checklists, AS_OF,
                     skip_inapplicable=True)
    body = EXAMPLE.read_bytes()
    by_query = httpx.post(f"{server}/v1/assessments", params={"format": fmt, "as_of": "2026-11-20",
                          "lang": "en"}, content=body,
                          headers={"Content-Type": "application/toml"}, timeout=60)
    by_accept = httpx.post(f"{server}/v1/assessments", params={"as_of": "2026-11-20",
                           "lang": "en"}, content=body,
                           headers={"Content-Type": "application/toml", "Accept": media},
                           timeout=60)
    for response in (by_query, by_accept):
        assert response.status_code == 200, response.text
        assert response.headers["content-type"].startswith(media)
        assert response.content.decode("latin-1").startswith(start)
    expected = render(local, fmt, "en")
    if fmt != "xlsx":  # a workbook's zip carries timestamps; compare the text formats exactly
        assert by_query.text == expected
        assert by_accept.text == expected


def test_unknown_format_is_406_problem(server: str) -> None:
    """An unknown format or an unacceptable Accept is a 406 problem document."""
    for params, headers in (({"format": "pdf"}, {}), ({}, {"Accept": "image/png"})):
        response = httpx.post(f"{server}/v1/assessments", params=params,
                              content=EXAMPLE.read_bytes(),
                              headers={"Content-Type": "application/toml", **headers})
        assert response.status_code == 406
        assert response.headers["content-type"] == "application/problem+json"


def test_envelope_waivers_are_checked_as_the_cli_checks_them(server: str) -> None:
    """Tailoring and waivers sent in an envelope are read as `qcheck run` reads the files: one
    item waived in both is refused, and a waiver for an item that does not exist is a problem."""
    waivers = ('schema = "qcompliance/waivers/v1"\n[[waivers]]\n'
               'item = "cn-quality-officers.food-training-hours"\n'
               'justification = "x"\napproved_by = "y"\nexpires = 2026-12-31\n')
    envelope = {"profile": EXAMPLE.read_text(encoding="utf-8"),
                "tailoring": TAILORING.read_text(encoding="utf-8"), "waivers": waivers}
    twice = httpx.post(f"{server}/v1/assessments", params={"as_of": "2026-11-20"},
                       json=envelope)
    assert twice.headers["content-type"] == "application/problem+json"
    assert twice.status_code == 400
    assert "waived twice" in twice.text
    unknown = waivers.replace("food-training-hours", "no-such-item")
    response = httpx.post(f"{server}/v1/assessments", params={"as_of": "2026-11-20"},
                          json={**envelope, "waivers": unknown})
    assert response.status_code == 200, response.text
    assert "no-such-item" in json.dumps(response.json()["waiver_problems"], ensure_ascii=False)


def test_bad_profile_gives_problems_with_line_and_key(server: str) -> None:
    """A profile that does not fit: 422 problem+json naming line, key and message."""
    text = 'schema = "qcompliance/profile/v1"\n\n[company]\nemployees = "many"\nnmae = "x"\n'
    response = httpx.post(f"{server}/v1/assessments", content=text.encode(),
                          headers={"Content-Type": "application/toml"})
    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
    problem = response.json()
    assert problem["type"] == "urn:qcompliance:problem:input-error"
    assert problem["status"] == 422
    by_key = {p["key"]: p for p in problem["problems"]}
    assert by_key["company.employees"]["line"] == 4
    assert by_key["company.nmae"]["line"] == 5
    assert "company.name" in by_key["company.nmae"]["message"]
    with Client(server) as client, pytest.raises(InputError) as caught:
        client.assess(from_text(text))
    assert {p.key for p in caught.value.problems} == {"company.employees", "company.nmae"}


def test_unparsable_body_is_400_with_line(server: str) -> None:
    """Invalid JSON: a parse-error problem at its line; the client raises ParseError."""
    response = httpx.post(f"{server}/v1/assessments", content=b'{\n "schema": \n}',
                          headers={"Content-Type": "application/json"})
    assert response.status_code == 400
    assert response.json()["problems"][0]["line"] == 3
    with Client(server) as client, pytest.raises(ParseError):
        client.assess(from_text("schema = "))


def test_unknown_checklist_is_a_problem(server: str) -> None:
    """A checklist id the server does not have: 400 on assess, 404 on GET."""
    with Client(server) as client:
        with pytest.raises(UsageError, match="no checklist 'cn-nope'"):
            client.assess(EXAMPLE, checklists=["cn-nope"])
        with pytest.raises(ServerError) as caught:
            client.checklist("cn-nope")
    assert caught.value.status == 404


def test_catalogue_endpoints(server: str) -> None:
    """Checklists, one checklist, the facts and every schema, as the library has them."""
    checklists = load_checklists()
    with Client(server) as client:
        listed = client.checklists()
        one = client.checklist("cn-recall")
        facts = client.facts()
        recall_facts = client.facts(["cn-recall"])
        profile_schema = client.schema("profile")
        for kind in ("checklist", "assessment", "tailoring", "waivers"):
            assert client.schema(kind)["$schema"].startswith("https://json-schema.org/")
    assert [c["id"] for c in listed] == [c.id for c in checklists]
    recall = checklists.get("cn-recall")
    assert recall is not None
    assert [i["id"] for i in one["items"]] == [i.id for i in recall.items]
    assert {f["key"] for f in facts} == set(checklists.facts)
    assert {f["key"] for f in recall_facts} == {
        s.key for s in load_checklists(["cn-recall"]).facts_read()}
    assert "company" in profile_schema["properties"]
    response = httpx.get(f"{server}/v1/schemas/nope")
    assert response.status_code == 404
    assert response.headers["content-type"] == "application/problem+json"


def test_batch_streams_one_row_a_line(server: str) -> None:
    """JSON Lines in; the summary row of ``qcheck batch`` for each line, errors included."""
    profile = json.loads(json.dumps(_example_mapping(), default=str))
    bad = {"schema": "qcompliance/profile/v1", "company": {"employees": "many"}}
    with Client(server) as client:
        rows = list(client.batch([{**profile, "id": "A-1"}, bad, profile], as_of=AS_OF))
        single = client.summary(EXAMPLE, as_of=AS_OF)
    assert [r["line"] for r in rows] == [1, 2, 3]
    assert [r["id"] for r in rows] == ["A-1", "line 2", "line 3"]
    assert rows[1]["error_key"] == "company.employees"
    assert rows[1]["score"] is None
    assert rows[0]["error"] is None
    for row in (rows[0], rows[2]):
        assert row["score"] == single["score"]
        assert row["failed"] == single["failed"]
        assert row["mandatory_failures"]
        assert row["name"] == "福州闽味园食品有限公司"


def _example_mapping() -> dict[str, object]:
    import tomllib

    return tomllib.loads(EXAMPLE.read_text(encoding="utf-8"))


def test_openapi_is_served_and_committed(server: str) -> None:
    """/openapi.json is the document in docs/openapi.json (regenerate with
    ``python -m qcompliance.server.openapi > docs/openapi.json``)."""
    served = httpx.get(f"{server}/openapi.json").json()
    committed = (ROOT / "docs" / "openapi.json").read_text(encoding="utf-8")
    assert committed == openapi_text(), "docs/openapi.json is stale"
    assert served == json.loads(committed)
    paths = set(served["paths"])
    assert {"/v1/assessments", "/v1/batch", "/v1/checklists", "/v1/checklists/{id}",
            "/v1/facts", "/v1/schemas/{kind}", "/healthz", "/readyz"} <= paths


def test_access_log_is_json_without_profile_contents(logged: tuple[str, Path, Path]) -> None:
    """Every request is one JSON line; no company name, credit code or query string in it."""
    url, log, _ = logged
    with Client(url) as client:
        client.assess(EXAMPLE, as_of=AS_OF)
    httpx.post(f"{url}/v1/assessments?as_of=2026-11-20", content=b"nonsense = ",
               headers={"Content-Type": "application/toml"})
    text = log.read_text(encoding="utf-8")
    entries = [json.loads(line) for line in text.splitlines() if line.startswith("{")]
    posts = [e for e in entries if e["path"] == "/v1/assessments"]
    assert posts
    assert {"ts", "client", "method", "path", "status", "bytes_in", "bytes_out", "ms"} <= set(
        posts[0])
    assert 400 in {e["status"] for e in posts}
    for secret in ("福州闽味园", "91350100M000100Y43", "nonsense", "as_of"):
        assert secret not in text


def test_no_file_is_written(logged: tuple[str, Path, Path]) -> None:
    """Serving requests of every kind leaves the server's working folder empty."""
    url, _, cwd = logged
    with Client(url) as client:
        client.report(EXAMPLE, "xlsx", as_of=AS_OF)
        list(client.batch([_example_mapping()], as_of=AS_OF))
    httpx.post(f"{url}/v1/selfcheck/next", json={"checklists": ["cn-recall"]})
    assert list(cwd.iterdir()) == []


def _next(url: str, **data: object) -> dict[str, object]:
    response = httpx.post(f"{url}/v1/selfcheck/next",
                          json={"checklists": ["cn-recall"], "as_of": "2026-11-20", **data},
                          timeout=60)
    assert response.status_code == 200, response.text
    result: dict[str, object] = response.json()
    return result


def test_selfcheck_steps_follow_the_interview(server: str) -> None:
    """The name first, numbered "n of about N"; a wrong answer comes back with the reason;
    a gating "don't know" is asked again in plainer words under its own answer id."""
    first = _next(server)
    question = first["question"]
    assert isinstance(question, dict)
    assert question["key"] == "company.name"
    assert question["n"] == 1
    assert question["about"] >= 2
    second = _next(server, answers={"company.name": "测试食品有限公司"})["question"]
    assert isinstance(second, dict)
    assert second["n"] == 2
    bad = _next(server, answers={"company.name": "x", second["id"]: "many, many"})["question"]
    assert isinstance(bad, dict)
    assert bad["id"] == second["id"]
    # a grouped screen (several yes/no questions) shows the reason on the row it judges
    judged = {row["id"]: row for row in bad.get("rows") or [bad]}[second["id"]]
    assert judged["error"]
    assert judged["given"] == "many, many"
    gate = _next(server, answers={"company.name": "x", second["id"]: "?"})["question"]
    assert isinstance(gate, dict)
    if gate["key"] == second["key"]:  # a gating question: asked again, plainly
        assert gate["plain"] is True
        assert gate["id"] == f"{second['key']}!plain"


def test_selfcheck_resumes_from_an_imported_profile(server: str) -> None:
    """An imported profile's facts are not asked again; done gives its TOML with comments."""
    text = EXAMPLE.read_text(encoding="utf-8")
    step = _next(server, profile=text, profile_name="small-food-producer.toml")
    asked = []
    while not step["done"]:
        question = step["question"]
        assert isinstance(question, dict)
        asked.append(question["key"])
        step = _next(server, profile=text, answers={
            **dict.fromkeys(asked, "?"), **{f"{k}!plain": "?" for k in asked}})
    assert "company.name" not in asked
    toml = step["profile_toml"]
    assert isinstance(toml, str)
    assert "# 示例画像" in toml  # the imported file's own comments are kept
    bad = httpx.post(f"{server}/v1/selfcheck/next",
                     json={"profile": "schema = 1\n[company]\nemployees = 'x'\n"})
    assert bad.status_code == 422
    assert {p["line"] for p in bad.json()["problems"]} >= {3}


def test_selfcheck_check_and_no_files_from_answers(server: str, tmp_path: Path) -> None:
    """Answers are checked by parse_answer; a records answer naming a file is not read."""
    check = httpx.post(f"{server}/v1/selfcheck/check",
                       json={"key": "company.employees", "answer": "many", "lang": "en"}).json()
    assert check["ok"] is False
    assert "whole number" in check["error"]
    ok = httpx.post(f"{server}/v1/selfcheck/check",
                    json={"key": "company.employees", "answer": "68"}).json()
    assert ok == {"ok": True, "unknown": False, "value": 68}
    rows = tmp_path / "recalls.csv"
    rows.write_text("date,product\n2025-08-19,x\n", encoding="utf-8")
    step = _next(server)
    answers: dict[str, str] = {}
    met = False
    for _ in range(300):  # a bound, so that a question that never moves on fails, not hangs
        if step["done"]:
            break
        question = step["question"]
        assert isinstance(question, dict)
        if question["kind"] == "count":
            met = True
            answers[question["id"]] = str(rows)
            refused = _next(server, answers=answers)["question"]
            assert isinstance(refused, dict)
            assert refused["id"] == question["id"]
            assert refused["error"]
            break
        answers[question["id"]] = "?"
        step = _next(server, answers=answers)
    assert met, "the recall checklist should ask for a number of records"


def test_compact_view_is_the_compact_document(server: str) -> None:
    """view=compact gives what ``assessment_to_json(..., "compact", checklists)`` gives."""
    from qcompliance.reports.json import assessment_to_json as to_json

    checklists = load_checklists()
    local = evaluate(load_profile(EXAMPLE, checklists.facts), checklists, AS_OF)
    response = httpx.post(f"{server}/v1/assessments",
                          params={"view": "compact", "as_of": "2026-11-20"},
                          content=EXAMPLE.read_bytes(),
                          headers={"Content-Type": "application/toml"}, timeout=60)
    assert response.status_code == 200
    assert response.text == to_json(local, "compact", checklists)
    assert json.loads(response.text)["detail"] == "compact"
