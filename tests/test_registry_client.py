"""RegistryClient unit tests on httpx.MockTransport, and the proxy taken from the environment."""

from __future__ import annotations

import hashlib
import json
import ssl
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import trustme

from packserver import PackServer, Reply, copy_pack, serve
from qcompliance.registry import Cache, RegistryClient, RegistryError
from qcompliance.registry.build import build_pack


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[bytes, bytes]:
    """The index and archive bytes of acme 1.0."""
    tmp = tmp_path_factory.mktemp("built")
    result = build_pack(copy_pack(tmp), tmp / "site")
    return (tmp / "site" / "index.json").read_bytes(), result.archive.read_bytes()


def mock(routes: dict[str, list[httpx.Response | Exception]]) -> httpx.MockTransport:
    """A transport answering each path with its responses in turn (the last repeats)."""
    def handler(request: httpx.Request) -> httpx.Response:
        queue = routes[request.url.path]
        answer = queue.pop(0) if len(queue) > 1 else queue[0]
        if isinstance(answer, Exception):
            raise answer
        return answer

    return httpx.MockTransport(handler)


def make(tmp_path: Path, transport: httpx.MockTransport, **kw: object) -> RegistryClient:
    """A client of https://packs.example with the mock transport and no waiting."""
    return RegistryClient("https://packs.example/q/index.json", cache=Cache(tmp_path / "c"),
                          transport=transport, sleep=lambda s: None, **kw)  # type: ignore[arg-type]


def test_archive_url_is_relative_to_index(tmp_path: Path, built: tuple[bytes, bytes]) -> None:
    """The archive is fetched beside the index, and installed."""
    index, archive = built
    seen: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(str(request.url))
        return httpx.Response(200, content=index if request.url.path.endswith("json")
                              else archive)

    with make(tmp_path, httpx.MockTransport(handler)) as client:
        pack = client.pull("acme", "1.0")
    assert seen == ["https://packs.example/q/index.json",
                    "https://packs.example/q/acme-1.0.tar.gz"]
    assert pack.sha256 == hashlib.sha256(archive).hexdigest()
    assert "qcompliance/" in client._http.headers["User-Agent"]


@pytest.mark.parametrize(("error", "message"), [
    (httpx.ConnectError("refused"), "cannot connect"),
    (httpx.ConnectTimeout("slow"), "timed out connecting"),
    (httpx.ReadTimeout("slow"), "timed out waiting"),
    (httpx.RemoteProtocolError("cut"), "the connection broke off"),
])
def test_transport_errors_are_retried_then_reported(tmp_path: Path, error: Exception,
                                                    message: str) -> None:
    """Each kind of connection failure is retried and then reported in one line."""
    routes: dict[str, list[httpx.Response | Exception]] = {"/q/index.json": [error]}
    with make(tmp_path, mock(routes), retries=2) as client, pytest.raises(
            RegistryError, match=rf"index\.json: {message}.* after 3 attempts"):
        client.index()


def test_content_length_over_limit_is_refused_early(tmp_path: Path,
                                                    built: tuple[bytes, bytes]) -> None:
    """A Content-Length above max_size is refused from the headers."""
    index, _ = built
    data = json.loads(index)
    data["packs"][0]["size"] = 10
    routes: dict[str, list[httpx.Response | Exception]] = {
        "/q/index.json": [httpx.Response(200, json=data)],
        "/q/acme-1.0.tar.gz": [httpx.Response(200, content=b"x" * 50)],
    }
    with make(tmp_path, mock(routes), max_size=20) as client, pytest.raises(
            RegistryError, match="larger than the limit of 20"):
        client.pull("acme")


def test_index_with_bad_digest_is_refused(tmp_path: Path, built: tuple[bytes, bytes]) -> None:
    """An index whose sha256 is not 64 hex digits names the key."""
    index, _ = built
    data = json.loads(index)
    data["packs"][0]["sha256"] = "abc"
    routes: dict[str, list[httpx.Response | Exception]] = {
        "/q/index.json": [httpx.Response(200, json=data)]}
    with make(tmp_path, mock(routes)) as client, pytest.raises(
            RegistryError, match=r"packs\[0\]\.sha256: sha256 must be 64"):
        client.index()


def test_only_http_urls(tmp_path: Path) -> None:
    """An index URL that is not http(s) is refused before anything is fetched."""
    with pytest.raises(RegistryError, match="only http"):
        RegistryClient("file:///etc/index.json", cache=Cache(tmp_path))


@pytest.fixture(scope="module")
def ca() -> trustme.CA:
    """A certificate authority nobody trusts but the tests that are given it."""
    return trustme.CA()


@pytest.fixture
def https(tmp_path: Path, ca: trustme.CA, built: tuple[bytes, bytes]) -> Iterator[PackServer]:
    """The test server over HTTPS with a certificate for 127.0.0.1 from ``ca``."""
    index, archive = built
    (tmp_path / "index.json").write_bytes(index)
    (tmp_path / "acme-1.0.tar.gz").write_bytes(archive)
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ca.issue_cert("127.0.0.1").configure_cert(context)
    yield from serve(tmp_path, tls=context)


def test_tls_certificate_is_verified(https: PackServer, tmp_path: Path) -> None:
    """By default a certificate from an unknown CA is refused at once (no retries), and
    nothing is installed."""
    cache = Cache(tmp_path / "c")
    with RegistryClient(https.url("index.json"), cache=cache, timeout=5.0,
                        sleep=lambda s: pytest.fail("a certificate failure is not retried")
                        ) as client, pytest.raises(
            RegistryError, match="TLS certificate is not trusted; give the CA"):
        client.pull("acme")
    assert cache.get("acme") is None


def test_tls_with_trusted_ca(https: PackServer, ca: trustme.CA, tmp_path: Path) -> None:
    """Given the CA in an SSLContext, the same server is trusted and the pull succeeds."""
    context = ssl.create_default_context()
    ca.configure_trust(context)
    with RegistryClient(https.url("index.json"), cache=Cache(tmp_path / "c"), timeout=5.0,
                        verify=context) as client:
        assert client.pull("acme").version == "1.0"


def test_post_over_tls_is_verified(https: PackServer) -> None:
    """post_assessment refuses an untrusted certificate too, in one line."""
    from qcompliance.registry import DeliveryError, post_assessment

    with pytest.raises(DeliveryError, match="not delivered: the server's TLS certificate"):
        post_assessment(b"{}", https.url("qms"), timeout=5.0,
                        sleep=lambda s: pytest.fail("not retried"))


@pytest.fixture
def proxy(tmp_path: Path) -> Iterator[PackServer]:
    """The test server, used as an HTTP proxy."""
    yield from serve(tmp_path)


def test_proxy_from_environment(tmp_path: Path, proxy: PackServer, built: tuple[bytes, bytes],
                                monkeypatch: pytest.MonkeyPatch) -> None:
    """With HTTP_PROXY set, requests go through the proxy (a real one on 127.0.0.1 here)."""
    index, archive = built
    proxy.scripts["http://registry.invalid/index.json"] = [Reply(body=index)]
    proxy.scripts["http://registry.invalid/acme-1.0.tar.gz"] = [Reply(body=archive)]
    monkeypatch.setenv("HTTP_PROXY", proxy.base)
    monkeypatch.delenv("NO_PROXY", raising=False)
    monkeypatch.delenv("no_proxy", raising=False)
    with RegistryClient("http://registry.invalid/index.json", cache=Cache(tmp_path / "c"),
                        timeout=2.0) as client:
        pack = client.pull("acme")
    assert pack.version == "1.0"
    assert [r.path for r in proxy.requests] == ["http://registry.invalid/index.json",
                                                "http://registry.invalid/acme-1.0.tar.gz"]


def test_retry_after_is_honoured_within_bounds(tmp_path: Path) -> None:
    """A 503 with Retry-After waits that long (when longer than the backoff), capped at 30 s."""
    answers = iter([httpx.Response(503, headers={"Retry-After": "7"}),
                    httpx.Response(429, headers={"Retry-After": "3600"}),
                    httpx.Response(503, headers={"Retry-After": "Wed, 21 Oct 2026 07:28:00 GMT"}),
                    httpx.Response(200, json={"schema": "qcompliance/index/v1", "packs": []})])
    sleeps: list[float] = []
    with RegistryClient("https://packs.example/index.json", cache=Cache(tmp_path),
                        transport=httpx.MockTransport(lambda request: next(answers)),
                        backoff=0.5, sleep=sleeps.append) as client:
        assert client.index().packs == ()
    assert sleeps == [7.0, 30.0, 2.0]
