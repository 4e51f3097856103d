"""The user cache of pulled packs: content-addressed, installed by an atomic rename, locked.

Layout under the cache root (platformdirs' user cache dir, or ``$QCOMPLIANCE_CACHE_DIR``)::

    packs/<sha256>/files.json     what the archive held: name, version, sha256 of every file
    packs/<sha256>/content/       the unpacked pack
    installed/<name>/<version>.json   which archive a name and version resolved to, and from where
    tmp/                          staging; emptied by the next pull
    .lock                         held for the whole of a pull

A pack folder appears under ``packs/`` only by renaming a complete staging folder, and a
version record is written atomically after it, so a pull killed at any point leaves the packs
that were there before intact and never a half-unpacked one.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
import tempfile
from collections.abc import Iterator, Mapping
from pathlib import Path

import attrs
import filelock
import platformdirs

from qcompliance.loading.files import write_atomic
from qcompliance.registry.archive import safe_unpack
from qcompliance.registry.defaults import CACHE_ENV
from qcompliance.registry.errors import RegistryError, registry_error
from qcompliance.registry.pack import IndexEntry, check_name, check_version, version_key

__all__ = ["CACHE_ENV", "Cache", "InstalledPack", "default_cache_dir"]



def default_cache_dir() -> Path:
    """``$QCOMPLIANCE_CACHE_DIR``, else the platform's user cache dir for qcompliance."""
    override = os.environ.get(CACHE_ENV)
    if override:
        return Path(override)
    return Path(platformdirs.user_cache_dir("qcompliance", appauthor=False))


@attrs.frozen
class InstalledPack:
    """A pack in the cache: its name, version, archive digest, origin and unpacked folder."""

    name: str
    version: str
    sha256: str
    index: str | None
    """The index URL it was pulled from."""
    path: Path
    """The folder holding the unpacked files."""
    files: Mapping[str, str] = attrs.field(factory=dict)
    """sha256 of every file by relative path, as unpacked."""

    def verify(self) -> None:
        """RegistryError unless every file is still there with the digest it was unpacked with
        and no file was added."""
        present = sorted(p.relative_to(self.path).as_posix()
                         for p in self.path.rglob("*") if p.is_file() or p.is_symlink())
        if present != sorted(self.files):
            raise registry_error(f"pack {self.name}@{self.version} in the cache was changed "
                                 "(files added or removed); pull it again", str(self.path))
        for rel, digest in self.files.items():
            target = self.path / rel
            if target.is_symlink() or hashlib.sha256(target.read_bytes()).hexdigest() != digest:
                raise registry_error(f"pack {self.name}@{self.version} in the cache was "
                                     f"changed ({rel}); pull it again", str(self.path))


def _check_promise(entry: IndexEntry, content: Path) -> None:
    """The archive's own manifest must name the pack and version the index promised: an
    archive of another pack is never installed under this one's name."""
    from qcompliance.registry.pack import read_manifest

    manifest = read_manifest(content)
    if (manifest.name, manifest.version) != (entry.name, entry.version):
        raise registry_error(f"the archive's pack.toml names {manifest.name} "
                             f"{manifest.version}, the index promised {entry.name} "
                             f"{entry.version}; nothing was installed", entry.file)


class Cache:
    """The pack cache rooted at ``root`` (default: :func:`default_cache_dir`)."""

    def __init__(self, root: str | Path | None = None, *, lock_timeout: float = 600.0) -> None:
        self.root = Path(root) if root is not None else default_cache_dir()
        self.lock_timeout = lock_timeout

    def lock(self) -> filelock.FileLock:
        """The lock a pull holds from start to end; not thread-local, so an async client can
        take it in a worker thread and release it in another."""
        self.root.mkdir(parents=True, exist_ok=True)
        return filelock.FileLock(str(self.root / ".lock"), timeout=self.lock_timeout,
                                 thread_local=False)

    def acquire(self, lock: filelock.FileLock) -> None:
        """Take ``lock``; RegistryError when another pull holds it for ``lock_timeout``."""
        try:
            lock.acquire()
        except filelock.Timeout:
            raise registry_error(f"another pull has held the cache lock for more than "
                                 f"{self.lock_timeout:g} s", str(self.root / ".lock")) from None

    @contextlib.contextmanager
    def locked(self) -> Iterator[None]:
        """Hold the cache lock for the ``with`` block."""
        lock = self.lock()
        self.acquire(lock)
        try:
            yield
        finally:
            lock.release()

    def _record_path(self, name: str, version: str) -> Path:
        check_name(name)
        check_version(version)
        return self.root / "installed" / name / f"{version}.json"

    def get(self, name: str, version: str | None = None) -> InstalledPack | None:
        """The installed pack ``name`` at ``version`` (the newest when None), or None."""
        folder = self.root / "installed" / name
        check_name(name)
        if version is None:
            versions = [p.stem for p in folder.glob("*.json")] if folder.is_dir() else []
            if not versions:
                return None
            version = max(versions, key=version_key)
        record = self._record_path(name, version)
        if not record.is_file():
            return None
        try:
            data = json.loads(record.read_text(encoding="utf-8"))
            sha, index = str(data["sha256"]), data.get("index")
            files_doc = json.loads((self.root / "packs" / sha / "files.json")
                                   .read_text(encoding="utf-8"))
            files = {str(k): str(v) for k, v in files_doc["files"].items()}
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            raise registry_error(f"the cache record of {name}@{version} is damaged; pull it "
                                 "again", str(record)) from None
        return InstalledPack(name, version, sha, None if index is None else str(index),
                             self.root / "packs" / sha / "content", files)

    def intact(self, name: str, version: str, sha256: str) -> InstalledPack | None:
        """The installed pack ``name`` at ``version`` if it is the archive ``sha256`` and its
        files are whole; None when it is missing, other, damaged or changed (pull again)."""
        try:
            pack = self.get(name, version)
            if pack is None or pack.sha256 != sha256:
                return None
            pack.verify()
        except RegistryError:
            return None
        return pack

    def list(self) -> list[InstalledPack]:
        """Every installed pack, by name and version."""
        out = []
        base = self.root / "installed"
        for folder in sorted(base.iterdir()) if base.is_dir() else []:
            for record in sorted(folder.glob("*.json"), key=lambda p: version_key(p.stem)):
                pack = self.get(folder.name, record.stem)
                if pack is not None:
                    out.append(pack)
        return out

    def clean_staging(self) -> None:
        """Remove what killed pulls left in ``tmp/``; call with the lock held."""
        shutil.rmtree(self.root / "tmp", ignore_errors=True)

    @staticmethod
    def _store_intact(store: Path) -> bool:
        try:
            files = json.loads((store / "files.json").read_text(encoding="utf-8"))["files"]
            InstalledPack("?", "?", store.name, None, store / "content",
                          {str(k): str(v) for k, v in files.items()}).verify()
        except (OSError, ValueError, KeyError, TypeError, AttributeError, RegistryError):
            return False
        return True

    def install(self, entry: IndexEntry, data: bytes, index_url: str | None, *,
                max_size: int) -> InstalledPack:
        """Unpack verified archive bytes for ``entry`` and record them; with the lock held.

        The caller has checked ``data`` against the index's size and sha256.
        """
        store = self.root / "packs" / entry.sha256
        if not self._store_intact(store):
            tmp = self.root / "tmp"
            tmp.mkdir(parents=True, exist_ok=True)
            staging = Path(tempfile.mkdtemp(prefix="unpack-", dir=tmp))
            try:
                files = safe_unpack(data, staging / "content", where=entry.file,
                                    max_size=max_size)
                if "pack.toml" not in files:
                    raise registry_error("the archive has no pack.toml", entry.file)
                _check_promise(entry, staging / "content")
                (staging / "files.json").write_text(json.dumps(
                    {"name": entry.name, "version": entry.version, "sha256": entry.sha256,
                     "files": files}, indent=2, sort_keys=True) + "\n", encoding="utf-8")
                store.parent.mkdir(parents=True, exist_ok=True)
                if store.exists():  # damaged or changed since it was unpacked: replace it
                    shutil.rmtree(store)
                os.replace(staging, store)
            finally:
                shutil.rmtree(staging, ignore_errors=True)
        record = self._record_path(entry.name, entry.version)
        record.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(record, json.dumps({"name": entry.name, "version": entry.version,
                                         "sha256": entry.sha256, "index": index_url},
                                        indent=2) + "\n")
        pack = self.get(entry.name, entry.version)
        assert pack is not None  # just written
        return pack
