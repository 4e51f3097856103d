"""The fast JSON line parser accepts only what the checked path accepts, parsed the same way."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from conftest import ROOT
from qcompliance.batch.bounded import parse_line
from qcompliance.errors import QComplianceError
from qcompliance.limits import MAX_DEPTH
from qcompliance.loading.document import check_data, parse_json
from qcompliance.loading.fastjson import parse_plain_object
from qcompliance.loading.load import Document, read_document

EXAMPLES = sorted(p for p in (ROOT / "examples").glob("*.toml") if p.name != "tailoring.toml")


def _checked(raw: bytes) -> object:
    """What the checked path (parse_json, then the bounds of every input) makes of ``raw``."""
    try:
        data = parse_json(raw.decode("utf-8-sig"), "<line>")
        if isinstance(data, dict):
            check_data(data, Document(data, "<line>", None, "mapping", "").problem)
    except (QComplianceError, UnicodeDecodeError) as exc:
        return exc
    return data


def _agrees(raw: bytes) -> None:
    fast = parse_plain_object(raw)
    if fast is not None:
        checked = _checked(raw)
        assert isinstance(checked, dict), checked
        assert fast == checked
        assert list(fast) == list(checked)


def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value.isoformat() if hasattr(value, "isoformat") else value


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.name)
def test_every_example_line_takes_the_fast_path(path: Any) -> None:
    """An example profile as one JSON line (compact or spaced) is parsed by the fast path to the
    checked path's mapping."""
    data = _plain(dict(read_document(path).data))
    for text in (json.dumps(data, ensure_ascii=False), json.dumps(data, indent=1)):
        raw = text.replace("\n", " ").encode() + b"\n"
        assert "\\" not in text or parse_plain_object(raw) is None
        if "\\" not in text:
            assert parse_plain_object(raw) == data
            _agrees(raw)


@pytest.mark.parametrize("raw", [
    b'{"a": 1, "a": 2}',  # a duplicate key (orjson would keep the last)
    b'{"a": {"b": 1, "c": {"b": 2, "b": 3}}}',
    b'{"a": "x:y", "a": "z"}',
    b'{"a": 12345678901234567}',  # past 2**53 - 1
    b'{"a": 1e400}',
    b'{"a": 1.5E3}',
    b'{"a": NaN}',
    b'{"a": "\\ud800"}',  # a lone surrogate
    b'{"a": "\\u0041"}',  # an escape (the checked path accepts it)
    b"\xef\xbb\xbf{}",
    b'{"a": ' + b"[" * MAX_DEPTH + b"1" + b"]" * MAX_DEPTH + b"}",  # one level too deep
    b'{"a": "\xff"}',  # not UTF-8
    b'{"a": "\xed\xa0\x80"}',  # a surrogate encoded as UTF-8
    b"[1, 2]",
    b'{"a": 1,}',
])
def test_what_the_fast_path_leaves_to_the_checked_path(raw: bytes) -> None:
    """Duplicate keys, numbers out of range or with an exponent, escapes, a BOM, deep nesting,
    bad bytes, no object, bad JSON: the fast path gives None (the checked path decides)."""
    assert parse_plain_object(raw) is None


def test_the_deepest_nesting_allowed_is_fast() -> None:
    """Nesting exactly at the bound is within it on both paths."""
    raw = b'{"a": ' + b"[" * (MAX_DEPTH - 1) + b"1" + b"]" * (MAX_DEPTH - 1) + b"}"
    assert parse_plain_object(raw) is not None
    _agrees(raw)


def test_parse_line_reports_the_checked_paths_problem() -> None:
    """A line the fast path leaves gets the checked path's problem, with its line number."""
    data, problem = parse_line(b'{"a": 1, "a": 2}\n', "in.jsonl", 7)
    assert data is None
    assert problem is not None
    assert (problem.message, problem.line) == ("invalid JSON: duplicate key 'a'", 7)
    data, problem = parse_line(b'{"a": 1, "b": [true, null]}\n', "in.jsonl", 8)
    assert problem is None
    assert data == {"a": 1, "b": [True, None]}


_KEYS = st.sampled_from(["a", "b", "c", "键", "a:b", "[x]", "{"])
_SCALARS = (st.none() | st.booleans() | st.integers(-(2**60), 2**60)
            | st.floats(allow_nan=False, allow_infinity=False)
            | st.text(max_size=6))
_VALUES = st.recursive(_SCALARS, lambda inner: st.lists(inner, max_size=3)
                       | st.dictionaries(_KEYS, inner, max_size=3), max_leaves=20)


@settings(max_examples=300, deadline=None)
@given(value=st.dictionaries(_KEYS, _VALUES, max_size=4), duplicate=st.booleans(),
       spaced=st.booleans())
@example(value={"a": {"b": [1, 2]}}, duplicate=True, spaced=False)
def test_fast_path_never_accepts_what_the_checked_path_refuses(value: dict[str, Any],
                                                               duplicate: bool,
                                                               spaced: bool) -> None:
    """Generated objects, with a key repeated or not, compact or spaced: whenever the fast path
    accepts, the checked path accepts and parses the same mapping."""
    text = json.dumps(value, ensure_ascii=False,
                      separators=(", ", " : ") if spaced else (",", ":"))
    if duplicate and value:
        key = json.dumps(next(iter(value)), ensure_ascii=False)
        text = "{" + key + ":0," + text[1:] if len(text) > 2 else text
    _agrees(text.encode("utf-8", "surrogatepass"))
