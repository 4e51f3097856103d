"""Checklists with their conditions compiled, and the facts dictionary they were compiled against.

A :class:`ChecklistSet` is what :func:`qcompliance.load_checklists` returns and what
:func:`qcompliance.engine.evaluate` takes. Its rules are compiled once, when it is built: the
traced form of every condition (for explanations) and one generated verdict function per
checklist (:mod:`qcompliance.rules.codegen`, for deciding).

A set pickles without its compiled code: one loaded from files pickles as its sources and their
sha256 digests and is loaded again in the receiving process by the loader that made it
(:func:`qcompliance.loading.load.reload_checklists`: once per process, refusing files that
changed meanwhile); one built from in-memory data pickles as that plain data and is compiled
again. This module never imports the loader (the loader imports it).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any

import attrs

from qcompliance.model import Checklist, FactSpec, FactType, Item
from qcompliance.rules.codegen import VerdictFunction, generate_verdicts
from qcompliance.rules.compiler import Compiled, CompileError, compile_condition
from qcompliance.rules.conditions import fact_keys

__all__ = [
    "ChecklistSet",
    "CompiledChecklist",
    "CompiledItem",
    "Sources",
    "compile_checklist",
    "path_key",
    "source_digests",
]


@attrs.frozen
class CompiledItem:
    """An item with its ``applies`` and ``check`` conditions compiled."""

    item: Item
    applies: Compiled | None
    check: Compiled


@attrs.frozen
class CompiledChecklist:
    """A checklist whose conditions are compiled."""

    checklist: Checklist
    applies: Compiled | None
    items: tuple[CompiledItem, ...]


def compile_item(item: Item, facts: Mapping[str, FactSpec]) -> CompiledItem:
    """Compile one item's conditions with its own params."""
    return CompiledItem(
        item,
        None if item.applies is None else compile_condition(item.applies, facts, item.params),
        compile_condition(item.check, facts, item.params),
    )


def _check_due(item: Item, facts: Mapping[str, FactSpec], index: int) -> None:
    """An item's ``due`` names a declared date fact and, in ``before``, a param of days."""
    if item.due is None:
        return
    spec = facts.get(item.due.fact)
    if spec is None or spec.type is not FactType.DATE:
        raise CompileError(f"'due' needs a declared date fact; '{item.due.fact}' is not one",
                           ("items", index, "due", "fact"))
    if item.due.before is not None:
        lead = item.params.get(item.due.before)
        if not isinstance(lead, int) or isinstance(lead, bool) or lead < 0:
            raise CompileError(
                f"'due.before' names a param holding whole days >= 0; '{item.due.before}' "
                "is not one", ("items", index, "due", "before"))


def compile_checklist(checklist: Checklist, facts: Mapping[str, FactSpec]) -> CompiledChecklist:
    """Compile every condition of ``checklist``; CompileError paths are relative to the file."""
    applies = None
    if checklist.applies is not None:
        try:
            applies = compile_condition(checklist.applies, facts)
        except CompileError as exc:
            raise CompileError(exc.message, ("applies", *exc.path)) from None
    items = []
    for i, item in enumerate(checklist.items):
        _check_due(item, facts, i)
        try:
            items.append(compile_item(item, facts))
        except CompileError as exc:
            # Which of the two conditions failed: compile them apart to name it.
            part = "check"
            if item.applies is not None:
                try:
                    compile_condition(item.applies, facts, item.params)
                except CompileError:
                    part = "applies"
            raise CompileError(exc.message, ("items", i, part, *exc.path)) from None
    return CompiledChecklist(checklist, applies, tuple(items))


@attrs.frozen
class Sources:
    """Where a :class:`ChecklistSet` was loaded from, to load it again in another process."""

    selection: tuple[str | Mapping[str, object], ...] | None
    """The arguments of ``load_checklists`` (paths as absolute strings), None for all built-ins."""
    facts_file: str | None
    digests: tuple[str, ...]
    """The sha256 of every file (or mapping) the set was built from, sorted."""
    catalog: str | None = None
    """The catalogue folder used instead of the built-in one, if any."""


@attrs.frozen
class ChecklistSet:
    """Compiled checklists and the facts dictionary (every declared fact, by key).

    Thread-safe to share: load it once and evaluate any number of profiles with it from any
    number of threads at the same time (a web server's request threads, a thread pool).
    Evaluation only reads it, and gives the same results as evaluating one profile after the
    other (``tests/test_sdk.py`` checks this with a thread pool).

    Picklable (for process pools): see the module docstring. The engine's caches in
    ``derived`` are filled idempotently, so sharing across threads stays safe.
    """

    compiled: tuple[CompiledChecklist, ...]
    facts: Mapping[str, FactSpec]
    known_ids: frozenset[str] = frozenset()
    """Every checklist and item id of the catalogue this set was chosen from (built-ins and
    the selected checklists), so a tailoring can tell "not in this run" from a typo."""
    sources: Sources | None = attrs.field(default=None, eq=False, repr=False)
    """Where the set was loaded from (set by ``load_checklists``); None when built from data."""
    reload: Callable[[Sources], ChecklistSet] | None = attrs.field(default=None, eq=False,
                                                                   repr=False)
    """The loader that loads ``sources`` again in another process (set by the loader with
    the sources; pickled by reference), so this module need not import the loader."""
    verdict_functions: tuple[VerdictFunction, ...] = attrs.field(init=False, eq=False,
                                                                repr=False)
    """One generated verdict function per compiled checklist, in the same order."""
    derived: dict[str, Any] = attrs.field(init=False, factory=dict, eq=False, repr=False)
    """Data later stages derive from the set once and keep with it (e.g. the engine's plan).
    Never pickled: a set rebuilt in another process derives it again."""

    @verdict_functions.default
    def _generate(self) -> tuple[VerdictFunction, ...]:
        return tuple(_verdicts_of(c, self.facts) for c in self.compiled)

    def __reduce__(self) -> tuple[Any, ...]:
        if self.sources is not None and self.reload is not None:
            return self.reload, (self.sources,)
        return _recompile, (self.checklists, dict(self.facts), self.known_ids)

    @property
    def checklists(self) -> tuple[Checklist, ...]:
        """The checklists, in the order they were selected."""
        return tuple(c.checklist for c in self.compiled)

    def __iter__(self) -> Iterator[Checklist]:
        return iter(self.checklists)

    def __len__(self) -> int:
        return len(self.compiled)

    def facts_read(self) -> list[FactSpec]:
        """The declarations of every fact these checklists read, in first-read order."""
        keys: dict[str, None] = {}
        for checklist in self.checklists:
            conditions = [checklist.applies] if checklist.applies is not None else []
            for item in checklist.items:
                conditions += [c for c in (item.applies, item.check) if c is not None]
            for cond in conditions:
                keys.update(dict.fromkeys(fact_keys(cond)))
        return [self.facts[k] for k in keys]

    def get(self, checklist_id: str) -> Checklist | None:
        """The checklist with id ``checklist_id``, if selected."""
        for checklist in self.checklists:
            if checklist.id == checklist_id:
                return checklist
        return None


# A set evolved from another (the registry marks each checklist's provenance) keeps its items
# and conditions: their verdict functions are reused, not generated again. Keyed by identity;
# the objects are kept in the value, so an id is never reused for others.
_GENERATED: dict[tuple[int, int, int], tuple[object, object, object, VerdictFunction]] = {}


def _verdicts_of(compiled: CompiledChecklist, facts: Mapping[str, FactSpec]) -> VerdictFunction:
    items, applies = compiled.items, compiled.checklist.applies
    key = (id(items), id(applies), id(facts))
    hit = _GENERATED.get(key)
    if hit is not None and hit[0] is items and hit[1] is applies and hit[2] is facts:
        return hit[3]
    function = generate_verdicts(applies, [i.item for i in items], facts)
    if len(_GENERATED) >= 256:
        _GENERATED.clear()
    _GENERATED[key] = (items, applies, facts, function)
    return function


def _recompile(checklists: tuple[Checklist, ...], facts: dict[str, FactSpec],
               known_ids: frozenset[str]) -> ChecklistSet:
    """A set built from in-memory data, compiled again from that data (once per process)."""
    key = hashlib.sha256(repr((checklists, sorted(facts.items()), sorted(known_ids)))
                         .encode()).hexdigest()
    cached = _COMPILED.get(key)
    if cached is None:
        cached = ChecklistSet(tuple(compile_checklist(c, facts) for c in checklists), facts,
                              known_ids)
        _COMPILED[key] = cached
    return cached


_COMPILED: dict[str, ChecklistSet] = {}


def source_digests(digests: list[str | None]) -> tuple[str, ...]:
    """The sha256 digests of a set's sources in a stable order."""
    return tuple(sorted(d or "" for d in digests))


def path_key(path: Path) -> str:
    """A file as it is named in :class:`Sources`: its absolute path."""
    return str(path.resolve())
