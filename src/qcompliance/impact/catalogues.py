"""The two catalogues an impact compares, named as a user names them: ``builtin``, a pack
version in the cache (``NAME@VERSION``), a lock file, a pack folder or a checklist folder."""

from __future__ import annotations

from pathlib import Path

from qcompliance.errors import Problem, UsageError
from qcompliance.loading.catalog import ChecklistSet
from qcompliance.loading.load import load_checklists
from qcompliance.model import Provenance
from qcompliance.registry.cache import Cache
from qcompliance.registry.lockfile import read_lock
from qcompliance.registry.sources import PackSource, load_locked, load_sources, pack_source

__all__ = ["resolve_catalogue"]


def resolve_catalogue(spec: str, key: str, cache_dir: str | Path | None = None) -> ChecklistSet:
    """The catalogue ``spec`` names (``key`` is the option, for messages).

    ``builtin``: the catalogue shipped with qcompliance. A folder with ``facts.toml``: a whole
    catalogue. A folder with ``pack.toml``: the built-in catalogue plus that pack. A file: a
    lock file (the packs it pins, from the cache). ``NAME@VERSION``: that pulled pack."""
    if spec == "builtin":
        return load_checklists()
    path = Path(spec)
    if path.is_dir():
        if (path / "facts.toml").is_file():
            return load_checklists(catalog=path)
        if (path / "pack.toml").is_file():
            source = PackSource(path, Provenance("file", path.name, None))
            return load_sources([source], include_builtin=True)
        raise UsageError(Problem("a folder must hold a catalogue (facts.toml) or a pack "
                                 "(pack.toml)", file=spec, key=key))
    if path.is_file():
        return load_locked(read_lock(path), Cache(cache_dir))
    name, sep, version = spec.partition("@")
    if sep and name and version:
        pack = Cache(cache_dir).get(name, version)
        if pack is None:
            raise UsageError(Problem(f"pack {spec} is not in the cache: qcheck pull it first",
                                     key=key))
        return load_sources([pack_source(pack)], include_builtin=True)
    raise UsageError(Problem("give builtin, NAME@VERSION, a lock file, a pack folder or a "
                             "checklist folder", file=spec, key=key))
