"""Every built-in checklist loads, lints clean, and reads like the catalogue promises."""

from __future__ import annotations

import pytest

from qcompliance import ItemKind, Level, load_checklists
from qcompliance.authoring.lint import lint_paths
from qcompliance.loading.load import builtin_paths, load_checklist

PATHS = builtin_paths()


@pytest.mark.parametrize("path", PATHS, ids=[p.stem for p in PATHS])
def test_builtin_checklist_loads_and_lints(path: object) -> None:
    """Each file loads on its own and the linter finds nothing."""
    checklist, _ = load_checklist(path)  # type: ignore[arg-type]
    assert checklist.id == path.stem  # type: ignore[attr-defined]
    problems, checked, _ = lint_paths([path])  # type: ignore[list-item]
    assert checked == 1
    assert [str(p) for p in problems] == []


def test_whole_catalogue_compiles_together() -> None:
    """All checklists share one facts dictionary with each key declared once."""
    checklists = load_checklists()
    assert len(checklists) == len(PATHS)
    for spec in checklists.facts.values():
        assert spec.question.zh
        assert spec.question.en
        assert spec.help is not None, f"{spec.key} has no help text"


def test_every_item_is_cited_and_actionable() -> None:
    """Items cite a clause; obligations say what evidence to show and how to fix a gap."""
    for checklist in load_checklists():
        for item in checklist.items:
            assert item.basis, item.id
            assert all(b.clause for b in item.basis), item.id
            if item.kind is ItemKind.OBLIGATION:
                assert item.evidence, item.id
                assert item.remediation, item.id


def test_recommended_figures_say_they_are_practice() -> None:
    """A recommended item with params explains in its notes why the figure is practice."""
    for checklist in load_checklists():
        for item in checklist.items:
            if item.level is Level.RECOMMENDED and item.params:
                assert item.notes is not None, item.id
