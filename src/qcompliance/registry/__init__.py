"""Rule packs over HTTP: build and test packs, pull them into the cache, pin, post results.

The pieces, in the order a QMS integration meets them (docs/sdk.md):

- :mod:`.pack` and :mod:`.build`: the pack format, the archive and ``index.json``;
  :mod:`.fixtures`: the pack's own tests.
- :mod:`.client`: :class:`RegistryClient` and :class:`AsyncRegistryClient` pull a pack
  into the :class:`Cache` (:mod:`.cache`), verified and unpacked safely (:mod:`.archive`).
- :mod:`.lockfile`: ``qcompliance.lock``; :mod:`.sources`: loading pulled packs, locked
  packs and entry-point packs with their provenance.
- :mod:`.post`: :func:`post_assessment` delivers an assessment to a QMS endpoint.

Nothing here is used by the engine; packs are data and nothing in them is executed.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from qcompliance.registry.build import BuildResult, build_pack, load_pack_dir, run_pack_tests
    from qcompliance.registry.cache import Cache, InstalledPack, default_cache_dir
    from qcompliance.registry.client import (
        AsyncRegistryClient,
        RegistryClient,
        pull_locked,
    )
    from qcompliance.registry.errors import DeliveryError, RegistryError
    from qcompliance.registry.fixtures import FixtureResult
    from qcompliance.registry.lockfile import LOCK_FILE, LockEntry, LockFile, read_lock, write_lock
    from qcompliance.registry.pack import Index, IndexEntry, parse_index
    from qcompliance.registry.post import (
        Delivery,
        apost_assessment,
        idempotency_key,
        post_assessment,
    )
    from qcompliance.registry.sources import (
        ENTRY_POINT_GROUP,
        PackSource,
        entry_point_sources,
        load_for_assessment,
        load_locked,
        load_sources,
        pulled_sources,
    )

__all__ = [
    "ENTRY_POINT_GROUP",
    "LOCK_FILE",
    "AsyncRegistryClient",
    "BuildResult",
    "Cache",
    "Delivery",
    "DeliveryError",
    "FixtureResult",
    "Index",
    "IndexEntry",
    "InstalledPack",
    "LockEntry",
    "LockFile",
    "PackSource",
    "RegistryClient",
    "RegistryError",
    "apost_assessment",
    "build_pack",
    "default_cache_dir",
    "entry_point_sources",
    "idempotency_key",
    "load_for_assessment",
    "load_locked",
    "load_pack_dir",
    "load_sources",
    "parse_index",
    "post_assessment",
    "pull_locked",
    "pulled_sources",
    "read_lock",
    "run_pack_tests",
    "write_lock",
]

# Exports load on first use, so that importing one part (say the cache, for `qcheck run`)
# does not import httpx.
_WHERE = {
    "AsyncRegistryClient": "client",
    "BuildResult": "build",
    "Cache": "cache",
    "Delivery": "post",
    "apost_assessment": "post",
    "DeliveryError": "errors",
    "ENTRY_POINT_GROUP": "sources",
    "FixtureResult": "fixtures",
    "Index": "pack",
    "IndexEntry": "pack",
    "InstalledPack": "cache",
    "LOCK_FILE": "lockfile",
    "LockEntry": "lockfile",
    "LockFile": "lockfile",
    "PackSource": "sources",
    "RegistryClient": "client",
    "RegistryError": "errors",
    "build_pack": "build",
    "default_cache_dir": "cache",
    "entry_point_sources": "sources",
    "idempotency_key": "post",
    "load_for_assessment": "sources",
    "load_locked": "sources",
    "load_pack_dir": "build",
    "load_sources": "sources",
    "parse_index": "pack",
    "post_assessment": "post",
    "pull_locked": "client",
    "pulled_sources": "sources",
    "read_lock": "lockfile",
    "run_pack_tests": "build",
    "write_lock": "lockfile",
}


def __getattr__(name: str) -> object:
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module 'qcompliance.registry' has no attribute '{name}'")
    value = getattr(importlib.import_module(f"qcompliance.registry.{module}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)
