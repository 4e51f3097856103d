"""The server's guards: body size and pace, bearer token, evaluation slots with a time limit
and a share per client, access log.

The body limit, the token check and the access log are plain ASGI middleware, so they hold for
every route, including errors raised before a route runs. The guards below the ASGI level
(header deadline, connections per client) are in :mod:`qcompliance.server.protocol`.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import hmac
import json
import logging
import time
from collections.abc import Callable
from typing import Any, TypeVar

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from qcompliance.server.problems import HTTPProblem, problem_response

__all__ = [
    "AccessLog",
    "BearerAuth",
    "BodyLimit",
    "BodyTimeout",
    "BodyTooLarge",
    "Slots",
    "access_logger",
]

T = TypeVar("T")

OPEN_PATHS = frozenset({"/", "/healthz", "/readyz", "/openapi.json", "/favicon.ico"})
"""Paths that need no token: the page itself (it asks for the token), probes, the API doc."""


class BodyTooLarge(Exception):
    """The request body grew past the limit while it was read."""

    def __init__(self, limit: int) -> None:
        super().__init__(limit)
        self.limit = limit


class BodyTimeout(Exception):
    """The request body came too slowly (silence, or the whole of it past its deadline)."""

    def __init__(self, detail: str) -> None:
        super().__init__(detail)
        self.detail = detail

    def problem(self) -> HTTPProblem:
        """The 408 problem for it."""
        return HTTPProblem(408, "body-timeout", "The request body came too slowly",
                           self.detail, headers={"Connection": "close"})


def too_large(limit: int) -> HTTPProblem:
    """The 413 problem for a body over ``limit`` bytes."""
    return HTTPProblem(413, "body-too-large", "The request body is too large",
                       f"the limit is {limit} bytes")


class BodyLimit:
    """Refuse bodies over a limit (by Content-Length at once, or while they are read) and
    bodies that come too slowly: ``read_timeout`` seconds of silence, or ``total_timeout``
    seconds for the whole body."""

    def __init__(self, app: ASGIApp, limit: int, batch_limit: int,
                 read_timeout: float = 15.0, total_timeout: float = 120.0,
                 evidence_limit: int | None = None) -> None:
        self.app, self.limit, self.batch_limit = app, limit, batch_limit
        self.read_timeout, self.total_timeout = read_timeout, total_timeout
        self.evidence_limit = evidence_limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Wrap ``receive`` so that reading past the limit raises :class:`BodyTooLarge`."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self.batch_limit if scope["path"] == "/v1/batch" else self.limit
        if self.evidence_limit is not None and scope["path"].endswith("/evidence"):
            limit = self.evidence_limit
        for name, value in scope["headers"]:
            if name == b"content-length" and value.isdigit() and int(value) > limit:
                await problem_response(too_large(limit), scope["path"])(scope, receive, send)
                return
        seen = 0
        done = False
        loop = asyncio.get_running_loop()
        deadline = loop.time() + self.total_timeout

        async def limited() -> Message:
            nonlocal seen, done
            if done:  # the body is in; later calls wait for the client going away
                return await receive()
            wait = min(self.read_timeout, deadline - loop.time())
            try:
                message = await asyncio.wait_for(receive(), max(wait, 0.0))
            except asyncio.TimeoutError:
                raise BodyTimeout(
                    f"no data for {self.read_timeout:g} s" if wait == self.read_timeout
                    else f"the body took longer than {self.total_timeout:g} s") from None
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > limit:
                    raise BodyTooLarge(limit)
                done = not message.get("more_body", False)
            else:
                done = True
            return message

        await self.app(scope, limited, send)


class BearerAuth:
    """Require ``Authorization: Bearer <token>`` on every path but :data:`OPEN_PATHS`."""

    def __init__(self, app: ASGIApp, token: str | None) -> None:
        self.app = app
        self.token = token.encode("utf-8") if token else None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Pass the request on when the token matches (compared in constant time)."""
        if self.token is None or scope["type"] != "http" or scope["path"] in OPEN_PATHS:
            await self.app(scope, receive, send)
            return
        given = b""
        for name, value in scope["headers"]:
            if name == b"authorization" and value[:7].lower() == b"bearer ":
                given = value[7:].strip()
        if not hmac.compare_digest(given, self.token):
            error = HTTPProblem(401, "unauthorized", "A valid bearer token is required",
                                headers={"WWW-Authenticate": 'Bearer realm="qcheck"'})
            await problem_response(error, scope["path"])(scope, receive, send)
            return
        await self.app(scope, receive, send)


def access_logger() -> logging.Logger:
    """The ``qcompliance.server.access`` logger, writing one JSON object a line to stderr."""
    logger = logging.getLogger("qcompliance.server.access")
    if not logger.handlers:
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("%(message)s"))
        logger.addHandler(handler)
        logger.setLevel(logging.INFO)
        logger.propagate = False
    return logger


class AccessLog:
    """One JSON line a request: method, path (no query), status, sizes, duration.

    Never a body, a query string or a header value: profiles are business data, and a token
    or a company name must not end up in a log file.
    """

    def __init__(self, app: ASGIApp, enabled: bool = True) -> None:
        self.app, self.enabled = app, enabled
        self.logger = access_logger()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Time the request and log it when the response is complete."""
        if scope["type"] != "http" or not self.enabled:
            await self.app(scope, receive, send)
            return
        start = time.perf_counter()
        status, sent, received = 500, 0, 0

        async def counting_receive() -> Message:
            nonlocal received
            message = await receive()
            received += len(message.get("body", b""))
            return message

        async def counting_send(message: Message) -> None:
            nonlocal status, sent
            if message["type"] == "http.response.start":
                status = message["status"]
            elif message["type"] == "http.response.body":
                sent += len(message.get("body", b""))
            await send(message)

        try:
            await self.app(scope, counting_receive, counting_send)
        finally:
            client = scope.get("client")
            self.logger.info(json.dumps({
                "ts": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
                "client": client[0] if client else None,
                "method": scope["method"],
                "path": scope["path"],
                "status": status,
                "bytes_in": received,
                "bytes_out": sent,
                "ms": round((time.perf_counter() - start) * 1000, 1),
            }))


class Slots:
    """At most ``n`` evaluations at once, each given ``timeout`` seconds.

    Evaluation is CPU work in a thread, which cannot be stopped from outside: a request that
    runs out of time gets its 503 at once, but its slot is freed only when the thread ends, so
    slow requests cannot pile up threads beyond the limit.
    """

    def __init__(self, n: int, timeout: float, per_client: int | None = None) -> None:
        self.n, self.timeout = n, timeout
        self.per_client = min(n, per_client) if per_client is not None else n
        self._pool = concurrent.futures.ThreadPoolExecutor(max_workers=n,
                                                           thread_name_prefix="qcheck-eval")
        self._slots: asyncio.Semaphore | None = None
        self._clients: dict[str, tuple[asyncio.Semaphore, int]] = {}

    async def run(self, fn: Callable[..., T], *args: Any, client: str | None = None) -> T:
        """``fn(*args)`` in a worker thread; an HTTPProblem 503 when busy or out of time.

        A ``client`` runs at most ``per_client`` evaluations at once; its others wait their
        turn, so one client never holds every slot and others keep being served."""
        if client is None:
            return await self._run(fn, *args)
        share, users = self._clients.get(client) or (asyncio.Semaphore(self.per_client), 0)
        self._clients[client] = (share, users + 1)
        try:
            try:
                await asyncio.wait_for(share.acquire(), self.timeout)
            except asyncio.TimeoutError:
                raise HTTPProblem(503, "busy", "The server is busy with this client's requests",
                                  f"no evaluation slot became free within {self.timeout:g} s",
                                  headers={"Retry-After": "5"}) from None
            try:
                return await self._run(fn, *args)
            finally:
                share.release()
        finally:
            share, users = self._clients[client]
            if users <= 1:
                del self._clients[client]
            else:
                self._clients[client] = (share, users - 1)

    async def _run(self, fn: Callable[..., T], *args: Any) -> T:
        if self._slots is None:  # created in the event loop that uses it
            self._slots = asyncio.Semaphore(self.n)
        slots = self._slots
        try:
            await asyncio.wait_for(slots.acquire(), self.timeout)
        except asyncio.TimeoutError:
            raise HTTPProblem(503, "busy", "The server is busy",
                              f"no evaluation slot became free within {self.timeout:g} s",
                              headers={"Retry-After": "5"}) from None
        future = asyncio.get_running_loop().run_in_executor(self._pool, fn, *args)
        future.add_done_callback(lambda _: slots.release())
        try:
            return await asyncio.wait_for(asyncio.shield(future), self.timeout)
        except asyncio.TimeoutError:
            raise HTTPProblem(503, "time-limit", "The request ran out of time",
                              f"the per-request time limit is {self.timeout:g} s",
                              headers={"Retry-After": "5"}) from None

    def close(self) -> None:
        """Stop the worker threads (waiting for running evaluations)."""
        self._pool.shutdown(wait=True, cancel_futures=True)
