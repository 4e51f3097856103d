"""Reading HTTP answers under a size cap: at most one content encoding, decoded here.

httpx decodes ``Content-Encoding`` by itself, but a whole network chunk at a time and through
any stack of encodings (``gzip, gzip``), so two kilobytes can become gigabytes before the first
byte is counted. The registry and the delivery read the raw body and decode it with
:class:`Decoder`, which refuses stacked and unknown encodings and never inflates past the cap.
"""

from __future__ import annotations

import zlib

import httpx

from qcompliance.registry.errors import RegistryError, registry_error

__all__ = ["ACCEPT_ENCODING", "Decoder", "http_failure"]

ACCEPT_ENCODING = "gzip, deflate"
"""What a request accepts: the encodings :class:`Decoder` can decode under a cap."""
_GZIP = zlib.MAX_WBITS | 16
_ZLIB = zlib.MAX_WBITS


class Decoder:
    """Decodes a body sent with ``encoding`` (the Content-Encoding header), refusing to give
    more than ``limit`` bytes in all."""

    def __init__(self, encoding: str | None, limit: int, url: str) -> None:
        self.limit, self.url, self.size = limit, url, 0
        codings = [c.strip().lower() for c in (encoding or "").split(",")]
        codings = [c for c in codings if c and c != "identity"]
        if len(codings) > 1:
            raise registry_error(f"the answer is encoded several times over ({encoding}); "
                                 "at most one content encoding is accepted", url)
        self.coding = codings[0] if codings else None
        self._zlib: zlib._Decompress | None = None
        if self.coding in ("gzip", "x-gzip"):
            self._zlib = zlib.decompressobj(_GZIP)
        elif self.coding == "deflate":
            self._zlib = zlib.decompressobj(_ZLIB)
        elif self.coding is not None:
            raise registry_error(f"the answer has an unexpected content encoding "
                                 f"'{self.coding}' (accepted: {ACCEPT_ENCODING})", url)

    def _too_large(self) -> RegistryError:
        return registry_error(f"the answer decodes to more than {self.limit} bytes", self.url)

    def decode(self, raw: bytes) -> bytes:
        """The decoded bytes of the next raw chunk; a RegistryError past the cap."""
        if self._zlib is None:
            return raw
        room = self.limit - self.size
        try:
            out = self._zlib.decompress(raw, room + 1)
        except zlib.error as exc:
            raise registry_error(f"the answer is not valid {self.coding} data ({exc})",
                                 self.url) from None
        # More than the room left, or input left over because max_length was reached.
        if len(out) > room or self._zlib.unconsumed_tail:
            raise self._too_large()
        self.size += len(out)
        return out

    def flush(self) -> bytes:
        """What the decoder holds once the body is complete."""
        if self._zlib is None:
            return b""
        out = self._zlib.flush()
        if self.size + len(out) > self.limit:
            raise self._too_large()
        self.size += len(out)
        return out


def http_failure(exc: Exception) -> str:
    """One line for an httpx failure that retrying cannot help (a redirect loop, a URL httpx
    refuses, an answer it cannot decode)."""
    if isinstance(exc, httpx.TooManyRedirects):
        return "too many redirects (a redirect loop?)"
    if isinstance(exc, httpx.InvalidURL):
        return f"the URL is not valid ({exc})"
    return f"the request failed ({type(exc).__name__}: {exc})"
