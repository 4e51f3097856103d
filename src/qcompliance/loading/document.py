"""Reading inputs: bytes from regular files within bounds, TOML and JSON parsed into a
:class:`Document` that can point at the line of any key, and the bounds every document meets."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import re
import stat
import sys
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Literal, TypeVar

import attrs

from qcompliance import limits
from qcompliance.errors import ParseError, Problem, SchemaError
from qcompliance.loading.converter import (
    MAX_INT,
    KeyPath,
    check_number,
    converter,
    parse_date,
    problems_of,
)
from qcompliance.loading.locate import line_index, lookup

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on Python 3.10 only
    import tomli as tomllib  # type: ignore[import-not-found, unused-ignore]

T = TypeVar("T")


def canonical_sha256(data: Mapping[str, object]) -> str:
    """The sha256 of a mapping's canonical JSON (sorted keys, UTF-8): its identity."""
    blob = json.dumps(data, sort_keys=True, ensure_ascii=False, default=str, allow_nan=False)
    return hashlib.sha256(blob.encode()).hexdigest()

__all__ = [
    "MAX_BYTES",
    "MAX_DEPTH",
    "MAX_PROBLEMS",
    "Document",
    "Input",
    "canonical_sha256",
    "check_data",
    "decode_text",
    "file_format",
    "format_key",
    "parse_document",
    "parse_json",
    "read_bytes",
    "read_document",
]

MAX_BYTES = limits.MAX_FILE_BYTES
"""The largest input file read (32 MiB): far above any real profile or checklist, far below
what would exhaust memory."""
MAX_DEPTH = limits.MAX_DEPTH
"""The deepest nesting of tables and lists in any input (real ones need 6)."""
_SUGGEST = 100
"""Problems that get a "did you mean" hint; past them, hints would cost seconds per thousand."""
MAX_PROBLEMS = 1000
"""Problems kept per error; the rest are counted, not listed."""
_ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
# A link whose host is an IP address: it says nothing of who publishes it and is not stable.
_BARE_IP = re.compile(r"^[a-z]+://(\d{1,3}\.){3}\d{1,3}(:\d+)?(/|$)", re.IGNORECASE)
_FACT_KEY = re.compile(r"^[a-z0-9_]+(?:\.[a-z0-9_]+)*$")


def format_key(path: KeyPath) -> str:
    """``("items", 3, "check")`` as ``items[3].check``."""
    out = ""
    for step in path:
        out += f"[{step}]" if isinstance(step, int) else (f".{step}" if out else str(step))
    return out


@attrs.frozen
class Document:
    """A parsed input: its data, and what is needed to point at its lines."""

    data: Mapping[str, object]
    origin: str
    text: str | None
    fmt: Literal["toml", "json", "mapping"]
    sha256: str
    _lines: dict[KeyPath, int] | None = attrs.field(default=None, init=False, eq=False,
                                                     repr=False)

    def problem(self, path: KeyPath, message: str) -> Problem:
        """A problem at ``path`` in this document, with its line when it can be found."""
        line = None
        if self.text is not None and path:
            if self._lines is None:  # built on the first problem, then reused
                object.__setattr__(self, "_lines", line_index(
                    self.text, "json" if self.fmt == "json" else "toml"))
            line = lookup(self._lines or {}, path)
        return Problem(message, file=self.origin, line=line, key=format_key(path) or None)

    def structure(self, data: object, cls: type[T], at: KeyPath = ()) -> T:
        """``data`` (found at ``at`` in this document) as ``cls`` through the converter; a
        SchemaError listing every problem, each with its line, when it does not fit."""
        try:
            return converter.structure(data, cls)
        except Exception as exc:  # cattrs raises exception groups of many kinds
            raise SchemaError([self.problem((*at, *p), m) for p, m in problems_of(exc)]
                              ) from None


Input = str | Path | Mapping[str, object] | Document
"""A path to a TOML or JSON file, the already-parsed mapping, or a parsed :class:`Document`
(text that never was a file, such as an HTTP request body, keeps its lines this way)."""


_TOML_POSITION = re.compile(r"\(at line (\d+), column (\d+)\)")


def read_bytes(path: Path, origin: str, limit: int = MAX_BYTES) -> bytes:
    """The bytes of a regular file of at most ``limit`` bytes; a ParseError naming the file
    otherwise. Devices and pipes are refused before a byte is read: ``/dev/zero`` never ends
    and a FIFO without a writer never answers."""
    try:
        # O_NONBLOCK: opening a FIFO without a writer would otherwise wait forever.
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except FileNotFoundError:
        raise ParseError(Problem("no such file", file=origin)) from None
    except IsADirectoryError:
        raise ParseError(Problem("is a directory, not a file", file=origin)) from None
    except OSError as exc:
        raise ParseError(Problem(f"cannot be read: {exc.strerror}", file=origin)) from None
    mode = os.fstat(fd).st_mode
    if not stat.S_ISREG(mode):
        os.close(fd)
        if stat.S_ISDIR(mode):
            raise ParseError(Problem("is a directory, not a file", file=origin))
        raise ParseError(Problem("is not a regular file (a device, pipe or socket)",
                                 file=origin))
    with os.fdopen(fd, "rb") as handle:
        try:
            raw = handle.read(limit + 1)
        except OSError as exc:
            raise ParseError(Problem(f"cannot be read: {exc.strerror}", file=origin)) from None
    if len(raw) > limit:
        raise ParseError(Problem(f"is larger than {limit // (1024 * 1024)} MiB", file=origin))
    return raw


def decode_text(raw: bytes, origin: str) -> str:
    """UTF-8 text (a BOM allowed); a ParseError naming the line of the first bad byte."""
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        raise ParseError(Problem(f"is not UTF-8 text (byte {exc.start})", file=origin,
                                 line=line)) from None


def _no_constants(name: str) -> object:
    raise ValueError(f"{name} is not allowed (numbers must be finite)")


def _unique_keys(pairs: list[tuple[str, object]]) -> dict[str, object]:
    out: dict[str, object] = {}
    for key, value in pairs:
        if key in out:
            raise ValueError(f"duplicate key '{key[:40]}'")
        out[key] = value
    return out


def parse_json(text: str, origin: str) -> object:
    """JSON text as data: NaN, Infinity and duplicate keys refused, nesting bounded; a
    ParseError with the line otherwise."""
    try:
        return json.loads(text, parse_constant=_no_constants, object_pairs_hook=_unique_keys)
    except json.JSONDecodeError as exc:
        raise ParseError(
            Problem(f"invalid JSON: {exc.msg}", file=origin, line=exc.lineno, column=exc.colno)
        ) from None
    except RecursionError:
        raise ParseError(Problem(f"nested deeper than {MAX_DEPTH} levels",
                                 file=origin)) from None
    except ValueError as exc:  # a constant, a duplicate key, an integer of 4,300+ digits
        raise ParseError(Problem(f"invalid JSON: {_short(str(exc))}", file=origin)) from None


def _short(message: str) -> str:
    first = message.splitlines()[0] if message else message
    if "Exceeds the limit" in first:
        return f"number out of range (at most {MAX_INT} in size)"
    return first[:200]


def _bad_string(value: str) -> bool:
    if value.isascii():
        return False
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def check_data(data: Mapping[str, object], problem: Callable[[KeyPath, str], Problem]
               ) -> None:
    """Bound what any parsed input may hold, whatever its kind: nesting depth, finite numbers
    within range, strings without lone surrogates (which cannot be hashed or written)."""
    problems: list[Problem] = []
    stack: list[tuple[object, KeyPath]] = [(data, ())]
    while stack and len(problems) < MAX_PROBLEMS:
        node, path = stack.pop()
        if len(path) > MAX_DEPTH:
            problems.append(problem(path[:3], f"nested deeper than {MAX_DEPTH} levels"))
            continue
        if isinstance(node, Mapping):
            for key, value in node.items():
                if _bad_string(str(key)):
                    problems.append(problem(path, "a key holds an unpaired surrogate (\\ud800-"
                                                  "\\udfff), not text"))
                    continue
                stack.append((value, (*path, key)))
        elif isinstance(node, list):
            stack.extend((value, (*path, i)) for i, value in enumerate(node))
        elif isinstance(node, str):
            if _bad_string(node):
                problems.append(problem(path, "holds an unpaired surrogate (\\ud800-\\udfff), "
                                              "not text"))
        elif isinstance(node, (int, float)) and not isinstance(node, bool):
            try:
                check_number(node)
            except ValueError as exc:
                problems.append(problem(path, str(exc)))
        elif isinstance(node, dt.date) and not isinstance(node, dt.datetime):
            try:
                parse_date(node)
            except ValueError as exc:
                problems.append(problem(path, str(exc)))
    if problems:
        problems.sort(key=lambda p: (p.line or 0, p.key or ""))
        raise SchemaError(problems)


def file_format(path: Path) -> Literal["json", "toml"]:
    """How a file is parsed, by its suffix: ``.json`` is JSON, anything else TOML."""
    return "json" if path.suffix.lower() == ".json" else "toml"


def read_document(source: Input, *, name: str | None = None) -> Document:
    """Parse a TOML or JSON file (by its suffix), or wrap a mapping, into a :class:`Document`.

    Every input passes here or through :func:`parse_document`, so here are the bounds every
    input obeys: a regular file of at most MAX_BYTES, UTF-8, nesting at most MAX_DEPTH deep,
    numbers finite and within MAX_INT, dates within the supported range, no lone surrogates.
    """
    if isinstance(source, Document):
        return source
    if isinstance(source, Mapping):
        doc = Document(source, name or "<mapping>", None, "mapping", "")
        check_data(source, doc.problem)
        return attrs.evolve(doc, sha256=canonical_sha256(source))
    path = Path(source)
    origin = name or str(source)
    raw = read_bytes(path, origin)
    return parse_document(raw, origin, file_format(path))


def parse_document(raw: bytes, origin: str, fmt: Literal["json", "toml"]) -> Document:
    """Parse TOML or JSON bytes that did not come from a file (an HTTP request body, say);
    the sha256 is of the bytes as given, as for a file. The same bounds as a file's apply."""
    if len(raw) > MAX_BYTES:
        raise ParseError(Problem(f"is larger than {MAX_BYTES // (1024 * 1024)} MiB",
                                 file=origin))
    text = decode_text(raw, origin)
    sha = hashlib.sha256(raw).hexdigest()
    if fmt == "json":
        data = parse_json(text, origin)
        if not isinstance(data, dict):
            raise SchemaError(Problem("the top level must be a JSON object", file=origin, line=1))
        doc = Document(data, origin, text, "json", sha)
        check_data(data, doc.problem)
        return doc
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        message = str(exc)
        line = column = None
        if match := _TOML_POSITION.search(message):
            line, column = int(match.group(1)), int(match.group(2))
            message = message[: match.start()].strip()
        raise ParseError(
            Problem(f"invalid TOML: {message}", file=origin, line=line, column=column)
        ) from None
    except RecursionError:
        raise ParseError(Problem(f"nested deeper than {MAX_DEPTH} levels",
                                 file=origin)) from None
    except ValueError as exc:  # an integer of 4,300+ digits, a day that does not exist
        raise ParseError(Problem(f"invalid TOML: {_short(str(exc))}", file=origin)) from None
    doc = Document(data, origin, text, "toml", sha)
    check_data(data, doc.problem)
    return doc


