"""Names and limits the registry and the CLI share, in a module that imports nothing.

Kept apart so that ``qcheck`` can declare its options without importing httpx.
"""

from __future__ import annotations

__all__ = ["CACHE_ENV", "DEFAULT_MAX_SIZE", "LOCK_FILE", "MAX_INDEX_SIZE", "TOKEN_ENV"]

CACHE_ENV = "QCOMPLIANCE_CACHE_DIR"
"""Environment variable that overrides the cache folder."""
DEFAULT_MAX_SIZE = 64 * 1024 * 1024
"""Largest archive (and unpacked total) a client accepts: 64 MiB."""
MAX_INDEX_SIZE = 16 * 1024 * 1024
"""Largest index.json a client reads: 16 MiB."""
LOCK_FILE = "qcompliance.lock"
"""The lock file's default name, in the current folder."""
TOKEN_ENV = "QCOMPLIANCE_TOKEN"
"""The default environment variable holding a QMS endpoint's bearer token."""
