"""Pack tests: fixture profiles evaluated against the pack, compared with expected verdicts.

A fixture is a pair in the pack's ``fixtures/`` folder: a profile (``NAME.toml`` or
``NAME.json``) and ``NAME.expected.toml`` (schema ``qcompliance/fixture/v1``) giving the
assessment day and the verdict of every item. ``qcheck pack test DIR`` prints a diff of the
verdicts that differ; ``--update`` rewrites the expected files from the current verdicts.
"""

from __future__ import annotations

import datetime as dt
import difflib
from collections.abc import Mapping
from pathlib import Path
from typing import Literal

import attrs

from qcompliance.engine.evaluate import evaluate
from qcompliance.errors import SchemaError
from qcompliance.loading.catalog import ChecklistSet
from qcompliance.loading.files import write_atomic
from qcompliance.loading.load import load_profile, read_document
from qcompliance.model import Verdict
from qcompliance.registry.errors import registry_error
from qcompliance.registry.pack import toml_string

__all__ = [
    "Expected",
    "FixtureResult",
    "fixture_names",
    "new_fixture_names",
    "run_fixtures",
    "write_expected",
]

FIXTURE_SCHEMA = "qcompliance/fixture/v1"
_EXPECTED = ".expected.toml"


@attrs.frozen
class Expected:
    """The expected verdicts of one fixture profile on one day."""

    schema: Literal["qcompliance/fixture/v1"]
    as_of: dt.date
    profile: str
    """The profile file, relative to the expected file's folder."""
    verdicts: Mapping[str, Verdict]


@attrs.frozen
class FixtureResult:
    """The outcome of one fixture: the verdicts expected and the verdicts evaluated."""

    name: str
    expected: Mapping[str, str]
    actual: Mapping[str, str]

    @property
    def ok(self) -> bool:
        """Whether every item has its expected verdict and no item is missing or extra."""
        return dict(self.expected) == dict(self.actual)

    def diff(self) -> str:
        """A unified diff of the verdict lines, expected first."""
        def lines(verdicts: Mapping[str, str]) -> list[str]:
            """``item = verdict`` lines, sorted."""
            return [f"{item} = {verdict}\n" for item, verdict in sorted(verdicts.items())]

        return "".join(difflib.unified_diff(
            lines(self.expected), lines(self.actual),
            f"{self.name} (expected)", f"{self.name} (evaluated)", n=0))


def fixture_names(directory: Path) -> list[str]:
    """The names of the fixtures in ``directory/fixtures``, sorted."""
    folder = directory / "fixtures"
    if not folder.is_dir():
        return []
    return sorted(p.name[: -len(_EXPECTED)] for p in folder.glob("*" + _EXPECTED))


def new_fixture_names(directory: Path) -> list[str]:
    """The profiles in ``directory/fixtures`` that have no expected verdicts yet."""
    folder = directory / "fixtures"
    if not folder.is_dir():
        return []
    known = set(fixture_names(directory))
    return sorted(p.stem for p in folder.iterdir()
                  if p.suffix in (".toml", ".json") and not p.name.endswith(_EXPECTED)
                  and p.stem not in known)


def _read_expected(path: Path) -> Expected:
    doc = read_document(path)
    return doc.structure(dict(doc.data), Expected)


def run_fixtures(directory: Path, checklists: ChecklistSet) -> list[FixtureResult]:
    """Evaluate every fixture of the pack in ``directory`` against ``checklists``;
    RegistryError when it has none.

    Every item of every checklist is reported (inapplicable checklists included), so a change
    anywhere in the pack shows up.
    """
    names = fixture_names(directory)
    if not names:
        raise registry_error("a pack needs at least one fixture (fixtures/NAME.expected.toml; "
                             "qcheck pack test --update --as-of DAY writes them)",
                             str(directory))
    out = []
    for name in names:
        path = directory / "fixtures" / (name + _EXPECTED)
        expected = _read_expected(path)
        profile_path = (path.parent / expected.profile).resolve()
        if directory.resolve() not in profile_path.parents:
            raise SchemaError(read_document(path).problem(
                ("profile",), "the profile must lie inside the pack folder"))
        profile = load_profile(profile_path, checklists.facts)
        assessment = evaluate(profile, checklists, expected.as_of, skip_inapplicable=False)
        actual = {r.item: r.verdict.value for r in assessment.results}
        out.append(FixtureResult(name, {k: v.value for k, v in expected.verdicts.items()},
                                 actual))
    return out


def write_expected(directory: Path, name: str, checklists: ChecklistSet,
                   as_of: dt.date | None = None) -> Path:
    """(Re)write ``fixtures/NAME.expected.toml`` from the verdicts evaluated now.

    The day and the profile come from the existing expected file; for a new fixture the
    profile is ``NAME.toml`` (or ``.json``) and ``as_of`` must be given.
    """
    folder = directory / "fixtures"
    path = folder / (name + _EXPECTED)
    if path.exists():
        old = _read_expected(path)
        day, profile_name = as_of or old.as_of, old.profile
    else:
        candidates = [p for p in (folder / f"{name}.toml", folder / f"{name}.json") if p.exists()]
        if not candidates or as_of is None:
            raise registry_error("a new fixture needs its profile NAME.toml and --as-of",
                                 str(path))
        day, profile_name = as_of, candidates[0].name
    profile = load_profile(folder / profile_name, checklists.facts)
    assessment = evaluate(profile, checklists, day, skip_inapplicable=False)
    lines = [
        "# Expected verdicts of this fixture profile; `qcheck pack test --update` rewrites them.",
        f'schema = "{FIXTURE_SCHEMA}"',
        f"as_of = {day.isoformat()}",
        f"profile = {toml_string(profile_name)}",
        "",
        "[verdicts]",
        *(f"{toml_string(r.item)} = {toml_string(r.verdict.value)}"
          for r in sorted(assessment.results, key=lambda r: r.item)),
    ]
    write_atomic(path, "\n".join(lines) + "\n")
    return path
