"""Text from inputs made safe to print: control characters escaped, credentials redacted.

A company name, a file name inside an archive or a URL may hold escape sequences, carriage
returns or line breaks. Printed raw they would recolour or rewrite a terminal, forge log lines
or split the one-line error every door promises; :func:`neutralise` shows them escaped instead.
"""

from __future__ import annotations

import re
from typing import Any, TypeVar
from urllib.parse import SplitResult, parse_qsl, urlencode, urlsplit, urlunsplit

import attrs

__all__ = ["cell_text", "neutralise", "neutralise_lines", "redact_url", "scrub"]

T = TypeVar("T")

# C0 and C1 controls, DEL, and the bidirectional overrides and isolates that reorder what a
# terminal shows (CVE-2021-42574, "Trojan Source").
_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"
                     "\u2028\u2029]")
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t", "\x1b": "\\x1b"}
# The characters an XML 1.0 document (so an xlsx cell) cannot hold at all.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
_SECRET_KEYS = re.compile(r"(token|key|secret|pass|password|pwd|auth|sig|signature|"
                          r"credential|session)", re.IGNORECASE)
_REDACTED = "***"


def _escape(match: re.Match[str]) -> str:
    char = match.group()
    named = _NAMED.get(char)
    if named is not None:
        return named
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def neutralise(text: str) -> str:
    """``text`` with every control, bidi-override and line-separator character escaped
    (``\\n``, ``\\x1b``, ``\\u202e``), so one line stays one line and a terminal shows what
    was there instead of obeying it. Lone surrogates are escaped too."""
    out = _UNSAFE.sub(_escape, text)
    try:
        out.encode("utf-8")
    except UnicodeEncodeError:
        out = out.encode("utf-8", "backslashreplace").decode("utf-8")
    return out


def neutralise_lines(text: str) -> str:
    """Several lines of text, each neutralised: the line breaks between them are kept."""
    return "\n".join(neutralise(line) for line in text.split("\n"))


def cell_text(value: str) -> str:
    """``value`` as a spreadsheet cell can hold it: characters XML forbids shown escaped,
    the rest (tabs and line breaks in a note) kept."""
    return _NOT_XML.sub(_escape, value)


def redact_url(url: str) -> str:
    """``url`` without credentials: userinfo and the values of query parameters whose names
    look secret (token, key, password, signature ...) become ``***``. Text that is not a URL
    is returned neutralised."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return neutralise(url)
    netloc = parts.netloc
    if "@" in netloc:
        host = parts.hostname or ""
        if ":" in host:
            host = f"[{host}]"
        netloc = f"{_REDACTED}@{host}" + (f":{port}" if port is not None else "")
    query = parts.query
    if query:
        pairs = parse_qsl(query, keep_blank_values=True)
        query = urlencode([(k, _REDACTED if _SECRET_KEYS.search(k) else v) for k, v in pairs],
                          safe="*")
    cleaned = SplitResult(parts.scheme, netloc, parts.path, query, parts.fragment)
    return neutralise(urlunsplit(cleaned))


def scrub(value: T) -> T:
    """``value`` (an attrs value such as an Assessment, or tuples, lists and dicts of them)
    with every plain string in it neutralised, for a terminal writer; parts without anything
    to escape are kept as they are (the same objects)."""
    out: T = _scrub(value)
    return out


def _scrub(value: Any) -> Any:
    kind = type(value)
    if kind is str:
        return neutralise(value)
    if attrs.has(kind):
        changes = {}
        for field in attrs.fields(kind):
            if field.init:
                old = getattr(value, field.name)
                new = _scrub(old)
                if new is not old and new != old:
                    changes[field.alias] = new
        return attrs.evolve(value, **changes) if changes else value
    if kind in (tuple, list):
        items = [_scrub(v) for v in value]
        same = all(a is b for a, b in zip(items, value, strict=True))
        return value if same else kind(items)
    if kind is dict:
        pairs = [(_scrub(k), _scrub(v)) for k, v in value.items()]
        same = all(a is k and b is v for (a, b), (k, v) in zip(pairs, value.items(), strict=True))
        return value if same else dict(pairs)
    return value
