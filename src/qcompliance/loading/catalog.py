"""Checklists with their conditions compiled, and the facts dictionary they were compiled against.

A :class:`ChecklistSet` is what :func:`qcompliance.load_checklists` returns and what
:func:`qcompliance.engine.evaluate` takes. Its rules are compiled once, when it is built.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping

import attrs

from qcompliance.model import Checklist, FactSpec, FactType, Item
from qcompliance.rules.compiler import Compiled, CompileError, compile_condition
from qcompliance.rules.conditions import fact_keys

__all__ = ["ChecklistSet", "CompiledChecklist", "CompiledItem", "compile_checklist"]


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
class ChecklistSet:
    """Compiled checklists and the facts dictionary (every declared fact, by key).

    Thread-safe to share: load it once and evaluate any number of profiles with it from any
    number of threads at the same time (a web server's request threads, a thread pool).
    Evaluation only reads it, and gives the same results as evaluating one profile after the
    other (``tests/test_sdk.py`` checks this with a thread pool).
    """

    compiled: tuple[CompiledChecklist, ...]
    facts: Mapping[str, FactSpec]
    known_ids: frozenset[str] = frozenset()
    """Every checklist and item id of the catalogue this set was chosen from (built-ins and
    the selected checklists), so a tailoring can tell "not in this run" from a typo."""

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
