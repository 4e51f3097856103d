"""Unpacking a pack archive with no way out of the target folder.

Every member is checked before anything is written. tarfile's ``data`` filter (PEP 706) refuses
members that would land outside the folder (``..``, links), devices and FIFOs, and clears
dangerous mode bits; on top of it, a pack refuses what the filter would quietly repair or
allow: absolute and drive-letter paths, backslashes, and links of any kind (a pack holds plain
files); and bounds the member count and the unpacked total.
"""

from __future__ import annotations

import hashlib
import io
import os
import tarfile
from pathlib import Path, PurePosixPath

from qcompliance.registry.errors import registry_error

__all__ = ["MAX_MEMBERS", "safe_unpack"]

MAX_MEMBERS = 10_000
"""Most files a pack may hold (a bound against archive bombs)."""


def _member_path(member: tarfile.TarInfo, target: Path, where: str
                 ) -> tuple[tarfile.TarInfo, PurePosixPath]:
    """The member as the data filter passes it, and its relative path; a RegistryError for
    anything a pack may not hold."""
    name = member.name
    path = PurePosixPath(name)
    if (not name or name.startswith(("/", "\\")) or path.is_absolute() or "\\" in name
            or (len(name) > 1 and name[1] == ":")):
        raise registry_error(f"archive member '{name}' has an absolute path", where)
    if member.issym() or member.islnk():
        raise registry_error(f"archive member '{name}' is a link; a pack holds plain files",
                             where)
    try:
        safe = tarfile.data_filter(member, str(target))
    except tarfile.OutsideDestinationError:
        raise registry_error(f"archive member '{name}' escapes the pack folder ('..')",
                             where) from None
    except tarfile.SpecialFileError:
        raise registry_error(f"archive member '{name}' is a device, FIFO or other special "
                             "file; a pack holds plain files", where) from None
    except tarfile.FilterError as exc:
        raise registry_error(f"archive member '{name}' is refused ({exc})", where) from None
    return safe, path


def safe_unpack(data: bytes, target: Path, *, where: str, max_size: int) -> dict[str, str]:
    """Unpack the gzip tar ``data`` into the empty folder ``target``.

    Returns the sha256 of every file by relative path. Raises RegistryError (naming ``where``)
    on any unsafe member, before writing anything; ``max_size`` bounds the unpacked total.
    """
    try:
        with tarfile.open(fileobj=io.BytesIO(data), mode="r:gz") as tar:
            members = tar.getmembers()
            if len(members) > MAX_MEMBERS:
                raise registry_error(f"the archive holds more than {MAX_MEMBERS} entries", where)
            checked = [_member_path(m, target, where) for m in members]
            if sum(m.size for m, _ in checked if m.isfile()) > max_size:
                raise registry_error(f"the archive unpacks to more than {max_size} bytes",
                                     where)
            digests: dict[str, str] = {}
            for member, path in checked:
                dest = target.joinpath(*path.parts)
                if member.isdir():
                    dest.mkdir(parents=True, exist_ok=True)
                    continue
                handle = tar.extractfile(member)
                if handle is None:  # pragma: no cover - regular files always have data
                    raise registry_error(f"archive member '{member.name}' has no data", where)
                content = handle.read()
                key = path.as_posix()
                if key in digests:
                    raise registry_error(f"archive member '{key}' appears twice", where)
                dest.parent.mkdir(parents=True, exist_ok=True)
                # O_EXCL: never write through something that is already there.
                fd = os.open(dest, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
                with os.fdopen(fd, "wb") as out:
                    out.write(content)
                digests[key] = hashlib.sha256(content).hexdigest()
            return digests
    except (tarfile.TarError, EOFError, OSError) as exc:
        if isinstance(exc, FileExistsError):
            raise registry_error("archive members collide", where) from None
        raise registry_error(f"the archive cannot be read: {exc}", where) from None
