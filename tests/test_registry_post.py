"""Posting assessments to a QMS endpoint: a real server on 127.0.0.1, then MockTransport."""

from __future__ import annotations

import asyncio
import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from conftest import ASSETS
from packserver import PackServer, Reply, serve
from qcompliance import Assessment, assessment_to_json, evaluate, load_checklists, load_profile
from qcompliance.registry import (
    Delivery,
    DeliveryError,
    apost_assessment,
    idempotency_key,
    post_assessment,
)


@pytest.fixture(scope="module")
def assessment() -> Assessment:
    """The mini profile assessed against the mini checklist."""
    checklists = load_checklists([ASSETS / "mini.toml"])
    profile = load_profile(ASSETS / "mini-profile.toml", checklists.facts)
    return evaluate(profile, checklists, dt.date(2026, 11, 20))


@pytest.fixture
def qms(tmp_path: Path) -> Iterator[PackServer]:
    """The test server playing a QMS endpoint at /qms."""
    yield from serve(tmp_path)


def post(assessment: Assessment | str, qms: PackServer, **kw: object) -> Delivery:
    """post_assessment to the test endpoint with the right token and no real waiting."""
    options: dict[str, object] = {"environ": {"QCOMPLIANCE_TOKEN": qms.token},
                                  "backoff": 0.01, "sleep": lambda s: None, "timeout": 2.0}
    options.update(kw)
    return post_assessment(assessment, qms.url("qms"), **options)  # type: ignore[arg-type]


def test_delivered_with_token_and_key(assessment: Assessment, qms: PackServer) -> None:
    """The body is the assessment JSON, with the bearer token and its content's sha256 as
    the idempotency key."""
    delivery = post(assessment, qms)
    body = assessment_to_json(assessment).encode()
    request = qms.requests[-1]
    assert request.body == body
    assert request.headers["Authorization"] == "Bearer s3cret"
    assert request.headers["Idempotency-Key"] == idempotency_key(body)
    assert request.headers["Content-Type"].startswith("application/json")
    assert delivery.status == 201
    assert qms.stored == {idempotency_key(body): body}


def test_401_is_final_and_names_the_variable(assessment: Assessment, qms: PackServer) -> None:
    """A wrong token gets 401: not retried, and the message names the token variable."""
    with pytest.raises(DeliveryError, match=r"HTTP 401 Unauthorized \(check the token in "
                                            r"\$QCOMPLIANCE_TOKEN\)"):
        post(assessment, qms, environ={"QCOMPLIANCE_TOKEN": "wrong"})
    assert qms.count("qms", "POST") == 1
    with pytest.raises(DeliveryError, match=r"no token: set \$QMS_TOKEN"):
        post(assessment, qms, environ={}, token_env="QMS_TOKEN")


def test_503_then_success(assessment: Assessment, qms: PackServer) -> None:
    """503 twice, then accepted: three attempts with the same idempotency key."""
    qms.script("qms", Reply(503, b"busy"), Reply(503, b"busy"), Reply())
    delays: list[float] = []
    delivery = post(assessment, qms, sleep=delays.append)
    assert delivery.attempts == 3
    assert delays == [0.01, 0.02]
    keys = {r.headers["Idempotency-Key"] for r in qms.requests}
    assert len(keys) == 1
    assert len(qms.stored) == 1


def test_undeliverable_after_retries(assessment: Assessment, qms: PackServer) -> None:
    """An endpoint that keeps answering 503: a bounded number of attempts, then an error."""
    qms.script("qms", Reply(503, b"busy"))
    with pytest.raises(DeliveryError, match="not delivered after 3 attempts: HTTP 503"):
        post(assessment, qms, retries=2)
    assert qms.count("qms", "POST") == 3


def test_duplicate_post_is_harmless(assessment: Assessment, qms: PackServer) -> None:
    """Posting the same assessment twice sends the same key; the endpoint stores it once
    and says the second was a duplicate."""
    first = post(assessment, qms)
    second = post(assessment, qms)
    assert len(qms.stored) == 1
    assert json.loads(second.response)["duplicate"] is True
    assert json.loads(first.response)["id"] == json.loads(second.response)["id"]


def test_connection_refused(assessment: Assessment) -> None:
    """Nobody listening: retried, then one error naming the URL."""
    with pytest.raises(DeliveryError, match=r"127\.0\.0\.1:9/qms: .*cannot connect"):
        post_assessment(assessment, "http://127.0.0.1:9/qms", retries=1,
                        sleep=lambda s: None, timeout=2.0)


def test_token_never_from_arguments() -> None:
    """post_assessment has no parameter that takes the token itself."""
    import inspect

    params = inspect.signature(post_assessment).parameters
    assert "token" not in params
    assert "token_env" in params


def test_async_post_503_then_success_and_duplicate(assessment: Assessment, qms: PackServer
                                                  ) -> None:
    """apost_assessment: a 503 is retried; posting again is a harmless duplicate."""
    qms.script("qms", Reply(503, b"busy"), Reply())
    delays: list[float] = []

    async def sleep(seconds: float) -> None:
        delays.append(seconds)

    async def main() -> tuple[int, int]:
        options = {"environ": {"QCOMPLIANCE_TOKEN": qms.token}, "backoff": 0.01,
                   "sleep": sleep, "timeout": 2.0}
        first = await apost_assessment(assessment, qms.url("qms"), **options)  # type: ignore[arg-type]
        second = await apost_assessment(assessment, qms.url("qms"), **options)  # type: ignore[arg-type]
        return first.status, second.status

    assert asyncio.run(main()) == (201, 200)
    assert delays == [0.01]
    assert len(qms.stored) == 1


def test_async_post_401(assessment: Assessment, qms: PackServer) -> None:
    """apost_assessment reports a refused token like the sync function."""
    with pytest.raises(DeliveryError, match="HTTP 401 Unauthorized"):
        asyncio.run(apost_assessment(assessment, qms.url("qms"), environ={}, timeout=2.0))


# --- MockTransport: the same client logic without sockets ---------------------------------


def test_mock_retries_on_connect_error(assessment: Assessment) -> None:
    """A connection error, then 200: delivered on the second attempt."""
    calls: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(request)
        if len(calls) == 1:
            raise httpx.ConnectError("refused", request=request)
        return httpx.Response(200, json={"ok": True})

    delivery = post_assessment(assessment, "https://qms.example/api", environ={},
                               transport=httpx.MockTransport(handler), sleep=lambda s: None)
    assert delivery.attempts == 2
    assert "Authorization" not in calls[0].headers


def test_mock_400_is_final(assessment: Assessment) -> None:
    """A 4xx other than 429 is not retried."""
    calls: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(request)
        return httpx.Response(422, json={"error": "schema"})

    with pytest.raises(DeliveryError, match="HTTP 422"):
        post_assessment(assessment, "https://qms.example/api",
                        transport=httpx.MockTransport(handler), sleep=lambda s: None)
    assert len(calls) == 1


def test_mock_429_is_retried(assessment: Assessment) -> None:
    """429 Too Many Requests is retried like a 5xx."""
    answers = iter([429, 201])

    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(next(answers))

    delivery = post_assessment(assessment, "https://qms.example/api",
                               transport=httpx.MockTransport(handler), sleep=lambda s: None)
    assert (delivery.status, delivery.attempts) == (201, 2)


def test_key_depends_on_content(assessment: Assessment) -> None:
    """Different assessments have different keys; the JSON text and the model agree."""
    text = assessment_to_json(assessment)
    other = text.replace('"2026-11-20"', '"2026-11-21"', 1)
    assert idempotency_key(text.encode()) != idempotency_key(other.encode())
    sent: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        sent.append(request.headers["Idempotency-Key"])
        return httpx.Response(200)

    for body in (assessment, text):
        post_assessment(body, "https://qms.example/api", transport=httpx.MockTransport(handler))
    assert sent == [idempotency_key(text.encode())] * 2


def test_only_http_urls(assessment: Assessment) -> None:
    """file:// and other schemes are refused."""
    with pytest.raises(DeliveryError, match="only http"):
        post_assessment(assessment, "file:///etc/passwd")
