"""``qcheck pack test`` and ``qcheck pack build``: check a pack folder, then publish it.

Building loads every checklist (so authoring mistakes stop the build), runs the fixtures and
refuses on any mismatch, then writes the archive and records it in ``index.json``.
"""

from __future__ import annotations

from pathlib import Path

import attrs

from qcompliance.loading.catalog import ChecklistSet
from qcompliance.loading.files import write_atomic
from qcompliance.model import PackManifest, Provenance
from qcompliance.registry.errors import registry_error
from qcompliance.registry.fixtures import FixtureResult, run_fixtures
from qcompliance.registry.pack import (
    IndexChecklist,
    IndexEntry,
    archive_name,
    build_archive,
    check_publishable,
    pack_files,
    read_manifest,
    sha256_hex,
    update_index,
)
from qcompliance.registry.sources import PackSource, load_sources

__all__ = ["BuildResult", "build_pack", "load_pack_dir", "run_pack_tests"]


def load_pack_dir(directory: Path) -> tuple[PackManifest, ChecklistSet]:
    """The manifest and the loaded checklists of the pack folder ``directory``."""
    if not (directory / "pack.toml").is_file():
        raise registry_error("not a pack folder: it has no pack.toml", str(directory))
    manifest = read_manifest(directory)
    source = PackSource(directory, Provenance("file", manifest.name, manifest.version))
    checklists = load_sources([source], include_builtin=False)
    for checklist in checklists:
        # Packs are selected by checklist id, found by file name: the two must agree.
        if checklist.origin and Path(checklist.origin).stem != checklist.id:
            raise registry_error(f"the file of checklist '{checklist.id}' must be named "
                                 f"{checklist.id}.toml (or .json)", checklist.origin)
    return manifest, checklists


def run_pack_tests(directory: Path) -> list[FixtureResult]:
    """Run the fixtures of the pack folder ``directory``."""
    _, checklists = load_pack_dir(directory)
    return run_fixtures(directory, checklists)


@attrs.frozen
class BuildResult:
    """A built pack: its index entry, the archive written and the fixtures it passed."""

    entry: IndexEntry
    archive: Path
    fixtures: tuple[FixtureResult, ...]


def build_pack(directory: Path, out_dir: Path) -> BuildResult:
    """Test the pack folder ``directory`` and publish it into ``out_dir``.

    Raises RegistryError, and writes nothing, when the pack has no fixture or a fixture's
    verdicts differ (the message names them; :func:`run_pack_tests` gives the diffs).
    """
    manifest, checklists = load_pack_dir(directory)
    results = run_fixtures(directory, checklists)
    failed = [r.name for r in results if not r.ok]
    if failed:
        raise registry_error(f"fixtures fail: {', '.join(failed)} (see qcheck pack test)",
                             str(directory))
    data = build_archive(directory, pack_files(directory))
    out_dir.mkdir(parents=True, exist_ok=True)
    name = archive_name(manifest)
    entry = IndexEntry(
        name=manifest.name, version=manifest.version, file=name, size=len(data),
        sha256=sha256_hex(data), title=manifest.title,
        checklists=tuple(IndexChecklist(c.id, c.version, c.sha256 or "")
                         for c in checklists.checklists),
    )
    check_publishable(out_dir, entry)  # before the archive of a published version is replaced
    write_atomic(out_dir / name, data)
    update_index(out_dir, entry)
    return BuildResult(entry, out_dir / name, tuple(results))
