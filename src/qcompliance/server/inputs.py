"""Request bodies to the library's inputs, in memory: nothing is written to the file system.

A profile, tailoring or waivers document comes as a JSON object or as TOML or JSON text. Text is
parsed into a :class:`~qcompliance.loading.load.Document` that keeps it, so problems name their
lines, and hashed as sent, so an assessment made over HTTP records the same sha256 as one made
from the same file on disk.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Literal

import attrs

from qcompliance.engine.tailoring import Tailoring, load_tailoring_and_waivers
from qcompliance.errors import Problem, SchemaError, UsageError
from qcompliance.loading.catalog import ChecklistSet
from qcompliance.loading.load import (
    Document,
    Input,
    load_profile,
    parse_document,
    read_document,
)
from qcompliance.model import Profile, Waiver, WaiverProblem

__all__ = ["Inputs", "read_inputs", "text_document"]

REQUEST = "<request>"


def text_document(raw: bytes | str, fmt: Literal["json", "toml"], name: str) -> Document:
    """A document parsed from request text (str is encoded as UTF-8 before hashing)."""
    return parse_document(raw.encode("utf-8") if isinstance(raw, str) else raw, name, fmt)


@attrs.frozen
class Inputs:
    """What one assessment request gives: a profile, and optionally tailoring and waivers."""

    profile: Profile
    tailoring: Tailoring | None = None
    waivers: tuple[Waiver, ...] = ()
    waiver_problems: tuple[WaiverProblem, ...] = ()
    external_id: str | None = None
    metadata: Mapping[str, str] = attrs.field(factory=dict)


def _part(envelope: Mapping[str, object], part: str) -> Input | None:
    """One part of an envelope: an object as it is, text parsed into a document."""
    value = envelope.get(part)
    if value is None:
        return None
    name_value = envelope.get(f"{part}_name")
    name = name_value if isinstance(name_value, str) and name_value else f"<{part}>"
    if isinstance(value, Mapping):
        return read_document(dict(value), name=name)
    if isinstance(value, str):
        fmt = envelope.get(f"{part}_format", "toml")
        if fmt not in ("toml", "json"):
            raise SchemaError(Problem('must be "toml" or "json"', file=REQUEST,
                                      key=f"{part}_format"))
        return text_document(value, "json" if fmt == "json" else "toml", name)
    raise SchemaError(Problem("must be an object or TOML/JSON text", file=REQUEST, key=part))


_ENVELOPE_KEYS = {f"{part}{tail}" for part in ("profile", "tailoring", "waivers")
                  for tail in ("", "_format", "_name")} | {"external_id", "metadata"}


def _identity(doc: Document) -> tuple[str | None, dict[str, str]]:
    """The caller's ``external_id`` and ``metadata`` of an envelope, checked."""
    external_id, metadata = doc.data.get("external_id"), doc.data.get("metadata") or {}
    if external_id is not None and not isinstance(external_id, str):
        raise SchemaError(doc.problem(("external_id",), "must be text"))
    if not isinstance(metadata, Mapping) or not all(
            isinstance(k, str) and isinstance(v, str) for k, v in metadata.items()):
        raise SchemaError(doc.problem(("metadata",), "must be an object of text values"))
    return external_id, dict(metadata)


def read_inputs(body: bytes, content_type: str, checklists: ChecklistSet) -> Inputs:
    """The inputs of ``POST /v1/assessments``.

    The body is a profile (JSON object, or TOML with content type ``application/toml``), or a
    JSON envelope ``{"profile": ..., "tailoring": ..., "waivers": ...}`` whose parts are
    objects or TOML/JSON text (``<part>_format``, ``<part>_name``).
    """
    media = content_type.split(";", 1)[0].strip().lower()
    if media in ("application/toml", "text/toml", "text/x-toml"):
        return Inputs(load_profile(text_document(body, "toml", REQUEST), checklists.facts))
    if media not in ("application/json", "application/x-ndjson", "") and not media.endswith(
            "+json"):
        raise UsageError(Problem(f"unsupported content type '{media}': send application/json "
                                 "or application/toml", key="Content-Type"))
    doc = text_document(body, "json", REQUEST)
    data = doc.data
    if "profile" not in data or "schema" in data:
        return Inputs(load_profile(doc, checklists.facts))
    extra = sorted(set(data) - _ENVELOPE_KEYS)
    if extra:
        raise SchemaError(doc.problem((extra[0],), f"unknown envelope key '{extra[0]}'"))
    profile_part = _part(data, "profile")
    assert profile_part is not None  # "profile" is in data
    profile = load_profile(profile_part, checklists.facts)
    tailoring, waivers, rejected = load_tailoring_and_waivers(
        _part(data, "tailoring"), _part(data, "waivers"), known=checklists.known_ids)
    external_id, metadata = _identity(doc)
    return Inputs(profile, tailoring, tuple(waivers), tuple(rejected), external_id, metadata)
