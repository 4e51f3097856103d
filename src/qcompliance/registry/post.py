"""Delivering an assessment to a QMS endpoint over HTTP(S).

The body is the assessment's JSON document; the ``Idempotency-Key`` header is its sha256, so
the same assessment posted twice (a retry after a lost answer, a re-run) is the same request
to the receiver. The bearer token is read from an environment variable only, never from an
argument a shell history or process list would show, and never sent over plain ``http://`` to
another machine unless the caller accepts the risk (``allow_plain_http``). 5xx, 429 and
connection errors are retried with backoff; any other answer that is not 2xx is final. The
answer is read under a size cap (one content encoding at most, decoded here); URLs in errors
are shown without credentials.
"""

from __future__ import annotations

import asyncio
import hashlib
import ipaddress
import os
import ssl
import time
from collections.abc import Awaitable, Callable, Iterable, Iterator, Mapping
from urllib.parse import urlsplit

import attrs
import httpx

from qcompliance.errors import Problem
from qcompliance.model import Assessment
from qcompliance.registry.client import DEFAULT_TIMEOUT, _transport_message, tls_untrusted
from qcompliance.registry.defaults import TOKEN_ENV
from qcompliance.registry.download import ACCEPT_ENCODING, Decoder, http_failure
from qcompliance.registry.errors import DeliveryError, RegistryError
from qcompliance.registry.retry import Retry, async_retrying, retrying
from qcompliance.reports.json import assessment_to_json
from qcompliance.textsafe import redact_url
from qcompliance.version import __version__

__all__ = [
    "TOKEN_ENV",
    "Delivery",
    "apost_assessment",
    "idempotency_key",
    "post_assessment",
]



@attrs.frozen
class Delivery:
    """A delivered assessment: the endpoint's answer and how many attempts it took."""

    url: str
    status: int
    idempotency_key: str
    attempts: int
    response: str


def idempotency_key(body: bytes) -> str:
    """The idempotency key of a request body: ``sha256:`` and its hex digest."""
    return "sha256:" + hashlib.sha256(body).hexdigest()


MAX_ANSWER_BYTES = 1024 * 1024
"""The most of an endpoint's answer read (decoded); the rest is not needed."""


def is_loopback(url: str) -> bool:
    """Whether ``url`` names this machine (localhost or a loopback address)."""
    host = urlsplit(url).hostname or ""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _body(assessment: Assessment | str | bytes) -> bytes:
    if isinstance(assessment, Assessment):
        return assessment_to_json(assessment).encode("utf-8")
    return assessment.encode("utf-8") if isinstance(assessment, str) else assessment


class _Request:
    """One delivery: the body, its headers, and what each answer means."""

    def __init__(self, assessment: Assessment | str | bytes, url: str,
                 token_env: str | None, environ: Mapping[str, str] | None) -> None:
        self.url = url
        self.shown = redact_url(url)
        if not url.startswith(("http://", "https://")):
            raise DeliveryError(Problem("only http:// and https:// URLs can be posted to",
                                        file=self.shown))
        self.token_env = token_env
        self.body = _body(assessment)
        self.key = idempotency_key(self.body)
        self.headers = {"Content-Type": "application/json; charset=utf-8",
                        "Idempotency-Key": self.key, "User-Agent": f"qcompliance/{__version__}"}
        env = os.environ if environ is None else environ
        self.token = env.get(token_env) if token_env else None
        if self.token:
            self.headers["Authorization"] = f"Bearer {self.token}"
        self.headers["Accept-Encoding"] = ACCEPT_ENCODING

    def check_plain_http(self, allowed: bool) -> None:
        """Refuse to send the token in clear text to another machine unless ``allowed``."""
        if (self.token and self.url.startswith("http://") and not is_loopback(self.url)
                and not allowed):
            raise DeliveryError(Problem(
                f"the token in ${self.token_env} would cross the network unencrypted: use "
                "an https:// URL, or --insecure-http to accept the risk", file=self.shown))

    def problem(self, message: str) -> DeliveryError:
        """A DeliveryError about this delivery."""
        return DeliveryError(Problem(message, file=self.shown))

    def read(self, response: httpx.Response, chunks: list[bytes] | None) -> str:
        """The answer's text from its raw ``chunks`` (None: the response was built in memory),
        decoded under MAX_ANSWER_BYTES: past it, or in an encoding refused, the text is cut
        or replaced by a note; the delivery itself is what the status says."""
        if chunks is None:
            return response.text[:MAX_ANSWER_BYTES]
        data = b""
        try:
            decoder = Decoder(response.headers.get("content-encoding"), MAX_ANSWER_BYTES,
                              self.shown)
            for chunk in chunks:
                data += decoder.decode(chunk)
            data += decoder.flush()
        except RegistryError as exc:
            if not data:
                return f"(the answer was not read: {exc.first.message})"
        return data.decode(response.encoding or "utf-8", "replace")

    def failed(self, exc: httpx.TransportError) -> str:
        """What a connection failure means; DeliveryError when retrying cannot help."""
        message = _transport_message(exc)
        if tls_untrusted(exc):
            raise self.problem(f"the assessment was not delivered: {message}") from None
        return message

    def outcome(self, response: httpx.Response, attempt: int, text: str) -> Delivery:
        """The Delivery for a 2xx (``attempt``: its 1-based number); Retry for an answer
        worth retrying; DeliveryError for any other."""
        if response.is_success:
            return Delivery(self.url, response.status_code, self.key, attempt, text)
        status = f"HTTP {response.status_code} {response.reason_phrase}".strip()
        if response.status_code < 500 and response.status_code != 429:
            hint = ""
            if response.status_code in (401, 403):
                hint = (f" (check the token in ${self.token_env})" if self.token
                        else f" (no token: set ${self.token_env})")
            raise self.problem(
                f"the assessment was not delivered: the endpoint answered {status}{hint}")
        raise Retry(status, response.headers.get("retry-after"))

    def give_up(self, attempts: int, message: str) -> DeliveryError:
        """The error once every attempt failed."""
        return self.problem(f"the assessment was not delivered after {attempts} attempts: "
                            f"{message}")


def _capped(chunks: Iterable[bytes]) -> Iterator[bytes]:
    """Raw chunks up to MAX_ANSWER_BYTES of them (an answer's tail is not needed)."""
    size = 0
    for chunk in chunks:
        size += len(chunk)
        if size > MAX_ANSWER_BYTES:
            return
        yield chunk


def post_assessment(assessment: Assessment | str | bytes, url: str, *,
                    token_env: str | None = TOKEN_ENV,
                    environ: Mapping[str, str] | None = None,
                    timeout: httpx.Timeout | float = DEFAULT_TIMEOUT, retries: int = 3,
                    backoff: float = 0.5, transport: httpx.BaseTransport | None = None,
                    verify: bool | ssl.SSLContext = True,
                    sleep: Callable[[float], None] = time.sleep,
                    allow_plain_http: bool = False) -> Delivery:
    """POST ``assessment`` (a model, or its JSON text) to ``url``; DeliveryError if it is not
    accepted with a 2xx answer after ``retries`` retries.

    The token is read from the variable ``token_env`` of ``environ`` (default: the process
    environment); with no such variable set, the request goes without ``Authorization``.
    """
    request = _Request(assessment, url, token_env, environ)
    request.check_plain_http(allow_plain_http)

    def once(http: httpx.Client, attempt: int) -> Delivery:
        try:
            with http.stream("POST", url, content=request.body,
                             headers=request.headers) as response:
                chunks = (None if response.is_stream_consumed
                          else list(_capped(response.iter_raw())))
            text = request.read(response, chunks)
        except httpx.TransportError as exc:
            raise Retry(request.failed(exc)) from None
        except (httpx.HTTPError, httpx.InvalidURL) as exc:
            raise request.problem(f"the assessment was not delivered: {http_failure(exc)}"
                                  ) from None
        return request.outcome(response, attempt, text)

    with httpx.Client(timeout=timeout, transport=transport, verify=verify, trust_env=True,
                      follow_redirects=False) as http:
        try:
            for attempt in retrying(retries, backoff, sleep):
                with attempt:
                    return once(http, attempt.retry_state.attempt_number)
        except Retry as exc:
            raise request.give_up(max(0, retries) + 1, exc.message) from None
    raise AssertionError("unreachable: tenacity returns or raises")  # pragma: no cover


async def apost_assessment(assessment: Assessment | str | bytes, url: str, *,
                           token_env: str | None = TOKEN_ENV,
                           environ: Mapping[str, str] | None = None,
                           timeout: httpx.Timeout | float = DEFAULT_TIMEOUT, retries: int = 3,
                           backoff: float = 0.5,
                           transport: httpx.AsyncBaseTransport | None = None,
                           verify: bool | ssl.SSLContext = True,
                           sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
                           allow_plain_http: bool = False) -> Delivery:
    """:func:`post_assessment` on ``httpx.AsyncClient``, for async QMS back ends."""
    request = _Request(assessment, url, token_env, environ)
    request.check_plain_http(allow_plain_http)

    async def once(http: httpx.AsyncClient, attempt: int) -> Delivery:
        try:
            async with http.stream("POST", url, content=request.body,
                                   headers=request.headers) as response:
                chunks: list[bytes] | None = None
                if not response.is_stream_consumed:  # not built in memory by a mock
                    chunks, size = [], 0
                    async for chunk in response.aiter_raw():
                        size += len(chunk)
                        if size > MAX_ANSWER_BYTES:
                            break
                        chunks.append(chunk)
            text = request.read(response, chunks)
        except httpx.TransportError as exc:
            raise Retry(request.failed(exc)) from None
        except (httpx.HTTPError, httpx.InvalidURL) as exc:
            raise request.problem(f"the assessment was not delivered: {http_failure(exc)}"
                                  ) from None
        return request.outcome(response, attempt, text)

    async with httpx.AsyncClient(timeout=timeout, transport=transport, verify=verify,
                                 trust_env=True, follow_redirects=False) as http:
        try:
            async for attempt in async_retrying(retries, backoff, sleep):
                with attempt:
                    return await once(http, attempt.retry_state.attempt_number)
        except Retry as exc:
            raise request.give_up(max(0, retries) + 1, exc.message) from None
    raise AssertionError("unreachable: tenacity returns or raises")  # pragma: no cover
