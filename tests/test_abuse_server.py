"""``qcheck serve`` under abuse, on real servers on 127.0.0.1: bad lines in /v1/batch are rows
and the stream goes on, hostile JSON bodies are 4xx never 500, a large batch body keeps memory
flat, slow headers and bodies time out, one client cannot fill the connections of others, and
the token rules hold. Every loop here is bounded in count and in time."""

from __future__ import annotations

import contextlib
import json
import os
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from serving import QCHECK, running_server

from conftest import ROOT

pytestmark = pytest.mark.slow

EXAMPLE = ROOT / "examples" / "small-food-producer.toml"
AS_OF = "2026-11-20"


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    """A server with small caps so that each one is cheap to reach."""
    with running_server("--no-access-log", "--max-batch-lines", "400",
                        "--max-batch-body", "5000000") as url:
        yield url


def _profile_line(ident: str) -> bytes:
    import tomllib

    data = tomllib.loads(EXAMPLE.read_text(encoding="utf-8"))
    return json.dumps({**data, "id": ident}, default=str, ensure_ascii=False).encode() + b"\n"


BAD_LINES: list[tuple[bytes, str]] = [
    (b"[" * 100_000 + b"]" * 100_000, "nested deeper than 32 levels"),
    (b'{"company": {"employees": ' + b"9" * 5000 + b"}}",
     "invalid JSON: number out of range (at most 9007199254740991 in size)"),
    (b'{"id": "\\ud800", "company": {}}',
     "holds an unpaired surrogate (\\ud800-\\udfff), not text"),
    (b'{"id": "x\xff", "company": {}}', "is not UTF-8 text (byte 9)"),
    (b'{"company": {}, "company": {}}', "invalid JSON: duplicate key 'company'"),
    (b"[1, 2]", "each line must be a JSON object (one profile)"),
    (b'{"id": "a", "pad": "' + b"x" * 1_100_000 + b'"}', "the line is longer than 1 MiB"),
]


def test_bad_lines_are_rows_and_the_stream_goes_on(server: str) -> None:
    """Each hostile line gives one error row naming its line; the good lines after it are
    evaluated; the response is complete."""
    body = _profile_line("first")
    for raw, _ in BAD_LINES:
        body += raw + b"\n"
    body += _profile_line("last")
    response = httpx.post(f"{server}/v1/batch", params={"as_of": AS_OF}, content=body,
                          headers={"Content-Type": "application/x-ndjson"}, timeout=120)
    assert response.status_code == 200
    rows = [json.loads(line) for line in response.text.splitlines()]
    assert [r["line"] for r in rows] == list(range(1, len(BAD_LINES) + 3))
    assert [rows[0]["id"], rows[0]["error"]] == ["first", None]
    assert [rows[-1]["id"], rows[-1]["error"]] == ["last", None]
    for row, (_, message) in zip(rows[1:-1], BAD_LINES, strict=True):
        assert row["id"] == f"line {row['line']}"
        assert row["score"] is None
        assert row["error"] == message, row


@pytest.mark.parametrize(("body", "status", "text"), [
    (b'{"answers": {}, "x": ' + b"[" * 50_000 + b"]" * 50_000 + b"}", 400,
     "nested deeper than 32 levels"),
    (b'{"as_of": ' + b"1" * 5000 + b"}", 400, "number out of range"),
    (b'{"answers": "\xff"}', 400, "is not UTF-8 text"),
    (b'{"a": 1, "a": 2}', 400, "duplicate key 'a'"),
    (b'{"answers": {"company.name": "\\udc00"}}', 422, "unpaired surrogate"),
    (b"[]", 422, "the top level must be a JSON object"),
])
@pytest.mark.parametrize("path", ["/v1/selfcheck/next", "/v1/selfcheck/check"])
def test_selfcheck_bodies_are_refused_not_500(server: str, path: str, body: bytes,
                                              status: int, text: str) -> None:
    """The self-check endpoints answer a problem document, never a 500."""
    response = httpx.post(server + path, content=body,
                          headers={"Content-Type": "application/json"}, timeout=30)
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert text in response.text


def test_too_many_lines_is_413(server: str) -> None:
    """A body of more lines than --max-batch-lines is refused before anything is evaluated."""
    response = httpx.post(f"{server}/v1/batch", content=b"\n" * 1000, timeout=30)
    assert response.status_code == 413
    assert response.json()["detail"] == "the limit is 400 lines a request"


def _peak_rss_kib(pid: int) -> int:
    """The peak resident memory of process ``pid`` (VmHWM), in KiB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    raise AssertionError("no VmHWM")


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="needs Linux /proc")
def test_batch_memory_stays_flat() -> None:
    """A 40 MB /v1/batch body (200 lines of 200 kB) and a 45 MB body of blank lines (refused
    by its line count) raise the server's peak memory by less than 100 MiB: the body is
    spooled, and one line is read at a time."""
    line = b'{"id": "x", "company": {"name": "' + b"y" * 200_000 + b'"}}\n'
    with running_server("--no-access-log", "--max-batch-lines", "300") as url:
        pid = _server_pid(url)
        idle = _peak_rss_kib(pid)
        with httpx.stream("POST", f"{url}/v1/batch", params={"as_of": AS_OF},
                          content=line * 200, timeout=300) as response:
            assert response.status_code == 200
            rows = [json.loads(r) for r in response.iter_lines() if r.strip()]
        blank = httpx.post(f"{url}/v1/batch", content=b"\n" * 45_000_000, timeout=300)
        peak = _peak_rss_kib(pid)
    assert len(rows) == 200
    assert blank.status_code == 413
    assert (peak - idle) < 100 * 1024, f"peak grew by {(peak - idle) // 1024} MiB"


def _server_pid(url: str) -> int:
    """The pid of the process listening on ``url``'s port (from /proc/net/tcp)."""
    port = int(url.rsplit(":", 1)[1])
    inodes = set()
    for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
        fields = line.split()
        if int(fields[1].split(":")[1], 16) == port and fields[3] == "0A":
            inodes.add(fields[9])
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            for fd in (entry / "fd").iterdir():
                target = os.readlink(fd)
                if target.startswith("socket:[") and target[8:-1] in inodes:
                    return int(entry.name)
        except OSError:
            continue
    raise AssertionError("no process listens on the port")


def _connect(url: str, source: str) -> socket.socket:
    host, port = url.removeprefix("http://").rsplit(":", 1)
    sock = socket.socket()
    sock.settimeout(20)
    sock.bind((source, 0))
    sock.connect((host, int(port)))
    return sock


def _can_bind(address: str) -> bool:
    try:
        with socket.socket() as sock:
            sock.bind((address, 0))
    except OSError:
        return False
    return True


@pytest.mark.skipif(not _can_bind("127.0.0.2"), reason="needs 127.0.0.2 on the loopback")
def test_slowloris_from_one_client_does_not_lock_out_another() -> None:
    """One client (127.0.0.2) opens 40 connections and sends half a request on each: past its
    8 connections it is refused with 429 at once, the half-sent ones get 408 when the header
    deadline passes, and meanwhile another client (127.0.0.1) is answered every time."""
    with running_server("--no-access-log", "--max-client-connections", "8",
                        "--header-timeout", "3", "--max-connections", "30") as url:
        attackers = []
        try:
            for _ in range(40):
                sock = _connect(url, "127.0.0.2")
                sock.sendall(b"POST /v1/assessments HTTP/1.1\r\nHost: x\r\n")
                attackers.append(sock)
            answers = [httpx.get(f"{url}/healthz", timeout=10).status_code for _ in range(5)]
            summary = httpx.post(f"{url}/v1/assessments", params={"view": "summary",
                                                                   "as_of": AS_OF},
                                 content=EXAMPLE.read_bytes(),
                                 headers={"Content-Type": "application/toml"}, timeout=60)
            firsts = []
            for sock in attackers:
                chunk = b""
                with contextlib.suppress(OSError):
                    chunk = sock.recv(64)
                firsts.append(chunk.split(b"\r\n", 1)[0])
        finally:
            for sock in attackers:
                sock.close()
    assert answers == [200] * 5
    assert summary.status_code == 200
    assert firsts.count(b"HTTP/1.1 429 Too Many Requests") == 32
    assert firsts.count(b"HTTP/1.1 408 Request Timeout") == 8


def test_slow_body_times_out() -> None:
    """A body that stops arriving gets 408 when --body-timeout passes."""
    with running_server("--no-access-log", "--body-timeout", "2") as url:
        sock = _connect(url, "127.0.0.1")
        try:
            sock.sendall(b"POST /v1/assessments HTTP/1.1\r\nHost: x\r\n"
                         b"Content-Type: application/toml\r\nContent-Length: 1000\r\n\r\nab")
            data = b""
            deadline = time.monotonic() + 20
            while b"\r\n\r\n" not in data and time.monotonic() < deadline:
                chunk = sock.recv(4096)
                if not chunk:
                    break
                data += chunk
        finally:
            sock.close()
    assert data.startswith(b"HTTP/1.1 408 ")
    assert b"application/problem+json" in data


def _serve_error(*args: str, env: dict[str, str] | None = None) -> tuple[int, str]:
    done = subprocess.run([str(QCHECK), "serve", "--port", "0", *args], capture_output=True,
                          text=True, timeout=60, env={**os.environ, **(env or {})})
    return done.returncode, done.stderr


def test_short_environment_token_is_refused() -> None:
    """QCHECK_TOKEN obeys the same 16-character minimum as --token-file."""
    code, err = _serve_error(env={"QCHECK_TOKEN": "abc"})
    assert code == 2
    assert err == "qcheck: 错误：QCHECK_TOKEN: 令牌至少需要 16 个字符\n"


def test_network_bind_without_token_is_refused() -> None:
    """--host 0.0.0.0 without a token exits 2 at once, naming the way out."""
    code, err = _serve_error("--host", "0.0.0.0", env={"QCHECK_TOKEN": ""})
    assert code == 2
    assert err.count("\n") == 1
    assert err.startswith("qcheck: 错误：--host: 在 0.0.0.0 上监听而不设令牌")
    assert "--insecure-no-token" in err


HOSTILE = [b"", b"\xff\xfe", b"null", b"[]", b'"x"', b"1e999", b"NaN", b'{"a": NaN}',
           b'{"profile": 1}', b'{"profile": "\\u0000"}', b'{"profile": {"a": "\\ud800"}}',
           b'{"answers": [1]}', b'{"key": 1, "answer": 2}', b'{"key": "x", "answer": "y"}',
           b'{"checklists": "cn-recall"}', b'{"checklists": [1]}', b'{"as_of": "9999-99-99"}',
           b'{"as_of": 5}', b'{"lang": {"x": 1}}', b'{"quick": "yes", "profile": 7}',
           b"\xef\xbb\xbf{}", b"{" * 40 + b"}" * 40]


@pytest.mark.parametrize("path", ["/v1/assessments", "/v1/selfcheck/next",
                                  "/v1/selfcheck/check", "/v1/batch"])
def test_no_hostile_body_gives_500(server: str, path: str) -> None:
    """A list of malformed and mistyped JSON bodies: every answer is below 500 (the batch
    streams a row for the line), and the server still answers after them."""
    statuses = []
    for body in HOSTILE:
        response = httpx.post(server + path, content=body, timeout=30,
                              headers={"Content-Type": "application/json"})
        statuses.append(response.status_code)
        if path == "/v1/batch" and response.status_code == 200:
            assert all(json.loads(line)["line"] == 1 for line in response.text.splitlines())
    assert max(statuses) < 500, list(zip(HOSTILE, statuses, strict=True))
    assert httpx.get(server + "/healthz", timeout=10).status_code == 200


def test_batch_time_limit_turns_the_rest_into_error_rows() -> None:
    """Once --batch-timeout has passed, each line left is an error row of the summary's shape
    under the caller's id (the line is read, not evaluated); the stream ends whole."""
    with running_server("--no-access-log", "--batch-timeout", "0") as url:
        response = httpx.post(f"{url}/v1/batch", params={"as_of": AS_OF},
                              content=_profile_line("a") + _profile_line("b"), timeout=60)
    assert response.status_code == 200
    rows = [json.loads(line) for line in response.text.splitlines()]
    assert [(r["id"], r["line"]) for r in rows] == [("a", 1), ("b", 2)]
    assert all("not evaluated: the batch time limit of 0 s was reached" in r["error"]
               for r in rows)


def test_one_client_never_holds_every_slot() -> None:
    """With 3 slots and a share of 2 per client, a client whose 2 evaluations block has its
    third wait, while another client's evaluation runs at once."""
    import asyncio
    import threading

    from qcompliance.server.limits import Slots

    release = threading.Event()
    order: list[str] = []

    def work(name: str) -> str:
        order.append(f"start {name}")
        if name.startswith("a"):
            release.wait(30)
        return name

    async def main() -> list[str]:
        slots = Slots(3, timeout=30, per_client=2)
        first = [asyncio.create_task(slots.run(work, f"a{i}", client="10.0.0.1"))
                 for i in range(3)]
        while order.count("start a0") + order.count("start a1") < 2:
            await asyncio.sleep(0.01)
        other = await slots.run(work, "b", client="10.0.0.2")
        assert "start a2" not in order  # still waiting for its client's share
        release.set()
        done = await asyncio.gather(*first)
        slots.close()
        return [other, *done]

    assert asyncio.run(main()) == ["b", "a0", "a1", "a2"]
    assert order.index("start b") < order.index("start a2")
