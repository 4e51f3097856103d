"""The typed client follows httpx's conventions and load_profile's inputs, and raises only the
library's errors: tested against a real server (and, for what is sent, a mock transport)."""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import tomllib
from serving import running_server

from qcompliance import evaluate, load_checklists, load_profile
from qcompliance.client import AsyncClient, Client, ServerError, from_text
from qcompliance.errors import InputError, ParseError, QComplianceError, UsageError

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "small-food-producer.toml"
AS_OF = dt.date(2026, 11, 20)


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    """A real server without a token."""
    with running_server("--no-access-log") as url:
        yield url


def test_profile_inputs_are_those_of_load_profile(server: str) -> None:
    """A mapping holding dates (as tomllib gives it), a path as str or Path, and text made
    explicit with from_text all evaluate as load_profile reads them."""
    checklists = load_checklists()
    data = tomllib.loads(EXAMPLE.read_text(encoding="utf-8"))
    local = evaluate(load_profile(data, checklists.facts), checklists, AS_OF)
    with Client(server) as client:
        from_mapping = client.assess(data, as_of=AS_OF)
        by_str = client.summary(str(EXAMPLE), as_of=AS_OF)
        by_text = client.summary(from_text(EXAMPLE.read_text(encoding="utf-8")), as_of=AS_OF)
    assert from_mapping.overall == local.overall
    assert by_str["score"] == by_text["score"] == local.overall.score
    assert by_str["profile_sha256"] == by_text["profile_sha256"]


def test_bad_inputs_raise_the_librarys_errors(server: str) -> None:
    """Never a raw TypeError: a missing file, a value JSON cannot carry, an argument of the
    wrong kind and bad TOML text each raise a QComplianceError naming what is wrong."""
    with Client(server) as client:
        with pytest.raises(InputError, match=r"no/such\.toml"):
            client.assess("no/such.toml")
        with pytest.raises(InputError, match="cannot be sent as JSON"):
            client.assess({"schema": "qcompliance/profile/v1", "company": {"x": {1, 2}}})
        with pytest.raises(UsageError, match="profile"):
            client.assess(42)  # type: ignore[arg-type]
        with pytest.raises(UsageError, match="as_of"):
            client.summary(EXAMPLE, as_of=20261120)  # type: ignore[arg-type]
        with pytest.raises(ParseError) as caught:
            client.assess(from_text('schema = "qcompliance/profile/v1"\n[company\n'))
        assert caught.value.problems[0].line == 2
        with pytest.raises(UsageError):
            list(client.batch(["not a mapping"]))  # type: ignore[list-item]
    with pytest.raises(ServerError, match="cannot reach"), \
            Client("http://127.0.0.1:9", timeout=httpx.Timeout(2.0, connect=1.0)) as client:
        client.health()
    assert issubclass(ServerError, QComplianceError)


def test_httpx_options_and_an_injected_client(server: str) -> None:
    """headers and the token go with every request; an httpx.Client of one's own is used and
    left open; transport and http together are refused."""
    seen: list[httpx.Request] = []
    with httpx.Client(event_hooks={"request": [seen.append]}, timeout=httpx.Timeout(30)
                      ) as http:
        with Client(server, http=http, headers={"X-Request-Id": "r-1"}, token="t" * 20
                    ) as client:
            assert client.health()["status"] == "ok"
            rows = list(client.batch([{"schema": "qcompliance/profile/v1", "id": "c-1",
                                       "cqo": {"appointed_on": dt.date(2024, 3, 1)}}],
                                     as_of=AS_OF))
        assert not http.is_closed
    assert rows[0]["id"] == "c-1"
    assert all(r.headers["x-request-id"] == "r-1" for r in seen)
    assert all(r.headers["authorization"] == "Bearer " + "t" * 20 for r in seen)
    with pytest.raises(UsageError):
        Client(server, http=httpx.Client(), transport=httpx.MockTransport(lambda r: None))  # type: ignore[arg-type,return-value]


def test_verify_and_timeout_reach_httpx() -> None:
    """verify and an httpx.Timeout are httpx's own options (a mock transport sees the
    request; the timeout is the one given)."""
    sent: list[httpx.Request] = []

    def answer(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        return httpx.Response(200, json={"status": "ok", "version": "x"})

    timeout = httpx.Timeout(5.0, connect=1.0)
    with Client("https://qcheck.example", timeout=timeout, verify=False,
                transport=httpx.MockTransport(answer)) as client:
        assert client.health() == {"status": "ok", "version": "x"}
        assert client._http.timeout == timeout
    assert str(sent[0].url) == "https://qcheck.example/healthz"
    assert sent[0].extensions["timeout"]["connect"] == 1.0


def test_async_client_with_an_injected_asgi_client() -> None:
    """AsyncClient over an injected httpx.AsyncClient on the ASGI app itself."""
    from qcompliance.server.app import create_app

    async def main() -> tuple[dict[str, object], list[dict[str, object]]]:
        transport = httpx.ASGITransport(app=create_app())
        async with httpx.AsyncClient(transport=transport) as http, \
                AsyncClient("http://qcheck.test", http=http) as client:
            summary = await client.summary(EXAMPLE, as_of=AS_OF)
            rows = [r async for r in client.batch([{"schema": "qcompliance/profile/v1"}])]
            return dict(summary), [dict(r) for r in rows]

    summary, rows = asyncio.run(main())
    assert summary["schema"] == "qcompliance/assessment-summary/v1"
    assert rows[0]["id"] == "line 1"


def test_a_token_never_crosses_the_network_over_plain_http() -> None:
    """A token bound for another machine over http:// is refused before anything is sent,
    unless the caller accepts the risk; https:// and loopback are fine."""
    sent: list[httpx.Request] = []

    def answer(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        return httpx.Response(200, json={"status": "ok", "version": "x"})

    token = "t" * 16
    with Client("http://192.0.2.10:8000", token=token,
                transport=httpx.MockTransport(answer)) as client, \
            pytest.raises(UsageError, match="unencrypted"):
        client.health()
    assert sent == []
    for url, allowed in (("http://192.0.2.10:8000", True), ("https://192.0.2.10", False),
                         ("http://127.0.0.1:8000", False)):
        with Client(url, token=token, allow_plain_http=allowed,
                    transport=httpx.MockTransport(answer)) as client:
            client.health()
    assert [r.headers["Authorization"] for r in sent] == [f"Bearer {token}"] * 3
