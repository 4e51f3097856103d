"""Deploying ``qcheck serve``: the bearer token, body, time and concurrency limits, CORS, the
loopback default, worker processes, ``qcheck run --server`` and the packaged page."""

# The fixtures imported from test_server are named again as test parameters (F811).
# ruff: noqa: F811

from __future__ import annotations

import asyncio
import subprocess
import sys
import zipfile
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from serving import QCHECK, running_server
from test_server import EXAMPLE, TAILORING, TOKEN, logged, server  # noqa: F401  (fixtures)

from conftest import AS_OF, ROOT
from qcompliance.client import Client, ServerError

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def guarded(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A server with a token file, a small body limit, a tiny time limit and one CORS origin."""
    token_file = tmp_path_factory.mktemp("token") / "token"
    token_file.write_text(TOKEN + "\n", encoding="utf-8")
    with running_server("--token-file", str(token_file), "--max-body", "20000",
                        "--cors-origin", "https://qms.example", "--no-access-log") as url:
        yield url


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


def test_workers_share_the_options_and_the_token_from_the_environment() -> None:
    """With --workers 2 each worker process gets the options and QCHECK_TOKEN."""
    with running_server("--workers", "2", "--checklist", "cn-recall", "--no-access-log",
                        env={"QCHECK_TOKEN": TOKEN}) as url:
        assert httpx.get(f"{url}/v1/checklists").status_code == 401
        with Client(url, token=TOKEN) as client:
            assert [c["id"] for c in client.checklists()] == ["cn-recall"]
            assert client.summary(EXAMPLE, as_of=AS_OF)["profile_name"]
