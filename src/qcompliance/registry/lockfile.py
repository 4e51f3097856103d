"""``qcompliance.lock``: exactly which packs a project runs against.

``qcheck pull`` records each pack it installs (name, version, sha256 of the archive, index
URL); ``qcheck run --locked`` loads those packs and nothing else, and refuses when one is
missing from the cache or differs from its pin. The file is TOML, rewritten atomically.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Literal

import attrs

from qcompliance.errors import Problem
from qcompliance.loading.files import write_atomic
from qcompliance.loading.load import read_document
from qcompliance.registry.defaults import LOCK_FILE
from qcompliance.registry.errors import RegistryError
from qcompliance.registry.pack import toml_string

__all__ = ["LOCK_FILE", "LockEntry", "LockFile", "read_lock", "write_lock"]

LOCK_SCHEMA: Literal["qcompliance/lock/v1"] = "qcompliance/lock/v1"


@attrs.frozen
class LockEntry:
    """One pinned pack."""

    name: str
    version: str
    sha256: str
    index: str


@attrs.frozen
class LockFile:
    """The pinned packs, by name (one version per name)."""

    schema: Literal["qcompliance/lock/v1"] = LOCK_SCHEMA
    packs: tuple[LockEntry, ...] = ()

    def get(self, name: str) -> LockEntry | None:
        """The pin of pack ``name``, if any."""
        for entry in self.packs:
            if entry.name == name:
                return entry
        return None

    def with_pack(self, entry: LockEntry, *, repin: bool = False) -> LockFile:
        """A copy that pins ``entry`` in place of any earlier pin of its name.

        A pack's version names one archive for good: a pin of the same version with another
        sha256 is a RegistryError unless ``repin`` says the change is expected."""
        old = self.get(entry.name)
        if (old is not None and old.version == entry.version and old.sha256 != entry.sha256
                and not repin):
            raise RegistryError(Problem(
                f"{entry.name} {entry.version} is pinned with sha256 {old.sha256}, the pull "
                f"gave {entry.sha256}: a published version must not change; give --repin "
                "if the change is expected", key="--repin"))
        kept = [e for e in self.packs if e.name != entry.name]
        return attrs.evolve(self, packs=tuple(sorted([*kept, entry], key=lambda e: e.name)))


def read_lock(path: str | Path = LOCK_FILE) -> LockFile:
    """The lock file at ``path``; an empty one when it does not exist."""
    if not Path(path).exists():
        return LockFile()
    doc = read_document(Path(path))
    return doc.structure(dict(doc.data), LockFile)


def _toml_lines(entries: Iterable[LockEntry]) -> list[str]:
    lines = []
    for entry in entries:
        lines += ["", "[[packs]]", *(f"{key} = {toml_string(getattr(entry, key))}"
                                     for key in ("name", "version", "sha256", "index"))]
    return lines


def write_lock(lock: LockFile, path: str | Path = LOCK_FILE) -> None:
    """Write ``lock`` to ``path`` atomically."""
    text = "\n".join([
        "# Written by qcheck pull: the packs `qcheck run --locked` uses. Do not edit by hand.",
        f'schema = "{LOCK_SCHEMA}"',
        *_toml_lines(lock.packs),
    ]) + "\n"
    write_atomic(path, text)
