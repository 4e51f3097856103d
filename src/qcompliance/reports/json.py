"""The assessment document (schema ``qcompliance/assessment/v1``) as JSON.

The same assessment always gives the same bytes: fields keep the model's order, mappings keep
the order evaluation built them in, and nothing time-dependent but ``as_of`` is written.
"""

from __future__ import annotations

import json
from collections.abc import Mapping

from qcompliance.errors import ParseError, Problem, SchemaError
from qcompliance.loading.converter import converter, problems_of
from qcompliance.model import Assessment, Lang

__all__ = [
    "assessment_from_data",
    "assessment_from_json",
    "assessment_to_data",
    "assessment_to_json",
]


def assessment_to_data(assessment: Assessment) -> dict[str, object]:
    """The assessment as plain JSON-ready data."""
    data: dict[str, object] = converter.unstructure(assessment)
    return data


def assessment_to_json(assessment: Assessment) -> str:
    """The assessment as pretty-printed UTF-8 JSON text ending in a newline."""
    return json.dumps(assessment_to_data(assessment), ensure_ascii=False, indent=2) + "\n"


def render_json(assessment: Assessment, lang: Lang = "zh") -> str:
    """The writer interface for JSON: the document is bilingual, so ``lang`` changes nothing."""
    return assessment_to_json(assessment)


def assessment_from_json(text: str | Mapping[str, object], *, origin: str = "<assessment>"
                         ) -> Assessment:
    """Read an assessment document back (fact values stay plain JSON values)."""
    if isinstance(text, str):
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise ParseError(Problem(f"invalid JSON: {exc.msg}", file=origin,
                                     line=exc.lineno, column=exc.colno)) from None
    else:
        data = dict(text)
    try:
        return converter.structure(data, Assessment)
    except Exception as exc:
        from qcompliance.loading.load import format_key

        raise SchemaError([
            Problem(m, file=origin, key=format_key(p) or None) for p, m in problems_of(exc)
        ]) from None


def assessment_from_data(data: Mapping[str, object], *, origin: str = "<assessment>"
                         ) -> Assessment:
    """The assessment that :func:`assessment_to_data` gave ``data`` for (plain JSON-ready
    data, as stored in a database or sent between processes); the inverse of
    :func:`assessment_to_data`. Raises :class:`SchemaError` listing what does not fit."""
    return assessment_from_json(data, origin=origin)
