"""Pulling packs over HTTP(S) with httpx: index, download, verify, unpack, install.

:class:`RegistryClient` (sync) and :class:`AsyncRegistryClient` (``httpx.AsyncClient``) share
the policy below; only the waiting differs.

- TLS certificates are verified (``verify``); proxies come from the environment
  (``HTTPS_PROXY``, ``NO_PROXY``; httpx's ``trust_env``).
- Connect and read timeouts; 5xx answers, 429 and connection errors (refused, reset, timed
  out, body cut short) are retried ``retries`` times with exponential backoff (longer when the
  server asks with ``Retry-After``, up to 30 s); other 4xx are not, nor a TLS certificate
  that fails verification.
- The archive's size and sha256 must equal the index's before anything is unpacked; a body
  larger than the index says (or than ``max_size``) is cut off as soon as it is.
- A whole download, retries included, has a deadline (``deadline``, default PULL_DEADLINE), so a
  server that drips a byte now and then is given up on; at most 5 redirects are followed.
- At most one content encoding (gzip or deflate), decoded here with the same size cap as the
  body (:mod:`qcompliance.registry.download`); stacked or unknown encodings are refused.
- The whole pull holds the cache's file lock, so two pulls of the same cache never interleave.

Every failure is a :class:`RegistryError` whose one line names the URL.
"""

from __future__ import annotations

import asyncio
import hashlib
import ssl
import time
from collections.abc import Awaitable, Callable
from types import TracebackType
from urllib.parse import urljoin, urlsplit

import httpx

from qcompliance.limits import PULL_DEADLINE
from qcompliance.registry.cache import Cache, InstalledPack
from qcompliance.registry.defaults import DEFAULT_MAX_SIZE, MAX_INDEX_SIZE
from qcompliance.registry.download import ACCEPT_ENCODING, Decoder, http_failure
from qcompliance.registry.errors import RegistryError, registry_error
from qcompliance.registry.lockfile import LockFile
from qcompliance.registry.pack import Index, IndexEntry, parse_index
from qcompliance.registry.retry import Retry, async_retrying, retrying
from qcompliance.version import __version__

__all__ = [
    "DEFAULT_MAX_SIZE",
    "DEFAULT_TIMEOUT",
    "AsyncRegistryClient",
    "RegistryClient",
    "pull_locked",
]

DEFAULT_TIMEOUT = httpx.Timeout(30.0, connect=10.0)
"""Connect within 10 s; no more than 30 s of silence while reading."""
_USER_AGENT = f"qcompliance/{__version__}"
_HEADERS = {"User-Agent": _USER_AGENT, "Accept-Encoding": ACCEPT_ENCODING}
_MAX_REDIRECTS = 5


def tls_untrusted(exc: httpx.TransportError) -> bool:
    """Whether ``exc`` is a failed certificate check: final, since a retry cannot fix it."""
    return isinstance(exc, httpx.ConnectError) and "CERTIFICATE_VERIFY_FAILED" in str(exc)


def _transport_message(exc: httpx.TransportError) -> str:
    if tls_untrusted(exc):
        return ("the server's TLS certificate is not trusted; give the CA with SSL_CERT_FILE "
                "or verify=ssl.SSLContext")
    if isinstance(exc, httpx.ConnectTimeout):
        return "timed out connecting"
    if isinstance(exc, httpx.TimeoutException):
        return "timed out waiting for the server"
    if isinstance(exc, httpx.ConnectError):
        return f"cannot connect ({exc})"
    if isinstance(exc, (httpx.RemoteProtocolError, httpx.ReadError, httpx.WriteError)):
        return f"the connection broke off ({exc})"
    if isinstance(exc, httpx.ProxyError):
        return f"the proxy refused ({exc})"
    return f"network error ({type(exc).__name__}: {exc})"


def _transport_failure(exc: httpx.TransportError, url: str) -> Exception:
    """A Retry for a connection failure, or the final error of an untrusted certificate."""
    message = _transport_message(exc)
    return registry_error(message, url) if tls_untrusted(exc) else Retry(message)


def _retryable_status(status: int) -> bool:
    return status >= 500 or status == 429


def _check_url(url: str) -> None:
    if urlsplit(url).scheme not in ("http", "https"):
        raise registry_error("only http:// and https:// URLs can be fetched", url)


def _check_response(response: httpx.Response, url: str) -> None:
    if response.is_success:
        return
    status = f"HTTP {response.status_code} {response.reason_phrase}".strip()
    if _retryable_status(response.status_code):
        raise Retry(status, response.headers.get("retry-after"))
    hint = " (not found)" if response.status_code == 404 else ""
    raise registry_error(f"the server answered {status}{hint}", url)


class _Receiver:
    """Counts and hashes a download, refusing more bytes than allowed."""

    def __init__(self, url: str, expected: int | None, limit: int,
                 deadline: float = PULL_DEADLINE) -> None:
        self.url, self.expected, self.limit = url, expected, limit
        self.seconds = deadline
        self.deadline = time.monotonic() + deadline
        self.reset()

    def reset(self) -> None:
        """Forget what a failed attempt received."""
        self.chunks: list[bytes] = []
        self.size = 0
        self.digest = hashlib.sha256()
        self.decoder: Decoder | None = None

    def headers(self, response: httpx.Response) -> None:
        """Refuse at once a Content-Length over the bounds, or an encoding not accepted."""
        length = response.headers.get("content-length")
        if length is not None and length.isdigit() and len(length) < 20:
            self._bound(int(length))
        bound = self.limit if self.expected is None else min(self.limit, self.expected)
        self.decoder = Decoder(response.headers.get("content-encoding"), bound, self.url)

    def check_time(self) -> None:
        """A RegistryError once the whole download has run past its deadline."""
        if time.monotonic() > self.deadline:
            raise registry_error(f"the download took longer than {self.seconds:g} s; "
                                 "nothing was installed", self.url)

    def feed_raw(self, raw: bytes) -> None:
        """Take one chunk as sent (decoded here, under the size cap)."""
        self.check_time()
        assert self.decoder is not None  # headers() came first
        self.feed(self.decoder.decode(raw))

    def finish(self) -> None:
        """Take what the decoder still holds at the end of the body."""
        if self.decoder is not None:
            self.feed(self.decoder.flush())

    def _bound(self, size: int) -> None:
        if size > self.limit:
            raise registry_error(f"the download is larger than the limit of {self.limit} "
                                 "bytes", self.url)
        if self.expected is not None and size > self.expected:
            raise registry_error(f"the download is larger than the {self.expected} bytes the "
                                 "index lists", self.url)

    def feed(self, chunk: bytes) -> None:
        """Take one decoded chunk; RegistryError as soon as the total is over the bounds."""
        self.size += len(chunk)
        self._bound(self.size)
        self.digest.update(chunk)
        self.chunks.append(chunk)

    def body(self) -> bytes:
        """Everything received."""
        return b"".join(self.chunks)


def _verify(entry: IndexEntry, receiver: _Receiver) -> bytes:
    """The archive bytes, once size and sha256 match the index (before any unpacking)."""
    if receiver.size != entry.size:
        raise registry_error(f"got {receiver.size} bytes, the index lists {entry.size}: the "
                             "download is incomplete or not the published pack", receiver.url)
    if receiver.digest.hexdigest() != entry.sha256:
        raise registry_error(f"sha256 mismatch: got {receiver.digest.hexdigest()}, the index "
                             f"lists {entry.sha256}; nothing was installed", receiver.url)
    return receiver.body()


class _Base:
    def __init__(self, index_url: str, *, cache: Cache | None, retries: int, backoff: float,
                 max_size: int, deadline: float = PULL_DEADLINE) -> None:
        _check_url(index_url)
        self.index_url = index_url
        self.cache = cache if cache is not None else Cache()
        self.retries, self.backoff = max(0, retries), backoff
        self.max_size = max_size
        self.deadline = deadline

    def _receiver(self, url: str, expected: int | None, limit: int) -> _Receiver:
        return _Receiver(url, expected, limit, self.deadline)

    def _archive_url(self, entry: IndexEntry) -> str:
        url = urljoin(self.index_url, entry.file)
        _check_url(url)
        return url

    def _check_entry(self, entry: IndexEntry, url: str, expected_sha: str | None) -> None:
        if expected_sha is not None and entry.sha256 != expected_sha:
            raise registry_error(f"{entry.name}@{entry.version} in the index has sha256 "
                                 f"{entry.sha256}, the lock file pins {expected_sha}",
                                 self.index_url)
        if entry.size > self.max_size:
            raise registry_error(f"the pack is {entry.size} bytes, more than the limit of "
                                 f"{self.max_size}", url)

    def _give_up(self, url: str, attempts: int, message: str) -> RegistryError:
        tries = f" after {attempts} attempts" if attempts > 1 else ""
        return registry_error(f"{message}{tries}", url)


class RegistryClient(_Base):
    """Fetches an index and pulls packs into the cache (synchronous).

    ``transport`` replaces httpx's network transport (``httpx.MockTransport`` in unit tests);
    ``sleep`` is called between retries (tests pass a no-op).
    """

    def __init__(self, index_url: str, *, cache: Cache | None = None,
                 timeout: httpx.Timeout | float = DEFAULT_TIMEOUT, retries: int = 3,
                 backoff: float = 0.5, max_size: int = DEFAULT_MAX_SIZE,
                 transport: httpx.BaseTransport | None = None, verify: bool | ssl.SSLContext = True,
                 sleep: Callable[[float], None] = time.sleep,
                 deadline: float = PULL_DEADLINE) -> None:
        super().__init__(index_url, cache=cache, retries=retries, backoff=backoff,
                         max_size=max_size, deadline=deadline)
        self._sleep = sleep
        self._http = httpx.Client(timeout=timeout, transport=transport, verify=verify,
                                  trust_env=True, follow_redirects=True,
                                  max_redirects=_MAX_REDIRECTS, headers=_HEADERS)

    def __enter__(self) -> RegistryClient:
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()

    def close(self) -> None:
        """Close the connection pool."""
        self._http.close()

    def _attempt(self, url: str, receiver: _Receiver) -> None:
        receiver.reset()
        receiver.check_time()
        try:
            with self._http.stream("GET", url) as response:
                _check_response(response, url)
                receiver.headers(response)
                if response.is_stream_consumed:  # built in memory (httpx.MockTransport)
                    receiver.feed(response.content)
                else:
                    for chunk in response.iter_raw():
                        receiver.feed_raw(chunk)
                    receiver.finish()
        except httpx.TransportError as exc:
            raise _transport_failure(exc, url) from None
        except (httpx.HTTPError, httpx.InvalidURL) as exc:  # redirect loop, bad URL ...
            raise registry_error(http_failure(exc), url) from None

    def _get(self, url: str, receiver: _Receiver) -> None:
        try:
            for attempt in retrying(self.retries, self.backoff, self._sleep):
                with attempt:
                    self._attempt(url, receiver)
        except Retry as exc:
            raise self._give_up(url, self.retries + 1, exc.message) from None

    def index(self) -> Index:
        """The index at ``index_url``."""
        receiver = self._receiver(self.index_url, None, MAX_INDEX_SIZE)
        self._get(self.index_url, receiver)
        return parse_index(receiver.body(), self.index_url)

    def pull(self, name: str, version: str | None = None, *, sha256: str | None = None
             ) -> InstalledPack:
        """Install ``name`` at ``version`` (the newest when None) into the cache.

        ``sha256``, when given (from a lock file), must equal the index's digest. A pack
        already in the cache with the same digest and whole files is not downloaded again; a
        damaged or changed one is replaced.
        """
        entry = self.index().find(name, version, where=self.index_url)
        url = self._archive_url(entry)
        self._check_entry(entry, url, sha256)
        with self.cache.locked():
            self.cache.clean_staging()
            installed = self.cache.intact(entry.name, entry.version, entry.sha256)
            if installed is not None:
                return installed
            receiver = self._receiver(url, entry.size, self.max_size)
            self._get(url, receiver)
            data = _verify(entry, receiver)
            return self.cache.install(entry, data, self.index_url, max_size=self.max_size)


class AsyncRegistryClient(_Base):
    """:class:`RegistryClient` on ``httpx.AsyncClient``, for async QMS back ends.

    File work (locking, unpacking) runs in a worker thread so the event loop never blocks.
    """

    def __init__(self, index_url: str, *, cache: Cache | None = None,
                 timeout: httpx.Timeout | float = DEFAULT_TIMEOUT, retries: int = 3,
                 backoff: float = 0.5, max_size: int = DEFAULT_MAX_SIZE,
                 transport: httpx.AsyncBaseTransport | None = None,
                 verify: bool | ssl.SSLContext = True,
                 sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
                 deadline: float = PULL_DEADLINE) -> None:
        super().__init__(index_url, cache=cache, retries=retries, backoff=backoff,
                         max_size=max_size, deadline=deadline)
        self._sleep = sleep
        self._http = httpx.AsyncClient(timeout=timeout, transport=transport, verify=verify,
                                       trust_env=True, follow_redirects=True,
                                       max_redirects=_MAX_REDIRECTS, headers=_HEADERS)

    async def __aenter__(self) -> AsyncRegistryClient:
        return self

    async def __aexit__(self, kind: type[BaseException] | None, exc: BaseException | None,
                        tb: TracebackType | None) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        """Close the connection pool."""
        await self._http.aclose()

    async def _attempt(self, url: str, receiver: _Receiver) -> None:
        receiver.reset()
        receiver.check_time()
        try:
            async with self._http.stream("GET", url) as response:
                _check_response(response, url)
                receiver.headers(response)
                if response.is_stream_consumed:  # built in memory (httpx.MockTransport)
                    receiver.feed(response.content)
                else:
                    async for chunk in response.aiter_raw():
                        receiver.feed_raw(chunk)
                    receiver.finish()
        except httpx.TransportError as exc:
            raise _transport_failure(exc, url) from None
        except (httpx.HTTPError, httpx.InvalidURL) as exc:  # redirect loop, bad URL ...
            raise registry_error(http_failure(exc), url) from None

    async def _get(self, url: str, receiver: _Receiver) -> None:
        try:
            async for attempt in async_retrying(self.retries, self.backoff, self._sleep):
                with attempt:
                    await self._attempt(url, receiver)
        except Retry as exc:
            raise self._give_up(url, self.retries + 1, exc.message) from None

    async def index(self) -> Index:
        """The index at ``index_url``."""
        receiver = self._receiver(self.index_url, None, MAX_INDEX_SIZE)
        await self._get(self.index_url, receiver)
        return parse_index(receiver.body(), self.index_url)

    async def pull(self, name: str, version: str | None = None, *, sha256: str | None = None
                   ) -> InstalledPack:
        """Install ``name`` at ``version`` into the cache; see :meth:`RegistryClient.pull`."""
        entry = (await self.index()).find(name, version, where=self.index_url)
        url = self._archive_url(entry)
        self._check_entry(entry, url, sha256)
        lock = self.cache.lock()
        await asyncio.to_thread(self.cache.acquire, lock)
        try:
            await asyncio.to_thread(self.cache.clean_staging)
            installed = await asyncio.to_thread(self.cache.intact, entry.name, entry.version,
                                                entry.sha256)
            if installed is not None:
                return installed
            receiver = self._receiver(url, entry.size, self.max_size)
            await self._get(url, receiver)
            data = _verify(entry, receiver)
            return await asyncio.to_thread(self.cache.install, entry, data, self.index_url,
                                           max_size=self.max_size)
        finally:
            lock.release()


def pull_locked(lock: LockFile, cache: Cache) -> None:
    """Pull every pack ``lock`` pins that ``cache`` does not hold, each from its recorded index
    and verified against its pinned sha256, so that ``load_locked`` finds them all."""
    for entry in lock.packs:
        if cache.get(entry.name, entry.version) is None:
            with RegistryClient(entry.index, cache=cache) as client:
                client.pull(entry.name, entry.version, sha256=entry.sha256)
