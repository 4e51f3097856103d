"""The one catalogue every door uses: what ``qcompliance.load_checklists()`` returns is what
``qcheck run``, ``batch``, ``profile init|template|validate``, ``checklists list`` and
``qcheck serve`` evaluate with.

Without a lock: the built-in catalogue plus the checklists that installed distributions offer
(entry points). With a lock file: exactly the packs it pins, from the pack cache (pulled first
unless ``offline``, which the library never does on its own: pulling is the CLI's ``--locked``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path

from qcompliance.errors import Problem, UsageError
from qcompliance.loading.catalog import ChecklistSet
from qcompliance.loading.load import load_checklists as load_builtin
from qcompliance.registry.cache import Cache
from qcompliance.registry.lockfile import LockFile, read_lock
from qcompliance.registry.sources import entry_point_sources, load_locked, load_sources

__all__ = ["load_checklists", "lock_of"]


def lock_of(lock: str | Path | LockFile) -> LockFile:
    """A lock file read (a UsageError naming it when it does not exist)."""
    if isinstance(lock, LockFile):
        return lock
    path = Path(lock)
    if not path.exists():
        raise UsageError(Problem(f"no lock file {path}: run qcheck pull first",
                                 file=str(path), key="--locked"))
    return read_lock(path)


def load_checklists(selection: Iterable[str | Path | Mapping[str, object]] | None = None,
                    *, lock: str | Path | LockFile | None = None,
                    cache_dir: str | Path | None = None, entry_points: bool = True,
                    facts_file: str | Path | None = None,
                    catalog: str | Path | None = None) -> ChecklistSet:
    """Load and compile the checklists ``qcheck run`` would use.

    ``selection`` names checklist ids, paths or mappings among them (default: all). With
    ``lock``, exactly the packs the lock file pins, from the cache at ``cache_dir`` (they must
    have been pulled); otherwise the built-in catalogue and, unless ``entry_points`` is
    false, the checklists installed distributions offer under ``qcompliance.checklists``.
    ``facts_file`` and ``catalog`` (a folder replacing the built-in catalogue) load exactly
    what they name, without entry points.
    """
    chosen = None if selection is None else list(selection)
    if lock is not None:
        if facts_file is not None or catalog is not None:
            raise UsageError(Problem("a lock names its packs: give no catalog or facts_file",
                                     key="lock"))
        ids = None if chosen is None else [str(s) for s in chosen]
        return load_locked(lock_of(lock), Cache(cache_dir), ids)
    if (not entry_points or facts_file is not None or catalog is not None
            or any(isinstance(s, Mapping) for s in chosen or ())):
        return load_builtin(chosen, facts_file=facts_file, catalog=catalog)
    return load_sources(entry_point_sources(),
                        None if chosen is None else [str(s) for s in chosen],
                        include_builtin=True)
