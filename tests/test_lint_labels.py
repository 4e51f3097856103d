"""Every value a fact allows has a label in both languages: reports never show a code."""

from __future__ import annotations

from pathlib import Path

from qcompliance.authoring.lint import lint_paths
from qcompliance.loading.load import load_checklists

BAD = Path(__file__).resolve().parent / "assets" / "bad"


def test_lint_names_each_value_without_a_label() -> None:
    """An enum fact missing one label and a record field with none are both reported, by key."""
    problems, _, _ = lint_paths([BAD / "unlabelled-values.toml"])
    text = [str(p) for p in problems]
    assert len(text) == 2, text
    assert "facts[0].value_labels: 't_unlabelled.grade' needs a zh and en label for each " \
           "value; missing: bad" in text[0]
    assert "facts[1].fields[1].value_labels: 't_unlabelled.checks.result'" in text[1]
    assert "missing: pass, fail" in text[1]


def test_every_builtin_value_has_a_chinese_label() -> None:
    """The built-in catalogue: every enum and list value, record fields included, is labelled."""
    missing = []

    def walk(spec: object, name: str) -> None:
        labels = getattr(spec, "value_labels", None) or {}
        missing.extend(f"{name}={v}" for v in getattr(spec, "values", None) or ()
                       if v not in labels or not labels[v].zh.strip())
        for field in getattr(spec, "fields", None) or ():
            walk(field, f"{name}.{field.key}")

    for key, spec in load_checklists().facts.items():
        walk(spec, key)
    assert missing == []
