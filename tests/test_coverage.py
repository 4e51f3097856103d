"""The coverage map agrees with the catalogue, and docs/coverage.md is generated from both."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import ROOT
from qcompliance.authoring.coverage import (
    builtin_checklists,
    coverage_problems,
    load_coverage,
    main,
    render_coverage_markdown,
)
from qcompliance.errors import SchemaError
from qcompliance.model import Checklist, Level

COVERAGE = ROOT / "checklists" / "coverage.toml"
PAGE = ROOT / "docs" / "coverage.md"


@pytest.fixture(scope="module")
def checklists() -> list[Checklist]:
    """The built-in checklists, read once for the module."""
    return builtin_checklists()


def test_every_part_a_row_has_items() -> None:
    """Rows 1 to 20 of OBLIGATIONS.md Part A are all there, each modelled by an item."""
    coverage = load_coverage(COVERAGE)
    assert sorted(row.row for row in coverage.part_a) == list(range(1, 21))
    for row in coverage.part_a:
        assert row.items, f"Part A row {row.row} has no item"


def test_every_listed_item_exists(checklists: list[Checklist]) -> None:
    """Every item id in coverage.toml is an item of a built-in checklist."""
    coverage = load_coverage(COVERAGE)
    known = {item.id for checklist in checklists for item in checklist.items}
    assert sorted(coverage.item_ids() - known) == []


def test_map_and_catalogue_agree(checklists: list[Checklist]) -> None:
    """No unknown item, no empty row, and every built-in item sits in some Part A row."""
    problems = coverage_problems(load_coverage(COVERAGE), checklists)
    assert [str(p) for p in problems] == []


def test_every_duty_has_items_or_a_gap() -> None:
    """Each verified duty is encoded by items or says, in its gap, why it is not."""
    coverage = load_coverage(COVERAGE)
    assert coverage.duties
    for duty in coverage.duties:
        assert duty.items or (duty.gap or "").strip(), duty.id
        assert not (duty.items and duty.gap), duty.id


def test_coverage_page_is_up_to_date(checklists: list[Checklist]) -> None:
    """docs/coverage.md is exactly what `python -m qcompliance.authoring.coverage` writes."""
    expected = render_coverage_markdown(load_coverage(COVERAGE), checklists)
    assert PAGE.read_text(encoding="utf-8") == expected, (
        "docs/coverage.md is stale: run .venv/bin/python -m qcompliance.authoring.coverage")


def test_catalogue_is_large_enough(checklists: list[Checklist]) -> None:
    """The catalogue holds at least 15 checklists and 120 items."""
    assert len(checklists) >= 15
    assert sum(len(c.items) for c in checklists) >= 120


def test_every_item_cites_a_declared_source(checklists: list[Checklist]) -> None:
    """Every item has a basis, and each basis names a source of its own checklist."""
    for checklist in checklists:
        for item in checklist.items:
            assert item.basis, item.id
            for basis in item.basis:
                assert checklist.source(basis.source) is not None, (item.id, basis.source)


def test_mandatory_items_rest_on_read_text(checklists: list[Checklist]) -> None:
    """A mandatory item cites at least one source read in its text or a secondary text."""
    policy_only = []
    for checklist in checklists:
        for item in checklist.items:
            if item.level is not Level.MANDATORY:
                continue
            verified = set()
            for basis in item.basis:
                source = checklist.source(basis.source)
                assert source is not None, (item.id, basis.source)
                verified.add(source.verified)
            if not verified & {"text", "secondary"}:
                policy_only.append(item.id)
    assert policy_only == []


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


GOOD = """schema = "qcompliance/coverage/v1"
[[part_a]]
row = 1
title = { zh = "甲", en = "A" }
items = ["cn-x.a"]
[[duties]]
id = "d-one"
title = { zh = "乙", en = "B" }
source = "某法 第一条"
items = []
gap = "not encoded"
"""


def test_small_map_loads(tmp_path: Path) -> None:
    """A minimal valid map loads, with its origin set."""
    coverage = load_coverage(_write(tmp_path / "c.toml", GOOD))
    assert coverage.part_a[0].items == ("cn-x.a",)
    assert coverage.duties[0].gap == "not encoded"
    assert coverage.origin == str(tmp_path / "c.toml")


@pytest.mark.parametrize(("change", "match"), [
    (("qcompliance/coverage/v1", "qcompliance/checklist/v1"), r"c\.toml:1: schema: must be"),
    (("row = 1", "row = 1\nrows = 2"), r"part_a\[0\]\.rows: unknown key 'rows'; did you mean"),
    (('gap = "not encoded"\n', ""), r"duties\[0\]\.gap: a duty without items must say why"),
    (("items = []", 'items = ["cn-x.a"]'), r"duties\[0\]\.gap: a duty with items has no gap"),
    (('id = "d-one"', 'id = "D One"'), r"duties\[0\]\.id: 'D One' is not a valid id"),
    (('items = ["cn-x.a"]', 'items = ["nodot"]'), r"part_a\[0\]\.items\[0\]: 'nodot' is not an"),
    (("row = 1", "row = 2"), r"part_a: rows must be numbered 1 to 1"),
    (('source = "某法 第一条"\n', ""), r"duties\[0\]\.source: required key is missing"),
])
def test_bad_map_names_file_and_key(tmp_path: Path, change: tuple[str, str], match: str) -> None:
    """Each authoring mistake is a SchemaError naming the file and the key."""
    path = _write(tmp_path / "c.toml", GOOD.replace(*change, 1))
    with pytest.raises(SchemaError, match=match):
        load_coverage(path)


def test_unknown_item_gets_a_suggestion(checklists: list[Checklist], tmp_path: Path) -> None:
    """A misspelt item id is reported with the closest real one."""
    path = _write(tmp_path / "c.toml", GOOD.replace("cn-x.a", "cn-recall.records-retentoin"))
    problems = coverage_problems(load_coverage(path), checklists)
    assert any("did you mean 'cn-recall.records-retention'" in p.message for p in problems)


def test_main_writes_then_checks(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The module writes the page; --check then passes, and fails once the page changes."""
    page = tmp_path / "coverage.md"
    assert main(["--check", "--output", str(page)]) == 1
    assert main(["--output", str(page)]) == 0
    assert main(["--check", "--output", str(page)]) == 0
    page.write_text(page.read_text(encoding="utf-8") + "edited\n", encoding="utf-8")
    assert main(["--check", "--output", str(page)]) == 1
    assert "stale" in capsys.readouterr().err


def test_main_reports_a_bad_map(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A broken coverage map exits 2 with the one-line error."""
    bad = _write(tmp_path / "c.toml", 'schema = "nope"\n')
    assert main(["--coverage", str(bad), "--output", str(tmp_path / "x.md")]) == 2
    assert "schema: must be" in capsys.readouterr().err
