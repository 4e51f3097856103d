"""``qcheck serve`` over real HTTP: a uvicorn server on 127.0.0.1, driven by the typed client
and by plain httpx where the raw response matters (status, headers, problem documents)."""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
import zipfile
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from serving import QCHECK, running_server

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


@pytest.fixture(scope="module")
def guarded(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A server with a token file, a small body limit, a tiny time limit and one CORS origin."""
    token_file = tmp_path_factory.mktemp("token") / "token"
    token_file.write_text(TOKEN + "\n", encoding="utf-8")
    with running_server("--token-file", str(token_file), "--max-body", "20000",
                        "--cors-origin", "https://qms.example", "--no-access-log") as url:
        yield url


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


def test_bearer_token_required(guarded: str) -> None:
    """Without the token: 401 with WWW-Authenticate; probes and the page stay open."""
    response = httpx.get(f"{guarded}/v1/checklists")
    assert response.status_code == 401
    assert response.headers["www-authenticate"].startswith("Bearer")
    assert response.headers["content-type"] == "application/problem+json"
    wrong = httpx.get(f"{guarded}/v1/checklists", headers={"Authorization": "Bearer nope"})
    assert wrong.status_code == 401
    for path in ("/healthz", "/readyz", "/", "/openapi.json"):
        assert httpx.get(guarded + path).status_code == 200, path
    with Client(guarded, token=TOKEN) as client:
        assert client.checklists()
    with Client(guarded) as client, pytest.raises(ServerError) as caught:
        client.checklists()
    assert caught.value.status == 401


def test_body_limit(guarded: str) -> None:
    """A body over --max-body is refused with 413, by Content-Length or while streaming."""
    headers = {"Authorization": f"Bearer {TOKEN}", "Content-Type": "application/toml"}
    response = httpx.post(f"{guarded}/v1/assessments", content=EXAMPLE.read_bytes() * 2,
                          headers=headers)
    assert response.status_code == 413
    assert response.headers["content-type"] == "application/problem+json"

    def chunks() -> Iterator[bytes]:  # no Content-Length: the limit holds while reading
        for _ in range(50):
            yield b"# padding " * 100 + b"\n"

    streamed = httpx.post(f"{guarded}/v1/assessments", content=chunks(), headers=headers)
    assert streamed.status_code == 413


def test_cors_only_for_the_configured_origin(server: str, guarded: str) -> None:
    """CORS headers for the configured origin only; none at all by default."""
    origin = {"Origin": "https://qms.example"}
    assert "access-control-allow-origin" not in httpx.get(f"{server}/healthz",
                                                          headers=origin).headers
    allowed = httpx.options(f"{guarded}/v1/assessments", headers={
        **origin, "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "authorization,content-type"})
    assert allowed.headers["access-control-allow-origin"] == "https://qms.example"
    other = httpx.get(f"{guarded}/healthz", headers={"Origin": "https://evil.example"})
    assert "access-control-allow-origin" not in other.headers


def test_time_limit_gives_503() -> None:
    """An evaluation that outlasts --timeout is answered 503 with Retry-After."""
    with running_server("--timeout", "0.001", "--no-access-log") as url:
        response = httpx.post(f"{url}/v1/assessments", content=EXAMPLE.read_bytes(),
                              headers={"Content-Type": "application/toml"}, timeout=60)
    assert response.status_code == 503
    assert response.headers["retry-after"] == "5"
    assert response.json()["type"] in ("urn:qcompliance:problem:time-limit",
                                       "urn:qcompliance:problem:busy")


def test_concurrency_limit_queues_requests() -> None:
    """With one evaluation slot, 12 requests at once all succeed: they wait their turn."""
    async def main(url: str) -> list[int]:
        async with httpx.AsyncClient(timeout=120) as http:
            responses = await asyncio.gather(*[
                http.post(f"{url}/v1/assessments", params={"view": "summary"},
                          content=EXAMPLE.read_bytes(),
                          headers={"Content-Type": "application/toml"})
                for _ in range(12)])
        return [r.status_code for r in responses]

    with running_server("--concurrency", "1", "--no-access-log") as url:
        assert asyncio.run(main(url)) == [200] * 12


def test_listens_on_loopback_by_default() -> None:
    """The default host is 127.0.0.1 (the server is not reachable on other addresses)."""
    from qcompliance.server.config import ServerConfig

    assert ServerConfig().host == "127.0.0.1"
    help_text = subprocess.run([str(QCHECK), "serve", "--help"], capture_output=True,
                               text=True, check=True).stdout
    assert "127.0.0.1" in help_text


@pytest.mark.parametrize("fmt", ["json", "markdown", "table"])
def test_run_with_server_prints_what_a_local_run_prints(server: str, fmt: str) -> None:
    """``qcheck run --server URL`` gives the same output and exit code as a local run."""
    args = [str(QCHECK), "run", str(EXAMPLE), "--as-of", "2026-11-20", "--format", fmt,
            "--tailoring", str(TAILORING)]
    env = {"COLUMNS": "120", "PATH": "/usr/bin:/bin"}
    local = subprocess.run(args, capture_output=True, text=True, env=env, check=False)
    remote = subprocess.run([*args, "--server", server], capture_output=True, text=True,
                            env=env, check=False)
    assert remote.stderr == local.stderr
    assert remote.returncode == local.returncode
    assert remote.stdout == local.stdout
    assert len(local.stdout) > 1000


def test_run_with_server_errors_are_one_line() -> None:
    """An unreachable server: one error line, exit code 2, no traceback."""
    run = subprocess.run([str(QCHECK), "run", str(EXAMPLE), "--server", "http://127.0.0.1:9",
                          "--lang", "en"], capture_output=True, text=True, check=False)
    assert run.returncode == 2
    assert run.stderr.startswith("qcheck: error: http://127.0.0.1:9: cannot reach the server")
    assert "Traceback" not in run.stderr


def test_version_does_not_import_the_web_stack() -> None:
    """``qcheck --version`` (and the CLI module) load neither starlette nor uvicorn."""
    code = ("import sys; from qcompliance.cli.main import app; import qcompliance.client; "
            "print(sorted(m for m in sys.modules if m.split('.')[0] in "
            "('starlette', 'uvicorn', 'fastapi')))")
    loaded = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=True).stdout.strip()
    assert loaded == "[]"
    version = subprocess.run([str(QCHECK), "--version"], capture_output=True, text=True,
                             check=True)
    assert version.stdout.startswith("qcheck ")


def test_wheel_ships_the_page(tmp_path: Path) -> None:
    """The built wheel contains the self-check page and declares the serve extra."""
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet",
                    "--disable-pip-version-check", "-w", str(tmp_path), str(ROOT)],
                   check=True, cwd=tmp_path)
    wheel = next(tmp_path.glob("qcompliance-*.whl"))
    with zipfile.ZipFile(wheel) as archive:
        names = archive.namelist()
        metadata = next(archive.read(n).decode() for n in names if n.endswith("METADATA"))
    assert "qcompliance/server/static/selfcheck.html" in names
    assert "Provides-Extra: serve" in metadata


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


def test_workers_share_the_options_and_the_token_from_the_environment() -> None:
    """With --workers 2 each worker process gets the options and QCHECK_TOKEN."""
    with running_server("--workers", "2", "--checklist", "cn-recall", "--no-access-log",
                        env={"QCHECK_TOKEN": TOKEN}) as url:
        assert httpx.get(f"{url}/v1/checklists").status_code == 401
        with Client(url, token=TOKEN) as client:
            assert [c["id"] for c in client.checklists()] == ["cn-recall"]
            assert client.summary(EXAMPLE, as_of=AS_OF)["profile_name"]


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
