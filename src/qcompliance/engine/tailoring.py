"""Tailoring and waivers: adapt the checklists to one organisation without forking them.

A tailoring file (TOML or JSON, ``schema = "qcompliance/tailoring/v1"``) may deselect
checklists or items, override an item's ``params`` (type-checked against the original value and
recompiled) and raise or lower its severity. Every change needs a reason, and the assessment
records each change and the file's sha256. Waivers accept a failing item until a day; they may
sit in the tailoring file or in a file of their own (``schema = "qcompliance/waivers/v1"``).

A malformed waiver is not a reason to stop the run: it is not applied, and the assessment lists
it with the reason, so the report says why the item still fails.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from collections.abc import Set as AbstractSet
from typing import Literal

import attrs

from qcompliance.errors import ChecklistError, Problem, SchemaError, UsageError
from qcompliance.loading.catalog import ChecklistSet, CompiledChecklist, compile_item
from qcompliance.loading.converter import parse_date
from qcompliance.loading.load import Document, Input, read_document
from qcompliance.model import Change, Severity, TailoringRecord, Text, Waiver, WaiverProblem
from qcompliance.rules.compiler import CompileError
from qcompliance.suggest import did_you_mean

__all__ = [
    "Change",
    "ChecklistTailoring",
    "ItemTailoring",
    "Tailoring",
    "TailoringRecord",
    "WaiverProblem",
    "apply_tailoring",
    "combine_waivers",
    "load_tailoring",
    "load_tailoring_and_waivers",
    "load_waivers",
]

TAILORING_SCHEMA = "qcompliance/tailoring/v1"
WAIVERS_SCHEMA = "qcompliance/waivers/v1"


@attrs.frozen
class ChecklistTailoring:
    """Select or deselect one checklist."""

    id: str
    reason: str
    select: bool = True


@attrs.frozen
class ItemTailoring:
    """Change one item: deselect it, override params, or change its severity."""

    id: str
    reason: str
    select: bool = True
    severity: Severity | None = None
    params: Mapping[str, object] = attrs.field(factory=dict)


@attrs.frozen
class Tailoring:
    """The contents of a tailoring file (waivers are read apart, leniently)."""

    schema: Literal["qcompliance/tailoring/v1"]
    title: str | None = None
    checklists: tuple[ChecklistTailoring, ...] = ()
    items: tuple[ItemTailoring, ...] = ()
    origin: str | None = attrs.field(default=None, eq=False)
    sha256: str | None = attrs.field(default=None, eq=False)


def load_tailoring(source: Input, *, known: AbstractSet[str] | None = None
                   ) -> tuple[Tailoring, list[Waiver], list[WaiverProblem]]:
    """Read a tailoring file: its changes (strictly) and its waivers (leniently).

    With ``known`` (the item ids that exist, ``ChecklistSet.known_ids``), a waiver for any other
    item is a waiver problem, not silently inert."""
    doc = read_document(source)
    data = dict(doc.data)
    raw_waivers = data.pop("waivers", [])
    if data.get("schema") != TAILORING_SCHEMA:
        raise SchemaError(doc.problem(("schema",), f'must be "{TAILORING_SCHEMA}"'))
    tailoring = doc.structure(data, Tailoring)
    problems = []
    for i, change in enumerate(tailoring.checklists):
        if not change.reason.strip():
            problems.append(doc.problem(("checklists", i, "reason"), "a change needs a reason"))
    for i, item in enumerate(tailoring.items):
        if not item.reason.strip():
            problems.append(doc.problem(("items", i, "reason"), "a change needs a reason"))
    if problems:
        raise SchemaError(problems)
    waivers, rejected = _waivers(doc, raw_waivers, known)
    return attrs.evolve(tailoring, origin=doc.origin, sha256=doc.sha256), waivers, rejected


def load_waivers(source: Input, *, known: AbstractSet[str] | None = None
                 ) -> tuple[list[Waiver], list[WaiverProblem]]:
    """Read a waivers file (``schema = "qcompliance/waivers/v1"`` and ``[[waivers]]``);
    ``known`` as in :func:`load_tailoring`. Two waivers for one item are a SchemaError."""
    doc = read_document(source)
    extra = sorted(set(doc.data) - {"schema", "waivers"})
    if extra:
        raise SchemaError(doc.problem((extra[0],), f"unknown key '{extra[0]}'"))
    if doc.data.get("schema") != WAIVERS_SCHEMA:
        raise SchemaError(doc.problem(("schema",), f'must be "{WAIVERS_SCHEMA}"'))
    return _waivers(doc, doc.data.get("waivers", []), known)


def load_tailoring_and_waivers(tailoring: Input | None, waivers: Input | None, *,
                               known: AbstractSet[str] | None = None
                               ) -> tuple[Tailoring | None, list[Waiver], list[WaiverProblem]]:
    """Read an optional tailoring file and an optional waivers file as one evaluation needs
    them: the tailoring, the waivers of both (two for one item are an error) and every waiver
    problem. ``known`` as in :func:`load_tailoring`. Every door (CLI, server) reads them so."""
    tailored: Tailoring | None = None
    accepted: list[Waiver] = []
    rejected: list[WaiverProblem] = []
    if tailoring is not None:
        tailored, accepted, rejected = load_tailoring(tailoring, known=known)
    if waivers is not None:
        more, more_rejected = load_waivers(waivers, known=known)
        accepted = combine_waivers(accepted, more)
        rejected += more_rejected
    return tailored, accepted, rejected


def combine_waivers(*groups: Sequence[Waiver]) -> list[Waiver]:
    """The waivers of several files as one list; a UsageError when two waive the same item
    (which one should count is the user's decision, not the last file's)."""
    seen: set[str] = set()
    out: list[Waiver] = []
    for group in groups:
        for waiver in group:
            if waiver.item in seen:
                raise UsageError(Problem(f"item '{waiver.item}' is waived twice",
                                         key="--waivers"))
            seen.add(waiver.item)
            out.append(waiver)
    return out


def _waivers(doc: Document, raw: object, known: AbstractSet[str] | None = None
             ) -> tuple[list[Waiver], list[WaiverProblem]]:
    if not isinstance(raw, list):
        raise SchemaError(doc.problem(("waivers",), "must be a list of [[waivers]] tables"))
    waivers, rejected = [], []
    first: dict[str, int] = {}
    for i, entry in enumerate(raw):
        item = entry.get("item") if isinstance(entry, Mapping) else None
        why = _waiver_problem(entry)
        if why is None and isinstance(item, str):  # a rejected waiver cannot conflict
            if item in first:
                raise SchemaError(doc.problem(
                    ("waivers", i, "item"),
                    f"item '{item}' is waived twice (first at waivers[{first[item]}])"))
            first[item] = i
        if why is None and known is not None and item not in known:
            hint = did_you_mean(str(item), known)
            why = Text(f"豁免的条目 {item} 不存在{hint}", f"the waived item '{item}' does not "
                       f"exist{hint}")
        if why is None:
            assert isinstance(entry, Mapping)
            waivers.append(Waiver(item=entry["item"], justification=entry["justification"],
                                  approved_by=entry["approved_by"],
                                  expires=parse_date(entry["expires"])))
            continue
        line = doc.problem(("waivers", i), "").line
        where = f"{doc.origin}:{line}" if line else doc.origin
        rejected.append(WaiverProblem(i, item if isinstance(item, str) else None, where, why))
    return waivers, rejected


def _waiver_problem(entry: object) -> Text | None:
    """Why a raw waiver cannot be applied, or None when it can."""
    if not isinstance(entry, Mapping):
        return Text("豁免必须是一个表", "a waiver must be a table")
    extra = sorted(set(entry) - {"item", "justification", "approved_by", "expires"})
    if extra:
        return Text(f"豁免含未知字段 {extra[0]}", f"unknown key '{extra[0]}' in the waiver")
    for key, zh in (("item", "条目"), ("justification", "理由"), ("approved_by", "批准人")):
        value = entry.get(key)
        if not isinstance(value, str) or not value.strip():
            return Text(f"豁免缺少{zh}（{key}）", f"the waiver has no {key}")
    try:
        parse_date(entry.get("expires"))
    except ValueError:
        return Text("豁免缺少有效的到期日（expires，YYYY-MM-DD）",
                    "the waiver has no valid expiry date (expires, YYYY-MM-DD)")
    return None


def _same_type(old: object, new: object) -> bool:
    if isinstance(old, bool) or isinstance(new, bool):
        return isinstance(old, bool) and isinstance(new, bool)
    if isinstance(old, (int, float)):
        return isinstance(new, (int, float)) and (isinstance(old, float) or isinstance(new, int))
    if isinstance(old, list):
        return isinstance(new, list)
    return type(old) is type(new)


def apply_tailoring(checklists: ChecklistSet, tailoring: Tailoring
                    ) -> tuple[ChecklistSet, dict[str, str], TailoringRecord]:
    """Apply ``tailoring``: returns the changed set, the deselected items with their reasons,
    and the record of changes. Unknown ids and mistyped params raise ChecklistError."""
    doc = _doc_of(tailoring)
    problems: list[Problem] = []
    changes: list[Change] = []
    known_checklists = {c.id for c in checklists}
    dropped: set[str] = set()
    known = checklists.known_ids | known_checklists
    for i, chosen in enumerate(tailoring.checklists):
        if chosen.id not in known:
            problems.append(doc.problem(("checklists", i, "id"), f"no checklist '{chosen.id}'"
                                        f"{did_you_mean(chosen.id, known)}"))
        elif chosen.id in known_checklists and not chosen.select:
            dropped.add(chosen.id)
            changes.append(Change(chosen.id, "deselect_checklist", chosen.reason))
    items = {ci.item.id: (cc.checklist.id, ci) for cc in checklists.compiled for ci in cc.items}
    by_item: dict[str, ItemTailoring] = {}
    deselected: dict[str, str] = {}
    for i, entry in enumerate(tailoring.items):
        found = items.get(entry.id)
        if found is None:
            if entry.id not in checklists.known_ids:
                problems.append(doc.problem(("items", i, "id"), f"no item '{entry.id}'"
                                            f"{did_you_mean(entry.id, set(items) | known)}"))
            continue  # an item of a checklist that is not in this run
        item = found[1].item
        for name, value in entry.params.items():
            if name not in item.params:
                problems.append(doc.problem(
                    ("items", i, "params", name),
                    f"item '{entry.id}' has no param '{name}'{did_you_mean(name, item.params)}"))
            elif not _same_type(item.params[name], value):
                problems.append(doc.problem(
                    ("items", i, "params", name),
                    f"param '{name}' is {type(item.params[name]).__name__} "
                    f"{item.params[name]!r}; {value!r} has another type"))
            else:
                changes.append(Change(entry.id, "param", entry.reason,
                                      {name: item.params[name]}, {name: value}))
        if entry.severity is not None and entry.severity is not item.severity:
            changes.append(Change(entry.id, "severity", entry.reason, item.severity.value,
                                  entry.severity.value))
        if not entry.select:
            deselected[entry.id] = entry.reason
            changes.append(Change(entry.id, "deselect_item", entry.reason))
        by_item[entry.id] = entry
    if problems:
        raise ChecklistError(problems)
    compiled = []
    for cc in checklists.compiled:
        if cc.checklist.id in dropped:
            continue
        new_items = []
        for ci in cc.items:
            override = by_item.get(ci.item.id)
            if override is None or (not override.params and override.severity is None):
                new_items.append(ci)
                continue
            item = attrs.evolve(ci.item, params={**ci.item.params, **override.params},
                                severity=override.severity or ci.item.severity)
            try:
                new_items.append(compile_item(item, checklists.facts))
            except CompileError as exc:
                index = next(i for i, t in enumerate(tailoring.items) if t.id == ci.item.id)
                raise ChecklistError(doc.problem(("items", index, "params"), exc.message)
                                     ) from None
        new_checklist = attrs.evolve(cc.checklist, items=tuple(i.item for i in new_items))
        compiled.append(CompiledChecklist(new_checklist, cc.applies, tuple(new_items)))
    record = TailoringRecord(tailoring.origin, tailoring.sha256, tuple(changes))
    return ChecklistSet(tuple(compiled), checklists.facts), deselected, record


def _doc_of(tailoring: Tailoring) -> Document:
    """A document to point problems at: the file again when there is one."""
    if tailoring.origin and not tailoring.origin.startswith("<"):
        try:
            return read_document(tailoring.origin)
        except Exception:
            pass
    return Document({}, tailoring.origin or "<tailoring>", None, "mapping", "")
