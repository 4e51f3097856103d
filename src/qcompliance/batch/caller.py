"""What the caller says about a company beside its facts, carried into its batch row: its
``id`` (names the row), ``external_id`` (the caller's own key, say a supplier number) and
``metadata`` (labels, text to text).

A JSON profile (a JSON Lines line, an element of a ``{"profiles": [...]}`` body, a profile
file of a folder) gives them as top-level members beside the facts; a CSV or XLSX input as the
columns ``id``, ``external_id`` and ``metadata.<label>``. None of them is a fact: they are taken
out before the profile is loaded.
"""

from __future__ import annotations

from collections.abc import Mapping

import attrs

from qcompliance.errors import Problem

__all__ = ["CALLER_KEYS", "EXTERNAL_ID", "ID", "METADATA", "METADATA_PREFIX", "Caller",
           "caller_of", "cell_text", "without_caller"]

ID = "id"
EXTERNAL_ID = "external_id"
METADATA = "metadata"
CALLER_KEYS = frozenset({ID, EXTERNAL_ID, METADATA})
"""The top-level members of a JSON profile that are the caller's, not facts."""
METADATA_PREFIX = METADATA + "."
"""A flat input's column ``metadata.<label>`` gives the label ``<label>``."""


@attrs.frozen
class Caller:
    """The caller's members of one company: ``ident`` None when no usable ``id`` was given."""

    ident: str | None = None
    external_id: str | None = None
    metadata: Mapping[str, str] = attrs.field(factory=dict)


def _ident(given: object) -> str | None:
    if isinstance(given, bool) or not isinstance(given, (str, int)):
        return None
    return str(given) if str(given).strip() else None


def caller_of(data: Mapping[str, object], origin: str, line: int | None
              ) -> tuple[Caller, Problem | None]:
    """The caller's members of a JSON profile, and the problem with them if one is malformed
    (the well-formed ones are kept all the same, so an error row still carries them)."""
    problem = None
    external_id = data.get(EXTERNAL_ID)
    if external_id is not None and not isinstance(external_id, str):
        problem = Problem("must be text", file=origin, line=line, key=EXTERNAL_ID)
        external_id = None
    metadata = data.get(METADATA, {})
    if not isinstance(metadata, Mapping) or not all(
            isinstance(k, str) and isinstance(v, str) for k, v in metadata.items()):
        problem = problem or Problem("must be an object of text values", file=origin,
                                     line=line, key=METADATA)
        metadata = {}
    return Caller(_ident(data.get(ID)), external_id, dict(metadata)), problem


def without_caller(data: Mapping[str, object]) -> Mapping[str, object]:
    """``data`` without the caller's members (``data`` itself when it has none)."""
    if CALLER_KEYS.isdisjoint(data):
        return data
    return {k: v for k, v in data.items() if k not in CALLER_KEYS}


def cell_text(value: object) -> str:
    """A flat input's cell as text: a whole number read from a workbook as 10042.0 is
    ``10042``, text is stripped."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()
