"""Find the line on which a key stands, so errors can name it.

TOML parsers in Python return plain dicts without positions, so for TOML this module scans the
text once and records the line of every table header, key assignment and multi-line array
element. For JSON it uses ``json_source_map``. A key path that is not found exactly is
answered with the line of its longest known prefix (an inline table's keys share its line).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import json_source_map  # type: ignore[import-untyped]  # the package ships no type hints

__all__ = ["find_line", "line_index", "lookup"]

KeyPath = tuple[str | int, ...]

_KEY = r'(?:[A-Za-z0-9_-]+|"(?:[^"\\]|\\.)*"|\'[^\']*\')'
_DOTTED = rf"{_KEY}(?:\s*\.\s*{_KEY})*"
_ASSIGN = re.compile(rf"^\s*({_DOTTED})\s*=\s*(.*)$")
_TABLE = re.compile(rf"^\s*\[\s*({_DOTTED})\s*\]")
_ARRAY_TABLE = re.compile(rf"^\s*\[\[\s*({_DOTTED})\s*\]\]")
_SEGMENT = re.compile(_KEY)


def _segments(dotted: str) -> list[str]:
    return [s.strip("\"'") for s in _SEGMENT.findall(dotted)]


def _bracket_balance(text: str) -> int:
    """Open minus closed brackets outside strings and comments (enough for array values)."""
    depth, quote = 0, ""
    for i, ch in enumerate(text):
        if quote:
            if ch == quote and text[i - 1] != "\\":
                quote = ""
        elif ch in "\"'":
            quote = ch
        elif ch == "#":
            break
        elif ch in "[{":
            depth += 1
        elif ch in "]}":
            depth -= 1
    return depth


def _toml_index(text: str) -> dict[KeyPath, int]:
    index: dict[KeyPath, int] = {}
    counts: dict[KeyPath, int] = {}
    table: KeyPath = ()
    in_string = ""
    array_key: KeyPath | None = None
    depth = 0
    element = -1

    def resolve(segments: list[str]) -> KeyPath:
        path: KeyPath = ()
        for seg in segments:
            path = (*path, seg)
            if path in counts:
                path = (*path, counts[path])
        return path

    for number, line in enumerate(text.splitlines(), start=1):
        if in_string:
            if in_string in line:
                in_string = ""
            continue
        stripped = line.strip()
        if array_key is not None:
            if depth == 1 and stripped and not stripped.startswith(("#", "]")):
                element += 1
                index.setdefault((*array_key, element), number)
            depth += _bracket_balance(stripped)
            if depth <= 0:
                array_key = None
            continue
        if not stripped or stripped.startswith("#"):
            continue
        if match := _ARRAY_TABLE.match(line):
            segments = _segments(match.group(1))
            parent = resolve(segments[:-1])
            base = (*parent, segments[-1])
            counts[base] = counts.get(base, -1) + 1
            table = (*base, counts[base])
            index.setdefault(base, number)
            index.setdefault(table, number)
            continue
        if match := _TABLE.match(line):
            table = resolve(_segments(match.group(1)))
            index.setdefault(table, number)
            continue
        if match := _ASSIGN.match(line):
            key = (*table, *_segments(match.group(1)))
            index.setdefault(key, number)
            value = match.group(2)
            for quote in ('"""', "'''"):
                if value.startswith(quote) and value.count(quote) == 1:
                    in_string = quote
            balance = _bracket_balance(value)
            if balance > 0:
                array_key, depth, element = key, balance, -1
    return index


def _json_index(text: str) -> dict[KeyPath, int]:
    try:
        entries = json_source_map.calculate(text)
    except Exception:
        return {}
    index: dict[KeyPath, int] = {}
    for pointer, entry in entries.items():
        parts = [p.replace("~1", "/").replace("~0", "~") for p in pointer.split("/")[1:]]
        path: KeyPath = tuple(int(p) if p.isdigit() else p for p in parts)
        start = entry.key_start or entry.value_start
        index[path] = start.line + 1
    return index


def line_index(text: str, fmt: str = "toml") -> dict[KeyPath, int]:
    """The line of every key path in ``text``: built once per document, in one pass, so that
    reporting many errors costs one scan, not one per error."""
    return _json_index(text) if fmt == "json" else _toml_index(text)


def find_line(text: str, path: Sequence[str | int], fmt: str = "toml") -> int | None:
    """The 1-based line of ``path`` in ``text`` (TOML or JSON), or of its longest known prefix.

    Scans the whole text: for more than one lookup, build :func:`line_index` once and use
    :func:`lookup`.
    """
    return lookup(line_index(text, fmt), path)


def lookup(index: dict[KeyPath, int], path: Sequence[str | int]) -> int | None:
    """The line of ``path`` (or of its longest known prefix) in an index from line_index."""
    key = tuple(path)
    for end in range(len(key), 0, -1):
        line = index.get(key[:end])
        if line is not None:
            return line
    return None
