"""The assessment document (schema ``qcompliance/assessment/v1``) as JSON.

The same assessment always gives the same bytes: fields keep the model's order, mappings keep
the order evaluation built them in, and nothing time-dependent but ``as_of`` is written.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path

from qcompliance.errors import Problem, SchemaError
from qcompliance.loading.converter import converter
from qcompliance.loading.load import (
    Document,
    check_data,
    decode_text,
    parse_json,
    read_bytes,
    read_document,
)
from qcompliance.model import Assessment, Lang

__all__ = [
    "assessment_from_data",
    "assessment_from_json",
    "assessment_to_data",
    "assessment_to_json",
    "load_assessment",
]


def assessment_to_data(assessment: Assessment) -> dict[str, object]:
    """The assessment as plain JSON-ready data."""
    data: dict[str, object] = converter.unstructure(assessment)
    return data


def assessment_to_json(assessment: Assessment) -> str:
    """The assessment as pretty-printed UTF-8 JSON text ending in a newline."""
    return json.dumps(assessment_to_data(assessment), ensure_ascii=False, indent=2,
                      allow_nan=False) + "\n"


def render_json(assessment: Assessment, lang: Lang = "zh") -> str:
    """The writer interface for JSON: the document is bilingual, so ``lang`` changes nothing."""
    return assessment_to_json(assessment)


def assessment_from_json(text: str | Mapping[str, object], *, origin: str = "<assessment>"
                         ) -> Assessment:
    """Read an assessment document back (fact values stay plain JSON values).

    It passes the same bounds as every input (see ``read_document``) and its problems carry
    their lines."""
    if isinstance(text, str):
        data = parse_json(text, origin)
        if not isinstance(data, dict):
            raise SchemaError(Problem("the top level must be a JSON object", file=origin, line=1))
        doc = Document(data, origin, text, "json", "")
        check_data(data, doc.problem)
    else:
        doc = read_document(text, name=origin)
    return doc.structure(dict(doc.data), Assessment)


def load_assessment(path: str | Path) -> Assessment:
    """Read an assessment file with the bounds of every input (a regular file, UTF-8, …)."""
    origin = str(path)
    return assessment_from_json(decode_text(read_bytes(Path(path), origin), origin),
                                origin=origin)


def assessment_from_data(data: Mapping[str, object], *, origin: str = "<assessment>"
                         ) -> Assessment:
    """The assessment that :func:`assessment_to_data` gave ``data`` for (plain JSON-ready
    data, as stored in a database or sent between processes); the inverse of
    :func:`assessment_to_data`. Raises :class:`SchemaError` listing what does not fit."""
    return assessment_from_json(data, origin=origin)
