"""The pack format: a folder of checklists with a manifest, built into an archive and an index.

A pack folder holds ``pack.toml`` (schema ``qcompliance/pack/v1``: name, version, title), its
checklist files (``*.toml`` / ``*.json`` beside it), optionally ``facts.toml`` (then the pack
is a whole catalogue that replaces the built-in one) and ``coverage.toml``, and fixtures under
``fixtures/``. Building writes ``NAME-VERSION.tar.gz`` (byte-identical for the same files) and
records it in ``index.json``, which any static HTTP server can serve. See docs/sdk.md.
"""

from __future__ import annotations

import gzip
import hashlib
import io
import json
import re
import tarfile
from collections.abc import Sequence
from pathlib import Path
from typing import Literal

import attrs
from packaging.version import InvalidVersion, Version

from qcompliance.errors import Problem, QComplianceError, SchemaError
from qcompliance.loading.converter import converter, problems_of
from qcompliance.loading.files import write_atomic
from qcompliance.loading.load import parse_document, read_document
from qcompliance.model import PackManifest, Text
from qcompliance.registry.errors import RegistryError, registry_error
from qcompliance.suggest import did_you_mean

__all__ = [
    "INDEX_SCHEMA",
    "Index",
    "IndexChecklist",
    "IndexEntry",
    "archive_name",
    "build_archive",
    "check_publishable",
    "checklist_paths",
    "pack_files",
    "parse_index",
    "read_manifest",
    "toml_string",
    "update_index",
    "version_key",
]

INDEX_SCHEMA: Literal["qcompliance/index/v1"] = "qcompliance/index/v1"
MANIFEST = "pack.toml"
NOT_CHECKLISTS = frozenset({MANIFEST, "facts.toml", "coverage.toml"})
_SUFFIXES = (".toml", ".json", ".md")
_NAME = re.compile(r"^[a-z0-9]+(?:[-_.][a-z0-9]+)*$")
_VERSION = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._+-]{0,63}$")
_SHA256 = re.compile(r"^[0-9a-f]{64}$")
_NO_VERSION = Version("0")


@attrs.frozen
class IndexChecklist:
    """A checklist a pack contains, as the index lists it."""

    id: str
    version: str
    sha256: str


@attrs.frozen
class IndexEntry:
    """One published version of a pack: where its archive is and what it must hash to."""

    name: str
    version: str
    file: str
    """The archive's URL, relative to the index (or absolute)."""
    size: int
    sha256: str
    title: Text
    checklists: tuple[IndexChecklist, ...] = ()


@attrs.frozen
class Index:
    """An index of packs (schema ``qcompliance/index/v1``)."""

    schema: Literal["qcompliance/index/v1"]
    packs: tuple[IndexEntry, ...] = ()

    def find(self, name: str, version: str | None = None, *, where: str | None = None
             ) -> IndexEntry:
        """The entry of ``name`` at ``version`` (the newest when None); RegistryError if none."""
        entries = [e for e in self.packs if e.name == name]
        if not entries:
            names = sorted({e.name for e in self.packs})
            raise registry_error(f"no pack '{name}' in the index{did_you_mean(name, names)}",
                                 where)
        if version is None:
            return max(entries, key=lambda e: version_key(e.version))
        for entry in entries:
            if entry.version == version:
                return entry
        known = ", ".join(e.version for e in sorted(entries, key=lambda e: version_key(e.version)))
        raise registry_error(f"no version '{version}' of pack '{name}' in the index "
                             f"(published: {known})", where)


def version_key(version: str) -> tuple[int, Version, str]:
    """A sort key by PEP 440 (``packaging.version``): ``2026.9.1`` before ``2026.10``,
    ``1.0rc1`` before ``1.0``; a version PEP 440 cannot read sorts first, by its text."""
    try:
        return (1, Version(version), "")
    except InvalidVersion:
        return (0, _NO_VERSION, version)


def check_name(name: str, where: str | None = None, key: str = "name") -> None:
    """A RegistryError unless ``name`` is a valid pack name (it becomes a file name)."""
    if not _NAME.match(name):
        raise registry_error(f"'{name}' is not a valid pack name ([a-z0-9], '-', '_', '.')",
                             where, key)


def check_version(version: str, where: str | None = None, key: str = "version") -> None:
    """A RegistryError unless ``version`` is a valid pack version (it becomes a file name)."""
    if not _VERSION.match(version) or ".." in version:
        raise registry_error(f"'{version}' is not a valid pack version", where, key)


def read_manifest(directory: Path) -> PackManifest:
    """The ``pack.toml`` of a pack folder, checked."""
    doc = read_document(directory / MANIFEST)
    manifest = doc.structure(dict(doc.data), PackManifest)
    if not _NAME.match(manifest.name):
        raise SchemaError(doc.problem(("name",), f"'{manifest.name}' is not a valid pack name "
                                                 "([a-z0-9], '-', '_', '.')"))
    if not _VERSION.match(manifest.version) or ".." in manifest.version:
        raise SchemaError(doc.problem(("version",),
                                      f"'{manifest.version}' is not a valid pack version"))
    return manifest


def checklist_paths(directory: Path) -> list[Path]:
    """The checklist files of a pack folder, sorted by name."""
    return sorted(p for p in directory.iterdir()
                  if p.suffix in (".toml", ".json") and p.name not in NOT_CHECKLISTS
                  and not p.name.startswith(".") and p.is_file())


def pack_files(directory: Path) -> list[str]:
    """Every file a pack built from ``directory`` holds, as sorted POSIX paths relative to it.

    A pack holds data only: TOML, JSON and Markdown files in the folder and in ``fixtures/``.
    A symbolic link is refused rather than followed, so a build cannot pull in outside files.
    """
    out = []
    for sub in (directory, directory / "fixtures"):
        if not sub.is_dir():
            continue
        for path in sorted(sub.iterdir()):
            if path.name.startswith(".") or path.suffix not in _SUFFIXES:
                continue
            if path.is_symlink():
                raise registry_error("a pack holds plain files only, not symbolic links",
                                     str(path))
            if path.is_file():
                out.append(path.relative_to(directory).as_posix())
    return sorted(out)


def archive_name(manifest: PackManifest) -> str:
    """``NAME-VERSION.tar.gz``."""
    return f"{manifest.name}-{manifest.version}.tar.gz"


def build_archive(directory: Path, files: Sequence[str]) -> bytes:
    """A gzip-compressed tar of ``files`` (relative to ``directory``), byte-identical for the
    same contents: sorted entries, no owners, fixed times and modes."""
    raw = io.BytesIO()
    with gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0) as gz, \
            tarfile.open(fileobj=gz, mode="w", format=tarfile.PAX_FORMAT) as tar:
        for name in sorted(files):
            data = (directory / name).read_bytes()
            info = tarfile.TarInfo(name)
            info.size = len(data)
            info.mode = 0o644
            info.mtime = 0
            info.uname = info.gname = ""
            tar.addfile(info, io.BytesIO(data))
    return raw.getvalue()


def parse_index(data: bytes | str, where: str) -> Index:
    """Parse and check an ``index.json`` document read from ``where``."""
    try:
        # The bounds of every parsed input: UTF-8, duplicate keys, nesting, number range.
        raw = dict(parse_document(data.encode("utf-8") if isinstance(data, str) else data,
                                  where, "json").data)
    except QComplianceError as exc:
        first = exc.first
        why = first.message.removeprefix("invalid JSON: ")
        raise registry_error(f"the index is not valid JSON: {why}", where, first.key) from None
    if raw.get("schema") != INDEX_SCHEMA:
        raise registry_error(f"not a pack index (schema must be \"{INDEX_SCHEMA}\")", where,
                             "schema")
    try:
        index = converter.structure(raw, Index)
    except Exception as exc:  # cattrs raises exception groups of many kinds
        from qcompliance.loading.load import format_key

        raise RegistryError([Problem(f"the index is malformed: {m}", file=where,
                                     key=format_key(p) or None)
                             for p, m in problems_of(exc)]) from None
    for i, entry in enumerate(index.packs):
        check_name(entry.name, where, f"packs[{i}].name")
        check_version(entry.version, where, f"packs[{i}].version")
        if not _SHA256.match(entry.sha256):
            raise registry_error("sha256 must be 64 lowercase hex digits", where,
                                 f"packs[{i}].sha256")
        if entry.size < 0:
            raise registry_error("size must not be negative", where, f"packs[{i}].size")
    return index


def index_to_json(index: Index) -> str:
    """The index as pretty JSON text, entries sorted by name and version."""
    ordered = attrs.evolve(index, packs=tuple(sorted(
        index.packs, key=lambda e: (e.name, version_key(e.version)))))
    return json.dumps(converter.unstructure(ordered), ensure_ascii=False, indent=2,
                      allow_nan=False) + "\n"


def _read_index(out_dir: Path) -> Index:
    path = out_dir / "index.json"
    return parse_index(path.read_bytes(), str(path)) if path.exists() else Index(INDEX_SCHEMA)


def check_publishable(out_dir: Path, entry: IndexEntry) -> None:
    """RegistryError when ``out_dir/index.json`` lists ``entry``'s name and version with
    other content: lock files pin the digest, so a published version never changes.
    Rebuilding it with the same content is harmless."""
    for published in _read_index(out_dir).packs:
        if (published.name, published.version) == (entry.name, entry.version) \
                and published.sha256 != entry.sha256:
            raise registry_error(f"{entry.name} {entry.version} is already published with other "
                                 "content; raise the version in pack.toml",
                                 str(out_dir / "index.json"))


def update_index(out_dir: Path, entry: IndexEntry) -> Index:
    """Add ``entry`` to ``out_dir/index.json`` (created if missing) and write it atomically;
    see :func:`check_publishable`."""
    check_publishable(out_dir, entry)
    index = _read_index(out_dir)
    kept = tuple(e for e in index.packs if (e.name, e.version) != (entry.name, entry.version))
    index = attrs.evolve(index, packs=(*kept, entry))
    write_atomic(out_dir / "index.json", index_to_json(index))
    return index


_ESCAPES = {'"': '\\"', "\\": "\\\\", "\b": "\\b", "\t": "\\t", "\n": "\\n", "\f": "\\f",
            "\r": "\\r"}


def toml_string(value: str) -> str:
    """``value`` as a TOML basic string: quotes, backslashes and control characters escaped,
    everything else written as UTF-8 (TOML forbids escaping surrogates, JSON needs them)."""
    out = []
    for char in value:
        if char in _ESCAPES:
            out.append(_ESCAPES[char])
        elif ord(char) < 0x20 or ord(char) == 0x7F:
            out.append(f"\\u{ord(char):04x}")
        else:
            out.append(char)
    return '"' + "".join(out) + '"'


def sha256_hex(data: bytes) -> str:
    """The sha256 of ``data`` in lowercase hex."""
    return hashlib.sha256(data).hexdigest()
