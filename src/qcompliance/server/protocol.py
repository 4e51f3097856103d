"""uvicorn's h11 protocol with the two guards uvicorn lacks: a deadline for a request's line
and headers, and a cap on the connections one client address holds.

uvicorn times out idle keep-alive connections and refuses work past ``limit_concurrency``,
but a connection that sends its headers one byte at a time (or nothing at all) is kept
forever, so a couple of hundred of them from one client fill every slot (slowloris). Here each
connection gets ``header_timeout`` seconds, from its opening or from the end of its last
response, to complete its next request's headers; and a client address with
``max_per_client`` connections open has its next one closed at once. Both work at the
protocol level, before any ASGI code runs.
"""

from __future__ import annotations

import asyncio
import collections
from typing import Any, ClassVar

import h11
from uvicorn.protocols.http.h11_impl import H11Protocol

from qcompliance import limits

__all__ = ["GuardedH11Protocol"]



def _plain(status: bytes, text: bytes, *extra: bytes) -> bytes:
    """A complete HTTP/1.1 response that closes the connection, written before h11 is used."""
    head = [b"HTTP/1.1 " + status, b"content-type: text/plain; charset=utf-8",
            b"connection: close", *extra, b"content-length: " + str(len(text)).encode()]
    return b"\r\n".join(head) + b"\r\n\r\n" + text


_TOO_MANY = _plain(b"429 Too Many Requests", b"too many connections from this address",
                   b"retry-after: 5")
_TIMEOUT = _plain(b"408 Request Timeout", b"the request headers came too slowly")


class GuardedH11Protocol(H11Protocol):
    """:class:`H11Protocol` with a header deadline and a per-client connection cap."""

    header_timeout: ClassVar[float] = limits.HEADER_TIMEOUT
    max_per_client: ClassVar[int] = limits.MAX_CONNECTIONS_PER_CLIENT
    open_by_client: ClassVar[collections.Counter[str]] = collections.Counter()

    @classmethod
    def configure(cls, header_timeout: float, max_per_client: int) -> None:
        """Set the guards of every connection this process accepts from now on."""
        cls.header_timeout, cls.max_per_client = header_timeout, max_per_client

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        """Count the connection against its client, or refuse it when that client has too
        many; start the header deadline."""
        super().connection_made(transport)
        self._deadline: asyncio.TimerHandle | None = None
        self._address = self.client[0] if self.client else ""
        self._counted = self.open_by_client[self._address] < self.max_per_client
        if not self._counted:
            transport.write(_TOO_MANY)
            transport.close()
            return
        self.open_by_client[self._address] += 1
        self._arm()

    def connection_lost(self, exc: Exception | None) -> None:
        """Stop the deadline and uncount the connection."""
        self._disarm()
        if self._counted:
            self._counted = False
            self.open_by_client[self._address] -= 1
            if self.open_by_client[self._address] <= 0:
                del self.open_by_client[self._address]
        super().connection_lost(exc)

    def on_response_complete(self) -> None:
        """A new deadline for the next request's headers."""
        super().on_response_complete()
        if not self.transport.is_closing():
            self._arm()

    def _arm(self) -> None:
        self._disarm()
        self._deadline = self.loop.call_later(self.header_timeout, self._expire)

    def _disarm(self) -> None:
        if self._deadline is not None:
            self._deadline.cancel()
            self._deadline = None

    def _expire(self) -> None:
        self._deadline = None
        if self.transport.is_closing():
            return
        waiting = self.cycle is None or self.cycle.response_complete
        if waiting:  # no request's headers completed since the deadline was set
            if self.conn.our_state is h11.IDLE:
                self.transport.write(_TIMEOUT)
            self.transport.close()


def protocol_options(config: Any) -> dict[str, Any]:
    """The uvicorn options that go with this protocol, from a ServerConfig."""
    GuardedH11Protocol.configure(config.header_timeout, config.max_client_connections)
    return {"http": GuardedH11Protocol, "h11_max_incomplete_event_size": limits.MAX_HEADER_BYTES,
            "timeout_keep_alive": config.keep_alive_timeout,
            "limit_concurrency": config.max_connections}
