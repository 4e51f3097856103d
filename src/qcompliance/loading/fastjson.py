"""The fast path of reading one JSON object: orjson, with the bounds of every input checked on
the text in C-level byte operations instead of a walk over the parsed data.

It only accepts. A line it cannot vouch for (a backslash escape anywhere, a byte-order mark, a
long number or an exponent, deep nesting, a duplicate key, anything orjson refuses) gives None,
and the caller runs the checked path (``parse_json`` and ``check_data``), so every error
message stays the checked path's. What it accepts, the checked path accepts too and parses to
an equal mapping:

* no backslash means no escape sequence, so no lone surrogate and no escaped quote: every ``"``
  delimits a string, and the bytes between strings are the JSON structure;
* a number of at most 15 digits without an exponent is finite and within ``MAX_INT`` (2**53 - 1);
* the nesting height is found by stripping innermost empty brackets, one level per round;
* orjson keeps the last of duplicate keys silently; the structure's colons (one per key in the
  text) are compared with the keys of the parsed mapping, counted in its compact re-encoding
  (which has no escapes either, so ``":`` occurs once per key).
"""

from __future__ import annotations

import orjson

from qcompliance.limits import MAX_DEPTH

__all__ = ["parse_plain_object"]

_BRACKETS = bytes(range(256)).translate(None, b"{}[]")
"""Every byte but the four brackets: deleted, what is left is the nesting."""
_NUMBERS = bytes.maketrans(b"0123456789E", b"0000000000e")
"""Digits made alike, and both exponent letters: a long number and an exponent are substrings."""
_LONG = b"0" * 16
_BOM = b"\xef\xbb\xbf"


def parse_plain_object(raw: bytes) -> dict[str, object] | None:
    """The JSON object in ``raw`` when it is plainly within every input's bounds, else None."""
    if b"\\" in raw or raw.startswith(_BOM):
        return None
    try:
        data = orjson.loads(raw)
    except orjson.JSONDecodeError:
        return None
    if type(data) is not dict:
        return None
    structure = b"".join(raw.split(b'"')[0::2])
    numbers = structure.translate(_NUMBERS)
    if _LONG in numbers or b"0e" in numbers:
        return None
    if structure.count(b":") != orjson.dumps(data).count(b'":'):
        return None  # a duplicate key
    nesting = structure.translate(None, _BRACKETS)
    for _ in range(MAX_DEPTH):
        if not nesting:
            return data
        nesting = nesting.replace(b"{}", b"").replace(b"[]", b"")
    return data if not nesting else None
