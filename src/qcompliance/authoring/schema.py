"""JSON Schemas of qcompliance's file formats, generated from the models and the facts dictionary.

Nothing here is written by hand except the shape of a condition: the checklist and assessment
schemas walk the attrs classes of :mod:`qcompliance.model` (fields, type hints, defaults,
docstrings), and the profile schema enumerates every declared fact with its type, allowed
values and questions. ``python -m qcompliance.authoring.schema schemas/`` writes the committed
files; a test fails when they are stale.

Fields the loader sets itself (declared with ``eq=False``, such as ``origin`` and ``sha256``)
are not part of a file and are left out. JSON Schema sees JSON: a TOML date is a string of
format ``date`` here, and validating a TOML file means converting its dates to ISO strings.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Literal

from qcompliance.authoring.schema_forms import (
    batch_row_schema,
    compact_assessment_schema,
    summary_schema,
)
from qcompliance.authoring.schema_profile import profile_schema
from qcompliance.authoring.schema_walk import (
    COMMENT,
    DRAFT,
    JSONSchema,
    Walker,
    condition_defs,
    file_data,
    root_schema,
)
from qcompliance.errors import Problem, UsageError
from qcompliance.model import Assessment, Checklist, FactSpec, Waiver

__all__ = [
    "DRAFT",
    "KINDS",
    "SchemaKind",
    "assessment_schema",
    "batch_row_schema",
    "checklist_schema",
    "compact_assessment_schema",
    "condition_defs",
    "file_data",
    "profile_schema",
    "schema",
    "schema_text",
    "summary_schema",
    "tailoring_schema",
    "waivers_schema",
    "write_schemas",
]

SchemaKind = Literal["profile", "checklist", "assessment", "assessment-compact",
                     "assessment-summary", "batch-row", "tailoring", "waivers"]
KINDS: tuple[SchemaKind, ...] = ("profile", "checklist", "assessment", "assessment-compact",
                                 "assessment-summary", "batch-row", "tailoring", "waivers")
"""The formats that have a schema, in the order ``qcheck schema`` lists them."""

def checklist_schema() -> JSONSchema:
    """The schema of a checklist file (``qcompliance/checklist/v1``), from :class:`Checklist`."""
    walker = Walker()
    out = root_schema("qcompliance checklist (qcompliance/checklist/v1)", Checklist, walker)
    out["$defs"] = {**dict(sorted(walker.defs.items())), **condition_defs()}
    return out


def assessment_schema() -> JSONSchema:
    """The schema of an assessment document (``qcompliance/assessment/v1``)."""
    walker = Walker()
    out = root_schema("qcompliance assessment (qcompliance/assessment/v1)", Assessment, walker)
    out["$defs"] = dict(sorted(walker.defs.items()))
    return out


def tailoring_schema() -> JSONSchema:
    """The schema of a tailoring file (``qcompliance/tailoring/v1``), from
    :class:`qcompliance.tailoring.Tailoring`, plus the ``[[waivers]]`` it may hold
    (:class:`qcompliance.model.Waiver`; the loader reads them apart, leniently).
    """
    from qcompliance.engine.tailoring import TAILORING_SCHEMA, Tailoring

    walker = Walker()
    out = root_schema(f"qcompliance tailoring ({TAILORING_SCHEMA})", Tailoring, walker)
    out["properties"]["waivers"] = {"type": "array", "items": walker.ref(Waiver), "default": []}
    out["$defs"] = dict(sorted(walker.defs.items()))
    return out


def waivers_schema() -> JSONSchema:
    """The schema of a waivers file (``qcompliance/waivers/v1``): ``[[waivers]]`` of
    :class:`qcompliance.model.Waiver`.
    """
    from qcompliance.engine.tailoring import WAIVERS_SCHEMA

    walker = Walker()
    out: JSONSchema = {
        "$schema": DRAFT, "$comment": COMMENT, "title": f"qcompliance waivers ({WAIVERS_SCHEMA})",
        "type": "object", "description": "Accepted exceptions for failing items.",
        "properties": {"schema": {"const": WAIVERS_SCHEMA},
                       "waivers": {"type": "array", "items": walker.ref(Waiver), "default": []}},
        "required": ["schema"], "additionalProperties": False,
    }
    out["$defs"] = dict(sorted(walker.defs.items()))
    return out


def schema(kind: str, facts: Mapping[str, FactSpec] | None = None) -> JSONSchema:
    """The schema of ``kind`` (one of :data:`KINDS`); the profile's from ``facts``
    (default: the built-in facts dictionary)."""
    if kind == "profile":
        if facts is None:
            from qcompliance.loading.load import load_checklists

            facts = load_checklists().facts
        return profile_schema(facts)
    if kind == "checklist":
        return checklist_schema()
    if kind == "assessment":
        return assessment_schema()
    if kind == "assessment-compact":
        return compact_assessment_schema()
    if kind == "assessment-summary":
        return summary_schema()
    if kind == "batch-row":
        return batch_row_schema()
    if kind == "tailoring":
        return tailoring_schema()
    if kind == "waivers":
        return waivers_schema()
    raise UsageError(Problem(f"no schema '{kind}'; one of {', '.join(KINDS)}", key="kind"))


def schema_text(value: JSONSchema) -> str:
    """A schema as the committed file holds it: indented UTF-8 JSON ending in a newline."""
    return json.dumps(value, ensure_ascii=False, indent=2, allow_nan=False) + "\n"


def write_schemas(folder: str | Path, facts: Mapping[str, FactSpec] | None = None
                  ) -> list[Path]:
    """Write ``<kind>.schema.json`` for every kind into ``folder``; return the paths written.

    """
    from qcompliance.loading.files import write_atomic

    target = Path(folder)
    target.mkdir(parents=True, exist_ok=True)
    written = []
    for kind in KINDS:
        text = schema_text(schema(kind, facts))
        path = target / f"{kind}.schema.json"
        write_atomic(path, text)
        written.append(path)
    return written


def main(argv: list[str] | None = None) -> int:
    """``python -m qcompliance.authoring.schema FOLDER``: write every schema into FOLDER."""
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 1:
        sys.stderr.write("usage: python -m qcompliance.authoring.schema FOLDER\n")
        return 2
    for path in write_schemas(args[0]):
        sys.stdout.write(f"{path}\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
