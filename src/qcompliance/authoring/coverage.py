"""The coverage map: which built-in items model each obligation and each verified duty.

``checklists/coverage.toml`` (``schema = "qcompliance/coverage/v1"``) is data, not a checklist.
It lists the twenty obligations that the policy sources name (OBLIGATIONS.md Part A) and the
mandatory duties that OBLIGATIONS.md marks [V] in the legal texts, each with the item ids that
encode it, or with the reason why no item does. :func:`load_coverage` reads it through the
project's converter; :func:`render_coverage_markdown` turns it and the checklists into
``docs/coverage.md``. Run ``python -m qcompliance.authoring.coverage`` to regenerate that
page, or with ``--check`` to fail (exit 1) when the committed page is stale.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections import Counter
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Literal

import attrs

from qcompliance.errors import Problem, QComplianceError, SchemaError
from qcompliance.loading.converter import KeyPath
from qcompliance.loading.files import write_atomic
from qcompliance.loading.load import (
    Document,
    builtin_dir,
    builtin_paths,
    load_checklist,
    read_document,
)
from qcompliance.model import Checklist, Item, ItemKind, Level, Text
from qcompliance.suggest import did_you_mean

__all__ = [
    "COVERAGE_SCHEMA",
    "Coverage",
    "Duty",
    "PartARow",
    "builtin_checklists",
    "coverage_problems",
    "default_coverage_path",
    "default_output_path",
    "load_coverage",
    "main",
    "render_coverage_markdown",
]

COVERAGE_SCHEMA = "qcompliance/coverage/v1"
_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_ITEM_ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*\.[a-z0-9]+(?:-[a-z0-9]+)*$")


@attrs.frozen
class PartARow:
    """One obligation named in the policy sources, with the items that model it."""

    row: int
    title: Text
    items: tuple[str, ...]
    where: str | None = None
    """Where in ``sources/`` the obligation is named, e.g. ``002 (二十一)``."""
    note: str | None = None


@attrs.frozen
class Duty:
    """One mandatory duty read in a legal text, with the items that encode it or why none does."""

    id: str
    title: Text
    source: str
    """The document and article, e.g. ``消费品召回管理暂行规定 第二十一条``."""
    items: tuple[str, ...]
    figure: str | None = None
    """The exact figure of the duty, as the text words it, when it has one."""
    gap: str | None = None
    """Why no item encodes the duty; present exactly when ``items`` is empty."""
    note: str | None = None
    """What the encoding leaves out, when items encode the duty only in part."""


@attrs.frozen
class Coverage:
    """The whole coverage map: Part A rows in order, then the verified duties."""

    schema: Literal["qcompliance/coverage/v1"]
    part_a: tuple[PartARow, ...]
    duties: tuple[Duty, ...]
    origin: str | None = attrs.field(default=None, eq=False)
    """The file the map was read from (set by the loader)."""

    def item_ids(self) -> set[str]:
        """Every item id the map names, in Part A or in a duty."""
        ids = {i for row in self.part_a for i in row.items}
        return ids | {i for duty in self.duties for i in duty.items}


def default_coverage_path() -> Path:
    """``coverage.toml`` in the folder of built-in checklists."""
    return builtin_dir() / "coverage.toml"


def default_output_path() -> Path:
    """``docs/coverage.md`` in the source tree."""
    return Path(__file__).resolve().parents[3] / "docs" / "coverage.md"


def _text_problems(doc: Document, text: Text, at: KeyPath) -> list[Problem]:
    if text.zh.strip() and text.en.strip():
        return []
    return [doc.problem(at, "needs non-empty zh and en text")]


def _row_problems(doc: Document, rows: Sequence[PartARow]) -> list[Problem]:
    problems: list[Problem] = []
    seen: dict[int, int] = {}
    for i, row in enumerate(rows):
        at: KeyPath = ("part_a", i)
        if row.row < 1:
            problems.append(doc.problem((*at, "row"), "must be 1 or more"))
        if row.row in seen:
            problems.append(doc.problem(
                (*at, "row"), f"duplicate row {row.row} (first at part_a[{seen[row.row]}])"
            ))
        seen.setdefault(row.row, i)
        problems += _text_problems(doc, row.title, (*at, "title"))
        problems += _item_list_problems(doc, row.items, (*at, "items"))
    expected = list(range(1, len(rows) + 1))
    if sorted(seen) != expected and not problems:
        problems.append(doc.problem(("part_a",), f"rows must be numbered 1 to {len(rows)}"))
    return problems


def _item_list_problems(doc: Document, items: Sequence[str], at: KeyPath) -> list[Problem]:
    problems = []
    for j, item_id in enumerate(items):
        if not _ITEM_ID.match(item_id):
            problems.append(doc.problem((*at, j), f"'{item_id}' is not an item id"))
        elif item_id in items[:j]:
            problems.append(doc.problem((*at, j), f"item '{item_id}' is listed twice"))
    return problems


def _duty_problems(doc: Document, duties: Sequence[Duty]) -> list[Problem]:
    problems: list[Problem] = []
    seen: dict[str, int] = {}
    for i, duty in enumerate(duties):
        at: KeyPath = ("duties", i)
        if not _SLUG.match(duty.id):
            problems.append(doc.problem((*at, "id"), f"'{duty.id}' is not a valid id ([a-z0-9-])"))
        if duty.id in seen:
            problems.append(doc.problem(
                (*at, "id"), f"duplicate duty id '{duty.id}' (first at duties[{seen[duty.id]}])"
            ))
        seen.setdefault(duty.id, i)
        problems += _text_problems(doc, duty.title, (*at, "title"))
        if not duty.source.strip():
            problems.append(doc.problem((*at, "source"), "must name the document and article"))
        problems += _item_list_problems(doc, duty.items, (*at, "items"))
        if not duty.items and not (duty.gap or "").strip():
            problems.append(doc.problem((*at, "gap"), "a duty without items must say why (gap)"))
        if duty.items and duty.gap is not None:
            problems.append(doc.problem(
                (*at, "gap"), "a duty with items has no gap; say what they leave out in 'note'"
            ))
    return problems


def load_coverage(path: str | Path | None = None) -> Coverage:
    """Read and check a coverage map (default: the built-in ``coverage.toml``).

    Raises :class:`~qcompliance.errors.SchemaError` naming the file, line and key of every
    problem: a wrong schema, unknown or missing keys, bad ids, duplicate rows or duties, and
    duties that have neither items nor a gap.
    """
    doc = read_document(path if path is not None else default_coverage_path())
    if doc.data.get("schema") != COVERAGE_SCHEMA:
        raise SchemaError(doc.problem(("schema",), f"must be \"{COVERAGE_SCHEMA}\""))
    coverage = doc.structure(dict(doc.data), Coverage)
    problems = _row_problems(doc, coverage.part_a) + _duty_problems(doc, coverage.duties)
    if problems:
        raise SchemaError(problems)
    return attrs.evolve(coverage, origin=doc.origin)


def builtin_checklists() -> list[Checklist]:
    """The built-in checklists, structured but not compiled, in file-name order.

    Files in the checklist folder whose schema is the coverage schema are skipped, so the map
    can live next to the checklists it describes.
    """
    checklists = []
    for path in builtin_paths():
        if read_document(path).data.get("schema") == COVERAGE_SCHEMA:
            continue
        checklists.append(load_checklist(path)[0])
    return checklists


def _items_by_id(checklists: Iterable[Checklist]) -> dict[str, tuple[Checklist, Item]]:
    return {item.id: (c, item) for c in checklists for item in c.items}


def coverage_problems(coverage: Coverage, checklists: Iterable[Checklist]) -> list[Problem]:
    """What the map gets wrong about the catalogue.

    Part A rows without items, item ids the checklists do not define, and items of the
    checklists that no Part A row lists (every item models some obligation of the sources, so an
    unlisted one is a missing entry).
    """
    checklists = list(checklists)
    known = _items_by_id(checklists)
    origin = coverage.origin
    problems = []
    for i, row in enumerate(coverage.part_a):
        if not row.items:
            problems.append(Problem(f"no item models Part A row {row.row}",
                                    file=origin, key=f"part_a[{i}].items"))
        for j, item_id in enumerate(row.items):
            if item_id not in known:
                problems.append(Problem(f"unknown item '{item_id}'{did_you_mean(item_id, known)}",
                                        file=origin, key=f"part_a[{i}].items[{j}]"))
    for i, duty in enumerate(coverage.duties):
        for j, item_id in enumerate(duty.items):
            if item_id not in known:
                problems.append(Problem(f"unknown item '{item_id}'{did_you_mean(item_id, known)}",
                                        file=origin, key=f"duties[{i}].items[{j}]"))
    mapped = {i for row in coverage.part_a for i in row.items}
    for item_id, (checklist, _) in known.items():
        if item_id not in mapped:
            problems.append(Problem(f"item '{item_id}' of {checklist.id} is in no Part A row",
                                    file=origin, key="part_a"))
    return problems


def _cell(text: str) -> str:
    """Text safe inside a Markdown table cell."""
    return text.replace("|", "\\|").replace("\n", " ").strip()


def _item_label(item_id: str, known: dict[str, tuple[Checklist, Item]]) -> str:
    entry = known.get(item_id)
    if entry is None:
        return f"`{item_id}` (unknown item)"
    level = entry[1].level.value
    kind = " opportunity" if entry[1].kind is ItemKind.OPPORTUNITY else ""
    return f"`{item_id}` ({level}{kind})"


def _totals(checklists: Sequence[Checklist], coverage: Coverage) -> list[str]:
    items = [item for c in checklists for item in c.items]
    by_level: Counter[tuple[Level, ItemKind]] = Counter((i.level, i.kind) for i in items)
    lines = [
        "## Totals",
        "",
        "| | obligations | opportunities | all items |",
        "|---|---:|---:|---:|",
    ]
    for level in Level:
        obligations = by_level[(level, ItemKind.OBLIGATION)]
        opportunities = by_level[(level, ItemKind.OPPORTUNITY)]
        lines.append(f"| {level.value} | {obligations} | {opportunities} | "
                     f"{obligations + opportunities} |")
    all_obligations = sum(n for (_, k), n in by_level.items() if k is ItemKind.OBLIGATION)
    all_opportunities = len(items) - all_obligations
    lines.append(f"| **all levels** | {all_obligations} | {all_opportunities} | {len(items)} |")
    mapped = {i for row in coverage.part_a for i in row.items} & {i.id for i in items}
    encoded = sum(1 for d in coverage.duties if d.items and d.note is None)
    partial = sum(1 for d in coverage.duties if d.items and d.note is not None)
    gaps = sum(1 for d in coverage.duties if not d.items)
    lines += [
        "",
        "| checklist | items | mandatory | encouraged | recommended | opportunities |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for checklist in checklists:
        per = Counter(i.level for i in checklist.items)
        chances = sum(1 for i in checklist.items if i.kind is ItemKind.OPPORTUNITY)
        lines.append(f"| {checklist.id} | {len(checklist.items)} | {per[Level.MANDATORY]} | "
                     f"{per[Level.ENCOURAGED]} | {per[Level.RECOMMENDED]} | {chances} |")
    lines += [
        "",
        f"- Checklists: {len(checklists)}; items: {len(items)}.",
        f"- Part A obligations: {len(coverage.part_a)}; items mapped to them: "
        f"{len(mapped)} of {len(items)}.",
        f"- Verified duties: {len(coverage.duties)} — {encoded} encoded, {partial} encoded with "
        f"a note on what is left out, {gaps} not encoded (gaps).",
        "",
    ]
    return lines


def _part_a(coverage: Coverage, known: dict[str, tuple[Checklist, Item]]) -> list[str]:
    lines = [
        "## Part A — obligations named in the policy sources",
        "",
        "| row | obligation | where in sources/ | items |",
        "|---:|---|---|---:|",
    ]
    rows = sorted(coverage.part_a, key=lambda r: r.row)
    for row in rows:
        lines.append(f"| {row.row} | {_cell(row.title.zh)}<br>{_cell(row.title.en)} | "
                     f"{_cell(row.where or '')} | {len(row.items)} |")
    lines.append("")
    for row in rows:
        lines += [f"### {row.row}. {row.title.zh}", "", row.title.en, ""]
        if row.note:
            lines += [f"*{row.note}*", ""]
        lines += ["| item | checklist | level | title |", "|---|---|---|---|"]
        for item_id in row.items:
            entry = known.get(item_id)
            if entry is None:
                lines.append(f"| `{item_id}` | — | — | (unknown item) |")
                continue
            checklist, item = entry
            level = item.level.value
            if item.kind is ItemKind.OPPORTUNITY:
                level += " (opportunity)"
            lines.append(f"| `{item_id}` | {checklist.id} | {level} | "
                         f"{_cell(item.title.zh)}<br>{_cell(item.title.en)} |")
        lines.append("")
    return lines


def _duties(coverage: Coverage, known: dict[str, tuple[Checklist, Item]]) -> list[str]:
    lines = [
        "## Verified duties of the legal texts",
        "",
        "Mandatory duties that OBLIGATIONS.md marks [V] (Part B as superseded by Part C). An empty "
        "item list is a gap: the last column says why no item encodes the duty. A note says what "
        "the listed items leave out.",
        "",
        "| duty | source | figure | items (level) | gap or note |",
        "|---|---|---|---|---|",
    ]
    for duty in coverage.duties:
        items = "<br>".join(_item_label(i, known) for i in duty.items) or "—"
        remark = f"**gap:** {duty.gap}" if not duty.items else (duty.note or "")
        lines.append(
            f"| `{duty.id}`<br>{_cell(duty.title.zh)}<br>{_cell(duty.title.en)} | "
            f"{_cell(duty.source)} | {_cell(duty.figure or '')} | {items} | {_cell(remark)} |"
        )
    lines.append("")
    return lines


def render_coverage_markdown(coverage: Coverage, checklists: Iterable[Checklist]) -> str:
    """``docs/coverage.md``: totals, a table per Part A row and the table of verified duties.

    The output depends only on its inputs, so a committed copy can be compared byte for byte.
    Problems found by :func:`coverage_problems` are listed at the end rather than raised.
    """
    checklists = list(checklists)
    known = _items_by_id(checklists)
    lines = [
        "# Coverage of obligations and verified duties",
        "",
        "Generated by `python -m qcompliance.authoring.coverage` from `checklists/coverage.toml` "
        "and the built-in checklists; do not edit by hand. "
        "`python -m qcompliance.authoring.coverage --check` exits 1 when this page is stale.",
        "",
        "Duties by sector (food, cosmetics, medical devices, children's products, electronics, "
        "building materials, hazardous chemicals, vehicles, services), those modelled and those "
        "knowingly left out with the reason: [coverage-sectors.md](coverage-sectors.md).",
        "",
    ]
    lines += _totals(checklists, coverage)
    lines += _part_a(coverage, known)
    lines += _duties(coverage, known)
    problems = coverage_problems(coverage, checklists)
    if problems:
        lines += ["## Problems", ""]
        lines += [f"- {_cell(f'{p.key}: {p.message}')}" for p in problems]
        lines.append("")
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    """Write ``docs/coverage.md``, or with ``--check`` exit 1 if the written page is stale."""
    parser = argparse.ArgumentParser(
        prog="python -m qcompliance.authoring.coverage",
        description="Render checklists/coverage.toml to docs/coverage.md.",
    )
    parser.add_argument("--check", action="store_true",
                        help="do not write; exit 1 if the page differs from a fresh rendering")
    parser.add_argument("--coverage", type=Path, default=None,
                        help="coverage map to read (default: the built-in coverage.toml)")
    parser.add_argument("--output", type=Path, default=None,
                        help="page to write or check (default: docs/coverage.md)")
    args = parser.parse_args(argv)
    output: Path = args.output or default_output_path()
    try:
        coverage = load_coverage(args.coverage)
        text = render_coverage_markdown(coverage, builtin_checklists())
    except QComplianceError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if args.check:
        current = output.read_text(encoding="utf-8") if output.is_file() else None
        if current != text:
            print(f"{output} is stale: run python -m qcompliance.authoring.coverage",
                  file=sys.stderr)
            return 1
        return 0
    output.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(output, text)
    print(f"wrote {output}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
