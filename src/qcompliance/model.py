"""The values qcompliance passes between stages: frozen attrs classes and enums.

Checklists, facts and profiles come in through :mod:`qcompliance.loading.load`; an
:class:`Assessment` comes out of :func:`qcompliance.evaluate.evaluate`. None of these classes
does I/O.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Literal

import attrs

from qcompliance.rules.conditions import Condition
from qcompliance.values import FactType, ItemKind, Lang, Level, Severity, Text, Verdict

__all__ = [
    "Assessment",
    "Basis",
    "Change",
    "Checklist",
    "ChecklistRef",
    "Citation",
    "FactRead",
    "FactSpec",
    "FactType",
    "FactValue",
    "Item",
    "ItemKind",
    "Lang",
    "Level",
    "Mapping19001",
    "PackManifest",
    "Profile",
    "Provenance",
    "Question",
    "Region",
    "RegionalParams",
    "Result",
    "Score",
    "Severity",
    "Source",
    "TailoringRecord",
    "Text",
    "Verdict",
    "Waiver",
    "WaiverProblem",
]

@attrs.frozen
class FactSpec:
    """The declaration of one fact: its type and the words used to ask for it."""

    key: str
    type: FactType
    label: Text
    question: Text
    help: Text | None = None
    unit: Text | None = None
    values: tuple[str, ...] | None = None
    value_labels: Mapping[str, Text] | None = None
    fields: tuple[FactSpec, ...] | None = None
    past_only: bool = False
    origin: str | None = attrs.field(default=None, eq=False)
    """The file that declared the fact (set by the loader, not read from the file)."""

    def field(self, key: str) -> FactSpec | None:
        """The declared field ``key`` of a records fact."""
        for spec in self.fields or ():
            if spec.key == key:
                return spec
        return None


@attrs.frozen
class OfficialRef:
    """How a text was officially issued: its document number, where it was published, a link.

    This is what a client cites and can look up; it is kept apart from the copy in which the
    project read the text (:class:`ReadCopy`), which may be a reprint or a repository file.
    """

    number: str | None = None
    """The document number as issued, e.g. 国家市场监督管理总局令第74号."""
    published_in: str | None = None
    """Where it was published, e.g. 国务院公报 or the issuer's website."""
    url: str | None = None
    """A link to the official publication, where one is known."""


@attrs.frozen
class ReadCopy:
    """The copy in which the text was read and its quotes checked."""

    url: str
    commit: str | None = None
    """For a repository file: the commit read."""
    read_on: dt.date | None = None


@attrs.frozen
class Source:
    """A legal or policy text that items cite."""

    id: str
    title: Text
    issuer: Text
    verified: Literal["text", "secondary", "policy"]
    published: dt.date | None = None
    effective: dt.date | None = None
    url: str | None = None
    official: OfficialRef | None = None
    read_in: ReadCopy | None = None


@attrs.frozen
class Basis:
    """Where in a source an item's duty comes from."""

    source: str
    clause: str
    quote: str | None = None


@attrs.frozen
class Mapping19001:
    """The relation of an item to a clause of a management-system standard."""

    standard: str
    clause: str
    relation: Literal["equal", "subset", "superset", "intersects"]


@attrs.frozen
class Due:
    """Where an item's duty falls due: the date fact ``fact``, less the days of param ``before``.

    E.g. a renewal due 90 days before a certificate expires: ``fact`` is the expiry date and
    ``before`` names the item's param that holds 90. The evaluator puts the date on the result,
    so reports can show the deadline of a duty that is not yet due (docs/scoring.md).
    """

    fact: str
    before: str | None = None


@attrs.frozen
class Item:
    """One checklist item: a duty (or opportunity), when it applies and how it is checked."""

    id: str
    title: Text
    level: Level
    severity: Severity
    check: Condition
    basis: tuple[Basis, ...]
    kind: ItemKind = ItemKind.OBLIGATION
    applies: Condition | None = None
    params: Mapping[str, object] = attrs.field(factory=dict)
    evidence: tuple[Text, ...] = ()
    remediation: Text | None = None
    effective: dt.date | None = None
    effective_until: dt.date | None = None
    superseded_by: str | None = None
    mappings: tuple[Mapping19001, ...] = ()
    notes: Text | None = None
    due: Due | None = None


@attrs.frozen
class PackManifest:
    """A pack's ``pack.toml``: the name and version a set of checklists is published under."""

    schema: Literal["qcompliance/pack/v1"]
    name: str
    version: str
    title: Text
    description: Text | None = None


@attrs.frozen
class Provenance:
    """Where a checklist came from, so an assessment can be re-checked against the same rules.

    ``origin`` is ``builtin`` (shipped with qcompliance), ``pack`` (pulled into the cache),
    ``entry-point`` (a Python distribution's ``qcompliance.checklists`` entry point), ``file``
    or ``mapping``. ``pack`` and ``version`` name the pack (or the distribution); ``sha256``
    is the digest of the pack archive when the checklist came from one.
    """

    origin: Literal["builtin", "pack", "entry-point", "file", "mapping"]
    pack: str | None = None
    version: str | None = None
    sha256: str | None = None


@attrs.frozen
class RegionalParams:
    """A provincial checklist's change to a national item's params, with its basis.

    It applies when the checklist applies (the company is in the checklist's ``region``), so
    a province sets its own figure without copying the item (docs/formats.md)."""

    item: str
    params: Mapping[str, object]
    basis: tuple[Basis, ...]
    reason: Text


@attrs.frozen
class Checklist:
    """A versioned list of items with the sources they cite and the facts they introduce."""

    schema: Literal["qcompliance/checklist/v1"]
    id: str
    version: str
    title: Text
    items: tuple[Item, ...]
    sources: tuple[Source, ...] = ()
    facts: tuple[FactSpec, ...] = ()
    description: Text | None = None
    applies: Condition | None = None
    region: str | None = None
    """The GB/T 2260 code of the province whose rules these are; its ``applies`` names it."""
    regional_params: tuple[RegionalParams, ...] = ()
    """National items' params this province sets (only with ``region``)."""
    origin: str | None = attrs.field(default=None, eq=False)
    """The file the checklist was read from (set by the loader)."""
    sha256: str | None = attrs.field(default=None, eq=False)
    """sha256 of the file's bytes, or of the canonical JSON of a mapping (set by the loader)."""
    provenance: Provenance | None = attrs.field(default=None, eq=False)
    """Where it came from (set by the loader and the registry, not read from the file)."""

    def source(self, source_id: str) -> Source | None:
        """The source ``source_id`` of this checklist."""
        for src in self.sources:
            if src.id == source_id:
                return src
        return None


@attrs.frozen
class FactValue:
    """A profile's value for one fact, with where it comes from."""

    value: object
    evidence: tuple[str, ...] = ()
    source: str | None = None
    as_of: dt.date | None = None
    attested_by: str | None = None
    valid_until: dt.date | None = None
    derived_from: tuple[str, ...] = ()
    """Facts this value was computed from, when qcompliance derived it (e.g. the size class)."""


@attrs.frozen
class Profile:
    """The facts about one enterprise, keyed by full dotted fact key."""

    facts: Mapping[str, FactValue]
    origin: str | None = None
    sha256: str | None = None

    @property
    def name(self) -> str | None:
        """The company's name, when the profile gives it."""
        fact = self.facts.get("company.name")
        return None if fact is None else str(fact.value)

    @property
    def credit_code(self) -> str | None:
        """The company's unified social credit code, when the profile gives it."""
        fact = self.facts.get("company.credit_code")
        return None if fact is None else str(fact.value)


@attrs.frozen
class Waiver:
    """An accepted exception for one failing item."""

    item: str
    justification: str
    approved_by: str
    expires: dt.date


@attrs.frozen
class FactRead:
    """A fact a verdict read: its value, or that it was missing or stale."""

    key: str
    value: object = None
    status: Literal["given", "missing", "stale", "derived"] = "given"
    evidence: tuple[str, ...] = ()
    source: str | None = None
    as_of: dt.date | None = None
    attested_by: str | None = None
    valid_until: dt.date | None = None
    derived_from: tuple[str, ...] = ()
    label: Text | None = None
    """The fact's short name from the facts dictionary, for reports."""


@attrs.frozen
class Citation:
    """A basis of an item with its source's title and issuer, for reports."""

    source: str
    title: Text
    issuer: Text
    clause: str
    quote: str | None = None
    url: str | None = None


@attrs.frozen
class Result:
    """The verdict on one item, with the reasons in both languages.

    It carries what a report needs of the item (title, citations, evidence, remediation), so
    an assessment can be rendered without the checklists that produced it.
    """

    item: str
    checklist: str
    verdict: Verdict
    kind: ItemKind
    level: Level
    severity: Severity
    title: Text
    why: Text
    citations: tuple[Citation, ...] = ()
    evidence: tuple[Text, ...] = ()
    remediation: Text | None = None
    facts: tuple[FactRead, ...] = ()
    missing: tuple[str, ...] = ()
    waiver: Waiver | None = None
    waiver_note: Text | None = None
    mappings: tuple[Mapping19001, ...] = ()
    notes: Text | None = None
    due: dt.date | None = None
    """The day the item's duty falls due (its ``due`` date fact less the lead days), if known."""

    @property
    def is_gap(self) -> bool:
        """Whether this is a gap to close: a failed obligation (not waived).

        An opportunity the company does not qualify for is no gap, nor is an unknown verdict
        (that is a fact to collect).
        """
        return self.verdict is Verdict.FAIL and self.kind is ItemKind.OBLIGATION


@attrs.frozen
class Question:
    """A fact to collect: the question to ask, and the items waiting for its answer."""

    key: str
    label: Text
    question: Text
    help: Text | None
    items: tuple[str, ...]
    type: str = "string"
    values: tuple[str, ...] | None = None
    unit: Text | None = None


@attrs.frozen
class Score:
    """A severity-weighted score with its coverage (see docs/scoring.md)."""

    score: float | None
    coverage: float | None
    passed: int
    failed: int
    unknown: int
    waived: int
    not_applicable: int
    weight_passed: int
    weight_decided: int


@attrs.frozen
class ChecklistRef:
    """Which checklist an assessment used, and whether it applied."""

    id: str
    version: str
    sha256: str | None
    title: Text
    applicable: Literal["yes", "no", "unknown"]
    provenance: Provenance | None = None
    """Its origin and pack; None in documents written before packs existed."""
    region: str | None = None
    """The province (GB/T 2260 code) a provincial checklist is limited to; None if national."""


@attrs.frozen
class Change:
    """One change a tailoring made, as the assessment records it."""

    target: str
    kind: Literal["deselect_checklist", "deselect_item", "severity", "param"]
    reason: str
    old: object = None
    new: object = None


@attrs.frozen
class TailoringRecord:
    """Which tailoring file an assessment used and what it changed."""

    origin: str | None
    sha256: str | None
    changes: tuple[Change, ...]


@attrs.frozen
class WaiverProblem:
    """A waiver that was not applied because it is malformed or names no item."""

    index: int
    item: str | None
    origin: str | None
    message: Text


@attrs.frozen
class Region:
    """Where the company is, how the assessment knows, and which provincial rules it applied."""

    province: str
    name: Text
    source: Literal["profile", "credit_code"]
    """``credit_code``: read from characters 3-8 of the unified social credit code."""
    city: str | None = None
    city_source: Literal["profile", "credit_code"] | None = None
    checklists: tuple[str, ...] = ()
    """The provincial checklists that applied (their ``region`` is this province)."""
    params: tuple[Change, ...] = ()
    """National items' params these checklists changed."""


@attrs.frozen
class Assessment:
    """The result of evaluating one profile against checklists on one day."""

    schema: Literal["qcompliance/assessment/v1"]
    tool_version: str
    as_of: dt.date
    profile_name: str | None
    profile_credit_code: str | None
    profile_sha256: str | None
    checklists: tuple[ChecklistRef, ...]
    results: tuple[Result, ...]
    scores_by_checklist: Mapping[str, Score]
    scores_by_level: Mapping[str, Score]
    overall: Score
    facts_to_collect: tuple[Question, ...] = ()
    tailoring: TailoringRecord | None = None
    waiver_problems: tuple[WaiverProblem, ...] = ()
    region: Region | None = None
    """The company's province and the provincial rules applied; None when not known."""
    external_id: str | None = None
    metadata: Mapping[str, str] = attrs.field(factory=dict)
    """The caller's id and labels (say its supplier number), carried into every form as given."""
