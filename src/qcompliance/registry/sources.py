"""Where checklists come from beside the built-in catalogue: pulled packs and entry points.

A Python distribution offers checklists by naming a folder of its files under the entry-point
group ``qcompliance.checklists``::

    [project.entry-points."qcompliance.checklists"]
    acme-food = "acme_qpack/checklists"     # a folder inside the installed distribution

The value is read as a path (``acme_qpack.checklists`` means the same folder) and resolved
with the distribution's file list: nothing of the distribution is imported or executed, and
the folder holds data files only. A folder with a ``facts.toml`` is a whole catalogue that
replaces the built-in one; without, its checklists extend the built-in catalogue.
"""

from __future__ import annotations

import importlib.metadata
import importlib.util
import warnings
from collections.abc import Iterable, Sequence
from pathlib import Path, PurePosixPath

import attrs

from qcompliance.errors import Problem, UsageError
from qcompliance.loading.catalog import ChecklistSet
from qcompliance.loading.load import (
    builtin_paths,
    builtin_provenance,
    catalog_paths,
    load_checklists,
)
from qcompliance.model import Assessment, Checklist, Provenance
from qcompliance.registry.cache import Cache, InstalledPack
from qcompliance.registry.errors import registry_error
from qcompliance.registry.lockfile import LockFile
from qcompliance.registry.pack import read_manifest
from qcompliance.suggest import did_you_mean

__all__ = [
    "ENTRY_POINT_GROUP",
    "Listed",
    "PackSource",
    "PackWarning",
    "entry_point_sources",
    "list_available",
    "load_for_assessment",
    "load_locked",
    "load_sources",
    "pulled_sources",
]

ENTRY_POINT_GROUP = "qcompliance.checklists"


@attrs.frozen
class PackSource:
    """A folder of checklists and where it came from."""

    path: Path
    provenance: Provenance
    locked: bool = False
    """Pinned by the lock file (``checklists list`` says so)."""

    @property
    def is_catalog(self) -> bool:
        """Whether the folder is a whole catalogue (it has its own facts dictionary)."""
        return (self.path / "facts.toml").is_file()

    def checklist_paths(self) -> list[Path]:
        """Its checklist files."""
        return catalog_paths(self.path)

    @property
    def label(self) -> str:
        """``pack NAME@VERSION`` or ``entry point NAME (DIST VERSION)``, for listings."""
        prov = self.provenance
        if prov.origin == "entry-point":
            return f"entry-point {prov.pack}@{prov.version}"
        return f"{prov.origin} {prov.pack}@{prov.version}{' locked' if self.locked else ''}"


def pack_source(pack: InstalledPack) -> PackSource:
    """The cache folder of a pulled pack as a source."""
    return PackSource(pack.path, Provenance("pack", pack.name, pack.version, pack.sha256))


def pulled_sources(cache: Cache) -> list[PackSource]:
    """The newest installed version of each pack in ``cache``."""
    newest: dict[str, InstalledPack] = {}
    for pack in cache.list():  # sorted by name, then version
        newest[pack.name] = pack
    return [pack_source(p) for p in newest.values()]


class PackWarning(UserWarning):
    """A pack that cannot be used (its folder is missing, say): that pack is left out, and
    every other checklist still runs."""


def _editable_folder(rel: PurePosixPath) -> Path | None:
    """Where an editable install keeps ``rel``: the top-level package is found on the import
    path (a ``.pth`` folder or an editable finder) without importing it or running its code."""
    try:
        spec = importlib.util.find_spec(rel.parts[0])
    except (ImportError, ValueError):
        return None
    if spec is None or not spec.submodule_search_locations:
        return None
    for location in spec.submodule_search_locations:
        folder = Path(location).joinpath(*rel.parts[1:])
        if folder.is_dir():
            return folder
    return None


def entry_point_sources(path: Sequence[str] | None = None) -> list[PackSource]:
    """The checklist folders that installed distributions register under
    ``qcompliance.checklists`` (``path``: where to look instead of ``sys.path``).

    A folder is looked for among the distribution's files, then, for an editable install,
    where its top-level package is found; nothing is imported. An entry point whose folder is
    not there gives a :class:`PackWarning` and is left out (it does not stop other packs)."""
    found: dict[tuple[str, str], PackSource] = {}
    dists = (importlib.metadata.distributions() if path is None
             else importlib.metadata.distributions(path=list(path)))
    for dist in dists:
        dist_name = dist.metadata["Name"] or "?"
        for ep in dist.entry_points:
            if ep.group != ENTRY_POINT_GROUP or (dist_name, ep.name) in found:
                continue
            where = f"{dist_name} entry point {ep.name}"
            rel = PurePosixPath(ep.value.replace(":", "/").replace(".", "/"))
            if rel.is_absolute() or ".." in rel.parts or not rel.parts:
                warnings.warn(f"{where}: '{ep.value}' must be a folder inside the "
                              "distribution; its checklists are left out", PackWarning,
                              stacklevel=2)
                continue
            folder = Path(str(dist.locate_file(str(rel))))
            if not folder.is_dir():
                folder = _editable_folder(rel) or folder
            if not folder.is_dir():
                warnings.warn(f"{where}: names the folder '{ep.value}', which is not "
                              "installed; its checklists are left out", PackWarning,
                              stacklevel=2)
                continue
            name = ep.name
            version = dist.version
            if (folder / "pack.toml").is_file():
                manifest = read_manifest(folder)
                name, version = manifest.name, manifest.version
            found[(dist_name, ep.name)] = PackSource(
                folder, Provenance("entry-point", name, version))
    return list(found.values())


def _with_provenance(checklists: ChecklistSet, sources: Iterable[PackSource]) -> ChecklistSet:
    """``checklists`` with each checklist read from a source's folder marked as from it."""
    by_folder = {s.path.resolve(): s.provenance for s in sources}
    compiled = []
    for item in checklists.compiled:
        origin = item.checklist.origin
        prov = by_folder.get(Path(origin).resolve().parent) if origin else None
        if prov is not None:
            item = attrs.evolve(item, checklist=attrs.evolve(item.checklist, provenance=prov))
        compiled.append(item)
    return attrs.evolve(checklists, compiled=tuple(compiled))


def load_sources(sources: Sequence[PackSource], selection: Sequence[str] | None = None, *,
                 include_builtin: bool = True) -> ChecklistSet:
    """Load the checklists of ``sources`` (all, or those whose ids are in ``selection``).

    At most one source may be a whole catalogue; it then replaces the built-in one. With
    ``include_builtin`` the built-in (or replacing) catalogue's checklists are loaded too,
    and ``selection`` may also name them (or give paths).
    """
    catalogs = [s for s in sources if s.is_catalog]
    if len(catalogs) > 1:
        raise registry_error("more than one pack is a whole catalogue (has facts.toml): "
                             + ", ".join(s.label for s in catalogs))
    catalog = catalogs[0] if catalogs else None
    extra = [s for s in sources if s is not catalog]
    by_id: dict[str, Path] = {}
    for source in [*([catalog] if catalog else []), *extra]:
        for path in source.checklist_paths():
            by_id.setdefault(path.stem, path)
    if selection is None:
        wanted: list[str | Path] = list(
            catalog.checklist_paths() if catalog else builtin_paths() if include_builtin else [])
        wanted += [p for s in extra for p in s.checklist_paths()]
    else:
        wanted = []
        for arg in selection:
            if arg in by_id:
                wanted.append(by_id[arg])
            elif include_builtin:
                wanted.append(arg)
            else:
                raise UsageError(Problem(f"no checklist '{arg}' in the locked packs"
                                         f"{did_you_mean(arg, by_id)}", key="--checklist"))
    result = load_checklists(_dedupe(wanted), catalog=catalog.path if catalog else None)
    return _with_provenance(result, sources)


def _dedupe(paths: Iterable[str | Path]) -> list[str | Path]:
    seen: set[str] = set()
    out = []
    for path in paths:
        key = str(Path(path).resolve()) if isinstance(path, Path) else path
        if key not in seen:
            seen.add(key)
            out.append(path)
    return out


def load_locked(lock: LockFile, cache: Cache, selection: Sequence[str] | None = None
                ) -> ChecklistSet:
    """The checklists of exactly the packs ``lock`` pins, from ``cache``.

    UsageError naming what to pull when a pinned pack is missing, and RegistryError when the
    cache holds a different archive or its files were changed since they were unpacked.
    """
    if not lock.packs:
        raise UsageError(Problem("the lock file pins no pack: run qcheck pull first",
                                 key="--locked"))
    sources = []
    for entry in lock.packs:
        pack = cache.get(entry.name, entry.version)
        if pack is None:
            raise UsageError(Problem(
                f"pack {entry.name}@{entry.version} is not in the cache: run "
                f"qcheck pull {entry.name}@{entry.version} --index {entry.index}",
                key="--locked"))
        if pack.sha256 != entry.sha256:
            raise registry_error(
                f"the cache holds {entry.name}@{entry.version} with sha256 {pack.sha256}, the "
                f"lock file pins {entry.sha256}", str(pack.path))
        pack.verify()
        sources.append(pack_source(pack))
    return load_sources(sources, selection, include_builtin=False)


@attrs.frozen
class Listed:
    """A checklist available to ``qcheck run``, with where it came from."""

    checklist: Checklist
    origin: str
    """``builtin``, ``pack NAME@VERSION``, ``entry-point NAME@VERSION`` or ``file PATH``."""


def list_available(cache: Cache | None, entry_points: Sequence[PackSource],
                   paths: Sequence[str | Path] = (), *, lock: LockFile | None = None
                   ) -> list[Listed]:
    """Every checklist of the built-in catalogue, of ``entry_points``, of each pack pulled
    into ``cache`` (the version ``lock`` pins, marked ``locked``, else the newest), and of
    ``paths``, each with its origin."""
    out = [Listed(c, "builtin") for c in load_checklists()]
    pulled = pulled_sources(cache) if cache is not None else []
    if lock is not None and cache is not None:
        pinned = {}
        for entry in lock.packs:
            pack = cache.get(entry.name, entry.version)
            if pack is not None:
                source = pack_source(pack)
                pinned[entry.name] = attrs.evolve(source, locked=True)
        pulled = [pinned.get(s.provenance.pack or "", s) for s in pulled]
    sources = [*entry_points, *pulled]
    for source in sources:
        for checklist in load_sources([source], include_builtin=False):
            out.append(Listed(checklist, source.label))
    if paths:
        for checklist in load_checklists(list(paths)):
            out.append(Listed(checklist, f"file {checklist.origin}"))
    return out


def load_for_assessment(assessment: Assessment, cache: Cache,
                        lock: LockFile | None = None) -> ChecklistSet:
    """The checklists an assessment was made with, from the built-in catalogue or the cache.

    UsageError saying which pack to pull when one is missing; RegistryError when a checklist
    found differs from the digest the assessment records. Checklists that came from a file,
    a mapping or an entry point are left out: only their caller knows where they are now. A
    reference without provenance (a document older than packs) is looked up as built in.
    """
    builtin = builtin_provenance()
    sources: dict[tuple[str, str], PackSource] = {}
    selection: list[str] = []
    for ref in assessment.checklists:
        prov = ref.provenance
        if prov is not None and prov.origin in ("file", "mapping", "entry-point"):
            continue
        if prov is None:
            selection.append(ref.id)
            continue
        if prov.origin == "builtin" and (prov.pack, prov.version) == (builtin.pack,
                                                                        builtin.version):
            selection.append(ref.id)
            continue
        if prov.pack is None or prov.version is None:
            raise UsageError(Problem(f"checklist {ref.id} names no pack and version",
                                     key="checklists.provenance"))
        pack = cache.get(prov.pack, prov.version)
        if pack is None or (prov.sha256 is not None and pack.sha256 != prov.sha256):
            pinned = lock.get(prov.pack) if lock is not None else None
            index = f" --index {pinned.index}" if pinned is not None else " --index URL"
            raise UsageError(Problem(
                f"the assessment used pack {prov.pack}@{prov.version}"
                f"{f' (sha256 {prov.sha256})' if prov.sha256 else ''}, which is not in the "
                f"cache: run qcheck pull {prov.pack}@{prov.version}{index}"))
        pack.verify()
        sources[(pack.name, pack.version)] = pack_source(pack)
        selection.append(ref.id)
    checklists = load_sources(list(sources.values()), selection, include_builtin=True)
    for ref in assessment.checklists:
        found = checklists.get(ref.id)
        if found is not None and ref.sha256 and found.sha256 != ref.sha256:
            raise registry_error(
                f"checklist {ref.id} differs from the one the assessment used "
                f"(sha256 {found.sha256}, recorded {ref.sha256})", found.origin)
    return checklists
