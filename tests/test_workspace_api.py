"""The workspace API of a real ``qcheck serve --store`` on 127.0.0.1, on SQLite and on a
real PostgreSQL: the whole cycle, problem documents, evidence headers, and roles (a company
token never reaches another company's data on any route)."""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from pgcluster import new_database
from serving import QCHECK, running_server

ROOT = Path(__file__).resolve().parents[1]
A = "91350100M000100Y43"  # the example food producer
B = "91110000MA0000000H"  # another company
PROFILE = (ROOT / "examples" / "small-food-producer.toml").read_bytes()
TOML = {"Content-Type": "application/toml"}


def _token(url: str, *args: str) -> str:
    done = subprocess.run([str(QCHECK), "serve", "token", "create", *args, "--store", url],
                          capture_output=True, text=True, check=True)
    return done.stdout.strip()


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def workspace(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
              ) -> Iterator[tuple[str, dict[str, str]]]:
    """A server with a workspace, and tokens: admin, consultant, company A, company B."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('ws') / 'workspace.sqlite3'}"
    else:
        url = new_database(request.getfixturevalue("postgres_cluster"))
    tokens = {"admin": _token(url, "--role", "admin"),
              "consultant": _token(url, "--role", "consultant"),
              "a": _token(url, "--company", A), "b": _token(url, "--company", B)}
    with running_server("--store", url, "--no-access-log", "--max-evidence", "2000") as base:
        yield base, tokens


def _client(base: str, token: str | None) -> httpx.Client:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return httpx.Client(base_url=base, headers=headers, timeout=60)


def test_the_whole_cycle(workspace: tuple[str, dict[str, str]]) -> None:
    """Profile, assessment, history, report, plan edit, evidence and draft, as company A."""
    base, tokens = workspace
    with _client(base, tokens["a"]) as a:
        put = a.put(f"/v1/companies/{A}/profile", content=PROFILE, headers=TOML)
        assert put.status_code == 200, put.text
        assert put.json()["version"] >= 1
        made = a.post(f"/v1/companies/{A}/assessments", params={"as_of": "2026-11-20"})
        assert made.status_code == 201, made.text
        record = made.json()
        assert made.headers["location"] == f"/v1/companies/{A}/assessments/{record['id']}"
        assert record["gaps"] > 0
        history = a.get(f"/v1/companies/{A}/assessments").json()
        assert record["id"] in [h["id"] for h in history]
        html = a.get(f"/v1/companies/{A}/assessments/{record['id']}", params={"format": "html"})
        assert html.headers["content-type"].startswith("text/html")
        assert "福州闽味园食品有限公司" in html.text
        full = a.get(f"/v1/companies/{A}/assessments/{record['id']}").json()
        assert full["schema"] == "qcompliance/assessment/v1"
        assert full["profile_credit_code"] == A
        compact = a.get(f"/v1/companies/{A}/assessments/{record['id']}",
                        params={"view": "compact"}).json()
        assert compact["detail"] == "compact"
        plan = a.get(f"/v1/companies/{A}/plan").json()
        assert len([p for p in plan if p["status"] != "closed"]) == record["gaps"]
        gap = plan[0]
        assert gap["title"]["zh"]
        edited = a.patch(f"/v1/companies/{A}/plan", json={
            "item": gap["item"], "owner": "王经理", "due": "2027-03-01", "status": "in_progress"})
        assert edited.status_code == 200, edited.text
        assert edited.json()[0]["owner"] == "王经理"
        again = a.post(f"/v1/companies/{A}/assessments", params={"as_of": "2026-11-21"})
        assert again.status_code == 201
        kept = {p["item"]: p for p in a.get(f"/v1/companies/{A}/plan").json()}[gap["item"]]
        assert (kept["owner"], kept["due"], kept["status"]) == (
            "王经理", "2027-03-01", "in_progress")
        up = a.post(f"/v1/companies/{A}/evidence", params={"item": gap["item"],
                    "filename": "<script>.html"}, content=b"<script>alert(1)</script>",
                    headers={"Content-Type": "text/html"})
        assert up.status_code == 201, up.text
        assert len(up.json()["sha256"]) == 64
        got = a.get(up.headers["location"])
        assert got.content == b"<script>alert(1)</script>"
        assert got.headers["content-type"] == "application/octet-stream"
        assert got.headers["x-content-type-options"] == "nosniff"
        assert got.headers["content-disposition"].startswith("attachment;")
        assert "sandbox" in got.headers["content-security-policy"]
        listed = a.get(f"/v1/companies/{A}/evidence", params={"item": gap["item"]}).json()
        assert [e["id"] for e in listed] == [up.json()["id"]]
        too_big = a.post(f"/v1/companies/{A}/evidence", params={"item": gap["item"]},
                         content=b"x" * 2001)
        assert too_big.status_code == 413
        assert a.put(f"/v1/companies/{A}/draft", json={"answers": {"q": "是"}}).status_code == 200
        assert a.get(f"/v1/companies/{A}/draft").json() == {"answers": {"q": "是"}}
        assert a.delete(f"/v1/companies/{A}/draft").status_code == 204
        assert a.get(f"/v1/companies/{A}/draft").status_code == 404
        assert a.put(f"/v1/companies/{A}/draft", json={"answers": {"q": "否"}}).status_code == 200
        mine = a.get("/v1/companies").json()
        assert [c["uscc"] for c in mine] == [A]


def test_problems_are_problem_json(workspace: tuple[str, dict[str, str]]) -> None:
    """Bad input answers application/problem+json naming the key; never a 500."""
    base, tokens = workspace
    with _client(base, tokens["admin"]) as admin:
        bad = admin.put(f"/v1/companies/{A}/profile", content=b"[company]\nsize = 3\n",
                        headers=TOML)
        assert bad.status_code == 422
        assert bad.headers["content-type"] == "application/problem+json"
        assert any(p["key"] == "company.size" for p in bad.json()["problems"])
        wrong = admin.put(f"/v1/companies/{B}/profile", content=PROFILE, headers=TOML)
        assert wrong.status_code == 400
        assert "company.credit_code" in wrong.text
        invalid = admin.put("/v1/companies/123/profile", content=PROFILE, headers=TOML)
        assert invalid.status_code == 400
        missing = admin.get(f"/v1/companies/{A}/assessments/999999")
        assert missing.status_code == 404
        assert missing.headers["content-type"] == "application/problem+json"
        assert missing.json()["problems"][0]["message"] == (
            f"no assessment 999999 of company {A}")
        status = admin.patch(f"/v1/companies/{A}/plan", json={"item": "x", "status": "gone"})
        assert status.status_code == 400
        assert status.json()["problems"][0]["key"] == "status"
        nobody = admin.post(f"/v1/companies/{B}/assessments")
        assert nobody.status_code == 404
        assert "PUT one first" in nobody.json()["problems"][0]["message"]
        no_item = admin.patch(f"/v1/companies/{A}/plan", json={"item": "x.none", "owner": "甲"})
        assert no_item.status_code == 404
        assert no_item.json()["problems"][0]["key"] == "item"
        no_file = admin.post(f"/v1/companies/{A}/evidence", params={"item": "x.none"},
                             content=b"%PDF-1.4", headers={"Content-Type": "application/pdf"})
        assert no_file.status_code == 404


def _every_route(uscc: str) -> list[tuple[str, str, dict[str, object]]]:
    return [
        ("GET", f"/v1/companies/{uscc}/profile", {}),
        ("PUT", f"/v1/companies/{uscc}/profile", {"content": PROFILE, "headers": TOML}),
        ("POST", f"/v1/companies/{uscc}/assessments", {}),
        ("GET", f"/v1/companies/{uscc}/assessments", {}),
        ("GET", f"/v1/companies/{uscc}/assessments/1", {}),
        ("GET", f"/v1/companies/{uscc}/assessments/1?format=html", {}),
        ("GET", f"/v1/companies/{uscc}/plan", {}),
        ("PATCH", f"/v1/companies/{uscc}/plan", {"json": {"item": "x", "owner": "y"}}),
        ("POST", f"/v1/companies/{uscc}/evidence?item=x", {"content": b"data"}),
        ("GET", f"/v1/companies/{uscc}/evidence", {}),
        ("GET", f"/v1/companies/{uscc}/evidence/1", {}),
        ("GET", f"/v1/companies/{uscc}/draft", {}),
        ("PUT", f"/v1/companies/{uscc}/draft", {"json": {"answers": {}}}),
        ("DELETE", f"/v1/companies/{uscc}/draft", {}),
    ]


def test_a_company_token_never_reaches_another_company(
        workspace: tuple[str, dict[str, str]]) -> None:
    """Company B's token gets 403 on every route of company A, and sees only itself in the
    company list; no token or a made-up one gets 401."""
    base, tokens = workspace
    with _client(base, tokens["admin"]) as admin:
        admin.put(f"/v1/companies/{A}/profile", content=PROFILE, headers=TOML)
        admin.post(f"/v1/companies/{A}/assessments", params={"as_of": "2026-11-20"})
    with _client(base, tokens["b"]) as b:
        for method, path, kw in _every_route(A):
            response = b.request(method, path, **kw)  # type: ignore[arg-type]
            assert response.status_code in (403, 404), (method, path, response.status_code)
            assert A not in response.text.replace(path.split("?")[0], "")
            assert "福州" not in response.text
        listed = b.get("/v1/companies")
        assert listed.status_code == 200
        assert all(c["uscc"] == B for c in listed.json())
        assert b.post("/v1/impact", json={}).status_code in (403, 404)
    for token in (None, "qc_made-up-token-that-is-long-enough"):
        with _client(base, token) as stranger:
            for method, path, kw in [*_every_route(A), ("GET", "/v1/companies", {})]:
                response = stranger.request(method, path, **kw)  # type: ignore[arg-type]
                assert response.status_code == 401, (method, path)
    with _client(base, tokens["consultant"]) as consultant:
        seen = {c["uscc"] for c in consultant.get("/v1/companies").json()}
        assert A in seen


def test_every_workspace_route_is_in_the_openapi_document() -> None:
    """Each workspace route and method has its operation in the OpenAPI document."""
    from starlette.routing import Route

    from qcompliance.server.openapi import openapi_document
    from qcompliance.server.workspace import WORKSPACE_ROUTES

    paths = openapi_document()["paths"]
    for route in [*WORKSPACE_ROUTES, Route("/v1/impact", lambda r: None, methods=["POST"])]:
        path = route.path.replace("{id:int}", "{id}")
        assert path in paths, path
        for method in route.methods or ():
            if method != "HEAD":
                assert method.lower() in paths[path], (method, path)
